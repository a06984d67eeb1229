"""The plain line mode: what automation clients (and dumb terminals) talk to.

A :class:`LineProtocol` turns the bytes a client types into commands for a
:class:`~nos_shell.session.Session` and returns the bytes to send back. It knows nothing
about its transport: the SSH server (nos_shell/shell/ssh.py) and the local stdin loop
(:func:`run_stdio`) both drive it.

What it guarantees (docs/ssh.md, "What automation clients need"):

- no escape sequences ever: typed characters are echoed as plain text, backspace as
  ``\\b \\b``, and escape sequences in command output are removed;
- every line ends with exactly the configured newline (``\\r\\n`` on SSH);
- the prompt (``vyos@r1:~$ `` / ``vyos@r1# ``) ends with one space, and in
  configuration mode the ``[edit ...]`` line comes right before it;
- CR, LF and CRLF each end one line (a CRLF is one Enter, also when split across reads);
- ``set terminal length N``, ``set terminal width N``, ``stty cols N`` (and ``rows``)
  are accepted silently in either mode;
- a handful of shell commands that clients send (``cat /proc/uptime``, optionally piped
  to ``awk '{print $N}'``) are answered here, never by a system shell; every other line
  goes to the session, which refuses what it does not know;
- bounded memory: a line longer than ``limits.MAX_LINE`` is discarded as it arrives and
  answered with one error; a command's output is cut at ``limits.MAX_OUTPUT``;
- with echo (a person at a terminal), ``?`` and Tab help and complete as VyOS's bash
  completion does, in plain text (linehelp.py); without echo they are ordinary keys.
"""
from __future__ import annotations

import codecs
import os
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from .. import __version__
from .limits import LINE_TOO_LONG, MAX_LINE, output_cut

if TYPE_CHECKING:
    from ..session import Session
    from .linehelp import LineHelp

#: Printed once when an SSH session starts. It must not contain ``$``, ``#`` or ``>``:
#: clients look for those to find the prompt.
BANNER = f"Welcome to nos-shell {__version__}, a VyOS-style router shell"

_TERMINAL = re.compile(r"\s*(?:set\s+terminal\s+(?:length|width|rows|columns)|terminal\s+(?:length|width)"
                       r"|stty\s+(?:cols|columns|rows))\s+\d+\s*")
_UPTIME = re.compile(r"\s*cat\s+/proc/uptime\s*(?:\|\s*awk\s+(?:'\{\s*print\s+\$(\d+)\s*\}'"
                     r"|\"\{\s*print\s+\$(\d+)\s*\}\")\s*)?")
_LINE_END = re.compile(r"[\r\n\x03\x15]")   # what ends skipping an over-long line
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-_])|[\x00-\x08\x0b-\x1f\x7f]")


def is_terminal_setting(line: str) -> bool:
    """`set terminal length 0` and friends: accepted and ignored (there is no pager)."""
    return _TERMINAL.fullmatch(line) is not None


def shell_compat(line: str) -> str | None:
    """The answer to a shell command clients send (napalm-vyos: ``cat /proc/uptime | awk
    '{print $1}'``), or None. Computed here: nothing ever reaches a system shell."""
    m = _UPTIME.fullmatch(line)
    if m is None:
        return None
    try:
        with open("/proc/uptime") as handle:
            fields = handle.read().split()
    except OSError:
        fields = ["0.00", "0.00"]
    column = m.group(1) or m.group(2)
    if column is None:
        return " ".join(fields) + "\n"
    index = int(column)
    if index == 0:
        return " ".join(fields) + "\n"
    return (fields[index - 1] if index <= len(fields) else "") + "\n"


def clean(text: str) -> str:
    """Remove escape sequences and control characters (tab and newline stay)."""
    return _ESCAPES.sub("", text)


