"""`firewall global-options` -> etc/sysctl.d/60-nos-shell-firewall.conf (pure).

Only the options that are set are written (VyOS's meaning of each value), for ``all`` and
``default`` where the kernel keeps the setting per interface. The file exists only while
one of them is set; reload (control.py) loads it with ``sysctl -p``. Removing an option
leaves the kernel's current value in place until the next boot.
"""
from __future__ import annotations

from pathlib import PurePosixPath

from nos_shell.config.tree import ConfigTree

from ..common.sysctl_keys import firewall_settings
from ..contract import HEADER

PATH = PurePosixPath("etc/sysctl.d/60-nos-shell-firewall.conf")


def compile_sysctl(tree: ConfigTree) -> dict[PurePosixPath, bytes]:
    """The drop-in, or nothing when no option is set."""
    lines = [f"{key} = {value}" for _, key, value in firewall_settings(tree)]
    if not lines:
        return {}
    return {PATH: ("\n".join([f"# {HEADER}", *lines]) + "\n").encode()}
