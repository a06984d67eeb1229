"""Schema of `service dns forwarding`: a caching DNS forwarder for the LAN (VyOS 1.4 syntax)."""
from __future__ import annotations

from .nodes import container, flag, leaf, multi, tag
from .types import DOMAIN_NAME, IP, IP_PREFIX, PORT, Enum, Number

CACHE_SIZE = Number(low=0, high=2147483647, what="Cache size", placeholder="<0-2147483647>",
                    help="Number of cache entries")

NEGATIVE_TTL = Number(low=0, high=7200, what="Negative TTL", placeholder="<0-7200>",
                      help="Seconds a negative answer is cached at most")
TIMEOUT = Number(low=10, high=60000, what="Timeout", placeholder="<10-60000>",
                 help="Milliseconds to wait for a remote server")
DNSSEC = Enum(values=("off", "process-no-validate", "process", "log-fail", "validate"), helps=(
    "No DNSSEC processing at all",
    "Hand DNSSEC records to clients that ask; no validation",
    "Hand DNSSEC records to clients that ask; validate for clients that request it",
    "Like process, and validate every answer, logging bogus ones",
    "Validate every answer; SERVFAIL for bogus ones"), help="DNSSEC mode")


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
    leaf("negative-ttl", NEGATIVE_TTL, "Maximum time a negative answer (NXDOMAIN) is cached", default="3600"),
    leaf("timeout", TIMEOUT, "Time to wait for an upstream or authoritative server", default="1500"),
    leaf("dnssec", DNSSEC, "DNSSEC mode", default="process-no-validate"),
    flag("ignore-hosts-file", "Do not answer from /etc/hosts"),
    tag("domain", DOMAIN_NAME, "Domain to forward to its own name servers",
        _name_server("Name server of this domain"),
        flag("recursion-desired", "Set the recursion-desired bit in queries to these servers")),
    flag("system", "Also forward to the system name servers (system name-server)"),
)

DNS = container("dns", "Domain Name System (DNS) related services", FORWARDING)
