"""The timesyncd driver (registered as "timesync"): the NTP client drop-in (compiler.py), restarted by control.py."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..contract import BaseDriver, Context, Files
from . import compiler, control

if TYPE_CHECKING:
    from nos_shell.config.tree import ConfigTree
    from nos_shell.problems import Problem


class Timesyncd(BaseDriver):
    name = "timesync"

    def verify(self, tree: ConfigTree) -> list[Problem]:
        return compiler.verify(tree)

    def compile(self, tree: ConfigTree) -> Files:
        return compiler.compile(tree)

    def reload(self, ctx: Context) -> None:
        control.reload(ctx)


DRIVER = Timesyncd()
