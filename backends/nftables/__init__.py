"""The nftables driver: `nat` -> nos-shell's own NAT table (compiler.py), loaded by control.py."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..contract import BaseDriver, Context, Files, Staged
from . import compiler, control

if TYPE_CHECKING:
    from nos_shell.config.tree import ConfigTree
    from nos_shell.problems import Problem


class Nftables(BaseDriver):
    name = "nftables"

    def verify(self, tree: ConfigTree) -> list[Problem]:
        return compiler.verify(tree)

    def compile(self, tree: ConfigTree) -> Files:
        return compiler.compile(tree)

    def checks(self, staged: Staged) -> list[list[str]]:
        return control.checks(staged)

    def reload(self, ctx: Context) -> None:
        control.reload(ctx)


DRIVER = Nftables()
