"""Key bindings of the interactive shell (a factory, ptpython style).

- ``?`` prints the possible completions and leaves the line as it was (inside an open
  quote it is typed like any other character; right after a backslash it replaces the
  backslash: linehelp.question_mark, the rule the plain line mode follows too);
- Tab completes the word: a single candidate is inserted with a blank after it, several
  are reduced to their common prefix; a second Tab with nothing to add lists them like ``?``
  (on an empty line the first Tab lists: the plain line mode does the same);
- Ctrl-C (cancel the line) and Ctrl-D (on an empty line: end, like ``exit``) keep
  prompt_toolkit's defaults: they reach the shell loop as KeyboardInterrupt / EOFError.
"""
from __future__ import annotations

from prompt_toolkit.application import Application, run_in_terminal
from prompt_toolkit.application.current import get_app
from prompt_toolkit.completion import Completer
from prompt_toolkit.filters import Condition
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent

from .help import possible_completions
from .linehelp import ESCAPED, INSERT, question_mark, tab_completion
from .output import write
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
    if event.is_repeat or not text.strip():     # an empty line lists at the first Tab
        show_help(event.app, state, completer, text)
    else:
        event.app.output.bell()


def shell_bindings(state: ShellState, completer: Completer) -> KeyBindings:
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

    return bindings
