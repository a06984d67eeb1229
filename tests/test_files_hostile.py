"""Hostile file names for `save`, `load` and `merge` (docs/guarantees.md, "Errors"):
each is refused with one clear line, never an internal error, and `save` never renames a
file over something that is not a regular file."""
from __future__ import annotations

import os
import stat

import pytest

from nos_shell import Session


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_save_never_replaces_what_is_not_a_regular_file(tmp_path, kind):
    """Was: `save /dev/null` as root renamed a new file over the device (a save writes a
    temporary file and renames it over the target). Shown here on a FIFO and a folder of
    the test's own."""
    target = tmp_path / kind
    os.mkfifo(target) if kind == "fifo" else target.mkdir()
    s = Session(tmp_path / "root", apply=False)
    assert s.run("configure").ok
    result = s.run(f"save {target}")
    assert not result.ok and f"Cannot save to {target}: not a regular file" in result.output
    mode = os.lstat(target).st_mode
    assert stat.S_ISFIFO(mode) if kind == "fifo" else stat.S_ISDIR(mode)
    link = tmp_path / "link"
    link.symlink_to(target)
    assert not s.run(f"save {link}").ok and link.is_symlink()
    assert s.run(f"save {tmp_path / 'plain.boot'}").ok and (tmp_path / "plain.boot").is_file()


@pytest.mark.parametrize("via", ["api", "ssh"])
def test_a_name_too_long_is_one_clear_line(tmp_path, via):
    """Was: `save` of a 250-character name (its temporary file's name is longer than the
    file system allows) gave `Internal error: OSError ...` and a crash-log entry."""
    s = Session(tmp_path, apply=False, via=via)
    assert s.run("configure").ok
    for name in ("x" * 250, "y" * 300):
        result = s.run(f"save {name}")
        assert not result.ok and "Internal error" not in result.output, result.output
        assert result.output.strip().startswith(("Cannot save to", "Permission denied")), result.output
    assert not (tmp_path / "var/log/nos-shell/errors.log").exists()


@pytest.mark.parametrize("name", ["a\0b", "\ud800", "x\udcff"])
def test_a_name_no_file_can_have_is_refused(tmp_path, name):
    """Was: a lone surrogate in a file name (the Python API, a local terminal) gave
    `Internal error: UnicodeEncodeError ...`."""
    s = Session(tmp_path, apply=False)
    assert s.run("configure").ok
    for verb in ("save", "load", "merge"):
        result = s.run(f"{verb} '{name}'")
        assert not result.ok and result.output.strip().startswith("Invalid file name: "), result.output
    assert not (tmp_path / "var/log/nos-shell/errors.log").exists()
