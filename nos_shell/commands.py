"""Parse typed lines into :class:`Command` objects with the grammar in grammar/commands.lark.

Three steps, cheapest first:

1. a plain `set`/`delete` line in configuration mode (bare words, at most a final
   single-quoted value) is split by one regular expression; a property test proves
   this gives the same words as the grammar; a bare verb that scripts use around them
   (`configure`, `commit`, `exit`, ...) is looked up in :data:`BARE` (a test holds each
   to the grammar's answer), and `commit comment 'TEXT'` is matched by one regular
   expression (a property test holds it to the grammar), so a command file of such lines
   never loads Lark;
2. the grammar parses the line as typed;
3. when that fails, the words are fed one by one to Lark's interactive parser, which
   expands unique prefixes of keywords (`sh int` -> `show interfaces`) and names the
   word that is invalid, ambiguous or missing. The same machinery answers
   :func:`next_keywords` for completion.

Before any of them, :func:`code` drops a comment: as in bash (VyOS's CLI), an unquoted `#`
that starts a word begins a comment to the end of the line; every reader of a line (the
three steps, word splitting, completion, highlighting) cuts there.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .config.quoting import unquote
from .errors import NosError, ParseError

if TYPE_CHECKING:
    from lark import Lark, Tree

OP, CONF = "op", "conf"

BARE: dict[str, dict[str, str]] = {
    OP: {"configure": "configure", "exit": "logout"},
    CONF: {"commit": "commit", "exit": "exit", "save": "save", "discard": "discard", "compare": "compare"},
}
"""Lines that are one whole verb with no argument, per mode: the command they parse to."""

_FAST = re.compile(r"(set|delete)((?: [^\s'\"|\\]+)+)(?: '([^'\\]*)')?")
_COMMIT_COMMENT = re.compile(r"commit comment '([^'\\]*)'")
# one word of a line: `|`, a "double" or 'single' quoted string (perhaps unterminated, as
# while typing) or a bare word; whitespace is all that lies between words
WORD = re.compile(r"""\||"(?:\\.|[^"\\])*"?|'(?:\\.|[^'\\])*'?|[^\s"'|]+""")


@dataclass
class Command:
    """One parsed line: ``name`` is the grammar alias, ``words`` the path or arguments."""

    name: str
    words: list[str] = field(default_factory=list)
    opts: dict[str, Any] = field(default_factory=dict)
    pipes: list[tuple[str, str | None]] = field(default_factory=list)


@lru_cache(maxsize=1)
def parser() -> "Lark":
    from importlib.resources import files

    from lark import Lark

    text = files("nos_shell.grammar").joinpath("commands.lark").read_text()
    return Lark(text, parser="lalr", lexer="contextual", start=[OP, CONF],
                maybe_placeholders=True, cache=True)


def comment_start(line: str) -> int:
    """Where the comment of ``line`` begins (``len(line)`` when it has none): at the first
    unquoted `#` that starts a word, i.e. follows the line's start, a blank or a `|`. A `#`
    inside quotes or within a word (`foo#bar`, `'a'#b`) is text, as in bash."""
    if "#" not in line:
        return len(line)
    for m in WORD.finditer(line):
        start = m.start()
        if line[start] == "#" and (start == 0 or line[start - 1].isspace() or line[start - 1] == "|"):
            return start
    return len(line)


def code(line: str) -> str:
    """``line`` without its comment (see :func:`comment_start`)."""
    return line[:comment_start(line)]


def is_blank(line: str) -> bool:
    """True when ``line`` holds no command: empty, blanks, or only a comment."""
    return not code(line).strip()


def split_words(line: str) -> list[str]:
    """Split a line into unquoted words (`|` is a word of its own)."""
    return [unquote(raw) for raw in _raw_pieces(line)]


def _unterminated(raw: str) -> bool:
    return raw[0] in "\"'" and (len(raw) < 2 or raw[-1] != raw[0] or raw.endswith("\\" + raw[0])
                                and not raw.endswith("\\\\" + raw[0]))


def _raw_pieces(line: str) -> list[str]:
    pieces = WORD.findall(code(line))
    for raw in pieces:
        if _unterminated(raw):
            raise ParseError(f"Unterminated quote in: {line.strip()}")
    return pieces


