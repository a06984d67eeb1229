"""config.boot files: parse (schema-free), load into a ConfigTree, dump.

:func:`parse_boot` turns text into raw nodes (raw.py) and reports syntax errors as
``FILE:LINE:COL: message``. :func:`load_boot` migrates old syntax (see migrate.py) and
walks the raw nodes against the schema, collecting every unknown path and invalid
value before deciding whether to load anything.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

from ..errors import ParseError, ProblemList
from ..schema import Kind, SchemaNode
from ..schema.types import shown
from .bootscan import scan_boot
from .checked import check
from .quoting import unquote
from .raw import RawNode
from .render import to_curly
from .tree import ConfigTree, Node, check_comment, sorted_children


# -- parsing --------------------------------------------------------------------------------
class _Comment:
    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _attach(items: list) -> list[RawNode]:
    """Give each comment to the node after it; comments with no node after are dropped."""
    nodes: list[RawNode] = []
    pending: list[str] = []
    for item in items:
        if isinstance(item, _Comment):
            pending.append(item.text)
        else:
            if pending:
                item.comment = "\n".join(pending)
                pending = []
            nodes.append(item)
    return nodes


def _split(children: list) -> tuple:
    """(name token, value token or None, nested items) of a leaf/block reduction."""
    name, rest = children[0], children[1:]
    value = None
    if rest and getattr(rest[0], "type", None) in ("WORD", "DQ_STRING", "SQ_STRING"):
        value, rest = rest[0], rest[1:]
    items = [c for c in rest if getattr(c, "type", None) not in ("LBRACE", "RBRACE")]
    return name, value, items


def _make_transformer():
    from lark import Transformer

    class ToRaw(Transformer):
        """Runs inside the LALR parser on each reduction (no recursion over depth)."""

        def start(self, items: list) -> list[RawNode]:
            return _attach(items)

        def comment(self, children: list) -> _Comment:
            return _Comment(str(children[0])[2:-2].strip())

        def leaf(self, children: list) -> RawNode:
            name, value, _ = _split(children)
            return RawNode(str(name), None if value is None else unquote(str(value)), None, None, name.line)

        def block(self, children: list) -> RawNode:
            name, value, items = _split(children)
            return RawNode(str(name), None if value is None else unquote(str(value)),
                           _attach(items), None, name.line)

    return ToRaw()


@lru_cache(maxsize=1)
def _parser():
    from lark import Lark

    text = resources.files("nos_shell.grammar").joinpath("config.lark").read_text(encoding="utf-8")
    return Lark(text, parser="lalr", lexer="contextual", transformer=_make_transformer(),
                cache=True, maybe_placeholders=False)


_NAMES = {"LBRACE": "'{'", "RBRACE": "'}'", "_NL": "end of line", "$END": "end of file"}


def _describe(expected: set[str]) -> str:
    """Expected terminals in words: `'{', a value or end of line`."""
    names = [_NAMES[t] for t in ("LBRACE", "RBRACE") if t in expected]
    if "DQ_STRING" in expected:
        names.append("a value")
    elif "WORD" in expected:
        names.append("a name")
    names += [_NAMES[t] for t in ("_NL", "$END") if t in expected]
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else "".join(names)


def _end_of(text: str) -> tuple[int, int]:
    """Line and column just after the last character of ``text``."""
    return text.count("\n") + 1, len(text) - text.rfind("\n")


def _syntax_error(exc: Exception, text: str, filename: str) -> ParseError:
    """One clear line for a lark error."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

    line, col = getattr(exc, "line", 0) or 0, getattr(exc, "column", 0) or 0
    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream
        ch = text[pos] if 0 <= pos < len(text) else ""
        if ch and ch in "\"'":
            what = "unterminated quoted value (a quote must close on the same line)"
        elif text.startswith("/*", pos):
            what = "unterminated comment (missing '*/')"
        else:
            what = f"unexpected character {ch!r}"
    elif isinstance(exc, UnexpectedToken):
        token = exc.token
        opened = [t for t in getattr(exc.state, "value_stack", None) or ()
                  if getattr(t, "type", None) == "LBRACE"]
        if token.type == "$END":
            line, col = _end_of(text)
            what = (f"unexpected end of file, expected '}}' to close the block opened at line "
                    f"{opened[-1].line}" if opened else
                    f"unexpected end of file, expected {_describe(exc.expected)}")
        elif token.type == "RBRACE" and not opened:
            what = "unexpected '}' (no block is open)"
        else:
            shown = _NAMES.get(token.type) or repr(str(token)[:40])
            what = f"unexpected {shown}, expected {_describe(exc.expected)}"
    else:
        what = "syntax error"
    return ParseError(f"{filename}:{line}:{col}: {what}")


