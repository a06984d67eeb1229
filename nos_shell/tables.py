"""Tables in operational output: VyOS's fixed layout as text, the table itself alongside.

Operational commands return :class:`TableText`: a ``str`` holding the exact VyOS layout
(what automation clients parse, what pipes filter), which also carries the rows. The
interactive shell draws those rows as a table that fits the terminal (rich); every other
consumer just sees the string.
"""
from __future__ import annotations

from typing import NamedTuple


class TableData(NamedTuple):
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    before: tuple[str, ...] = ()      # lines shown above the table (titles, legends)


class TableText(str):
    """VyOS-layout text plus the tables it shows."""

    tables: tuple[TableData, ...]

    def __new__(cls, text: str, tables: tuple[TableData, ...] | list[TableData]) -> "TableText":
        obj = super().__new__(cls, text)
        obj.tables = tuple(tables)
        return obj
