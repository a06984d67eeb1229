"""What each word of a typed line is: a command keyword, a configuration path word, a value...

The completer, the `?` help and the lexer all start from :func:`analyze`. It walks the
command grammar one word at a time (:class:`nos_shell.commands.Position`, remembered per
line prefix, so typing a character re-examines only the word being typed) and the words of a
configuration path down the schema, the way :func:`nos_shell.config.path.resolve` does.

Nothing here imports prompt_toolkit: the module is pure and cheap to test.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import lru_cache

from ..config.quoting import unquote as quoting_unquote
from ..commands import CONF, OP, WORD, Position, comment_start
from ..schema import SCHEMA, Kind, SchemaNode

# keywords of the operational commands after which an interface name may follow
_INTERFACE_TYPES = frozenset(("ethernet", "bridge", "bonding", "dummy", "loopback", "vlan", "wireguard",
                              "pseudo-ethernet", "vxlan"))

# roles of words
KEYWORD, NAME, KEY, VALUE, FREE = "keyword", "name", "key", "value", "free"

# commands (conf mode) whose free words are a configuration path relative to the edit level
_PATH_COMMANDS = {"set", "delete", "edit", "show", "comment", "copy", "rename"}


@dataclass(frozen=True)
class PathState:
    """Where a configuration path has got to: what the next word must be.

    ``expect`` is ``child`` (a name below ``node``), ``key`` (a key of tag node ``node``),
    ``value`` (the value of leaf ``node``) or ``end`` (nothing may follow).
    ``tree_path`` is the tree path so far (names and keys; for ``key`` it ends on the tag
    name, for ``value`` on the leaf name); ``depth`` counts its words.
    """

    expect: str
    node: SchemaNode = field(repr=False)
    tree_path: tuple[str, ...] = ()

    @property
    def depth(self) -> int:
        return len(self.tree_path)


ROOT_STATE = PathState("child", SCHEMA)


def _after_name(node: SchemaNode, path: tuple[str, ...]) -> PathState:
    if node.kind is Kind.TAG:
        return PathState("key", node, path)
    if node.takes_value:
        return PathState("value", node, path)
    if node.kind is Kind.FLAG:
        return PathState("end", node, path)
    return PathState("child", node, path)


def step(state: PathState, word: str) -> tuple[bool, str, PathState]:
    """Walk one complete word: (accepted?, the word expanded, the next state)."""
    if state.expect == "child":
        names = state.node.complete_child(word)
        if len(names) != 1:
            return False, word, PathState("end", state.node, state.tree_path)
        child = state.node.children[names[0]]
        return True, child.name, _after_name(child, state.tree_path + (child.name,))
    if state.expect in ("key", "value"):
        try:
            state.node.type.check(word)  # type: ignore[union-attr]
            ok = True
        except ValueError:
            ok = False
        path = state.tree_path + (word,)
        if state.expect == "key":
            return ok, word, PathState("child", state.node, path)
        return ok, word, PathState("end", state.node, path)
    return False, word, state


@lru_cache(maxsize=64)
def start_state(edit_path: tuple[str, ...]) -> PathState:
    """The path state at an edit level (a path the session already resolved)."""
    state = ROOT_STATE
    for word in edit_path:
        ok, _, state = step(state, word)
        if not ok:
            return ROOT_STATE
    return state


@dataclass(frozen=True)
class Word:
    """One word of the line. ``ok`` is True (accepted), False (refused) or None (being typed
    and fine so far); ``text`` is the word expanded (keywords and schema names) or unquoted."""

    start: int
    end: int
    raw: str
    role: str
    ok: bool | None
    text: str


@dataclass(frozen=True)
class Slot:
    """What the word at the cursor may be."""

    mode: str                       # grammar start rule of the command ("op" inside `run`)
    command: tuple[str, ...]        # keywords of the command so far, expanded
    keywords: tuple[str, ...]       # keywords the grammar accepts here
    free: str | None                # role of a free word accepted here (see _free_role)
    may_end: bool                   # the grammar accepts the line as it is (before the partial word)
    path: PathState | None = None   # for free == "path": where the path has got to
    path_words: int = 0             # path words typed so far (edit level not counted)
    previous: str | None = None     # the keyword just before


@dataclass(frozen=True)
class Analysis:
    words: tuple[Word, ...]     # every word of the line, the one being typed included
    slot: Slot | None           # None when the line is refused before the word being typed
    partial: str                # the word being typed, raw ('' after a blank)
    partial_start: int          # where it starts in the line

    @property
    def invalid(self) -> tuple[Word, ...]:
        return tuple(w for w in self.words if w.ok is False)


_POSITIONS: dict[tuple[str, tuple[str, ...]], Position | None] = {}
_MAX_POSITIONS = 4096
_POSITIONS_LOCK = threading.Lock()      # the completer runs in a thread of its own


def grammar_step(fed: tuple[str, ...], mode: str) -> tuple[tuple[str, ...], bool, bool]:
    """What may follow the words ``fed`` (keywords expanded, free words raw): keywords, a
    free word?, may end? Each prefix is walked once and remembered, so a redraw or the next
    word costs one step from the longest prefix already seen (never the whole line again)."""
    with _POSITIONS_LOCK:
        known = len(fed)
        while known and (mode, fed[:known]) not in _POSITIONS:
            known -= 1
        position = _POSITIONS[(mode, fed[:known])] if known else Position.start(mode)
        if len(_POSITIONS) + len(fed) - known > _MAX_POSITIONS:
            _POSITIONS.clear()
        for index in range(known, len(fed)):
            position = position.after(fed[index]) if position is not None else None
            _POSITIONS[(mode, fed[:index + 1])] = position
    if position is None:
        return (), False, False
    keywords, free, may_end = position.answer()
    return tuple(keywords), free, may_end


def pieces(line: str) -> list[tuple[int, int, str]]:
    """(start, end, raw) of each word before a `# comment`; quotes stay on the raw word,
    `|` is a word."""
    return [(m.start(), m.end(), m.group()) for m in WORD.finditer(line, 0, comment_start(line))]


def unquote(raw: str) -> str:
    """The value of a word as the parser will read it; a quote still open while typing is
    read as if it were closed."""
    if raw[:1] in "\"'" and (len(raw) < 2 or raw[-1] != raw[0] or _escaped_end(raw)):
        raw += raw[0]
    return quoting_unquote(raw)


def _escaped_end(raw: str) -> bool:
    """True when the last character is a quote escaped by an odd run of backslashes."""
    run = len(raw) - 1 - len(raw[:-1].rstrip("\\"))
    return run % 2 == 1


def _free_role(mode: str, command: tuple[str, ...], free_index: int, segment: int,
               previous: str | None) -> str:
    """What a free word is, from the command around it."""
    if segment:
        return "regex" if previous in ("match", "except") else "text"
    if mode == CONF:
        name = command[0] if command else ""
        if name in _PATH_COMMANDS:
            return "text" if "to" in command else "path"
        if name == "merge":
            return "file" if free_index == 0 else "path"
        if name in ("load", "save"):
            return "file"
        if name in ("rollback", "compare"):
            return "revision"
        if name == "commit-confirm" and previous == "commit-confirm":
            return "number"
        return "text"
    if command[:1] == ("compare",) or command[:3] == ("show", "system", "commit"):
        return "revision"
    if previous == "neighbors" or command[:3] == ("reset", "ip", "bgp"):
        return "neighbor"
    if previous in _INTERFACE_TYPES or previous == "interface":     # show interfaces ethernet NAME
        return "interface"
    if previous in ("ping", "traceroute"):
        return "host"
    if previous == "source-address":
        return "address"
    if previous == "route":
        return "prefix"
    if previous in ("count", "interval", "length", "width", "cols"):
        return "number"
    return "text"


class _Walk:
    """State while walking the words of one line."""

    def __init__(self, mode: str, edit_path: tuple[str, ...]):
        self.top_mode = mode
        self.edit_path = edit_path
        self.fed: list[str] = []          # what grammar_step sees: keywords expanded, free words raw
        self.command: list[str] = []      # keywords of the first pipe segment
        self.segment = 0
        self.free_index = 0               # free words seen in this segment
        self.previous: str | None = None
        self.path: PathState | None = None
        self.path_words = 0
        self.failed = False

    @property
    def mode(self) -> str:
        return OP if self.top_mode == CONF and self.command[:1] == ["run"] else self.top_mode

    @property
    def command_words(self) -> tuple[str, ...]:
        return tuple(self.command[1:] if self.mode != self.top_mode else self.command)

    def accepts(self) -> tuple[tuple[str, ...], bool, bool]:
        return grammar_step(tuple(self.fed), self.top_mode)

    def role(self) -> str:
        return _free_role(self.mode, self.command_words, self.free_index, self.segment, self.previous)

    def path_state(self) -> PathState:
        if self.path is None:
            base = self.edit_path if self.mode == CONF and self.command_words[:1] != ("merge",) else ()
            self.path = start_state(base)
        return self.path

    def take(self, start: int, end: int, raw: str) -> Word:
        """Classify one complete word and move on."""
        if self.failed:
            return Word(start, end, raw, FREE, False, raw)
        keywords, free, _ = self.accepts()
        quoted = raw[0] in "\"'"
        if not quoted and raw in keywords:
            return self._keyword(start, end, raw, raw)
        if free:
            word = self._free(start, end, raw)
            self.fed.append(raw)
            if not any(self.accepts()):
                self.failed = True
                return Word(start, end, raw, word.role, False, word.text)
            return word
        matches = [k for k in keywords if k.startswith(raw)] if not quoted else []
        if len(matches) == 1:
            return self._keyword(start, end, raw, matches[0])
        self.failed = True
        return Word(start, end, raw, KEYWORD, False, raw)

    def _keyword(self, start: int, end: int, raw: str, text: str) -> Word:
        self.fed.append(text)
        if text == "|":
            self.segment += 1
            self.free_index = 0
        elif self.segment == 0:
            self.command.append(text)
        self.previous = text
        ok = bool(any(self.accepts()))
        if not ok:
            self.failed = True
        return Word(start, end, raw, KEYWORD, ok, text)

    def _free(self, start: int, end: int, raw: str) -> Word:
        role = self.role()
        self.free_index += 1
        if role != "path" or raw[0] in "\"'" and self.path_state().expect == "child":
            return Word(start, end, raw, FREE, True, unquote(raw))
        state = self.path_state()
        kind = {"child": NAME, "key": KEY, "value": VALUE}.get(state.expect, NAME)
        ok, text, self.path = step(state, unquote(raw))
        self.path_words += 1
        return Word(start, end, raw, kind, ok, text)

    def slot(self) -> Slot:
        keywords, free, may_end = self.accepts()
        role = self.role() if free else None
        path = self.path_state() if role == "path" else None
        return Slot(self.mode, self.command_words, keywords, role, may_end, path, self.path_words,
                    self.previous)

    def partial(self, start: int, end: int, raw: str, slot: Slot) -> Word:
        """The word being typed: refused only when nothing can start with it."""
        quoted = raw[0] in "\"'"
        if not quoted and any(k.startswith(raw) for k in slot.keywords):
            return Word(start, end, raw, KEYWORD, None, raw)
        if slot.free is None:
            return Word(start, end, raw, KEYWORD, False, raw)
        state = slot.path
        if slot.free != "path" or state is None or quoted and state.expect == "child":
            return Word(start, end, raw, FREE, None, unquote(raw))
        if state.expect == "child":
            ok = None if state.node.complete_child(raw) else False
            return Word(start, end, raw, NAME, ok, raw)
        if state.expect == "end":
            return Word(start, end, raw, VALUE, False, raw)
        return Word(start, end, raw, KEY if state.expect == "key" else VALUE, None, unquote(raw))


@lru_cache(maxsize=512)
def analyze(line: str, mode: str = CONF, edit_path: tuple[str, ...] = ()) -> Analysis:
    """Classify the words of ``line`` typed in ``mode`` at edit level ``edit_path``.

    The last word is the one being typed unless the line ends with a blank (or `|`).
    """
    found = pieces(line)
    typing = bool(found) and not line[-1].isspace() and found[-1][2] != "|"
    done, partial = (found[:-1], found[-1]) if typing else (found, None)
    walk = _Walk(mode, edit_path)
    words = [walk.take(*piece) for piece in done]
    slot = None if walk.failed else walk.slot()
    if partial is None:
        return Analysis(tuple(words), slot, "", len(line))
    if slot is None:
        words.append(Word(partial[0], partial[1], partial[2], FREE, False, partial[2]))
    else:
        words.append(walk.partial(*partial, slot))
    return Analysis(tuple(words), slot, partial[2], partial[0])
