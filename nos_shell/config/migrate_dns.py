"""Older `service dns forwarding` syntax (raw nodes, before the schema walk; see migrate.py)."""
from __future__ import annotations

from .raw import RawNode, select


def dns_domain_servers(nodes: list[RawNode], versions: object) -> None:
    """`domain NAME { server ADDR }` -> `domain NAME { name-server ADDR }` (VyOS 1.4,
    dns-forwarding@4). Told by its shape: `server` is no longer a child of a domain."""
    for domain in select(nodes, "service dns forwarding domain*"):
        for child in domain.children or ():
            if child.name == "server" and child.value is not None:
                child.name = "name-server"
