"""The plain line mode: what automation clients (and dumb terminals) talk to.

A :class:`LineProtocol` turns the bytes a client types into commands for a
:class:`~nos_shell.session.Session` and returns the bytes to send back. It knows nothing
about its transport: the SSH server (shell/sshsession.py) and the local stdin loop
(shell/stdio.py) both drive it; shell/compat.py answers clients' non-commands.

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

Streaming (``streams=True``, what the SSH server and the stdin loop use): a command
whose output comes over time (``ping``, nos_shell/streams.py) leaves :attr:`LineProtocol.stream`
set and :meth:`~LineProtocol.feed` returns at once; the transport writes each chunk
through :meth:`~LineProtocol.render` as it comes, calls :meth:`~LineProtocol.interrupt` for
Ctrl-C, and :meth:`~LineProtocol.finish_stream` when the stream has ended. Text typed
meanwhile is kept and run afterwards, in order. The bytes sent are the same as without
streaming, only sooner.
"""
from __future__ import annotations

import codecs
import re
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from .. import __version__
from ..commands import is_blank
from ..streams import Stream
from .compat import clean, is_terminal_setting, shell_compat
from .limits import LINE_TOO_LONG, MAX_LINE, MAX_OUTPUT, output_cut, truncated_note

if TYPE_CHECKING:
    from ..errors import NosError
    from ..session import Session
    from .linehelp import LineHelp

#: Printed once when an SSH session starts. It must not contain ``$``, ``#`` or ``>``:
#: clients look for those to find the prompt.
BANNER = f"Welcome to nos-shell {__version__}, a VyOS-style router shell"

_LINE_END = re.compile(r"[\r\n\x03\x15]")   # what ends skipping an over-long line


