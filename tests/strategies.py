"""Hypothesis strategies that generate valid configuration from the schema.

``set_lines()`` draws lists of `set` word lists (without the `set`), each accepted by
``ConfigTree.set``; ``config_trees()`` applies them, gives multi-value leaves more values
and puts comments on some nodes; ``edited_trees()`` edits such a tree (for diff and
rebase properties).
Values come from the schema's own types and are re-checked by them, so a strategy can
never drift from what the validators accept.
"""
from __future__ import annotations

import ipaddress
import string
from functools import lru_cache

from hypothesis import strategies as st

from nos_shell.config.tree import ConfigTree
from nos_shell.schema import SCHEMA, Kind, SchemaNode
from nos_shell.schema import fwtypes, nat, zones
from nos_shell.schema import types as t


def _checked(vt: t.ValueType, strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def ok(value: str) -> bool:
        try:
            vt.check(value)
        except ValueError:
            return False
        return True

    return strategy.filter(ok)


def _addresses(version: int) -> st.SearchStrategy:
    return st.ip_addresses(v=version) if version else st.ip_addresses()


def _prefix(version: int) -> st.SearchStrategy[str]:
    return st.builds(lambda addr, bits: str(ipaddress.ip_network(
        f"{addr}/{bits % (addr.max_prefixlen + 1)}", strict=False)), _addresses(version), st.integers(0, 128))


def _host_prefix(version: int) -> st.SearchStrategy[str]:
    return st.builds(lambda addr, bits: f"{addr}/{bits % (addr.max_prefixlen + 1)}",
                     _addresses(version), st.integers(0, 128))


def _mac() -> st.SearchStrategy[str]:
    return st.lists(st.integers(0, 255), min_size=6, max_size=6).map(
        lambda b: ":".join(f"{x:02x}" for x in [b[0] & 0xFE, *b[1:]]))


def _interface(vt: t.InterfaceName) -> st.SearchStrategy[str]:
    if vt.pattern:          # a kind's names (VyOS's regex): those InterfaceName's shape allows
        return st.from_regex(vt.pattern, fullmatch=True).filter(lambda name: _fits(vt, name))
    if not vt.prefixes:
        return st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.\-@]{0,14}", fullmatch=True)
    return st.builds(lambda p, rest: (p + rest)[:15], st.sampled_from(vt.prefixes),
                     st.from_regex(r"[0-9][0-9A-Za-z_.\-]{0,6}", fullmatch=True))


def _fits(vt: t.InterfaceName, name: str) -> bool:
    try:
        vt.check(name)
    except ValueError:
        return False
    return True


_TEXT = st.characters(blacklist_categories=("Cc", "Cs"))


