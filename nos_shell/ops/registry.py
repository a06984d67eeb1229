"""Dispatch of the everyday operational commands (issue 9) to their modules, imported only
when a command runs (nothing here is on the start-up path).

The `monitor ...` commands return a :class:`nos_shell.streams.Stream` (output as it comes,
Ctrl-C stops it); the others return their text.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .commands import Command
    from .session import Session
    from .streams import Stream

Handler = Callable[["Session", "Command"], "str | Stream"]

#: grammar alias -> module (in nos_shell) holding the function of the same name
MODULES = {
    "show_interfaces_counters": "ops_counters",
    "show_interfaces_type": "ops_counters",
    "clear_interfaces_counters": "ops_counters",
    "monitor_interfaces": "ops_counters",
    "monitor_traffic": "ops_traffic",
    "show_log": "ops_log",
    "monitor_log": "ops_log",
    "show_dhcp_server_leases": "ops_dhcp",
    "show_dhcp_client_leases": "ops_dhcp",
    "show_nat_rules": "ops_nat",
    "show_nat_translations": "ops_nat",
    "show_conntrack_table": "ops_nat",
    "show_system_view": "ops_system",
    "show_date": "ops_system",
    "show_users": "ops_system",
    "show_ntp": "ops_system",
    "show_version_all": "ops_system",
    "restart_service": "ops_system",
    "generate_ssh_server_key": "ops_system",
}


#: commands that change the router's state: admin level only (SSH users at operator level
#: may look, not restart services, replace the host key or reset counters)
ADMIN_ONLY = {"restart_service": "restart services", "generate_ssh_server_key": "generate keys",
              "clear_interfaces_counters": "clear counters"}


def _lazy(name: str, module: str) -> Handler:
    def handler(session: "Session", command: "Command") -> "str | Stream":
        if name in ADMIN_ONLY and session.level != "admin":
            from .errors import NosError

            raise NosError(f"Permission denied: operator-level users cannot {ADMIN_ONLY[name]}")
        return getattr(importlib.import_module(f"nos_shell.{module}"), name)(session, command)

    handler.__name__ = name
    return handler


HANDLERS: dict[str, Handler] = {name: _lazy(name, module) for name, module in MODULES.items()}