def parse(line: str, mode: str = CONF) -> Command:
    """Parse one line in ``mode`` (OP or CONF). Raises ParseError with a VyOS-style message."""
    if "#" in line:         # (checked here too: the call costs more than the test)
        line = code(line)
    bare = BARE.get(mode, {}).get(line.strip())
    if bare is not None:
        return Command(bare)
    if mode == CONF:
        m = _FAST.fullmatch(line.strip())
        if m is not None:
            words = m.group(2).split()
            if m.group(3) is not None:
                words.append(m.group(3))
            return Command(m.group(1), words)
        m = _COMMIT_COMMENT.fullmatch(line.strip())
        if m is not None:
            return Command("commit", opts={"comment": m.group(1)})
    return grammar_parse(line, mode)


def grammar_parse(line: str, mode: str = CONF) -> Command:
    """:func:`parse` by the grammar alone (no shortcut)."""
    from lark.exceptions import LarkError

    line = code(line)
    try:
        tree = parser().parse(line, start=mode)
    except LarkError:
        tree = _parse_expanding(line, mode)
    return _to_command(tree)


# -- keyword expansion and completion -------------------------------------------------
@lru_cache(maxsize=1)
def _keywords() -> dict[str, str]:
    """Terminal name -> literal for every keyword of the grammar."""
    from lark.lexer import PatternStr

    return {t.name: t.pattern.value for t in parser().terminals if isinstance(t.pattern, PatternStr)}


def is_configure(line: str) -> bool:
    """True when ``line`` is the operational `configure` (in any abbreviation), which a
    one-shot command (`nos-shell -c`, `ssh HOST CMD`) refuses: its mode would end with it."""
    try:
        return parse(line, OP).name == "configure"
    except NosError:
        return False


def _classify(raw: str, accepts: set[str], seen: list[str]) -> tuple[str, str]:
    """Terminal type and text for one raw word, expanding a keyword prefix."""
    keywords = _keywords()
    if raw[0] == '"':
        return "DQ", raw
    if raw[0] == "'":
        return "SQ", raw
    exact = [t for t in accepts if keywords.get(t) == raw]
    if exact:
        return exact[0], raw
    if "WORD" in accepts:
        return "WORD", raw
    if "INT" in accepts and raw.isdigit():
        return "INT", raw
    matches = sorted({keywords[t]: t for t in accepts if t in keywords and keywords[t].startswith(raw)}.items())
    if len(matches) == 1:
        return matches[0][1], matches[0][0]
    shown = " ".join(seen + [raw])
    if len(matches) > 1:
        raise ParseError(f"Ambiguous command: [{shown}]",
                         f"Possible completions: {', '.join(word for word, _ in matches)}")
    if not seen:
        raise ParseError(f"Invalid command: [{raw}]")
    raise ParseError(f"Invalid command: {' '.join(seen)} [{raw}]")


def _parse_expanding(line: str, mode: str) -> "Tree":
    from lark import Token
    from lark.exceptions import LarkError

    pieces = _raw_pieces(line)
    if not pieces:
        raise ParseError("Incomplete command: (empty line)")
    ip = parser().parse_interactive("", start=mode)
    seen: list[str] = []
    for raw in pieces:
        kind, text = _classify(raw, set(ip.accepts()), seen)
        try:
            ip.feed_token(Token(kind, text))
        except LarkError:
            raise ParseError(f"Invalid command: {' '.join(seen)} [{raw}]".replace(":  [", ": [")) from None
        seen.append(text)
    if "$END" not in ip.accepts():
        raise ParseError(f"Incomplete command: {' '.join(seen)}")
    try:
        return ip.feed_eof()
    except LarkError:
        raise ParseError(f"Incomplete command: {' '.join(seen)}") from None


def next_keywords(line: str, mode: str = CONF) -> tuple[list[str], bool, bool]:
    """What may follow the complete words of ``line``: (keywords, a free word?, may end here?).

    The shell's completer asks this; free words are completed from the schema.
    """
    try:
        pieces = _raw_pieces(line)
    except ParseError:
        return [], False, False
    position: Position | None = Position.start(mode)
    for raw in pieces:
        if position is None:
            break
        position = position.after(raw)
    return position.answer() if position is not None else ([], False, False)


