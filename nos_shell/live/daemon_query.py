"""Asking a running routing daemon, for the state readers of backends/<daemon>/state.py:
its control program's output, and the kernel routes it installed."""
from __future__ import annotations

import ipaddress
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..errors import NosError

if TYPE_CHECKING:
    from ..apply.target import Target


def ask(target: "Target", daemon: str, argv: Sequence[str], timeout: float = 20) -> str:
    """The output of ``argv`` (the daemon's control program) in the router's context; an
    error naming ``daemon`` when it cannot be run or fails."""
    from ..host.run import run

    try:
        result = run(target, argv, timeout=timeout, check=False)
    except NosError as exc:
        raise NosError(f"{daemon} is not reachable: {exc}") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-1:]
        raise NosError(f"{daemon} is not running or not reachable", *detail)
    return result.stdout


def kernel_routes(target: "Target", version: int, protocol: str) -> dict[str, dict]:
    """prefix -> ``ip -j route`` entry of the main table's routes of ``protocol``; empty
    when they cannot be read."""
    try:
        text = ask(target, "ip", ("ip", f"-{version}", "-j", "route", "show", "proto", protocol))
        entries = json.loads(text or "[]")
    except (NosError, json.JSONDecodeError):
        return {}
    out = {}
    for entry in entries:
        dst = entry.get("dst", "")
        dst = ("0.0.0.0/0" if version == 4 else "::/0") if dst == "default" else dst
        if "/" not in dst:
            dst += "/32" if version == 4 else "/128"
        out[ipaddress.ip_network(dst, strict=False).compressed] = entry
    return out