def parse_boot(text: str, filename: str = "<config>") -> list[RawNode]:
    """Parse config.boot text into raw nodes. Syntax errors raise :class:`ParseError`.
    The fast reader (bootscan.py) reads what it can; the grammar reads the rest."""
    if not isinstance(text, str):
        raise ParseError(f"{filename}:0:0: expected text, got {type(text).__name__}")
    raws = scan_boot(text)
    return raws if raws is not None else parse_with_grammar(text, filename)


def parse_with_grammar(text: str, filename: str = "<config>") -> list[RawNode]:
    """:func:`parse_boot` by the Lark grammar alone (the definition of the format)."""
    from lark.exceptions import LarkError

    try:
        return _parser().parse(text + "\n")
    except LarkError as exc:
        raise _syntax_error(getattr(exc, "orig_exc", exc), text, filename) from None
    except RecursionError:
        raise ParseError(f"{filename}:0:0: nesting too deep") from None


# -- loading --------------------------------------------------------------------------------
class _Builder:
    """Walks raw nodes against the schema, building tree nodes and collecting problems."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.problems: list[str] = []

    def bad(self, raw: RawNode, path: list[str], reason: str = "") -> None:
        """A problem with ``raw``, found below ``path`` (its words are named in the message)."""
        words = path + [raw.name] + ([raw.value] if raw.value is not None else [])
        msg = f"{self.filename}:{raw.line}: Configuration path: [{' '.join(map(shown, words))}] is not valid"
        self.problems.append(f"{msg}: {reason}" if reason else msg)

    def check(self, spec: SchemaNode, value: str) -> str:
        """The validator's complaint about ``value``, or an empty string."""
        try:
            check(spec.type, value)  # type: ignore[arg-type]
        except ValueError as exc:
            return str(exc) or "invalid value"
        return ""

    def fill(self, node: Node, raws: list[RawNode], schema: SchemaNode, path: list[str]) -> None:
        """Add ``raws`` (the contents of a container or tag entry) below ``node``."""
        for raw in raws:
            spec = schema.children.get(raw.name)
            if raw.comment is not None:
                try:
                    raw.comment = check_comment(raw.comment) or None
                except ValueError as exc:   # the comment is dropped, the node kept
                    self.bad(raw, path, str(exc))
                    raw.comment = None
            if spec is None:
                self.bad(raw, path)
            elif spec.kind is Kind.CONTAINER:
                self.container(node, raw, spec, path)
            elif spec.kind is Kind.TAG:
                self.tag(node, raw, spec, path)
            elif raw.children is not None:
                self.bad(raw, path)
            elif spec.takes_value:
                if raw.value is None:
                    self.bad(raw, path, "a value is required")
                else:
                    self.leaf(node, raw, spec, path)
            elif raw.value is not None:
                self.bad(raw, path)
            else:
                child = node.children.setdefault(raw.name, Node())
                child.comment = raw.comment or child.comment

    def container(self, node: Node, raw: RawNode, spec: SchemaNode, path: list[str]) -> None:
        if raw.value is not None:
            self.bad(raw, path)
            return
        fresh = raw.name not in node.children
        child = node.children.setdefault(raw.name, Node())
        self.fill(child, raw.children or [], spec, path + [raw.name])
        if fresh and raw.children and not child.children:
            del node.children[raw.name]     # everything inside was unknown
        elif raw.comment:
            child.comment = raw.comment

    def tag(self, node: Node, raw: RawNode, spec: SchemaNode, path: list[str]) -> None:
        if raw.value is None:
            self.bad(raw, path, "a tag value is required")
            return
        reason = self.check(spec, raw.value)
        if reason:
            self.bad(raw, path, reason)
            return
        holder = node.children.setdefault(raw.name, Node())
        fresh = raw.value not in holder.children
        entry = holder.children.setdefault(raw.value, Node())
        self.fill(entry, raw.children or [], spec, path + [raw.name, raw.value])
        if fresh and raw.children and not entry.children:
            del holder.children[raw.value]
        elif raw.comment:
            entry.comment = raw.comment
        if not holder.children:
            del node.children[raw.name]

    def leaf(self, node: Node, raw: RawNode, spec: SchemaNode, path: list[str]) -> None:
        value = raw.value or ""
        reason = self.check(spec, value)
        if reason:
            self.bad(raw, path, reason)
            return
        child = node.children.setdefault(raw.name, Node())
        child.comment = raw.comment or child.comment
        if spec.kind is Kind.MULTI:
            child.values = child.values or []
            if value not in child.values:
                child.values.append(value)
        else:
            child.values = [value]


