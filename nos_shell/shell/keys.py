"""Key bindings of the interactive shell (a factory, ptpython style).

- ``?`` prints the possible completions and leaves the line as it was (inside an open
  quote it is typed like any other character; right after a backslash it replaces the
  backslash: linehelp.question_mark, the rule the plain line mode follows too);
- Tab completes the word: a single candidate is inserted with a blank after it, several
  are reduced to their common prefix; with nothing to add, a second Tab lists them like ``?``
  (the first already does when no word has been started, e.g. on an empty prompt);
- a bracketed paste with line ends runs as one command per line (paste.py): its first
  line completes the line being edited and is accepted, the others wait in the queue;
- Ctrl-C (cancel the line) and Ctrl-D (on an empty line: end, like ``exit``) keep
  prompt_toolkit's defaults: they reach the shell loop as KeyboardInterrupt / EOFError.
"""
from __future__ import annotations

from prompt_toolkit.application import Application, run_in_terminal
from prompt_toolkit.application.current import get_app
from prompt_toolkit.completion import Completer
from prompt_toolkit.document import Document
from prompt_toolkit.enums import DEFAULT_BUFFER
from prompt_toolkit.filters import Condition
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.keys import Keys

from .help import possible_completions
from .linehelp import ESCAPED, INSERT, question_mark, tab_completion
from .output import write
from .paste import LineQueue
from .state import ShellState


def in_open_quote(text: str, state: ShellState) -> bool:
    return question_mark(state, text) == INSERT


def show_help(app: Application, state: ShellState, completer: Completer, text: str) -> None:
    """Print the `?` list below the line; the prompt comes back with the line unchanged."""
    listing = possible_completions(state, text, completer)

    def emit() -> None:
        write(app.output, listing)

    run_in_terminal(emit, render_cli_done=True)


def complete_word(event: KeyPressEvent, state: ShellState, completer: Completer) -> None:
    buffer = event.current_buffer
    if buffer.complete_state is not None:       # a completion menu is open: move in it
        buffer.complete_next()
        return
    text = buffer.document.text_before_cursor
    completion = tab_completion(state, completer, text)
    if completion is not None:
        buffer.delete_before_cursor(completion[0])
        buffer.insert_text(completion[1])
        return
    if event.is_repeat or not state.analyze(text).partial:   # no word started: list at once
        show_help(event.app, state, completer, text)
    else:
        event.app.output.bell()


def paste(event: KeyPressEvent, lines: LineQueue) -> None:
    """A bracketed paste: with line ends, its first line is accepted now and the rest
    queued; without, it is inserted like typed text."""
    buffer = event.current_buffer
    document = buffer.document
    first = None
    if buffer.name == DEFAULT_BUFFER:
        first = lines.paste(document.text_before_cursor, event.data, document.text_after_cursor)
    if first is None:
        buffer.insert_text(event.data.replace("\r\n", " ").replace("\r", " ").replace("\n", " "))
        return
    buffer.document = Document(first, len(first))
    buffer.validate_and_handle()


def shell_bindings(state: ShellState, completer: Completer, lines: LineQueue | None = None) -> KeyBindings:
    bindings = KeyBindings()
    quoting = Condition(lambda: in_open_quote(get_app().current_buffer.document.text_before_cursor, state))

    @bindings.add("?", filter=~quoting)
    def _help(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        text = buffer.document.text_before_cursor
        if question_mark(state, text) == ESCAPED:
            buffer.delete_before_cursor(1)
            buffer.insert_text("?")
            return
        show_help(event.app, state, completer, text)

    @bindings.add("tab")
    def _tab(event: KeyPressEvent) -> None:
        complete_word(event, state, completer)

    if lines is not None:
        @bindings.add(Keys.BracketedPaste)
        def _paste(event: KeyPressEvent) -> None:
            paste(event, lines)

    return bindings
