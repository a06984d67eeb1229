"""Drawing operational tables for a person at a terminal (rich), fitted to its width."""
from __future__ import annotations

import io

from ..tables import TableText


def render(text: TableText, width: int) -> str:
    """The tables of ``text`` drawn with rich at ``width`` columns, as ANSI text."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    buffer = io.StringIO()
    console = Console(file=buffer, width=max(width, 20), force_terminal=True, color_system="standard",
                      highlight=False, soft_wrap=False)
    for number, data in enumerate(text.tables):
        if number:
            console.print()
        for line in data.before:
            console.print(line, markup=False)
        table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
        last = len(data.headers) - 1
        for index, header in enumerate(data.headers):
            # names, addresses and states stay whole; the last column (descriptions) wraps
            table.add_column(header, no_wrap=index != last, overflow="fold" if index == last else "ellipsis")
        for row in data.rows:
            table.add_row(*row)
        console.print(table)
    return buffer.getvalue()
