"""The changed files a driver's check reads, written outside the live paths only when read.

A driver's ``checks`` (backends/contract.py) is handed a mapping of its changed files to
paths where they can be read. Most drivers check one file (``bird -p``, ``nft -c``) and
networkd checks none, so writing every changed file first would write thousands of unit
files that nothing reads on a big commit. :class:`OnDemand` knows the names at once
(``name in staged`` writes nothing) and writes all of one driver's files, together, the
first time any of its paths is asked for (a check may read a file beside the one it names).
The scratch directory itself is made on the first write, and removed by :meth:`Scratch.close`.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath


class Scratch:
    """A private temporary directory, made when first needed."""

    def __init__(self) -> None:
        self._made = None

    def path(self) -> Path:
        if self._made is None:
            import tempfile

            self._made = tempfile.TemporaryDirectory(prefix="nos-check-")
        return Path(self._made.name)

    def close(self) -> None:
        if self._made is not None:
            self._made.cleanup()
            self._made = None


class OnDemand(Mapping[PurePosixPath, Path]):
    """One driver's changed files by relative path; reading a value writes them all."""

    def __init__(self, scratch: Scratch, files: dict[PurePosixPath, bytes]) -> None:
        self._scratch = scratch
        self._files = files
        self._paths: dict[PurePosixPath, Path] | None = None

    def __contains__(self, rel: object) -> bool:
        return rel in self._files

    def __iter__(self) -> Iterator[PurePosixPath]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)

    def __getitem__(self, rel: PurePosixPath) -> Path:
        if rel not in self._files:
            raise KeyError(rel)
        if self._paths is None:
            self._paths = self._write()
        return self._paths[rel]

    @property
    def written(self) -> bool:
        """Whether the files were written (a check read one of them)."""
        return self._paths is not None

    def _write(self) -> dict[PurePosixPath, Path]:
        base = self._scratch.path()
        paths = {}
        for rel, data in self._files.items():
            path = base / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(bytes(data))
            paths[rel] = path
        return paths


__all__ = ["OnDemand", "Scratch"]
