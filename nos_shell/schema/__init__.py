"""The one declarative schema of the configuration tree.

Validation, completion, `?` help and docs/command-reference.md all read :data:`SCHEMA`.
"""
from __future__ import annotations

from .firewall import FIREWALL
from .interfaces import INTERFACES
from .nat import NAT
from .nodes import Kind, SchemaNode, container
from .protocols import PROTOCOLS
from .service import SERVICE
from .system import SYSTEM

SCHEMA: SchemaNode = container("", "Configuration root", FIREWALL, INTERFACES, NAT, PROTOCOLS, SERVICE, SYSTEM)

__all__ = ["SCHEMA", "Kind", "SchemaNode"]
