"""`firewall global-options` -> etc/sysctl.d/60-nos-shell-firewall.conf (pure).

Only the options that are set are written (VyOS's meaning of each value), for ``all`` and
``default`` where the kernel keeps the setting per interface. The file exists only while
one of them is set; reload (control.py) loads it with ``sysctl -p``. Removing an option
leaves the kernel's current value in place until the next boot.
"""
from __future__ import annotations

from pathlib import PurePosixPath

from nos_shell.config.tree import ConfigTree

from ..contract import HEADER

PATH = PurePosixPath("etc/sysctl.d/60-nos-shell-firewall.conf")
_PER_INTERFACE = ("all", "default")
# option -> (keys, value when enabled, value when disabled)
_OPTIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "all-ping": (("net.ipv4.icmp_echo_ignore_all",), "0", "1"),
    "broadcast-ping": (("net.ipv4.icmp_echo_ignore_broadcasts",), "0", "1"),
    "ip-src-route": (tuple(f"net.ipv4.conf.{i}.accept_source_route" for i in _PER_INTERFACE), "1", "0"),
    "ipv6-receive-redirects": (tuple(f"net.ipv6.conf.{i}.accept_redirects" for i in _PER_INTERFACE), "1", "0"),
    "ipv6-src-route": (tuple(f"net.ipv6.conf.{i}.accept_source_route" for i in _PER_INTERFACE), "0", "-1"),
    "log-martians": (("net.ipv4.conf.all.log_martians",), "1", "0"),
    "receive-redirects": (tuple(f"net.ipv4.conf.{i}.accept_redirects" for i in _PER_INTERFACE), "1", "0"),
    "send-redirects": (tuple(f"net.ipv4.conf.{i}.send_redirects" for i in _PER_INTERFACE), "1", "0"),
    "syn-cookies": (("net.ipv4.tcp_syncookies",), "1", "0"),
    "twa-hazards-protection": (("net.ipv4.tcp_rfc1337",), "1", "0"),
}
_VALIDATION = {"strict": "1", "loose": "2", "disable": "0"}


def compile_sysctl(tree: ConfigTree) -> dict[PurePosixPath, bytes]:
    """The drop-in, or nothing when no option is set."""
    at = ("firewall", "global-options")
    lines = []
    for option, (keys, on, off) in _OPTIONS.items():
        value = tree.value(*at, option)
        if value is not None:
            setting = {"enable": on, "disable": off}[value]
            lines += [f"{key} = {setting}" for key in keys]
    validation = tree.value(*at, "source-validation")
    if validation is not None:
        lines += [f"net.ipv4.conf.{i}.rp_filter = {_VALIDATION[validation]}" for i in _PER_INTERFACE]
    if not lines:
        return {}
    return {PATH: ("\n".join([f"# {HEADER}", *lines]) + "\n").encode()}
