"""What the everyday operational views share: the router's context and a plain table layout.

A view reads the router it manages, never the machine nos-shell happens to run on: the
target of the root (``ROOT/etc/nos-shell/apply.toml``, nos_shell/apply/target.py) names
its network namespace and the prefix that runs programs there. A sandbox root with no
such target has no router, and the views say so instead of showing the host's state.
"""
from __future__ import annotations

import subprocess
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..errors import NosError
from ..tables import TableData, TableText
from .sandbox import sandboxed

if TYPE_CHECKING:
    from ..apply.target import Target
    from ..session import Session


def has_router(target: "Target") -> bool:
    """Whether the target reaches a running router (live, or a namespace to read)."""
    return not sandboxed(target)


def router(session: "Session", what: str, doing: str = "show") -> "Target":
    """The target of the session's root; a clear error for a sandbox with no router."""
    target = session.target
    if not has_router(target):
        raise NosError(f"{session.store.root} is a sandbox root (not live): it has no {what} to {doing}",
                       "Make it live with etc/nos-shell/apply.toml (docs/apply.md)")
    return target


def run(target: "Target", argv: Sequence[str], timeout: float = 15,
        check: bool = True) -> subprocess.CompletedProcess:
    """Run a program in the router's context (never through a shell); its captured output."""
    from ..host.run import run as run_in_router

    return run_in_router(target, argv, timeout=timeout, check=check)


def bounded(value: int | None, default: int, high: int, what: str) -> int:
    """A count option (`count N`, `tail N`): ``default`` when absent, else checked
    against 1..``high``."""
    if value is None:
        return default
    if not 1 <= value <= high:
        raise NosError(f"{what} must be between 1 and {high}")
    return value


def simple_table(headers: Sequence[str], rows: Sequence[Sequence[str]],
                 before: Sequence[str] = ()) -> TableText:
    """Columns two spaces apart, each header underlined with dashes (VyOS's tabulate layout);
    a cell holding several lines continues on the next lines of its column."""
    widths = [max([len(h)] + [len(line) for row in rows for line in str(row[i]).split("\n")])
              for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(f"{c:<{w}}" for c, w in zip(cells, widths)).rstrip()

    out = list(before) + [line(headers), line(["-" * w for w in widths])]
    for row in rows:
        parts = [str(cell).split("\n") for cell in row]
        for depth in range(max(len(p) for p in parts)):
            out.append(line([p[depth] if depth < len(p) else "" for p in parts]))
    data = TableData(tuple(headers), tuple(tuple(str(c) for c in row) for row in rows), tuple(before))
    return TableText("".join(text + "\n" for text in out), [data])
