"""`service dns forwarding` read into typed values: what the recursor's file is made of.

Every value is parsed again here (addresses, networks, ports, domain names) and only the
parsed forms are ever written, so no value can carry a separator (``,`` ``;`` ``=``), a
blank or a line break into the file, whatever got into the tree.
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from nos_shell.config.tree import ConfigTree

BASE = ("service", "dns", "forwarding")
DEFAULT_PORT = 53
DEFAULT_CACHE = 10000
MAX_CACHE = 2147483647
DNSSEC_MODES = ("off", "process-no-validate", "process", "log-fail", "validate")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})*", re.ASCII)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def address(value: str) -> Address:
    """An IP address without a zone id; ValueError otherwise."""
    parsed = ipaddress.ip_address(value)
    if getattr(parsed, "scope_id", None) is not None:
        raise ValueError(f"an address with a zone id is not accepted: {value!r}")
    return parsed


def network(value: str) -> Network:
    """A network prefix (host bits zero); ValueError otherwise."""
    return ipaddress.ip_network(value, strict=True)


def domain(value: str) -> str:
    """A domain name of letters, digits, hyphens and dots (lower case); ValueError otherwise."""
    if len(value) > 253 or not _DOMAIN.fullmatch(value):
        raise ValueError(f"invalid domain name {value!r}")
    return value.lower()


def number(value: str | None, default: int, high: int) -> int:
    """A decimal number in [0, high] (``default`` when unset); ValueError otherwise."""
    if value is None:
        return default
    if not re.fullmatch(r"0|[1-9][0-9]{0,9}", value, re.ASCII) or int(value) > high:
        raise ValueError(f"invalid number {value!r}")
    return int(value)


@dataclass(frozen=True)
class Server:
    """An upstream name server and its port."""

    address: Address
    port: int = DEFAULT_PORT

    def text(self) -> str:
        """As the recursor's forward-zones settings take it: ``ADDR:PORT``, ``[ADDR6]:PORT``."""
        if self.address.version == 6:
            return f"[{self.address}]:{self.port}"
        return f"{self.address}:{self.port}"


@dataclass(frozen=True)
class Domain:
    """Queries for ``name`` and below go to ``servers`` (with the RD bit when ``recurse``)."""

    name: str
    servers: tuple[Server, ...]
    recurse: bool


@dataclass(frozen=True)
class Forwarding:
    """The forwarder: where it listens, whom it answers, where it forwards, its cache and
    the few tunables VyOS offers (defaults: VyOS's)."""

    listen: tuple[Address, ...]
    allow: tuple[Network, ...]
    upstream: tuple[Server, ...]
    domains: tuple[Domain, ...]
    cache_size: int = DEFAULT_CACHE
    negative_ttl: int = 3600
    timeout: int = 1500
    dnssec: str = "process-no-validate"
    hosts_file: bool = True


def dnssec_mode(value: str | None) -> str:
    """One of the recursor's DNSSEC modes; ValueError otherwise."""
    if value is None:
        return Forwarding.dnssec
    if value not in DNSSEC_MODES:
        raise ValueError(f"invalid DNSSEC mode {value!r}")
    return value


def _unique(items: list) -> tuple:
    return tuple(dict.fromkeys(items))


def _servers(tree: ConfigTree, *path: str) -> list[Server]:
    return [Server(address(key), number(tree.value(*path, "name-server", key, "port"), DEFAULT_PORT, 65535))
            for key in tree.keys(*path, "name-server")]


def configured(tree: ConfigTree) -> bool:
    return tree.exists(*BASE)


def read(tree: ConfigTree) -> Forwarding | None:
    """The forwarder of ``tree`` (None when not configured); ValueError on a value that is
    not what its type promises. The upstream servers are `name-server`, then, with
    `system`, `system name-server` (port 53), each once."""
    if not configured(tree):
        return None
    upstream = _servers(tree, *BASE)
    if tree.exists(*BASE, "system"):
        upstream += [Server(address(v)) for v in tree.values("system", "name-server")]
    domains = [Domain(domain(name), _unique(_servers(tree, *BASE, "domain", name)),
                      tree.exists(*BASE, "domain", name, "recursion-desired"))
               for name in tree.keys(*BASE, "domain")]
    return Forwarding(
        listen=_unique([address(v) for v in tree.values(*BASE, "listen-address")]),
        allow=_unique([network(v) for v in tree.values(*BASE, "allow-from")]),
        upstream=_unique(upstream),
        domains=tuple(domains),
        cache_size=number(tree.value(*BASE, "cache-size"), DEFAULT_CACHE, MAX_CACHE),
        negative_ttl=number(tree.value(*BASE, "negative-ttl"), Forwarding.negative_ttl, 7200),
        timeout=number(tree.value(*BASE, "timeout"), Forwarding.timeout, 60000),
        dnssec=dnssec_mode(tree.value(*BASE, "dnssec")),
        hosts_file=not tree.exists(*BASE, "ignore-hosts-file"),
    )
