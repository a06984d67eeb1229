"""The live state of nos-shell's filter table: rule counters read and reset in the router.

Every rule nos-shell compiles into ``table inet nos_shell_filter`` carries a ``counter``
and a comment naming its configuration path (docs/firewall.md); :func:`counters` reads
them with ``nft -j`` and keys them by that comment. A comment met twice (a zone entry
compiled once per family) adds up.

nft 1.0.6 resets only named counter objects (``reset counters``), not the anonymous
counters of rules, so :func:`reset` replaces the table by itself in one nft transaction:
``flush table`` followed by the table as ``nft -s`` (stateless) lists it. The kernel
swaps the ruleset atomically: no packet ever meets a half-loaded table, sets keep their
elements and every counter starts again from zero.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ..errors import NosError
from .context import run

if TYPE_CHECKING:
    from ..apply.target import Target

FAMILY, TABLE = "inet", "nos_shell_filter"

#: comment -> (packets, bytes)
Counters = dict[str, tuple[int, int]]


def parse_counters(listing: str) -> Counters:
    """The counters of an ``nft -j list table`` answer, by rule comment."""
    try:
        items = json.loads(listing).get("nftables", [])
    except (ValueError, AttributeError):
        raise NosError("nft -j list table: unreadable answer") from None
    found: Counters = {}
    for item in items:
        rule = item.get("rule") if isinstance(item, dict) else None
        if not isinstance(rule, dict) or not isinstance(rule.get("comment"), str):
            continue
        for expr in rule.get("expr", []):
            counter = expr.get("counter") if isinstance(expr, dict) else None
            if isinstance(counter, dict):
                packets, octets = found.get(rule["comment"], (0, 0))
                found[rule["comment"]] = (packets + int(counter.get("packets", 0)),
                                          octets + int(counter.get("bytes", 0)))
    return found


def counters(target: "Target") -> Counters | None:
    """The filter table's rule counters; None when the table is not loaded."""
    result = run(target, ["nft", "-j", "list", "table", FAMILY, TABLE], check=False)
    if result.returncode != 0:
        return None
    return parse_counters(result.stdout)


def reset(target: "Target") -> bool:
    """Zero every rule counter of the filter table at once; False when it is not loaded."""
    listing = run(target, ["nft", "-s", "list", "table", FAMILY, TABLE], check=False)
    if listing.returncode != 0:
        return False
    from ..host.run import run as run_with_input

    script = f"flush table {FAMILY} {TABLE}\n{listing.stdout}"
    loaded = run_with_input(target, ["nft", "-f", "-"], input=script, check=False)
    if loaded.returncode != 0:
        raise NosError(f"Cannot reset the firewall counters: {loaded.stderr.strip() or 'nft failed'}")
    return True
