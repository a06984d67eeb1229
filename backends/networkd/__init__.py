"""The systemd-networkd driver: interfaces, static routes, the DHCP server.

``compiler.py`` (with ``netdev.py``) writes the units, ``verify.py`` holds the cross-node
rules, ``links.py`` what both share, ``control.py`` makes a running networkd follow. No
offline check: networkd has none short of starting a throwaway networkd
(tests/test_realparsers.py does that for every golden case).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..contract import BaseDriver, Context, Files
from . import compiler, control, verify

if TYPE_CHECKING:
    from nos_shell.config.tree import ConfigTree
    from nos_shell.problems import Problem


class Networkd(BaseDriver):
    name = "networkd"

    def verify(self, tree: ConfigTree) -> list[Problem]:
        return verify.verify(tree)

    def compile(self, tree: ConfigTree) -> Files:
        return compiler.compile(tree)

    def reload(self, ctx: Context) -> None:
        control.reload(ctx)


DRIVER = Networkd()
