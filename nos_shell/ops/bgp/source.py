"""Where the BGP views read from: the state reader of the daemon that runs the running
configuration's BGP, and that configuration's neighbors."""
from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from ...errors import NosError

if TYPE_CHECKING:
    from ...models.bgp import Bgp
    from ...models.bgp_state import BgpState
    from ...session import Session


def reader(session: "Session") -> tuple["BgpState", "Bgp"]:
    """The running daemon's state reader and the BGP view of the running configuration."""
    from ...models import bgp as bgp_common

    tree = session.running
    if not bgp_common.configured(tree):
        raise NosError("BGP is not configured")
    target = session.target
    if not target.live:
        from ..sandbox import not_live_lines

        raise NosError(*not_live_lines(target, "BGP state"))
    from ...backends.registry import active

    driver = active("bgp", tree)
    state = driver.state(target) if driver is not None else None
    if state is None:
        raise NosError("The BGP daemon of this configuration has no state reader")
    return state, bgp_common.view(tree)


def internal_addresses(bgp: "Bgp") -> set[str]:
    """The addresses of the configured internal (same AS) neighbors."""
    return {ipaddress.ip_address(n.address).compressed for n in bgp.neighbors if n.is_internal(bgp.system_as)}


def prefix_key(prefix: str) -> tuple[int, int, int]:
    """Sort key of a prefix: IPv4 first, then by address and length."""
    net = ipaddress.ip_network(prefix, strict=False)
    return net.version, int(net.network_address), net.prefixlen
