"""`?` and Tab for line editors: the plain line mode's, and the rules both shells share.

The plain line mode (plain.py) cannot redraw: it answers `?` and a listing Tab the way
VyOS's bash completion does, with plain text only. The listing goes below the line,
then the prompt line and the typed text are printed again::

    vyos@vyos# set interfaces ethernet eth0 d?
    Possible completions:
       description  Description
     > dhcp-options  DHCP client settings
       ...
    vyos@vyos# set interfaces ethernet eth0 d

The candidates and their help are the full-screen shell's own (completer.py, help.py):
:class:`LineHelp` holds a :class:`~nos_shell.shell.state.ShellState` and the merged
completer for one session, and :func:`tab_completion` is the word choice that keys.py's
Tab binding makes too.

When `?` asks for help (:func:`question_mark`): inside an open quote it is an ordinary
character (values may contain `?`); right after a backslash outside quotes it replaces
that backslash (`\\?` types a literal `?`); anywhere else it lists.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .completer import build_completer, completions
from .help import possible_completions
from .state import ShellState

if TYPE_CHECKING:
    from prompt_toolkit.completion import Completer

    from ..session import Session

HELP, INSERT, ESCAPED = "help", "insert", "escaped"


def question_mark(state: ShellState, text: str) -> str:
    """What `?` typed after ``text`` does: HELP (list), INSERT (an ordinary character,
    inside an open quote) or ESCAPED (it replaces the backslash just before it)."""
    partial = state.analyze(text).partial
    if partial[:1] in ("'", '"'):
        closed = len(partial) > 1 and partial[-1] == partial[0] and not _odd_backslashes(partial[:-1])
        if not closed:
            return INSERT
    if _odd_backslashes(partial):
        return ESCAPED
    return HELP


def _odd_backslashes(text: str) -> bool:
    return (len(text) - len(text.rstrip("\\"))) % 2 == 1


def tab_completion(state: ShellState, completer: "Completer", text: str) -> tuple[int, str] | None:
    """What Tab does to the word before the cursor: (characters to remove, text to insert),
    or None when there is nothing to add. A single candidate is inserted with a blank
    after it; several are reduced to their common beginning."""
    partial = state.analyze(text).partial
    words = list(dict.fromkeys(c.text for c in completions(completer, text)))
    if len(words) == 1:
        return len(partial), words[0] + " "
    common = os.path.commonprefix(words) if words else ""
    if len(common) > len(partial):
        return len(partial), common
    return None


class LineHelp:
    """`?` and Tab for one session of the plain line mode (built at the first key press:
    it imports prompt_toolkit's completion classes, which `nos-shell -c` never needs)."""

    def __init__(self, session: "Session"):
        self.state = ShellState(session)
        self.completer = build_completer(self.state)

    def changed(self) -> None:
        """A command ran: cached tree keys and revisions are stale."""
        self.state.changed()

    def question_mark(self, line: str) -> str:
        return question_mark(self.state, line)

    def listing(self, line: str) -> str:
        """What `?` prints for ``line`` (``\\n`` line ends)."""
        return possible_completions(self.state, line, self.completer)

    def tab(self, line: str) -> tuple[int, str] | None:
        return tab_completion(self.state, self.completer, line)
