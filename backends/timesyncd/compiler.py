"""NTP client compiler: `service ntp server` -> a drop-in for systemd-timesyncd.

    etc/systemd/timesyncd.conf.d/10-nos-shell.conf
    [Time]
    NTP=ntp1.example.net 192.0.2.123

Preferred servers come first (timesyncd tries them in order), then the others in the
order `show configuration` lists them. `pool` needs nothing more: timesyncd resolves a name to all its addresses. VyOS
runs chrony and can also serve time (`allow-client`, `listen-address`); timesyncd is a
client only. `allow-client address` is accepted (VyOS 1.4's default configuration has it)
and writes nothing: the commit that adds or changes it says that this router does not
serve time (control.py, through :func:`stale`).

timesyncd is a host service, not one per network namespace, so a commit restarts it
(control.py) only when the target is the live root without an exec prefix.
"""
from __future__ import annotations

from pathlib import PurePosixPath

from nos_shell.config.tree import ConfigTree
from nos_shell.problems import Problem

from ..common.safety import unsafe_words
from ..common.unitfile import Unit

DROP_IN = PurePosixPath("etc/systemd/timesyncd.conf.d/10-nos-shell.conf")
BASE = ("service", "ntp", "server")
CLIENTS = ("service", "ntp", "allow-client", "address")


def servers(tree: ConfigTree) -> list[str]:
    names = tree.keys(*BASE)
    return [n for n in names if tree.exists(*BASE, n, "prefer")] + \
        [n for n in names if not tree.exists(*BASE, n, "prefer")]


def compile(tree: ConfigTree) -> dict[PurePosixPath, bytes]:
    chosen = servers(tree)
    if not chosen:
        return {}
    unit = Unit()
    unit.add("Time", "NTP", " ".join(chosen))
    return {DROP_IN: unit.render()}


def verify(tree: ConfigTree) -> list[Problem]:
    return unsafe_words(tree, BASE)


def stale(old: ConfigTree, new: ConfigTree) -> bool:
    """A reload without a file change: `allow-client` was added or changed (its note)."""
    clients = new.values(*CLIENTS)
    return bool(clients) and clients != old.values(*CLIENTS)
