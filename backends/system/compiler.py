"""System compiler: identity and resolver, `system host-name`, `domain-name`, `name-server`.

A router on plain Debian 12 with systemd-networkd has no systemd-resolved (it is a
separate package there) and reads /etc/resolv.conf directly, as VyOS does. So:

- ``etc/hostname``: the host name (default ``vyos``, as VyOS); comments are allowed there
  (hostname(5));
- ``etc/hosts``: Debian's standard entries plus ``127.0.1.1 FQDN HOST`` so the host name
  resolves without DNS;
- ``etc/resolv.conf``: ``search DOMAIN`` and one ``nameserver`` line per `system name-server`,
  written only when at least one of those is configured (otherwise the file is left to
  whoever owns it). glibc reads at most three name servers.
- ``etc/timezone``: the `system time-zone` name alone on its line, as Debian writes it
  (no header: programs read the file's whole text as the name), only when one is set.
  ``reload`` (live only) points ``etc/localtime`` at the zone's file in the time zone
  database (a symlink, as Debian has it), and at ``Etc/UTC`` (VyOS's default) when the
  setting is deleted; a sandbox root gets the file only.

Name servers learned by DHCP are not merged into resolv.conf (that needs systemd-resolved
or a hook; VyOS 1.4 also uses them only when told to). ``reload`` (control.py) sets the running host
name (``hostname NAME`` in the router's context) when etc/hostname changed and the target
allows it: the host name belongs to the UTS namespace, so a namespace lab whose exec prefix
does not enter its own UTS namespace must not set it (target setting ``set-hostname``).

Every value comes from a strict type (host/domain name pattern, IP address) and is
re-checked here before it is written.
"""
from __future__ import annotations

import ipaddress
import re
from pathlib import PurePosixPath

from nos_shell.config.tree import ConfigTree
from nos_shell.problems import Problem
from nos_shell.schema import zones

from ..common.safety import unsafe_words
from ..contract import HEADER

HOSTNAME = PurePosixPath("etc/hostname")
HOSTS = PurePosixPath("etc/hosts")
RESOLV = PurePosixPath("etc/resolv.conf")
TIMEZONE = PurePosixPath("etc/timezone")
_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*")


def checked_name(value: str) -> str:
    """A host or domain name as written into a file or a command line; ValueError if unsafe."""
    if len(value) > 253 or not _NAME.fullmatch(value):
        raise ValueError(f"invalid host or domain name {value!r}")
    return value


def _server(value: str) -> str:
    """A name server address in canonical form; never one with a zone id (``%...``)."""
    address = ipaddress.ip_address(value)
    if getattr(address, "scope_id", None) is not None:
        raise ValueError(f"invalid name server {value!r}")
    return str(address)


def checked_zone(value: str) -> str:
    """A time zone name as written into etc/timezone; ValueError if it is not shaped like one."""
    if not zones.shaped(value):
        raise ValueError(f"invalid time zone {value!r}")
    return value


def _file(lines: list[str]) -> bytes:
    return ("\n".join([f"# {HEADER}"] + lines) + "\n").encode()


def compile(tree: ConfigTree) -> dict[PurePosixPath, bytes]:
    host = checked_name(tree.value("system", "host-name") or "vyos")
    domain = tree.value("system", "domain-name")
    names = f"{checked_name(host)}.{checked_name(domain)}\t{host}" if domain else host
    out = {
        HOSTNAME: _file([host]),
        HOSTS: _file([
            "127.0.0.1\tlocalhost",
            f"127.0.1.1\t{names}",
            "::1\tlocalhost ip6-localhost ip6-loopback",
            "ff02::1\tip6-allnodes",
            "ff02::2\tip6-allrouters",
        ]),
    }
    servers = [_server(s) for s in tree.values("system", "name-server")]
    if servers or domain:
        out[RESOLV] = _file(([f"search {domain}"] if domain else []) + [f"nameserver {s}" for s in servers])
    zone = tree.value("system", "time-zone", default=False)
    if zone:
        out[TIMEZONE] = f"{checked_zone(zone)}\n".encode()
    return dict(sorted(out.items()))


def verify(tree: ConfigTree) -> list[Problem]:
    problems = unsafe_words(tree, *(("system", n) for n in ("host-name", "domain-name", "name-server", "time-zone")))
    if problems:
        return problems
    zone = tree.value("system", "time-zone", default=False)
    if zone and zones.zone_file(zone) is None:
        problems.append(Problem(("system", "time-zone"), f'Time zone "{zone}" is not in the time zone database'))
    host, domain = tree.value("system", "host-name") or "vyos", tree.value("system", "domain-name")
    if domain and len(host) + 1 + len(domain) > 253:
        problems.append(Problem(("system", "domain-name"), "host-name.domain-name is longer than 253 characters"))
    return problems