@lru_cache(maxsize=None)
def values(vt: t.ValueType) -> st.SearchStrategy[str]:
    """Words the value type ``vt`` accepts."""
    if isinstance(vt, t.Union):
        return st.one_of([values(m) for m in vt.members])
    if isinstance(vt, t.Enum):
        return st.sampled_from(vt.values)
    if isinstance(vt, t.Negatable):
        return st.one_of(values(vt.inner), values(vt.inner).map("!".__add__))
    if isinstance(vt, nat.IPv4Range):
        return st.lists(_addresses(4), min_size=2, max_size=2).map(lambda pair: "-".join(map(str, sorted(pair))))
    if isinstance(vt, nat.PortSpec):
        port = st.lists(st.integers(1, 65535), min_size=1, max_size=2).map(
            lambda ends: "-".join(map(str, sorted(set(ends)))))
        return st.lists(port, min_size=1, max_size=3).map(",".join)
    if isinstance(vt, fwtypes.AddressRange):
        return st.lists(_addresses(vt.version), min_size=2, max_size=2).map(
            lambda pair: "-".join(map(str, sorted(pair))))
    if isinstance(vt, fwtypes.FirewallPort):
        port = st.one_of(st.lists(st.integers(1, 65535), min_size=1, max_size=2).map(
            lambda ends: "-".join(map(str, sorted(set(ends))))), st.sampled_from(sorted(fwtypes.SERVICES)))
        return st.lists(port, min_size=1, max_size=3).map(",".join)
    if isinstance(vt, fwtypes.Protocol):
        return st.one_of(st.sampled_from(vt.choices()), st.integers(0, 255).map(str))
    if isinstance(vt, fwtypes.InterfaceMatch):
        return _interface(t.InterfaceName())
    if isinstance(vt, zones.TimeZone):
        return st.sampled_from(("UTC", "Etc/UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"))
    if isinstance(vt, t.Number):
        raw = st.integers(vt.low, vt.high).map(str)
    elif isinstance(vt, t.IPv4):
        raw = _addresses(4).map(str)
    elif isinstance(vt, t.IPv6):
        raw = _addresses(6).map(str)
    elif isinstance(vt, t.Prefix):
        raw = _prefix(vt.version)
    elif isinstance(vt, t.HostPrefix):
        raw = _host_prefix(vt.version)
    elif isinstance(vt, t.Mac):
        raw = _mac()
    elif isinstance(vt, t.InterfaceName):
        raw = _interface(vt)
    elif isinstance(vt, t.HostName):
        raw = st.from_regex(r"[a-z0-9](?:[a-z0-9\-]{0,8}[a-z0-9])?(?:\.[a-z]{1,6}){0,2}", fullmatch=True)
    elif isinstance(vt, t.Pattern):
        raw = st.from_regex(vt.regex, fullmatch=True)
    elif isinstance(vt, t.Text):
        raw = st.text(_TEXT, min_size=vt.min_len, max_size=min(vt.max_len, 24))
    else:
        raw = st.text(_TEXT, max_size=24)
    return _checked(vt, raw)


@st.composite
def set_line(draw, schema: SchemaNode = SCHEMA) -> list[str]:
    """One valid `set` path: names, tag keys and a value, walking down the schema."""
    words: list[str] = []
    node = schema
    while True:
        if node.kind is Kind.TAG:
            words.append(draw(values(node.type)))  # type: ignore[arg-type]
        if node.is_leaf:
            if node.takes_value:
                words.append(draw(values(node.type)))  # type: ignore[arg-type]
            return words
        if not node.children or (words and draw(st.integers(0, 5)) == 0):
            return words
        name = draw(st.sampled_from(sorted(node.children)))
        words.append(name)
        node = node.children[name]


def set_lines(schema: SchemaNode = SCHEMA, max_size: int = 12) -> st.SearchStrategy[list[list[str]]]:
    """Lists of valid `set` word lists."""
    return st.lists(set_line(schema), min_size=0, max_size=max_size)


@lru_cache(maxsize=None)
def _multi_paths(schema: SchemaNode) -> tuple[tuple[SchemaNode, ...], ...]:
    """Schema nodes from the root's child down to each multi-value leaf."""
    out: list[tuple[SchemaNode, ...]] = []

    def walk(node: SchemaNode, trail: tuple[SchemaNode, ...]) -> None:
        for name in sorted(node.children):
            child = node.children[name]
            if child.kind is Kind.MULTI:
                out.append(trail + (child,))
            elif not child.is_leaf:
                walk(child, trail + (child,))

    walk(schema, ())
    return tuple(out)


@st.composite
def multi_value_line(draw, schema: SchemaNode = SCHEMA) -> list[str]:
    """A `set` path to a multi-value leaf (tag keys and the value drawn)."""
    words: list[str] = []
    for node in draw(st.sampled_from(_multi_paths(schema))):
        words.append(node.name)
        if node.kind is Kind.TAG or node.kind is Kind.MULTI:
            words.append(draw(values(node.type)))  # type: ignore[arg-type]
    return words


COMMENTS = st.text(string.ascii_letters + string.digits + " .,:;!?-_()'\"/#=+", min_size=1,
                   max_size=30).map(str.strip).filter(bool)


