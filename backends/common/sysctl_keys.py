"""The kernel parameters that `firewall global-options` sets, shared by the firewall's
sysctl drop-in (backends/nftables/sysctl.py) and the check of `system sysctl parameter`
keys against them (backends/sysctl/)."""
from __future__ import annotations

from nos_shell.config.tree import ConfigTree

GLOBAL_OPTIONS = ("firewall", "global-options")
PER_INTERFACE = ("all", "default")
OPTIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "all-ping": (("net.ipv4.icmp_echo_ignore_all",), "0", "1"),
    "broadcast-ping": (("net.ipv4.icmp_echo_ignore_broadcasts",), "0", "1"),
    "ip-src-route": (tuple(f"net.ipv4.conf.{i}.accept_source_route" for i in PER_INTERFACE), "1", "0"),
    "ipv6-receive-redirects": (tuple(f"net.ipv6.conf.{i}.accept_redirects" for i in PER_INTERFACE), "1", "0"),
    "ipv6-src-route": (tuple(f"net.ipv6.conf.{i}.accept_source_route" for i in PER_INTERFACE), "0", "-1"),
    "log-martians": (("net.ipv4.conf.all.log_martians",), "1", "0"),
    "receive-redirects": (tuple(f"net.ipv4.conf.{i}.accept_redirects" for i in PER_INTERFACE), "1", "0"),
    "send-redirects": (tuple(f"net.ipv4.conf.{i}.send_redirects" for i in PER_INTERFACE), "1", "0"),
    "syn-cookies": (("net.ipv4.tcp_syncookies",), "1", "0"),
    "twa-hazards-protection": (("net.ipv4.tcp_rfc1337",), "1", "0"),
}
"""option -> (the keys it sets, their value when enabled, their value when disabled)."""
VALIDATION = {"strict": "1", "loose": "2", "disable": "0"}
"""`source-validation` -> rp_filter, set for :data:`PER_INTERFACE`."""


def firewall_settings(tree: ConfigTree) -> list[tuple[str, str, str]]:
    """(option, key, value) for every kernel parameter the tree's global options set, in
    the order the firewall's drop-in writes them."""
    found = []
    for option, (keys, on, off) in OPTIONS.items():
        value = tree.value(*GLOBAL_OPTIONS, option)
        if value is not None:
            setting = {"enable": on, "disable": off}[value]
            found += [(option, key, setting) for key in keys]
    validation = tree.value(*GLOBAL_OPTIONS, "source-validation")
    if validation is not None:
        found += [("source-validation", f"net.ipv4.conf.{i}.rp_filter", VALIDATION[validation])
                  for i in PER_INTERFACE]
    return found
