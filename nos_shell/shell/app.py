"""The interactive shell for people at a terminal, built on prompt_toolkit.

``await run_app(session)`` runs it over the current prompt_toolkit input and output, or
over explicit ones (``run_app(session, input=..., output=...)``), so an SSH session with a
real terminal can use it as well. ``run_terminal(session)`` runs it on this process's
terminal (what ``nos-shell`` does when stdin and stdout are terminals).

Per prompt: in configuration mode the ``[edit ...]`` line, then ``USER@HOST# `` (or
``USER@HOST:~$ ``); the line is highlighted as it is typed (lexer.py), Tab and ``?``
complete and explain it (completer.py, help.py, keys.py), the bottom toolbar counts
uncommitted changes (toolbar.py) and accepted lines go to the user's history file
(history.py). Ctrl-C cancels the line, Ctrl-D on an empty line acts like ``exit``.

Commands that run a program (``ping``) write their output as it comes
(:meth:`InteractiveShell.show_stream`); Ctrl-C stops the program (SIGINT on a local
terminal; :meth:`InteractiveShell.interrupt` over SSH), shows what it prints then and
returns to the prompt.

A paste runs one command per line (paste.py): the lines after the first, and complete
lines typed ahead of the shell, are echoed after the prompt and run without starting the
line editor for each; they are not paged.
"""
from __future__ import annotations

import asyncio
import functools

from prompt_toolkit import PromptSession
from prompt_toolkit.completion import ThreadedCompleter
from prompt_toolkit.formatted_text import ANSI
from prompt_toolkit.history import History, InMemoryHistory
from prompt_toolkit.input import Input
from prompt_toolkit.input.typeahead import get_typeahead, store_typeahead
from prompt_toolkit.output import Output
from prompt_toolkit.styles import Style

from ..commands import CONF
from ..interrupts import interruptible, shell_sigint
from ..streams import Stream, as_error, write_stream
from ..tables import TableText
from .completer import build_completer
from .history import open_history
from .keys import shell_bindings
from .elide import ElideEntered
from .lexer import STYLES as LEXER_STYLES
from .lexer import CommandLexer
from .output import STYLES as OUTPUT_STYLES
from .output import coloured, shows_differences, write
from .pager import page, page_size
from .paste import LineQueue, runs_nothing, take_lines
from .tables import render as render_table
from .state import ShellState, settle_garbage
from .toolbar import ChangeCounter, make_toolbar, toolbar_text

STYLE = Style.from_dict({**LEXER_STYLES, **OUTPUT_STYLES})

#: Printed when the interactive shell starts (never in the plain mode clients use).
WELCOME = "Welcome to nos-shell {version}; type '?' for help, Tab to complete\n"


