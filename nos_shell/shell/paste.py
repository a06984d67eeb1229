"""Pasted blocks and typed-ahead lines: one command per line, in order, as if typed.

A terminal marks a paste (bracketed paste, ``ESC[200~ ... ESC[201~``); prompt_toolkit hands
it to one key binding as a single string. :class:`LineQueue` splits it into lines: the
first completes the line being edited and is accepted through the editor as if Enter had
been pressed, the others wait here and the shell loop runs them one by one without
starting the line editor for each (echoing the prompt and the line, then the output).
The first failure ends the block with :func:`failure_message`; a last line without a line
end is left in the editor, as a terminal would leave it.

Keys typed faster than the shell runs them (a paste into a terminal without bracketed
paste) reach the next prompt as typeahead; :func:`take_lines` moves the complete plain
lines at its front into the queue too, so they also skip one editor start per line. Such
lines run as typed: a failure does not stop the ones after it.
"""
from __future__ import annotations

import contextlib
import os
from collections import deque
from collections.abc import Iterator

from prompt_toolkit.key_binding import KeyPress
from prompt_toolkit.keys import Keys

from ..commands import is_blank

_ENTER = (Keys.ControlM, Keys.ControlJ)


def paste_lines(data: str) -> list[str]:
    """A paste split on its line ends (CR, LF, CRLF); the last item is what follows the
    last line end ('' when the paste ends with one)."""
    return data.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def failure_message(number: int, total: int) -> str:
    """What is said when pasted line ``number`` of ``total`` failed."""
    rest = total - number
    if rest == 0:
        return f"Pasted line {number} of {total} failed\n"
    lines = "line was" if rest == 1 else "lines were"
    return f"Pasted line {number} of {total} failed; the remaining {rest} {lines} not run\n"


def is_plain(key: KeyPress) -> bool:
    """A key that only inserts its character (no completion, help or editing)."""
    return len(key.key) == 1 and key.key == key.data and key.key.isprintable() and key.key != "?"


def take_lines(keys: list[KeyPress]) -> tuple[list[str], list[KeyPress]]:
    """The complete lines of plain keys at the front of ``keys``, and the keys left over
    (from the first key that is not plain, or the start of an unfinished line)."""
    lines: list[str] = []
    current: list[str] = []
    used = 0
    for index, key in enumerate(keys):
        if key.key in _ENTER:
            if key.key == Keys.ControlJ and not current and index and keys[index - 1].key == Keys.ControlM:
                used = index + 1          # the LF of a CRLF: one Enter
                continue
            lines.append("".join(current))
            current, used = [], index + 1
        elif is_plain(key):
            current.append(key.data)
        else:
            break
    return lines, keys[used:]


def runs_nothing(line: str) -> bool:
    """Blank lines and `#` comments in a paste are echoed, not run (as in a command file)."""
    return is_blank(line)


class LineQueue:
    """Lines waiting to run, and the pasted block they belong to (for its line numbers)."""

    def __init__(self) -> None:
        self._lines: deque[tuple[str, bool]] = deque()   # (line, from a bracketed paste)
        self.tail = ""              # what the editor shows once the queue is empty
        self.total = 0              # lines of the current pasted block (0: none)
        self.number = 0             # the block's line running now
        self.current_pasted = False

    def __bool__(self) -> bool:
        return bool(self._lines)

    def paste(self, before: str, data: str, after: str) -> str | None:
        """A paste into a line holding ``before`` + cursor + ``after``: the first line to
        accept now, or None when the paste has no line end (it is then typed as it is)."""
        pieces = paste_lines(data)
        if len(pieces) == 1:
            return None
        *complete, tail = pieces
        complete[0] = before + complete[0] + after
        self.total, self.number, self.current_pasted = len(complete), 1, True
        self._lines.extend((line, True) for line in complete[1:])
        self.tail = tail
        return complete[0]

    def typed(self, lines: list[str]) -> None:
        """Complete lines typed ahead: run like typed lines (no stop on failure)."""
        self._lines.extend((line, False) for line in lines)

    def next(self) -> str | None:
        """The next line to run, or None."""
        if not self._lines:
            self.current_pasted = False
            return None
        line, pasted = self._lines.popleft()
        self.current_pasted = pasted
        if pasted:
            self.number += 1
        return line

    def done(self, ok: bool) -> str:
        """The line that ran succeeded or not: the message to show ('' for none). A failed
        pasted line drops the rest of its block."""
        if not self.current_pasted:
            return ""
        single = self.total == 1
        if ok:
            if not any(pasted for _, pasted in self._lines):
                self.total = self.number = 0
            return ""
        message = "" if single else failure_message(self.number, self.total)
        self._lines = deque(item for item in self._lines if not item[1])
        self.tail, self.total, self.number, self.current_pasted = "", 0, 0, False
        return message

    def take_tail(self) -> str:
        tail, self.tail = self.tail, ""
        return tail


@contextlib.contextmanager
def quiet_input(fd: int) -> Iterator[None]:
    """Between prompts, keys typed ahead are neither echoed nor line-buffered by the
    terminal (the shell echoes them when it runs them); Ctrl-C still sends SIGINT."""
    import termios

    try:
        saved = termios.tcgetattr(fd) if os.isatty(fd) else None
    except termios.error:
        saved = None
    if saved is None:
        yield
        return
    mode = termios.tcgetattr(fd)
    mode[0] &= ~(termios.ICRNL | termios.INLCR | termios.IGNCR)
    mode[3] &= ~(termios.ICANON | termios.ECHO | termios.IEXTEN)
    mode[6][termios.VMIN], mode[6][termios.VTIME] = 1, 0
    termios.tcsetattr(fd, termios.TCSANOW, mode)
    try:
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
