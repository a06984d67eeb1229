"""Migrations of `system syslog`, `system sysctl`, `system options` and `service ntp`
allow-client, as VyOS's own migration scripts do them (system 12-to-13, 19-to-20, 21-to-22,
25-to-26; ntp 1-to-2), over the raw nodes of raw.py. migrate.py runs them in its list."""
from __future__ import annotations

import re
from typing import Protocol

from .raw import RawNode, drop_if_empty, ensure, get, put, remove, select

_FACILITY_RENAMES = {"protocols": "local7", "security": "auth"}
_OPTION_RENAMES = {"beep-if-fully-booted": "startup-beep", "ctrl-alt-del-action": "ctrl-alt-delete"}
_SYSCTL_LEAVES = ("net.ipv4.igmp_max_memberships", "net.ipv4.ipfrag_time")
_HOST_PORT = re.compile(r"([A-Za-z0-9.\-]+):([0-9]{1,5})")


class Versions(Protocol):
    """What these migrations need of migrate.Versions."""

    def before(self, component: str, version: int) -> bool: ...


def _merge_into(parent: RawNode, moved: RawNode, into: RawNode) -> None:
    """Move ``moved``'s children into ``into`` (those it already has stay) and drop ``moved``."""
    have = {(c.name, c.value) for c in into.children or ()}
    into.children = (into.children or []) + [c for c in moved.children or ()
                                               if (c.name, c.value) not in have]
    remove(parent, moved)


def system_options(nodes: list[RawNode], versions: Versions) -> None:
    """`system options` -> `system option`, `beep-if-fully-booted` -> `startup-beep`,
    `ctrl-alt-del-action` -> `ctrl-alt-delete` (system 19-to-20); VyOS 1.2's
    `reboot-on-panic true` is the flag `reboot-on-panic` (`false`: not set)."""
    for system in select(nodes, "system"):
        old = get(system, "options")
        if old is not None and old.children is not None:
            new = get(system, "option")
            if new is None:
                old.name = "option"
            else:
                _merge_into(system, old, new)
        for option in select(system.children, "option"):
            for child in list(option.children or ()):
                child.name = _OPTION_RENAMES.get(child.name, child.name)
                if child.name == "reboot-on-panic" and child.children is None and child.value is not None:
                    if child.value == "false":
                        remove(option, child)
                        drop_if_empty(system, option)     # emptied here: VyOS shows nothing
                    child.value = None


def sysctl_parameters(nodes: list[RawNode], versions: Versions) -> None:
    """`system sysctl all|custom KEY value V` and the leaves `net.ipv4.igmp_max_memberships
    V`, `net.ipv4.ipfrag_time V` -> `system sysctl parameter KEY value V` (system 21-to-22)."""
    for sysctl in select(nodes, "system sysctl"):
        for leaf in [c for c in sysctl.children or () if c.name in _SYSCTL_LEAVES and c.children is None]:
            remove(sysctl, leaf)
            if leaf.value is not None:
                put(ensure(sysctl, "parameter", leaf.name), "value", leaf.value)
        for kind in ("all", "custom"):
            for entry in [c for c in sysctl.children or () if c.name == kind and c.value is not None]:
                remove(sysctl, entry)
                found = get(entry, "value") if entry.children is not None else None
                if found is not None and found.value is not None:
                    put(ensure(sysctl, "parameter", entry.value), "value", found.value)


def _rename_facilities(block: RawNode) -> None:
    for old, new in _FACILITY_RENAMES.items():
        for entry in [c for c in block.children or () if c.name == "facility" and c.value == old]:
            taken = any(c.name == "facility" and c.value == new for c in block.children or ())
            if taken:
                remove(block, entry)
            else:
                entry.value = new


def syslog_facilities(nodes: list[RawNode], versions: Versions) -> None:
    """Hosts written `HOST:PORT` split into host and port (system 12-to-13); facilities
    `protocols` and `security` renamed `local7` and `auth`, and a protocol set per facility
    moved to its host, the first one winning (system 25-to-26)."""
    for syslog in select(nodes, "system syslog"):
        for host in list(select(syslog.children, "host*")):
            shaped = _HOST_PORT.fullmatch(host.value or "")
            if shaped is not None:
                host.value = shaped.group(1)
                put(host, "port", shaped.group(2))
        blocks = [*select(syslog.children, "global"), *select(syslog.children, "console"),
                  *select(syslog.children, "host*")]
        for block in blocks:
            _rename_facilities(block)
        for host in select(syslog.children, "host*"):
            protocol = None
            for facility in select(host.children, "facility*"):
                given = get(facility, "protocol")
                if given is not None:
                    protocol = protocol or given.value
                    remove(facility, given)
            if protocol is not None and get(host, "protocol") is None:
                put(host, "protocol", protocol)


def ntp_allow_client(nodes: list[RawNode], versions: Versions) -> None:
    """For a configuration older than ntp@2 (its servers were under `system ntp`):
    `allow-clients` renamed `allow-client`, and without one, `allow-client address
    0.0.0.0/0` and `::/0` added (ntp 1-to-2: the old daemon served everyone). Runs after
    migrate.system_ntp moved the block."""
    if not versions.before("ntp", 2):
        return
    for ntp in select(nodes, "service ntp"):
        old = get(ntp, "allow-clients")
        if old is not None:
            old.name = "allow-client"
        if get(ntp, "allow-client") is None:
            block = ensure(ntp, "allow-client")
            block.children = [RawNode("address", "0.0.0.0/0", None, None, ntp.line),
                              RawNode("address", "::/0", None, None, ntp.line)]
