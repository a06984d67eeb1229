"""Operational-mode commands. Views of live state (interfaces, routes, BGP) live in nos_shell/live/
once they exist; everything here reads only the session and its store."""
from __future__ import annotations

import platform
from collections.abc import Callable
from typing import TYPE_CHECKING

from . import __version__
from .commands import Command
from .config import diff, render
from .config.tree import ConfigTree
from .errors import NosError
from .schema import Kind
from .ops_bgp import show_bgp_neighbors, show_bgp_summary
from .ops_bgp import show_ip_route as show_ip_route_bgp
from .ops_interfaces import show_interfaces

if TYPE_CHECKING:
    from .session import Session
    from .streams import Stream

VYOS_COMPAT = "1.4"

#: Leaves whose values operator-level users never see (password hashes, keys, MD5 secrets).
SECRET_LEAVES = frozenset(("encrypted-password", "plaintext-password", "private-key",
                           "preshared-key", "password"))
MASK = "****************"


def for_user(session: "Session", tree: ConfigTree) -> ConfigTree:
    """``tree`` as ``session``'s user may read it: operators get secrets masked."""
    if session.level == "admin":
        return tree
    masked = tree.copy()
    _mask(masked.root, masked.schema)
    return masked


def _mask(node, spec) -> None:
    for name, child in node.children.items():
        sub = spec.children.get(name)
        if sub is None:
            continue
        if sub.kind is Kind.TAG:
            for entry in child.children.values():
                _mask(entry, sub)
        elif sub.is_leaf:
            if name in SECRET_LEAVES and child.values:
                child.values = [MASK] * len(child.values)
        else:
            _mask(child, sub)


def run(session: "Session", command: Command) -> "str | Stream":
    handler = HANDLERS.get(command.name)
    if handler is None:
        raise NosError(f"'{command.name.replace('_', ' ')}' is not available in this version of nos-shell")
    return handler(session, command)


def configure(session: "Session", command: Command) -> str:
    if session.mode == "conf":
        return ""
    return session.configure(exclusive=bool(command.opts.get("exclusive")))


def logout(session: "Session", command: Command) -> str:
    session.finished = True
    return ""


def show_configuration(session: "Session", command: Command) -> str:
    tree = for_user(session, session.running)
    fmt = command.opts.get("format")
    if fmt == "commands" or any(name == "as_commands" for name, _ in command.pipes):
        return render.to_commands(tree)
    if fmt == "json":
        return render.to_json(tree)
    return render.to_curly(tree)


def show_configuration_sessions(session: "Session", command: Command) -> str:
    """The sessions in configuration mode on this root (JunOS `status`), this one marked `*`."""
    from .editors import editors
    from .tables import TableData, TableText

    found = editors(session.store.root)
    if not found:
        return "No sessions are in configuration mode\n"
    own = session.editor_ident
    headers = ("User", "Via", "PID", "Since", "Changes", "Exclusive")
    rows = tuple((("* " if e.ident == own else "  ") + e.user, e.via, str(e.pid), e.since,
                  "yes" if e.changes else "no", "yes" if e.exclusive else "no") for e in found)
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip()
             for row in (("  " + headers[0],) + headers[1:], *rows)]
    title = "Users currently editing the configuration (* this session):"
    return TableText("".join(line + "\n" for line in [title, *lines]),
                     [TableData(headers, rows, (title,))])


def _uptime() -> str:
    try:
        with open("/proc/uptime") as handle:
            seconds = int(float(handle.read().split()[0]))
    except (OSError, ValueError, IndexError):
        return "unknown"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    return f"{days} days, {hours}:{rest // 60:02d}"


def show_version(session: "Session", command: Command) -> str:
    rows = [
        # Ansible reads "VyOS N.N" from this line, napalm-vyos its last word
        ("Version", f"VyOS {VYOS_COMPAT} (compatible) nos-shell {__version__}"),
        ("Release train", "nos-shell"),
        ("Built by", "nos-shell project"),
        ("Architecture", platform.machine() or "unknown"),
        ("Hardware vendor", "generic"),
        ("Hardware model", f"Linux {platform.release()}"),
        ("Hardware S/N", "unknown"),
        ("Uptime", _uptime()),
    ]
    return "".join(f"{name + ':':<18}{value}\n" for name, value in rows)


def show_host_name(session: "Session", command: Command) -> str:
    return session.hostname + "\n"


def show_system_commit(session: "Session", command: Command) -> str:
    revisions = session.store.revisions()
    if command.words:
        number = int(command.words[0])
        if not 0 <= number < len(revisions):
            raise NosError(f"Invalid revision number {number}: must be 0 <= rev < {len(revisions)}")
        return render.to_curly(for_user(session, session.store.revision(number)))
    lines = []
    for number, rev in enumerate(revisions):
        lines.append(f"{number:<3} {rev.time} by {rev.user} via {rev.via}\n")
        if rev.comment:
            lines.append(f"    {rev.comment}\n")
    return "".join(lines)


