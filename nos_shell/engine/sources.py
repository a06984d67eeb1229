"""Configuration files a user names: `save` writes one, `load` and `merge` read one.

A file is either config.boot text (curly braces) or `set` lines; the first line that is
not blank or a comment tells which. Confined sessions (SSH) may only name configuration
files of the saved-configuration folder (nos_shell/confine.py).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import NosError, ProblemList

if TYPE_CHECKING:
    from ..config.tree import ConfigTree
    from ..store import Store


def config_file(store: Store, name: str, *, confine: bool) -> Path:
    """The path of a file named in save/load/merge; with ``confine`` only configuration
    files of the saved-configuration folder."""
    if "\0" in name or any("\ud800" <= ch <= "\udfff" for ch in name):
        from ..schema.types import shown

        raise NosError(f"Invalid file name: {shown(name)}")
    if confine:
        from ..confine import confined_file

        return confined_file(store.saved_path.parent, name)
    return store.resolve_file(name)


def save(store: Store, tree: ConfigTree, path: Path | None) -> Path:
    """Write ``tree`` as config.boot text to ``path`` (None: the saved configuration)
    atomically and durably, under the commit lock (Store.save); NosError when ``path``
    cannot take it."""
    path = path or store.saved_path
    # a save replaces the file by renaming a new one over it: never over a device,
    # folder or socket (`save /dev/null` as root replaced the device with a file)
    try:
        if not path.is_file() and (path.exists() or path.is_symlink()):
            raise NosError(f"Cannot save to {path}: not a regular file", "Save failed")
        store.save(tree, path)
    except OSError as exc:          # a name too long, a folder that cannot hold files
        raise NosError(f"Cannot save to {path}: {exc.strerror or exc}", "Save failed") from None
    return path


def read_config(path: Path, *, ignore_unknown: bool) -> tuple[ConfigTree, list[str]]:
    """The tree in the file at ``path`` and a warning per skipped path (``ignore_unknown``;
    otherwise a bad path fails the whole file: NosError)."""
    try:
        text = path.read_bytes().decode()     # no newline translation: "\n" ends a line
    except OSError as exc:
        raise NosError(f"Cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        line = text_line(exc.object, exc.start)
        raise NosError(f"{path}:{line}: not a configuration file (invalid UTF-8)",
                       "Load failed: nothing was loaded") from None
    if looks_like_commands(text):
        return tree_from_command_file(text, str(path), ignore_unknown=ignore_unknown)
    from ..config.bootfile import load_boot

    return load_boot(text, str(path), ignore_unknown=ignore_unknown)


def tree_from_command_file(text: str, name: str, *, ignore_unknown: bool) -> tuple[ConfigTree, list[str]]:
    """A tree from a file of `set` lines; each bad line is a ``NAME:LINE: message``."""
    from ..commands import CONF, is_blank, parse
    from ..config.tree import ConfigTree

    tree, problems = ConfigTree(), []
    for number, line in enumerate(text.split("\n"), 1):
        if is_blank(line):
            continue
        try:
            command = parse(line, CONF)
            if command.name != "set":
                raise NosError(f"only set lines may appear in a configuration file: {line.strip()}")
            tree.set(command.words)
        except NosError as exc:
            problems.append(f"{name}:{number}: {exc.summary}")
    if problems and not ignore_unknown:
        raise ProblemList(*problems, "Load failed: nothing was loaded")
    return tree, problems


def looks_like_commands(text: str) -> bool:
    """True when the first line that is not blank or a comment is a `set` line."""
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and not stripped.startswith(("#", "//")):
            return stripped.startswith("set ")
    return False


def text_line(data: bytes, offset: int) -> int:
    """The 1-based line number of byte ``offset`` in ``data``."""
    return data.count(b"\n", 0, offset) + 1
