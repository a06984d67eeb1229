"""The records of the manifest (nos_shell/apply/manifest.py): their type, and reading them
from the manifest's two JSON maps, checked (names, owners, entries).

The usual manifest is read column by column, the checks and the building running in C;
anything unusual is read again entry by entry, which says what is wrong with the first
bad entry (tests/test_manifest_vouch.py holds the two readings to each other).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from itertools import chain, repeat
from typing import NamedTuple

Stat = tuple[int, int, int, int]
"""What a file's ``lstat`` must still show (with the mode): size, mtime_ns, ctime_ns, inode."""


class Record(NamedTuple):
    """One generated file: its owner and, when known, what was written and its stat (a
    named tuple: a manifest holds thousands, built at every load)."""

    owner: str
    digest: str | None = None
    mode: int | None = None
    stat: Stat | None = None


def by_owner(owned: Mapping[str, Record | str]) -> dict[str, list[str]]:
    """Owner -> its names, in ``owned``'s order (a name maps to its record or its owner)."""
    grouped: dict[str, list[str]] = {}
    for name, who in owned.items():
        owner = who if type(who) is str else who.owner      # type: ignore[union-attr]
        if owner in grouped:
            grouped[owner].append(name)
        else:
            grouped[owner] = [name]
    return grouped


UNUSUAL = re.compile(r"(?:^|/)\.{0,2}(?:/|$)")
"""An empty, ``.`` or ``..`` part anywhere in a name (an absolute name has an empty first part)."""

SUSPECT = ("//", "\n/", "/\n", "\n\n", "/.", "\n.")
"""What an empty part (or an absolute name), or a part starting with a dot (``.``, ``..``),
shows as text in names joined by newlines with one before and after: a newline only adds
boundaries, so a suspect manifest may be a good one (a dot file, a newline in a name),
which the slow loop then reads; a good one is found by a few substring searches."""


def suspect(names) -> bool:
    """Whether some name may have an empty, ``.`` or ``..`` part (or be absolute)."""
    text = "\n" + "\n".join(names) + "\n"
    return any(part in text for part in SUSPECT)

SHAPE = [str, int, int, int, int, int]
"""The types of a ``content`` entry's six fields."""


def records(files: dict, content: dict) -> dict[str, Record]:
    """The records of the ``files`` (name -> owner) and ``content`` (name -> entry) maps;
    ValueError or TypeError naming what is wrong."""
    if type(files) is not dict or type(content) is not dict:
        raise TypeError("its maps are not objects")
    # The usual manifest in one pass each (names, owners, entries); anything unusual is
    # read again by the loop below, which says what is wrong with the first bad entry.
    if not suspect(files) and set(map(type, files.values())) <= {str}:
        records = _plain_records(files, content)
        if records is not None:
            return records
    return checked_records(files, content)


def _plain_records(files: dict[str, str], content: dict) -> dict[str, Record] | None:
    """The records, when every ``content`` entry has the right shape; else None. Column by
    column (the checks and the building run in C: 8,000 records in a few ms)."""
    names = list(files)
    entries = list(map(content.get, names))
    if not names or None in entries:
        return _mixed_records(files, content)
    if set(map(type, entries)) != {list} or set(map(len, entries)) != {6}:
        return None
    digests, modes, sizes, mtimes, ctimes, inodes = zip(*entries)
    if set(map(type, digests)) != {str} or set(map(type, chain(modes, sizes, mtimes, ctimes, inodes))) != {int}:
        return None
    rows = zip(files.values(), digests, modes, zip(sizes, mtimes, ctimes, inodes))
    return dict(zip(names, map(tuple.__new__, repeat(Record), rows)))


def _mixed_records(files: dict[str, str], content: dict) -> dict[str, Record] | None:
    """:func:`_plain_records` when some names have no ``content`` entry: entry by entry."""
    make, get = tuple.__new__, content.get
    records: dict[str, Record] = {}
    for name, owner in files.items():
        entry = get(name)
        if entry is None:
            records[name] = make(Record, (owner, None, None, None))
        elif type(entry) is list and list(map(type, entry)) == SHAPE:
            records[name] = make(Record, (owner, entry[0], entry[1], (entry[2], entry[3], entry[4], entry[5])))
        else:
            return None
    return records


def checked_records(files: dict, content: dict) -> dict[str, Record]:
    records: dict[str, Record] = {}
    for name, owner in files.items():
        parts = name.split("/")
        if name.startswith("/") or ".." in parts or "" in parts or "." in parts:
            _refuse_name(name)
        if type(owner) is not str:
            raise TypeError(f"the owner of {name[:100]!r} is not a name")
        entry = content.get(name)
        if entry is None:
            records[name] = Record(owner)
            continue
        if (type(entry) is not list or len(entry) != 6 or type(entry[0]) is not str or type(entry[1]) is not int
                or type(entry[2]) is not int or type(entry[3]) is not int or type(entry[4]) is not int
                or type(entry[5]) is not int):
            raise ValueError(f"the content entry of {name[:100]!r} is not [digest, mode, size, times, inode]")
        records[name] = Record(owner, entry[0], entry[1], (entry[2], entry[3], entry[4], entry[5]))
    return records


def _refuse_name(name: str) -> None:
    """Raise the error for a name that is absolute or has an empty, ``.`` or ``..`` part."""
    parts = name.split("/")
    # a commit removes what the manifest names: never outside the root
    if name.startswith("/") or ".." in parts:
        raise ValueError(f"it names a file outside the root: {name[:100]!r}")
    raise ValueError(f"it names a file by an unusual path: {name[:100]!r}")


__all__ = ["Record", "SUSPECT", "Stat", "UNUSUAL", "by_owner", "checked_records", "records", "suspect"]
