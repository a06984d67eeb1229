"""`?` help (and double Tab): what may come next, VyOS style.

```
Possible completions:
   <Enter>      Execute the current command
+  address      IP address
   description  Description
 > ip           IPv4 routing parameters
+> vif          Virtual Local Area Network (VLAN) ID
```

``<Enter>`` is listed when the line is already a complete command; placeholders come
from the value types of the schema, names and words from the completers. Where the word
is a configuration path word, a three-character column marks what each row is, as
VyOS's configuration-mode completion does: ``+>`` a tag node (named entries), `` >`` a
node with settings below it (a container, or a key of a tag node), ``+ `` a leaf that
takes several values, blank otherwise. Command words and operational mode have no column.
"""
from __future__ import annotations

from prompt_toolkit.completion import Completer

from ..schema import Kind
from .completer import build_completer, completions
from .context import FREE, KEYWORD, Analysis, Slot
from .state import ShellState

ENTER = ("<Enter>", "Execute the current command")

# placeholders of free words that are not configuration paths
_FREE_PLACEHOLDERS = {
    "revision": ("<N>", "Revision number"),
    "file": ("<file>", "File name"),
    "text": ("<text>", "Text"),
    "regex": ("<regex>", "Regular expression"),
    "host": ("<host>", "Host name or IP address"),
    "address": ("<x.x.x.x>", "Source address"),
    "neighbor": ("<x.x.x.x>", "BGP neighbor address"),
    "prefix": ("<x.x.x.x/x>", "Prefix or address"),
    "number": ("<N>", "Number"),
    "interface": ("<name>", "Interface name"),
}


def can_end(analysis: Analysis) -> bool:
    """Would Enter run the line as typed (before the word being typed)?"""
    slot = analysis.slot
    if slot is None or analysis.partial or analysis.invalid or not slot.may_end:
        return False
    if slot.free != "path" or slot.path is None:
        return True
    command = slot.command[0] if slot.command else ""
    if command == "set":
        return slot.path.expect in ("child", "end") and slot.path_words > 0
    if command == "edit":
        return slot.path.expect == "child"
    return True


def placeholders(slot: Slot) -> list[tuple[str, str]]:
    """Rows for values the user types (not offered as completions)."""
    if slot.free is None:
        return []
    if slot.free != "path":
        return [_FREE_PLACEHOLDERS.get(slot.free, ("<text>", "Text"))]
    state = slot.path
    if state is None or state.expect not in ("key", "value") or state.node.type is None:
        return []
    words = set(state.node.type.choices())
    return [(name, text) for name, text in state.node.type.describe() if name not in words]


def help_rows(state: ShellState, text: str, completer: Completer | None = None) -> list[tuple[str, str]]:
    """(name, help) rows for ``text``, the line before the cursor."""
    analysis = state.analyze(text)
    slot = analysis.slot
    if slot is None:
        return []
    rows: list[tuple[str, str]] = [ENTER] if can_end(analysis) else []
    rows += placeholders(slot)
    seen = {name for name, _ in rows}
    for completion in completions(completer or build_completer(state), text):
        name = completion.display_text
        if name not in seen:
            seen.add(name)
            rows.append((name, completion.display_meta_text))
    if "|" in slot.keywords and not analysis.partial and _pipes_useful(slot):
        rows.append(("|", "Pipe the output through a filter"))
    return rows


def _pipes_useful(slot: Slot) -> bool:
    return slot.mode == "op" or bool(slot.command) and slot.command[0] in ("show", "compare")


_KIND_MARKS = {Kind.TAG: "+>", Kind.CONTAINER: " >", Kind.MULTI: "+ "}


def markers(slot: Slot | None, rows: list[tuple[str, str]]) -> list[str] | None:
    """VyOS's node-type column for the rows of a configuration path word, else None."""
    if slot is None or slot.free != "path" or slot.path is None:
        return None
    state, marks = slot.path, []
    for name, _ in rows:
        mark = "  "
        if name not in slot.keywords and name != ENTER[0]:
            if state.expect == "child" and name in state.node.children:
                mark = _KIND_MARKS.get(state.node.children[name].kind, "  ")
            elif state.expect == "key":
                mark = " >"
        marks.append(mark)
    return marks


def format_rows(rows: list[tuple[str, str]], marks: list[str] | None = None) -> str:
    """Aligned rows; with ``marks``, each row starts with its marker column."""
    width = max(len(name) for name, _ in rows)
    heads = [mark + " " for mark in marks] if marks is not None else ["  "] * len(rows)
    return "".join(f"{head}{name:<{width}}  {text}".rstrip() + "\n"
                   for head, (name, text) in zip(heads, rows))


def refusal(analysis: Analysis) -> str:
    """Why nothing can follow: the first refused word, in the shell's error words."""
    bad = next((w for w in analysis.words if w.ok is False), None)
    if bad is None:
        return "  No possible completions\n"
    before = [w.text for w in analysis.words if w.start < bad.start]
    from ..errors import bound_line     # a pasted 2,000-character word: elided, as in errors

    if bad.role in (KEYWORD, FREE):
        shown = " ".join(before)
        return "  " + bound_line(f"Invalid command: {shown + ' ' if shown else ''}[{bad.raw}]") + "\n"
    path = [w.text for w in analysis.words if w.role not in (KEYWORD, FREE) and w.start <= bad.start]
    return "  " + bound_line(f"Configuration path: [{' '.join(path)}] is not valid") + "\n"


def possible_completions(state: ShellState, text: str, completer: Completer | None = None) -> str:
    """The text `?` prints for the line ``text`` (the part before the cursor)."""
    rows = help_rows(state, text, completer)
    analysis = state.analyze(text)
    if not rows:
        return "\n" + refusal(analysis) + "\n"
    return "Possible completions:\n" + format_rows(rows, markers(analysis.slot, rows))
