"""`system syslog` -> etc/rsyslog.d/00-nos-shell.conf, for rsyslog (VyOS's syslog daemon).

journald alone cannot forward to a syslog server (systemd-journal-upload speaks HTTP to
systemd-journal-remote), so remote logging takes rsyslog; Debian's rsyslog reads the
journal's messages through its socket and includes /etc/rsyslog.d/*.conf before its own
rules. One selector line per destination, as VyOS writes them:

- ``global facility F level L``: to /var/log/messages;
- ``host H``: ``@H:PORT`` (UDP) or ``@@H:PORT`` (TCP), ``@@(o)H:PORT;RSYSLOG_SyslogProtocol23Format``
  with ``format octet-counted`` over TCP (over UDP: the RFC 5424 template alone); IPv6
  addresses in brackets; port 514 and UDP unless set;
- ``console``: /dev/console;
- ``global marker [interval N]``: the immark module (default 1200 s); ``global
  preserve-fqdn``: the whole host name in messages.

A selector is ``facility.level`` joined by ``;``; ``all`` is ``*`` in either place, a
facility without a level is ``err`` (VyOS's default). A destination without a facility
sends nothing and is refused by verify (VyOS would write an empty selector rsyslog rejects).
"""
from __future__ import annotations

import ipaddress
from pathlib import PurePosixPath

from nos_shell.config.tree import ConfigTree
from nos_shell.problems import Problem

from ..common.safety import unsafe_words
from ..contract import HEADER

PATH = PurePosixPath("etc/rsyslog.d/00-nos-shell.conf")
BASE = ("system", "syslog")
MESSAGES = "/var/log/messages"
CONSOLE = "/dev/console"
RFC5424 = "RSYSLOG_SyslogProtocol23Format"


def selector(tree: ConfigTree, *at: str) -> str:
    """The ``facility.level;...`` selector of the node at ``at`` (empty: no facility)."""
    parts = []
    for facility in tree.keys(*at, "facility"):
        level = tree.value(*at, "facility", facility, "level") or "err"
        parts.append(f"{facility.replace('all', '*')}.{level.replace('all', '*')}")
    return ";".join(parts)


def _target(host: str) -> str:
    try:
        return f"[{host}]" if ipaddress.ip_address(host).version == 6 else host
    except ValueError:
        return host


def _forward(tree: ConfigTree, host: str) -> str:
    at = (*BASE, "host", host)
    where = f"{_target(host)}:{tree.value(*at, 'port') or '514'}"
    octet = tree.exists(*at, "format", "octet-counted")
    if tree.value(*at, "protocol") == "tcp":
        action = f"@@(o){where};{RFC5424}" if octet else f"@@{where}"
    else:
        action = f"@{where};{RFC5424}" if octet else f"@{where}"
    return f"{selector(tree, *at)} {action}"


def compile(tree: ConfigTree) -> dict[PurePosixPath, bytes]:
    """The drop-in, or nothing without `system syslog`."""
    if not tree.exists(*BASE):
        return {}
    lines = [f"# {HEADER}"]
    if tree.exists(*BASE, "global", "marker"):
        interval = tree.value(*BASE, "global", "marker", "interval") or "1200"
        lines.append(f'module(load="immark" interval="{interval}")')
    if tree.exists(*BASE, "global", "preserve-fqdn"):
        lines.append('global(preserveFQDN="on")')
    if tree.keys(*BASE, "global", "facility"):
        lines.append(f"{selector(tree, *BASE, 'global')} {MESSAGES}")
    if tree.keys(*BASE, "console", "facility"):
        lines.append(f"{selector(tree, *BASE, 'console')} {CONSOLE}")
    lines += [_forward(tree, host) for host in tree.keys(*BASE, "host")]
    return {PATH: ("\n".join(lines) + "\n").encode()}


def verify(tree: ConfigTree) -> list[Problem]:
    """Plain words only; every remote host has a facility to send."""
    problems = unsafe_words(tree, BASE)
    if problems:
        return problems
    for host in tree.keys(*BASE, "host"):
        if not tree.keys(*BASE, "host", host, "facility"):
            problems.append(Problem((*BASE, "host", host),
                                    f'Syslog host "{host}" needs a facility '
                                    f"(set system syslog host {host} facility all level info)"))
    return problems