class LineProtocol:
    """A plain line-mode shell over any byte stream: ``feed(bytes) -> bytes``.

    ``echo``: echo what is typed (SSH with or without a PTY: the client has no local echo;
    off for a local terminal, whose tty driver echoes). ``newline``: the line end written
    (``"\\r\\n"`` for SSH, ``"\\n"`` for local pipes). ``banner``: printed by :meth:`start`.
    ``runner``: how a line is run (default ``session.run``).
    """

    def __init__(self, session: "Session", *, echo: bool = True, newline: str = "\r\n",
                 banner: str | None = BANNER, encoding: str = "utf-8",
                 runner: Callable[[str], tuple[str, bool]] | None = None):
        self.session = session
        self.echo = echo
        self.newline = newline
        self.banner = banner
        self.encoding = encoding
        self._runner = runner
        self._decoder = codecs.getincrementaldecoder(encoding)("replace")
        self._line: list[str] = []
        self._after_cr = False
        self._escape = ""          # "", "esc", "csi" or "ss3": skipping an input escape sequence
        self._too_long = False     # the line passed MAX_LINE: dropped until it ends
        self._help: "LineHelp | None" = None   # `?` and Tab (linehelp.py), built when first used
        self._tabbed = False       # the last key was a Tab that had nothing to add
        self._literal = False      # Ctrl-V: the next `?` or Tab is typed as it is
        self.finished = False
        self.last_ok = True        # whether the last command succeeded

    # -- output --------------------------------------------------------------------------
    def _out(self, text: str) -> str:
        """Command output as sent: plain text, every line ended with ``newline``."""
        text = clean(output_cut(text).replace("\r\n", "\n").replace("\r", "\n"))
        if text and not text.endswith("\n"):
            text += "\n"
        return text.replace("\n", self.newline)

    def prompt(self) -> str:
        """The `[edit ...]` line in configuration mode, then the prompt (ending in one space)."""
        session = self.session
        head = session.edit_line + self.newline if session.mode == "conf" else ""
        return head + session.prompt

    def start(self) -> bytes:
        """What to send when the session opens: the banner, then the first prompt."""
        banner = self.banner + self.newline if self.banner else ""
        return (banner + self.prompt()).encode(self.encoding, "replace")

    # -- input ---------------------------------------------------------------------------
    def feed(self, data: bytes) -> bytes:
        """Take typed bytes, run every completed line, return what to send back."""
        out: list[str] = []
        text = self._decoder.decode(data)
        index = 0
        while index < len(text) and not self.finished:
            if self._too_long:              # skip the rest of an over-long line in one step
                end = _LINE_END.search(text, index)
                if end is None:
                    break
                index = end.start()
            out.append(self._char(text[index]))
            index += 1
        return "".join(out).encode(self.encoding, "replace")

    def eof(self, run_partial: bool = True) -> bytes:
        """The input ended: run a last unterminated line (unless ``run_partial`` is false:
        a dropped connection is no Enter), then finish."""
        out = ""
        rest = self._decoder.decode(b"", final=True)
        if rest and not self.finished:
            out += "".join(self._char(c) for c in rest)
        if self._line and not self.finished and run_partial:
            out += self._enter(prompt=False)
        elif not self.finished:
            out += self.newline
        self.finished = True
        return out.encode(self.encoding, "replace")

    def _char(self, char: str) -> str:
        after_cr, self._after_cr = self._after_cr, False
        tabbed, literal, self._tabbed, self._literal = self._tabbed, self._literal, False, False
        if self._escape:
            return self._skip_escape(char)
        if char == "\r":
            self._after_cr = True
            return self._enter()
        if char == "\n":
            return "" if after_cr else self._enter()
        if char == "\x1b":
            self._escape = "esc"
            return ""
        if char in "\x7f\x08":
            if not self._line:
                return ""
            self._line.pop()
            return "\b \b" if self.echo else ""
        if char == "\x15":                        # Ctrl-U: forget the line
            erased, self._line, self._too_long = len(self._line), [], False
            return "\b \b" * erased if self.echo else ""
        if char == "\x03":                        # Ctrl-C: abandon the line
            self._line, self._too_long = [], False
            return ("^C" if self.echo else "") + self.newline + self.prompt()
        if char == "\x04":                        # Ctrl-D on an empty line: log out
            if not self._line and self.session.mode == "op":
                self.finished = True
                return self.newline
            return ""
        if char == "\x17":                        # Ctrl-W: erase the word before the cursor
            return self._erase_word()
        if self.echo and not self._too_long:      # a person types: `?`, Tab, Ctrl-V
            keyed = self._help_key(char, tabbed, literal)
            if keyed is not None:
                return keyed
        if char == "\t":
            char = " "
        elif char < " ":
            return ""
        return self._insert(char)

    def _insert(self, text: str) -> str:
        if self._too_long:
            return ""
        if len(self._line) + len(text) > MAX_LINE:
            self._line, self._too_long = [], True
            return ""
        self._line.extend(text)
        return text if self.echo else ""

    def _erase_word(self) -> str:
        """Ctrl-W: the word before the cursor and the blanks after it (as readline does)."""
        end = len(self._line)
        while end and self._line[end - 1] == " ":
            end -= 1
        while end and self._line[end - 1] != " ":
            end -= 1
        erased, self._line = len(self._line) - end, self._line[:end]
        return "\b \b" * erased if self.echo else ""

    # -- `?` and Tab (only with echo: an interactive terminal; scripts never get them) ---
    def _help_key(self, char: str, tabbed: bool, literal: bool) -> str | None:
        """`?`, Tab and Ctrl-V; None for every other key. ``tabbed``: the key before was a
        Tab with nothing to add; ``literal``: the key before was Ctrl-V."""
        if char == "\x16":
            self._literal = True
            return ""
        if literal or char not in "?\t":
            return None
        line = "".join(self._line)
        try:
            from .linehelp import ESCAPED, HELP, LineHelp

            if self._help is None:
                self._help = LineHelp(self.session)
            if char == "?":
                action = self._help.question_mark(line)
                if action == ESCAPED:               # `\?`: a literal `?` instead of the backslash
                    self._line[-1] = "?"
                    return "\b?"
                return self._listing(line) if action == HELP else None
            completion = self._help.tab(line)
        except Exception as exc:  # a bug must not end the user's session
            from ..crashlog import internal_error

            error = internal_error(exc, self.session.store.root, "plain line mode").render()
            return self.newline + self._out(error) + self.session.prompt + line
        if completion is None:
            if tabbed or not line.strip():
                return self._listing(line)
            self._tabbed = True
            return ""
        remove, text = completion
        typed = line[len(line) - remove:]
        if text.startswith(typed):
            return self._insert(text[remove:])
        del self._line[len(line) - remove:]
        return "\b \b" * remove + self._insert(text)

    def _listing(self, line: str) -> str:
        """The `?` list below the line, then the prompt line and the typed text again."""
        assert self._help is not None
        return self.newline + self._out(self._help.listing(line)) + self.session.prompt + line

    def _skip_escape(self, char: str) -> str:
        if self._escape == "esc":
            self._escape = {"[": "csi", "O": "ss3"}.get(char, "")
        elif self._escape == "ss3" or "@" <= char <= "~":
            self._escape = ""
        return ""

    def _enter(self, prompt: bool = True) -> str:
        line, self._line = "".join(self._line), []
        out = self.newline if self.echo else ""
        if self._too_long:
            self._too_long, self.last_ok = False, False
            out += self._out(LINE_TOO_LONG)
        else:
            out += self._out(self.run_line(line))
            if self._help is not None:
                self._help.changed()
        if self.session.finished:
            self.finished = True
        elif prompt:
            out += self.prompt()
        return out

    # -- running -------------------------------------------------------------------------
    def run_line(self, line: str) -> str:
        """Run one line; returns its output (``\\n`` line ends)."""
        if not line.strip():
            self.last_ok = True
            return ""
        if is_terminal_setting(line):
            self.last_ok = True
            return ""
        answer = shell_compat(line)
        if answer is not None:
            self.last_ok = True
            return answer
        try:
            if self._runner is not None:
                output, self.last_ok = self._runner(line)
                return output
            result = self.session.run(line)
        except Exception as exc:  # a bug must not end the user's session
            from ..crashlog import internal_error

            self.last_ok = False
            return internal_error(exc, self.session.store.root, "plain line mode").render()
        self.last_ok = result.ok
        return result.output


