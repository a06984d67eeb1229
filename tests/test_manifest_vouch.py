"""The manifest's quick paths (nos_shell/apply/manifest.py): reading, writing, vouching.

- reading a manifest in one pass gives exactly the records of the entry-by-entry reading,
  and any unusual name, owner or entry is refused with that reading's message
  (hypothesis: random names and entries);
- dump's bytes read back to the same records, and are JSON;
- ``Manifest.vouched`` vouches for files nobody touched since, and for none of a set with
  one file rewritten (same size), re-moded, gone, or another driver's.
"""
from __future__ import annotations

import json
import os
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nos_shell.apply import manifest
from nos_shell.apply.manifest import Record

from propsettings import examples

PART = st.sampled_from(["etc", "a.b", ".x", "..", ".", "", "10-nos-eth0.5.network", "x..y"])
NAME = st.lists(PART, min_size=1, max_size=4).map("/".join)
ENTRY = st.one_of(st.none(), st.just(["ab", 420, 1, 2, 3, 4]), st.just(["ab", True, 1, 2, 3, 4]),
                  st.just(["ab", 420, 1, 2, 3]), st.just([1, 420, 1, 2, 3, 4]), st.just("x"))


def _read(reader, files, content):
    try:
        return reader(files, content), None
    except (ValueError, TypeError) as exc:
        return None, (type(exc), str(exc))


@examples(300)
@given(st.dictionaries(NAME, st.one_of(st.just("networkd"), st.just("bird"), st.integers()), max_size=6),
       st.data())
def test_one_pass_reading_equals_the_entry_by_entry_reading(files, data):
    content = {name: entry for name in files for entry in [data.draw(ENTRY)] if entry is not None}
    assert _read(manifest._records, files, content) == _read(manifest._checked_records, files, content)


@examples(100)
@given(st.dictionaries(NAME.filter(lambda n: not manifest._UNUSUAL.search(n)),
                       st.tuples(st.sampled_from(["networkd", "bird", 'q"uote']), st.booleans()), max_size=8))
def test_dump_reads_back_to_the_same_records(spec):
    records = {name: Record(owner, "d" * 64, 0o640, (1, 2, 3, 4)) if full else Record(owner)
               for name, (owner, full) in spec.items()}
    data = json.loads(manifest.dump(records))
    assert manifest._records(data["files"], data["content"]) == records


def _book(tmp_path, names: list[str]) -> manifest.Manifest:
    for name in names:
        (tmp_path / name).write_bytes(b"unit\n")
    time.sleep(0.02)            # past the clock tick of the writes: the records are older
    records = {}
    for name in names:
        st = os.lstat(tmp_path / name)
        records[name] = Record("networkd", manifest.digest(b"unit\n"), st.st_mode & 0o7777, manifest.stat_of(st))
    manifest.save(tmp_path, records)
    return manifest.load(tmp_path)


NAMES = ["a.network", "b.network", "c.network"]


def test_untouched_files_are_vouched_for(tmp_path):
    book = _book(tmp_path, NAMES)
    assert book.vouched(NAMES, f"{tmp_path}/", "networkd") == {name: book.records[name] for name in NAMES}


@pytest.mark.parametrize("touch", ["rewrite", "chmod", "remove", "owner"])
def test_one_touched_file_vouches_for_none(tmp_path, touch):
    book = _book(tmp_path, NAMES)
    owner = "networkd"
    if touch == "rewrite":
        (tmp_path / "b.network").write_bytes(b"edit\n")         # same size
    elif touch == "chmod":
        os.chmod(tmp_path / "b.network", 0o600)
    elif touch == "remove":
        os.unlink(tmp_path / "b.network")
    else:
        owner = "bird"
    assert book.vouched(NAMES, f"{tmp_path}/", owner) is None
