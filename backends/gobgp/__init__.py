"""The GoBGP driver: one of the two drivers of the "bgp" area.

``compiler.py`` writes etc/gobgp/gobgpd.toml from the BGP model; ``control.py`` checks it
with ``gobgpd -d``, runs gobgpd, syncs its announcements and keeps the route installer
(``routes.py``, a process of its own) running.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..contract import BaseDriver, Context, Files, Staged
from . import compiler, control

if TYPE_CHECKING:
    from nos_shell.apply.target import Target
    from nos_shell.config.tree import ConfigTree
    from nos_shell.models.bgp_state import BgpState
    from nos_shell.problems import Problem


class Gobgp(BaseDriver):
    name = compiler.NAME
    area = "bgp"

    def active(self, tree: ConfigTree) -> bool:
        return compiler.active(tree)

    def verify(self, tree: ConfigTree) -> list[Problem]:
        return compiler.verify(tree)

    def compile(self, tree: ConfigTree) -> Files:
        return compiler.compile(tree)

    def checks(self, staged: Staged) -> list[list[str]]:
        return control.checks(staged)

    def reload(self, ctx: Context) -> None:
        control.reload(ctx)

    def stop(self, ctx: Context) -> None:
        control.stop_all(ctx)

    def state(self, target: Target) -> BgpState:
        from .state import GobgpState

        return GobgpState(target)


DRIVER = Gobgp()
