"""Operational views of a root that is not live: the configured view, said so once.

A sandbox root (no ``etc/nos-shell/apply.toml``, or one with ``live = false`` that names no
namespace or exec prefix: :func:`sandboxed`) is not applied to any system, so the host's
kernel says nothing about it. Its views start with one line naming the root, then show
what the running configuration defines:

- `show interfaces [detail]`: the configured interfaces (kernel names from
  nos_shell/models/interfaces.py), their static addresses and descriptions; S is ``u`` (``A`` when
  disabled), L is ``D`` (no link exists), counters are zero;
- `show ip route` / `show ipv6 route`: connected routes of the configured addresses and the
  static routes as networkd would install them (backends/networkd/links.py picks each next
  hop's interface), metric = distance;
- `show arp` / `show ipv6 neighbors`: an empty table.

The configured views themselves live with their live views (ops/interfaces.py,
ops/routes.py, ops/neighbors.py). Views that only a running daemon can answer (BGP) refuse with :func:`not_live_lines`,
which says how to make the root live (docs/apply.md, "Making a namespace router live").
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..tables import TableData, TableText

if TYPE_CHECKING:
    from ..apply.target import Target

RECIPE = 'docs/apply.md, "Making a namespace router live"'


def note(root) -> str:
    """The one line every sandbox view starts with."""
    return f"sandbox root {root}: not applied to any system; showing the configured view\n"


def sandboxed(target: "Target") -> bool:
    """True when the views of ``target``'s root have no router to read: it is not live and
    its apply.toml names no namespace or exec prefix (one that does, even with live =
    false, is a router whose kernel the views read)."""
    return not (target.live or target.netns or target.exec_prefix)


def with_note(root, output: str) -> str:
    """``output`` with the sandbox line above it (kept above a table's rows, too)."""
    line = note(root)
    if isinstance(output, TableText) and output.tables:
        first, *rest = output.tables
        tables = [TableData(first.headers, first.rows, (line.rstrip("\n"), *first.before)), *rest]
        return TableText(line + output, tables)
    return line + output


def not_live_lines(target: "Target", what: str) -> tuple[str, ...]:
    """Why ``what`` (read from a running daemon) cannot be shown, and how to go live."""
    from ..apply.target import SETTINGS

    settings = target.root / SETTINGS
    why = f"{settings} sets live = false" if settings.exists() else "it has no etc/nos-shell/apply.toml"
    return (f"{what} comes from a running daemon; sandbox root {target.root} is not applied to "
            f"any system ({why})",
            f"to make the root live, write {settings} with live = true ({RECIPE})")