class Position:
    """Where the grammar is after some complete words. :meth:`after` moves on by one word
    (one parser copy and one look at the acceptable terminals), so walking a line of n
    words costs n steps, not the n² of parsing every prefix again."""

    __slots__ = ("ip", "accepts", "seen")

    def __init__(self, ip, accepts: frozenset[str], seen: tuple[str, ...]):
        self.ip = ip
        self.accepts = accepts
        self.seen = seen

    @classmethod
    def start(cls, mode: str) -> "Position":
        ip = parser().parse_interactive("", start=mode)
        return cls(ip, frozenset(ip.accepts()), ())

    def after(self, raw: str) -> "Position | None":
        """The position after the raw word ``raw``; None when the grammar refuses it."""
        from lark import Token
        from lark.exceptions import LarkError

        if _unterminated(raw):
            return None
        try:
            kind, text = _classify(raw, set(self.accepts), list(self.seen))
            ip = self.ip.copy()
            ip.feed_token(Token(kind, text))
        except (LarkError, ParseError):
            return None
        return Position(ip, frozenset(ip.accepts()), self.seen + (text,))

    def answer(self) -> tuple[list[str], bool, bool]:
        """(keywords accepted next, a free word?, may the line end here?)."""
        keywords = _keywords()
        words = sorted(keywords[t] for t in self.accepts if t in keywords)
        return words, bool(self.accepts & {"WORD", "DQ", "SQ", "INT"}), "$END" in self.accepts


# -- tree -> Command ----------------------------------------------------------------------
_FLAGS = {"commands": ("format", "commands"), "json": ("format", "json"), "show_detail": ("detail", True),
          "length": ("setting", "length"), "width": ("setting", "width"), "discard": ("discard", True),
          "saved": ("saved", True), "ignore_unknown": ("ignore_unknown", True),
          "private": ("private", True), "exclusive": ("exclusive", True)}
# everyday operational views: grammar alias prefix -> option key (nos_shell/ops/)
_CHOICES = {"if_": "type", "view_": "view", "nat_": "side", "sys_": "view", "svc_": "service",
            "fw_": "family", "hook_": "hook"}


def _to_command(tree: "Tree") -> Command:
    from lark import Token, Tree

    command_tree = tree.children[0]
    cmd = Command(command_tree.data)
    for pipe in tree.children[1:]:
        fn = pipe.children[0]
        arg = fn.children[0] if fn.children else None
        cmd.pipes.append((fn.data.replace("except_", "except"),
                          unquote(arg) if isinstance(arg, Token) else None))
    for child in command_tree.children:
        if child is None:
            continue
        if isinstance(child, Token):
            cmd.words.append(unquote(child))
        elif child.data == "path":
            words = [unquote(t) for t in child.children]
            if cmd.name in ("copy", "rename", "merge"):
                cmd.opts["path"] = words
            else:
                cmd.words.extend(words)
        elif child.data in _FLAGS:
            key, value = _FLAGS[child.data]
            cmd.opts[key] = value
        elif child.data == "commit_comment":
            cmd.opts["comment"] = unquote(child.children[0])
        elif child.data == "revisions":
            cmd.opts["revisions"] = [int(t) for t in child.children if t is not None]
        elif child.data == "count":
            cmd.opts["count"] = int(child.children[0])
        elif child.data == "source_address":
            cmd.opts["source"] = unquote(child.children[0])
        elif child.data == "interval":
            cmd.opts["interval"] = unquote(child.children[0])
        elif child.data == "log_tail":
            cmd.opts["tail"] = int(child.children[0]) if child.children[0] is not None else True
        elif child.data == "traffic_filter":
            cmd.opts["filter"] = unquote(child.children[0])
        elif (prefix := next((p for p in _CHOICES if child.data.startswith(p)), None)) is not None:
            cmd.opts[_CHOICES[prefix]] = child.data[len(prefix):].replace("_", "-")
        elif isinstance(child, Tree):
            cmd.opts["command"] = _to_command(Tree("op", [child]))
    return cmd