@st.composite
def config_trees(draw, schema: SchemaNode = SCHEMA, comments: bool = True) -> ConfigTree:
    """A ConfigTree built from ``set_lines``, with comments on some nodes that carry them
    in config.boot (containers, leaves and tag entries; not the bare tag names)."""
    from nos_shell.errors import NosError

    tree = ConfigTree(schema=schema)
    for words in draw(set_lines(schema)):
        tree.set(words)
    # multi-value leaves with several values, so that their order is often something to keep
    for words in draw(st.lists(multi_value_line(schema), max_size=2)):
        try:
            tree.set(words)
        except NosError:
            pass
    for path, spec, _ in [item for item in tree.walk() if item[1].kind is Kind.MULTI]:
        for value in draw(st.lists(values(spec.type), max_size=3)):  # type: ignore[arg-type]
            try:
                tree.set(list(path) + [value])
            except NosError:
                pass
    if comments:
        for path, spec, node in list(tree.walk()):
            if not tree.is_tag_name(path) and draw(st.integers(0, 4)) == 0:
                node.comment = draw(COMMENTS)
    return tree


# -- edits of a tree (rebase, compare) -------------------------------------------------------
#: What :func:`edited` may do to a tree: `set` a pool path, `delete` a node or one value,
#: `comment` (set or clear), `copy` / `rename` a tag entry, `reorder` a multi-value leaf.
EDITS = ("set", "delete", "comment", "copy", "rename", "reorder")


def _tag_entries(tree: ConfigTree) -> list[tuple[str, ...]]:
    return [path for path, _, _ in tree.walk() if len(path) > 1 and tree.is_tag_name(path[:-1])]


def _edit_once(draw, tree: ConfigTree, pool: list[list[str]], action: str) -> None:
    """One edit; raises NosError when the tree refuses it (the edit is then skipped)."""
    if action == "set":
        tree.set(draw(st.sampled_from(pool)))
        return
    if action in ("copy", "rename"):
        entries = _tag_entries(tree)
        if entries:
            path = draw(st.sampled_from(entries))
            siblings = list(tree.node(*path[:-1]).children)  # type: ignore[union-attr]
            key = draw(st.sampled_from([path[-1] + "9", "x" + path[-1], *siblings]))
            tree.copy_tag(list(path), [path[-2], key], action == "rename")
        return
    nodes = [(path, node) for path, _, node in tree.walk() if not tree.is_tag_name(path)]
    if action == "reorder":
        nodes = [(path, node) for path, node in nodes if node.values and len(node.values) > 1]
    if not nodes:
        return
    path, node = draw(st.sampled_from(nodes))
    if action == "comment":
        tree.comment(list(path), draw(st.one_of(st.just(""), COMMENTS)))
    elif action == "reorder":
        order = draw(st.permutations(node.values))
        tree.delete(list(path))
        for value in order:
            tree.set(list(path) + [value])
    elif node.values and draw(st.booleans()):
        tree.delete(list(path) + [draw(st.sampled_from(node.values))])
    else:
        tree.delete(list(path))


def edited(draw, base: ConfigTree, pool: list[list[str]], actions: tuple[str, ...] = EDITS,
           max_edits: int = 6) -> ConfigTree:
    """A copy of ``base`` changed by up to ``max_edits`` drawn edits (see :data:`EDITS`);
    ``draw`` is the caller's (inside an ``st.composite``)."""
    from nos_shell.errors import NosError

    tree = base.copy()
    for _ in range(draw(st.integers(0, max_edits))):
        try:
            _edit_once(draw, tree, pool, draw(st.sampled_from(actions)))
        except NosError:
            pass
    return tree


@st.composite
def edited_trees(draw, actions: tuple[str, ...] = EDITS, sides: int = 1) -> tuple[ConfigTree, ...]:
    """A base tree (with comments) and ``sides`` trees edited from it, drawn from one pool
    of paths so that the sides often touch the same nodes."""
    base = draw(config_trees(comments=True))
    pool = draw(st.lists(set_line(), min_size=1, max_size=8))
    return (base, *(edited(draw, base, pool, actions) for _ in range(sides)))


def apply_edits(tree: ConfigTree, changes: list[tuple[str, list[str]]]) -> ConfigTree:
    """A copy of ``tree`` with each ("set"|"delete", words) applied in turn; an edit the
    schema refuses (a setting this kind of node does not have) is left out."""
    from nos_shell.errors import NosError

    tree = tree.copy()
    for verb, words in changes:
        try:
            tree.set(words) if verb == "set" else tree.delete(words)
        except NosError:
            pass
    return tree
