"""Which kernel link drivers a lab needs, and the refusal when this kernel lacks one.

The wiring's own kinds come from :meth:`Topology.link_drivers`; each router adds the kinds
its configuration creates (read from its ``set`` lines). The check runs before anything of
the lab is made.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from .kernel import MODULES
from .topology import Topology

#: a set line's start -> the link kind it makes
PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"set interfaces \S+ \S+ vif(-s|-c)? "), "vlan"),
    (re.compile(r"set interfaces \S+ \S+ vif(-s|-c)?$"), "vlan"),
    (re.compile(r"set interfaces bonding "), "bond"),
    (re.compile(r"set interfaces dummy "), "dummy"),
    (re.compile(r"set interfaces wireguard "), "wireguard"),
    (re.compile(r"set vrf name "), "vrf"),
)


def config_drivers(lines: Iterable[str]) -> set[str]:
    """The link kinds a router configuration (its ``set`` lines) creates."""
    return {kind for line in lines for pattern, kind in PATTERNS if pattern.match(line)}


def needed(topology: Topology, router_lines: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """Link kind -> what needs it (``links``, ``nodes.NAME``), in a stable order."""
    out: dict[str, list[str]] = {}
    for kind in sorted(topology.link_drivers()):
        out.setdefault(kind, []).append("the links")
    for name, lines in router_lines.items():
        for kind in sorted(config_drivers(lines)):
            out.setdefault(kind, []).append(f"router {name}")
    return out


def refusal(topology: Topology, needs: Mapping[str, list[str]], missing: Mapping[str, str]) -> str | None:
    """The message when this kernel lacks a driver the lab needs, else None."""
    lacking = [kind for kind in needs if kind in missing]
    if not lacking:
        return None
    parts = [f"{kind} links (kernel module {MODULES.get(kind, kind)}, for {', '.join(needs[kind])})"
             for kind in lacking]
    return (f"lab {topology.name} needs {' and '.join(parts)}, which this kernel cannot create; "
            "run it in a VM with --vm")