class InteractiveShell:
    """The prompt loop around one session."""

    def __init__(self, state: ShellState, input: Input | None = None, output: Output | None = None, *,
                 history: History | None = None, complete_while_typing: bool = False,
                 run_in_thread: bool = True, welcome: bool = True):
        self.state = state
        self.welcome = welcome
        self.run_in_thread = run_in_thread
        self.running: Stream | None = None    # the streaming command being shown
        self.lines = LineQueue()
        self.queued = False         # the line running came from the queue (no pager)
        completer = build_completer(state)
        self.counter = ChangeCounter(state, on_update=self._redraw)
        self.toolbar = make_toolbar(state, self.counter)
        self.prompt = PromptSession(
            input=input, output=output,
            history=history if history is not None else InMemoryHistory(),
            completer=ThreadedCompleter(completer),
            complete_while_typing=complete_while_typing,
            reserve_space_for_menu=8 if complete_while_typing else 0,
            lexer=CommandLexer(state),
            style=STYLE, include_default_pygments_style=False,
            key_bindings=shell_bindings(state, completer, self.lines),
            input_processors=[ElideEntered()],     # a long accepted line: head and length
        )

    @property
    def output(self) -> Output:
        return self.prompt.output

    def _redraw(self) -> None:
        app = self.prompt.app
        if app.is_running:
            try:
                app.invalidate()
            except RuntimeError:    # the prompt ended meanwhile (this runs in the counter's thread)
                pass

    def _rprompt(self) -> list[tuple[str, str]]:
        """Where the terminal does not report the cursor position (no CPR), prompt_toolkit
        cannot place a bottom toolbar; the change count goes to the right of the line."""
        if self.prompt.app.renderer.height_is_known or not self.counter.value():
            return []
        return [("class:rprompt", toolbar_text(self.state, self.counter))]

    def _queued_line(self) -> str | None:
        """The next pasted or typed-ahead line, echoed after its prompt as if typed."""
        if not self.lines and not self.lines.tail:
            found, rest = take_lines(get_typeahead(self.prompt.input))
            store_typeahead(self.prompt.input, rest)
            self.lines.typed(found)
        line = self.lines.next()
        if line is None:
            return None
        session = self.state.session
        head = session.edit_line + "\n" if session.mode == CONF else ""
        write(self.output, head + session.prompt + line + "\n")
        if self.prompt.history is not None and line.strip():
            self.prompt.history.append_string(line)
        return line

    async def read_line(self) -> str | None:
        """One line from the user; None when the input is gone."""
        session = self.state.session
        line = self._queued_line()
        self.queued = line is not None
        if line is not None:
            return line
        while True:
            if session.mode == CONF:
                write(self.output, session.edit_line + "\n")
            self.prompt.bottom_toolbar = self.toolbar if session.mode == CONF else None
            self.prompt.rprompt = self._rprompt if session.mode == CONF else None
            try:
                return await self.prompt.prompt_async(session.prompt, default=self.lines.take_tail())
            except KeyboardInterrupt:
                continue
            except EOFError:
                if self.prompt.input.closed:
                    return None
                return "exit"

    async def execute(self, line: str) -> bool:
        """Run one line and show its output; whether it succeeded."""
        if (self.queued or self.lines.current_pasted) and runs_nothing(line):
            return True
        analysis = self.state.analyze(line.rstrip() + " ")
        slot = analysis.slot
        pipes = tuple(after.text for before, after in zip(analysis.words, analysis.words[1:])
                      if before.text == "|")
        differences = slot is not None and shows_differences(slot.mode, slot.command, pipes)
        if self.run_in_thread:
            result = await asyncio.get_running_loop().run_in_executor(
                None, functools.partial(self.state.run, line, stream=True))
        else:
            try:
                with interruptible():
                    result = self.state.run(line, stream=True)
            except KeyboardInterrupt:
                write(self.output, "^C\n")
                return False
        if result.stream is not None:
            await self.show_stream(result.stream)
            return result.ok
        if not self.lines:          # not between the lines of a paste: 50 ms each
            settle_garbage()
        text = coloured(result.output) if result.ok and differences else result.output
        if result.ok and isinstance(result.output, TableText) and result.output.tables:
            text = ANSI(render_table(result.output, self.output.get_size().columns))
        session = self.state.session
        size = 0 if "no-more" in pipes or self.queued else page_size(self.output, session.terminal.get("length"))
        await page(text, size, self.output, self.prompt.input, STYLE)
        return result.ok

    async def show_stream(self, stream: Stream) -> None:
        """Write a streaming command's output as it comes (never paged), then its error."""
        from .relay import relay

        ended_line = True
        echo_due = False        # a local Ctrl-C: "^C" before the next output (the terminal's
                                # own echo is off while the shell runs: paste.quiet_input)

        def cancel() -> None:   # from the SIGINT handler: only flags, then stops the program
            nonlocal echo_due
            echo_due = True
            stream.cancel()

        def show(chunk: str) -> None:
            nonlocal ended_line, echo_due
            if echo_due:
                echo_due = False
                write(self.output, "^C")
            write(self.output, chunk)
            ended_line = chunk.endswith("\n")

        async def show_async(chunk: str) -> None:
            show(chunk)

        self.running = stream
        try:
            if self.run_in_thread:
                loop = asyncio.get_running_loop()
                error = await relay(stream, show_async, lambda work: loop.run_in_executor(None, work))
            else:   # the main thread: a terminal's Ctrl-C (SIGINT) cancels the stream
                error = write_stream(stream, show, cancel)
        finally:
            self.running = None
            self.state.changed()
        tail = "" if ended_line else "\n"
        problem = as_error(error, self.state.session.store.root)
        write(self.output, tail + (problem.render() if problem is not None else ""))

    def resized(self) -> None:
        """The terminal changed size (an SSH window-change): draw the prompt again from
        scratch, as prompt_toolkit does on SIGWINCH for a local terminal."""
        app = self.prompt.app
        if app.is_running:
            app.renderer.erase(leave_alternate_screen=False)
            app.invalidate()

    def interrupt(self) -> bool:
        """Ctrl-C from a remote client: stop the running stream (True), if there is one."""
        stream = self.running
        if stream is None or stream.cancelled:
            return False
        stream.cancel()
        write(self.output, "^C")
        return True

    async def run(self) -> int:
        session = self.state.session
        if self.welcome:
            from .. import __version__

            write(self.output, WELCOME.format(version=__version__))
        while not session.finished:
            line = await self.read_line()
            if line is None:
                break
            ok = await self.execute(line)
            write(self.output, self.lines.done(ok))
        return 0


def make_shell(session, input: Input | None = None, output: Output | None = None, *,
               history: bool = True, complete_while_typing: bool = False,
               run_in_thread: bool = True, welcome: bool = True) -> InteractiveShell:
    return InteractiveShell(ShellState(session), input, output,
                            history=open_history(session) if history else None,
                            complete_while_typing=complete_while_typing,
                            run_in_thread=run_in_thread, welcome=welcome)


async def run_app(session, input: Input | None = None, output: Output | None = None, *,
                  history: bool = True, complete_while_typing: bool = False,
                  run_in_thread: bool = True, welcome: bool = True) -> int:
    """Run the interactive shell for ``session`` until it ends; returns the exit status.

    ``input``/``output`` default to those of the current prompt_toolkit app session (the
    terminal, or the SSH channel inside prompt_toolkit's SSH server). Commands run in a
    worker thread unless ``run_in_thread`` is false, so other sessions on the same event
    loop keep going during a long commit.
    """
    shell = make_shell(session, input, output, history=history,
                       complete_while_typing=complete_while_typing, run_in_thread=run_in_thread,
                       welcome=welcome)
    return await shell.run()


def run_terminal(session) -> int:
    """The shell on this process's terminal. Commands run in the main thread, so Ctrl-C
    (SIGINT while no prompt is shown) interrupts a running command or stops a streaming
    one (nos_shell/interrupts.py), never the shell."""
    import sys

    from .paste import quiet_input

    loop = asyncio.new_event_loop()
    try:
        with shell_sigint(), quiet_input(sys.stdin.fileno()):   # typed ahead: echoed once
            return loop.run_until_complete(run_app(session, run_in_thread=False))
    finally:
        loop.close()