class LineProtocol:
    """A plain line-mode shell over any byte stream: ``feed(bytes) -> bytes``.

    ``echo``: echo what is typed (SSH with or without a PTY: the client has no local echo;
    off for a local terminal, whose tty driver echoes). ``newline``: the line end written
    (``"\\r\\n"`` for SSH, ``"\\n"`` for local pipes). ``banner``: printed by :meth:`start`.
    ``runner``: how a line is run (default ``session.run``). ``streams``: let commands
    stream their output (module doc); otherwise it is collected first.
    """

    def __init__(self, session: "Session", *, echo: bool = True, newline: str = "\r\n",
                 banner: str | None = BANNER, encoding: str = "utf-8",
                 runner: Callable[[str], tuple[str, bool]] | None = None, streams: bool = False):
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
        self.streams = streams
        self.stream: Stream | None = None   # the running command's output, still coming
        self._held = ""            # text typed after a streaming command's line: run after it
        self._prompt_after = True
        self._lock = threading.RLock()     # interrupt() may come from a signal handler
        self._interrupt_due = False  # Ctrl-C came while this line was being started
        self._echo_due = ""        # "^C", written before the next output
        self._sent = 0             # characters of the stream's output sent
        self._cr = False           # the stream's last chunk ended with CR
        self._at_line_start = True

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
        text = self._decoder.decode(data)
        if self.stream is not None:            # typed while a command streams: keep it
            self._held += text
            return b""
        return self._process(text).encode(self.encoding, "replace")

    def _process(self, text: str) -> str:
        """Run the characters of ``text``; stop after a line that starts a stream (the
        rest is held until :meth:`finish_stream`)."""
        out: list[str] = []
        index = 0
        while index < len(text) and not self.finished:
            if self.stream is not None:
                self._held = text[index:] + self._held
                break
            if self._too_long:              # skip the rest of an over-long line in one step
                end = _LINE_END.search(text, index)
                if end is None:
                    break
                index = end.start()
            out.append(self._char(text[index]))
            index += 1
        return "".join(out)

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
        if self.stream is None:        # else finish_stream() finishes
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
            output = self._run(line)
            if self._help is not None:
                self._help.changed()
            if isinstance(output, Stream):
                self._start_stream(output, prompt)
                return out
            out += self._out(output)
        if self.session.finished:
            self.finished = True
        elif prompt:
            out += self.prompt()
        return out

    # -- streaming ---------------------------------------------------------------------------
    def _start_stream(self, stream: Stream, prompt: bool) -> None:
        with self._lock:
            self.stream, self._prompt_after = stream, prompt
            self._sent, self._cr, self._at_line_start = 0, False, True
            if self._interrupt_due:
                stream.cancel()

    def interrupt(self) -> None:
        """Ctrl-C while a command runs (any thread): stop its stream; ``^C`` is echoed
        before what the program prints next. A command that does not stream (a commit)
        is not interrupted."""
        with self._lock:
            self._interrupt_due = True
            if self.stream is not None and not self.stream.cancelled:
                self.stream.cancel()
                if self.echo:
                    self._echo_due = "^C"

    def render(self, chunk: str) -> bytes:
        """A chunk of the running stream as sent: like :meth:`_out`, and cut (the program
        stopped) past ``limits.MAX_OUTPUT``."""
        with self._lock:
            echo, self._echo_due = self._echo_due, ""
        if self._sent > MAX_OUTPUT:          # cut already: the program is being stopped
            return echo.encode(self.encoding, "replace")
        text = ("\r" if self._cr else "") + chunk
        self._cr = text.endswith("\r")
        if self._cr:
            text = text[:-1]
        room = MAX_OUTPUT - self._sent
        self._sent += len(text)
        if self._sent > MAX_OUTPUT:
            text = text[:text.rfind("\n", 0, room) + 1] + truncated_note()
            if self.stream is not None:
                self.stream.cancel()
        text = clean(text.replace("\r\n", "\n").replace("\r", "\n"))
        if text:
            self._at_line_start = text.endswith("\n")
        return (echo + text.replace("\n", self.newline)).encode(self.encoding, "replace")

    def finish_stream(self, error: "NosError | None" = None) -> bytes:
        """The running stream has ended (``error``: how it failed): end its output, show
        the prompt, then run what was typed meanwhile (which may start another stream)."""
        with self._lock:
            echo, self._echo_due = self._echo_due, ""
            self.stream, self._interrupt_due = None, False
        out = ("\n" if self._cr else "") + echo
        self._cr = False
        if out:
            self._at_line_start = out.endswith("\n")
        if not self._at_line_start:
            out += "\n"
        out = out.replace("\n", self.newline)
        self.last_ok = error is None
        if error is not None:
            out += self._out(error.render())
        if self.session.finished or not self._prompt_after:
            self.finished = True
        else:
            out += self.prompt()
        held, self._held = self._held, ""
        if held and not self.finished:
            out += self._process(held)
        return out.encode(self.encoding, "replace")

    # -- running -------------------------------------------------------------------------
    def _run(self, line: str) -> "str | Stream":
        """Run one line: its output, or the Stream of a streaming command."""
        with self._lock:
            self._interrupt_due = False
        if not self.streams or self._runner is not None:
            return self.run_line(line)
        answer = self._answer(line)
        if answer is not None:
            return answer
        try:
            result = self.session.run(line, stream=True)
        except Exception as exc:  # a bug must not end the user's session
            from ..crashlog import internal_error

            self.last_ok = False
            return internal_error(exc, self.session.store.root, "plain line mode").render()
        self.last_ok = result.ok
        return result.stream if result.stream is not None else result.output

    def _answer(self, line: str) -> str | None:
        """The output of a line answered here (blank, terminal settings, shell compat)."""
        answer = "" if is_blank(line) or is_terminal_setting(line) else shell_compat(line)
        if answer is not None:
            self.last_ok = True
        return answer

    def run_line(self, line: str) -> str:
        """Run one line; returns its output (``\\n`` line ends)."""
        answer = self._answer(line)
        if answer is not None:
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