def run_stdio(session: "Session", stdin_fd: int | None = None, stdout=None) -> int:
    """The local plain loop (no TTY, or a terminal that cannot host the full-screen editor).

    From a pipe nothing is echoed and lines end with ``\\n``. On a terminal (a dumb one, or
    the PTY sshd gives a ForceCommand) the line discipline is switched to character mode
    for the session: the protocol echoes and edits, so CR, LF and CRLF are one Enter here
    too (a cooked tty would turn a CRLF into two). Returns 0 at end of input or `exit`."""
    fd = sys.stdin.fileno() if stdin_fd is None else stdin_fd
    out = stdout or sys.stdout.buffer
    saved = _character_mode(fd)
    proto = LineProtocol(session, echo=saved is not None, newline="\n", banner=None)

    def write(data: bytes) -> None:
        if data:
            out.write(data)
            out.flush()

    try:
        write(proto.start())
        while not proto.finished:
            try:
                data = os.read(fd, 65536)
            except KeyboardInterrupt:
                write(proto.feed(b"\x03"))
                continue
            if not data:
                write(proto.eof())
                break
            write(proto.feed(data))
    finally:
        if saved is not None:
            import termios

            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
    return 0


def _character_mode(fd: int):
    """Put a terminal into character mode (no canonical editing, no echo, CR kept as CR;
    signals and output processing stay). Returns the settings to restore, or None."""
    if not os.isatty(fd):
        return None
    import termios

    try:
        saved = termios.tcgetattr(fd)
    except termios.error:
        return None
    mode = termios.tcgetattr(fd)
    mode[0] &= ~(termios.ICRNL | termios.INLCR | termios.IGNCR)
    mode[3] &= ~(termios.ICANON | termios.ECHO | termios.IEXTEN)
    mode[6][termios.VMIN] = 1
    mode[6][termios.VTIME] = 0
    termios.tcsetattr(fd, termios.TCSADRAIN, mode)
    return saved
