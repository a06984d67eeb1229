"""Paging long output at a terminal, as VyOS does: a screenful, then `--More--`.

Space shows the next screen, Enter one more line, `q` (or Ctrl-C) stops. Any other key
stops too and is kept as the first key of the next line (typing `commit` at `--More--`
runs `commit`, as with `less -E`). `| no-more` and
`set terminal length 0` switch paging off; `set terminal length N` pages by N lines. The
plain line mode used by automation clients never pages.
"""
from __future__ import annotations

from prompt_toolkit.application import Application
from prompt_toolkit.formatted_text import AnyFormattedText, FormattedText, to_formatted_text
from prompt_toolkit.input import Input
from prompt_toolkit.input.typeahead import store_typeahead
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.layout import Layout, Window
from prompt_toolkit.layout.controls import FormattedTextControl
from prompt_toolkit.output import Output
from prompt_toolkit.styles import Style

from .output import write

MORE = "--More-- (space: next page, enter: next line, q: quit)"


def page_size(output: Output, length_setting: int | None) -> int:
    """Lines per page: the `terminal length` setting, else the terminal's height less one."""
    if length_setting is not None:
        return length_setting
    try:
        rows = output.get_size().rows
    except Exception:  # some outputs cannot tell; then do not page
        return 0
    return max(rows - 1, 0)


def _more_keys() -> KeyBindings:
    keys = KeyBindings()

    @keys.add(" ")
    def _(event) -> None:
        event.app.exit(result="page")

    @keys.add("enter")
    def _(event) -> None:
        event.app.exit(result="line")

    for quit_key in ("q", "Q", "c-c", "c-d"):
        keys.add(quit_key)(lambda event: event.app.exit(result="quit"))

    @keys.add("<any>")
    def _(event) -> None:
        # kept for the next prompt; the app stores the keys after it when it exits
        store_typeahead(event.app.input, list(event.key_sequence))
        event.app.exit(result="quit")

    return keys


async def _ask(input: Input | None, output: Output | None) -> str:
    app: Application[str] = Application(
        layout=Layout(Window(FormattedTextControl([("reverse", MORE)]), height=1)),
        key_bindings=_more_keys(), full_screen=False, erase_when_done=True,
        input=input, output=output)
    return await app.run_async()


async def page(text: AnyFormattedText, size: int, output: Output, input: Input | None = None,
               style: Style | None = None) -> None:
    """Write ``text`` a page at a time (all at once when it fits or ``size`` is 0)."""
    lines = _lines(text)
    if size <= 0 or len(lines) <= size:
        write(output, text, style)
        return
    shown, step = 0, size
    while shown < len(lines):
        write(output, FormattedText([frag for line in lines[shown:shown + step] for frag in line]), style)
        shown += step
        if shown >= len(lines):
            break
        answer = await _ask(input, output)
        if answer == "quit":
            break
        step = 1 if answer == "line" else size


def _lines(text: AnyFormattedText) -> list[list[tuple[str, str]]]:
    """The text split into lines of (style, text) fragments, line ends kept."""
    fragments = [("", text)] if isinstance(text, str) else [(f[0], f[1]) for f in to_formatted_text(text)]
    lines: list[list[tuple[str, str]]] = [[]]
    for style, chunk in fragments:
        for piece in chunk.splitlines(keepends=True):
            lines[-1].append((style, piece))
            if piece.endswith("\n"):
                lines.append([])
    return [line for line in lines if line]
