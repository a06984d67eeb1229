"""What an operational command is to the registry (nos_shell/ops/registry.py): one row of
an area module's ``COMMANDS`` table, next to the help its keywords add to the `?` list."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ..commands import Command
    from ..session import Session
    from ..streams import Stream

#: a handler returns its output, or a Stream for output that comes over time (nos_shell/streams.py)
Handler = Callable[["Session", "Command"], "str | Stream"]

#: the help of keywords in the `?` list: "word" wherever it comes, ("before", "word") right
#: after the keyword "before", (None, "word") as the first word of a line
KeywordHelp = Mapping[str | tuple[str | None, str], str]


class OpCommand(NamedTuple):
    """One operational command.

    ``name`` is its grammar alias (``Command.name``, grammar/commands.lark); ``words`` the
    leading keywords of its grammar forms (a test holds them to the grammar); ``help`` its
    line in docs/command-reference.md; ``admin_only`` what operator-level users are told
    they cannot do (empty: everyone may run it).
    """

    name: str
    words: tuple[str, ...]
    handler: Handler
    help: str
    admin_only: str = ""
