"""What ``lab up`` shows while a lab comes up: a rich status line on a terminal (stderr),
plain lines otherwise (one per step, so logs and tests can read them)."""
from __future__ import annotations

import sys
import time
from typing import Any


class Progress:
    """Steps of bringing a lab up; use as a context manager."""

    def __init__(self, lab: str, total: int):
        self.lab, self.total, self.done = lab, total, 0
        self.started = time.monotonic()
        self.live: Any = None

    def __enter__(self) -> "Progress":
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn

            self.live = Bar(TextColumn("[bold]lab {task.fields[lab]}[/bold]"), BarColumn(),
                            MofNCompleteColumn(), TextColumn("{task.description}"),
                            console=Console(stderr=True), transient=False)
            self.live.start()
            self.task = self.live.add_task("starting", total=self.total, lab=self.lab)
        return self

    def step(self, text: str) -> None:
        """A step begins."""
        if self.live is not None:
            self.live.update(self.task, description=text, completed=self.done)
        else:
            print(f"lab {self.lab}: {text}", file=sys.stderr, flush=True)
        self.done += 1

    def __exit__(self, *exc: object) -> None:
        if self.live is not None:
            self.live.update(self.task, completed=self.done if exc[0] else self.total,
                             description="failed" if exc[0] else "up")
            self.live.stop()
