"""Writing command output to a prompt_toolkit output, with differences in colour.

`compare` (and `show` in configuration mode, which marks changes in column 0) is shown
with added lines green, removed lines red and changed lines yellow; `compare commands`
colours `set` lines green and `delete` lines red. Everything else is written as is.
"""
from __future__ import annotations

from prompt_toolkit import print_formatted_text
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.output import Output
from prompt_toolkit.styles import Style

STYLES = {
    "diff.added": "ansigreen",
    "diff.removed": "ansired",
    "diff.changed": "ansiyellow",
    "diff.header": "bold",
}

_MARKS = {"+": "class:diff.added", "-": "class:diff.removed", ">": "class:diff.changed"}


def shows_differences(mode: str, command: tuple[str, ...], pipes: tuple[str, ...] = ()) -> bool:
    """Does the output of ``command`` (keywords, expanded; ``pipes`` the filter words after
    `|`) mark differences? `show | commands` lists `set` lines, not differences."""
    if not command:
        return False
    if command[0] == "compare":
        return True
    return mode == "conf" and command[0] == "show" and "commands" not in pipes


def line_style(line: str) -> str:
    if line[:1] in _MARKS:
        return _MARKS[line[0]]
    if line.startswith("set "):
        return "class:diff.added"
    if line.startswith("delete "):
        return "class:diff.removed"
    if line.startswith("[") and line.endswith("]"):
        return "class:diff.header"
    return ""


def coloured(text: str) -> FormattedText:
    """Fragments for a difference listing, one per line."""
    fragments: list[tuple[str, str]] = []
    for line in text.splitlines(keepends=True):
        fragments.append((line_style(line.rstrip("\n")), line))
    return FormattedText(fragments)


def write(output: Output, text: str | FormattedText, style: Style | None = None) -> None:
    """Write ``text`` (plain or formatted) to ``output`` as it is, then flush."""
    if not text:
        return
    if isinstance(text, str):   # what print_formatted_text does, without merging styles (3 ms)
        output.reset_attributes()
        output.enable_autowrap()
        output.write(text.replace("\r", "").replace("\n", "\r\n"))
        output.reset_attributes()
        output.flush()
        return
    print_formatted_text(text, end="", output=output, style=style)
