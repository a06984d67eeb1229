"""The one FRR route-line format every route view prints (the kernel's table and `show ip
route bgp`), and what a BGP daemon adds to an installed route."""
from __future__ import annotations

from dataclasses import dataclass

CODES = ("Codes: K - kernel route, C - connected, S - static, B - BGP, D - DHCP,\n"
         "       > - selected route, * - FIB route\n\n")


@dataclass(frozen=True)
class BgpPath:
    """What the BGP daemon knows of an installed route: FRR's distance, the MED, its age."""

    distance: int
    med: int
    age: str


def route_line(code: str, selected: bool, fib: bool, prefix: str, distance: int, metric: int,
               via: str, extra: str = "") -> str:
    """One FRR route line, the same for every view: ``B>* PREFIX [D/M] via HOP, DEV[, AGE]``."""
    marks = (">" if selected else " ") + ("*" if fib else " ")
    return f"{code}{marks} {prefix} [{distance}/{metric}] {via}{extra}"