@lru_cache(maxsize=None)
def _holds_secret(spec: SchemaNode) -> bool:
    """Whether a node of ``spec`` can hold a leaf with ``hash_into`` (or is one)."""
    return spec.hash_into is not None or any(_holds_secret(c) for c in spec.children.values())


def _secrets(node: Node, schema: SchemaNode, path: tuple[str, ...], is_tag: bool):
    """The nodes of leaves with ``hash_into`` below ``node``, in the order of
    :meth:`ConfigTree.walk`, entering only the subtrees whose schema can hold one."""
    for key, child in sorted_children(node, schema, is_tag):
        spec = schema if is_tag else schema.children[key]
        if not _holds_secret(spec):
            continue
        if spec.hash_into:
            yield path + (key,), spec, child
        yield from _secrets(child, spec, path + (key,), not is_tag and spec.kind is Kind.TAG)


def _hash_plaintext(tree: ConfigTree, problems: list[str], filename: str) -> None:
    """Replace plaintext secrets by their hash, as `set` does (the plaintext is kept empty)."""
    found = [(path, spec, node) for path, spec, node in _secrets(tree.root, tree.schema, (), False)
             if node.values and node.values[0]]
    if not found:
        return
    from ..secrets import hash_password

    for path, spec, node in found:
        try:
            hashed = hash_password(node.values[0])  # type: ignore[index]
        except (ValueError, OSError) as exc:
            problems.append(f"{filename}: Configuration path: [{' '.join(path)}] is not valid: {exc}")
            continue
        parent = tree.node(*path[:-1])
        target = parent.children.setdefault(spec.hash_into, Node())  # type: ignore[union-attr,arg-type]
        target.values = [hashed]
        node.values = [""]


def load_boot(text: str, filename: str = "<config>", *,
              ignore_unknown: bool = False) -> tuple[ConfigTree, list[str]]:
    """Parse, migrate and check config.boot text; return the tree and any warnings.

    Unknown paths and invalid values are errors (all listed in one :class:`ProblemList`, a
    :class:`PathError`), or with ``ignore_unknown`` skipped and returned as warnings.
    """
    from .migrate import footer_versions, migrate

    versions = footer_versions(text)
    raws = migrate(parse_boot(text, filename), versions)
    tree = ConfigTree()
    builder = _Builder(filename)
    builder.fill(tree.root, raws, tree.schema, [])
    _hash_plaintext(tree, builder.problems, filename)
    if builder.problems and not ignore_unknown:
        raise ProblemList(*builder.problems)
    return tree, [f"{filename}:{w}" for w in versions.warnings] + builder.problems


def dump_boot(tree: ConfigTree) -> str:
    """The tree as config.boot text."""
    return to_curly(tree)
