"""Schema of `service dns forwarding`: a caching DNS forwarder for the LAN (VyOS 1.4 syntax)."""
from __future__ import annotations

from .nodes import container, flag, leaf, multi, tag
from .types import DOMAIN_NAME, IP, IP_PREFIX, PORT, Number

CACHE_SIZE = Number(low=0, high=2147483647, what="Cache size", placeholder="<0-2147483647>",
                    help="Number of cache entries")


def _name_server(help: str):
    """An upstream server: its address as the key, an optional port (53 by default)."""
    return tag("name-server", IP, help,
               leaf("port", PORT, "Port of the name server", default="53"))


FORWARDING = container(
    "forwarding", "DNS forwarding",
    multi("listen-address", IP, "Local address to listen on for DNS queries"),
    multi("allow-from", IP_PREFIX, "Network allowed to query this forwarder"),
    _name_server("Upstream name server to forward queries to"),
    leaf("cache-size", CACHE_SIZE, "DNS forwarding cache size", default="10000"),
    tag("domain", DOMAIN_NAME, "Domain to forward to its own name servers",
        _name_server("Name server of this domain"),
        flag("recursion-desired", "Set the recursion-desired bit in queries to these servers")),
    flag("system", "Also forward to the system name servers (system name-server)"),
)

DNS = container("dns", "Domain Name System (DNS) related services", FORWARDING)
