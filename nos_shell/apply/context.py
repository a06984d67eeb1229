"""What a driver's reload, stop or checks run with: :class:`Context` (the contract's shape)."""
from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..config.tree import ConfigTree
from ..errors import CommitError
from .target import Target


@dataclass
class Context:
    """What a driver's reload sees: the target, both trees, its own file changes."""

    target: Target
    old: ConfigTree
    new: ConfigTree
    changed: set[PurePosixPath] = field(default_factory=set)
    removed: set[PurePosixPath] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)

    def run(self, *argv: str, check: bool = True, timeout: float = 60,
            input: str | None = None) -> subprocess.CompletedProcess:
        """Run a program in the router's context (:func:`nos_shell.host.run.run`); raises
        CommitError when it cannot start, hangs or (with ``check``) fails."""
        from ..fault import point
        from ..host.run import run

        point("reload")
        result = run(self.target, argv, timeout=timeout, check=False, input=input, error=CommitError)
        if check and result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
            raise CommitError(f"{' '.join(argv)} failed (exit {result.returncode})", *detail)
        return result

    def file(self, rel: PurePosixPath | str) -> Path:
        return self.target.path(rel)