def show_system_commit_diff(session: "Session", command: Command) -> str:
    """VyOS's ``show system commit diff N``: what commit N changed (revision N+1 -> N)."""
    number = int(command.words[0])
    count = len(session.store.revisions())
    if not 0 <= number < count:
        raise NosError(f"Invalid revision number {number}: must be 0 <= rev < {count}")
    if number + 1 >= count:
        raise NosError(f"Revision {number} is the oldest kept: there is no earlier revision to compare with")
    return diff.compare(for_user(session, session.store.revision(number + 1)),
                        for_user(session, session.store.revision(number))) or \
        f"No changes between revisions {number + 1} and {number} configurations.\n"


def _bgp_rib(name: str) -> Callable[["Session", Command], str]:
    """A handler of nos_shell/ops_bgp_rib.py, imported when first used."""
    def handler(session: "Session", command: Command) -> str:
        from . import ops_bgp_rib

        return getattr(ops_bgp_rib, name)(session, command)
    return handler


def show_ip_route_summary(session: "Session", command: Command) -> str:
    from .ops_routes import show_route_summary

    return show_route_summary(session, command, 4)


def show_ipv6_route_summary(session: "Session", command: Command) -> str:
    from .ops_routes import show_route_summary

    return show_route_summary(session, command, 6)


def compare_revisions(session: "Session", command: Command) -> str:
    first, second = (int(w) for w in command.words)
    count = len(session.store.revisions())
    for number in (first, second):
        if not 0 <= number < count:
            raise NosError(f"Invalid revision number {number}: must be 0 <= rev < {count}")
    return diff.compare(for_user(session, session.store.revision(first)),
                        for_user(session, session.store.revision(second))) or \
        "No changes between revisions.\n\n"


def show_arp(session: "Session", command: Command) -> str:
    from .ops_neighbors import show_neighbors

    return show_neighbors(session, command, 4)


def show_ipv6_neighbors(session: "Session", command: Command) -> str:
    from .ops_neighbors import show_neighbors

    return show_neighbors(session, command, 6)


def show_lldp_neighbors(session: "Session", command: Command) -> str:
    # nos-shell has no LLDP service (yet): say so the way VyOS does, which Ansible's
    # vyos_facts recognises
    return "LLDP not configured\n"


def set_terminal(session: "Session", command: Command) -> str:
    session.terminal[command.opts.get("setting", "width")] = int(command.words[0])
    return ""


def show_ip_route(session: "Session", command: Command) -> str:
    if command.words == ["bgp"]:
        return show_ip_route_bgp(session, command)
    from .ops_routes import show_routes

    return show_routes(session, command, 4)


def show_ipv6_route(session: "Session", command: Command) -> str:
    from .ops_routes import show_routes

    return show_routes(session, command, 6)


def ping(session: "Session", command: Command) -> "str | Stream":
    from .ops_tools import ping as run_ping

    return run_ping(session, command)


def traceroute(session: "Session", command: Command) -> "str | Stream":
    from .ops_tools import traceroute as run_traceroute

    return run_traceroute(session, command)


#: a handler returns its output, or a Stream for output that comes over time (nos_shell/streams.py)
HANDLERS: dict[str, Callable[["Session", Command], "str | Stream"]] = {
    "configure": configure,
    "logout": logout,
    "show_configuration": show_configuration,
    "show_configuration_sessions": show_configuration_sessions,
    "show_version": show_version,
    "show_host_name": show_host_name,
    "show_system_commit": show_system_commit,
    "compare_revisions": compare_revisions,
    "set_terminal": set_terminal,
    "show_lldp_neighbors": show_lldp_neighbors,
    "show_arp": show_arp,
    "show_ipv6_neighbors": show_ipv6_neighbors,
    "show_bgp_summary": show_bgp_summary,
    "show_bgp_neighbors": show_bgp_neighbors,
    "show_ip_route": show_ip_route,
    "show_ipv6_route": show_ipv6_route,
    "ping": ping,
    "traceroute": traceroute,
    "show_interfaces": show_interfaces,
    "show_system_commit_diff": show_system_commit_diff,
    "show_ip_route_summary": show_ip_route_summary,
    "show_ipv6_route_summary": show_ipv6_route_summary,
    "show_ip_bgp": _bgp_rib("show_ip_bgp"),
    "show_bgp_received_routes": _bgp_rib("show_received_routes"),
    "show_bgp_advertised_routes": _bgp_rib("show_advertised_routes"),
    "show_bgp_neighbor_routes": _bgp_rib("show_neighbor_routes"),
    "reset_bgp": _bgp_rib("reset_bgp"),
    "reset_bgp_soft": _bgp_rib("reset_bgp_soft"),
}

# the everyday operational commands (nos_shell/ops_everyday.py)
from .ops_everyday import HANDLERS as _EVERYDAY  # noqa: E402

HANDLERS.update(_EVERYDAY)
