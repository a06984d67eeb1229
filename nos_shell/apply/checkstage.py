"""The changed files a driver's check reads, written outside the live paths only when read.

A driver's ``checks`` (backends/contract.py) is handed a mapping of its changed files to
paths where they can be read. Most drivers check one file (``bird -p``, ``nft -c``) and
networkd checks none, so writing every changed file first would write thousands of unit
files that nothing reads on a big commit. :class:`OnDemand` knows the names at once
(``name in staged`` writes nothing) and writes all of one driver's files, together, the
first time any of its paths is asked for (a check may read a file beside the one it names).

The scratch directory is made on the first write, in the root's state folder
(``ROOT/var/lib/nos-shell/.nos-check.XXXXXXXX``, mode 0700), and removed by
:meth:`Scratch.close`. A process killed while its checks run leaves it behind: the next
start removes it when no commit is running (nos_shell/engine/recovery.py), and the next
transaction in any case (:func:`sweep`, under the commit lock, under which every check runs),
so nothing piles up in the system's temporary folder.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath

from ..fsutil import CHECK_HOME, CHECK_NAME, CHECK_PREFIX


class Scratch:
    """A private temporary directory under ``root``'s state folder, made when first needed."""

    def __init__(self, root: Path) -> None:
        self._home = root / CHECK_HOME
        self._made: Path | None = None

    def path(self) -> Path:
        if self._made is None:
            from ..fsutil import make_temp_dir

            self._home.mkdir(parents=True, exist_ok=True)
            self._made = Path(make_temp_dir(self._home, CHECK_PREFIX))
        return self._made

    def close(self) -> None:
        if self._made is not None:
            import shutil

            shutil.rmtree(self._made, ignore_errors=True)
            self._made = None


def sweep(root: Path) -> int:
    """Remove the scratch directories a killed process left under ``root``; how many went.
    The caller holds the commit lock (no check is running)."""
    try:
        names = [name for name in (root / CHECK_HOME).iterdir() if CHECK_NAME.fullmatch(name.name)]
    except (FileNotFoundError, NotADirectoryError):
        return 0
    import shutil

    for path in names:
        shutil.rmtree(path, ignore_errors=True)
    return len(names)


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


__all__ = ["OnDemand", "Scratch", "sweep"]
