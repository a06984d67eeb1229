"""The incremental plan (nos_shell/apply/incremental.py) and the manifest's digests
(nos_shell/apply/manifest.py) together: a commit that compiles only what changed keeps a
manifest that still vouches for every file, and a file edited by hand is still put back by
the next commit, even one that changes something else."""
from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from nos_shell.api import tree_from_commands
from nos_shell.apply import Target, apply, compile_by_backend, files, incremental
from nos_shell.apply.manifest import load

VLANS = 20


def commands(mtu: int = 1400, description: str = "uplink") -> str:
    lines = ["set interfaces ethernet eth0 address 192.0.2.1/24",
             f"set interfaces ethernet eth0 description {description}"]
    lines += [f"set interfaces ethernet eth0 vif {n} address 10.0.{n}.1/24" for n in range(1, VLANS + 1)]
    lines.append(f"set interfaces ethernet eth0 vif 5 mtu {mtu}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def plans(monkeypatch) -> list[bool]:
    """For each commit, whether the incremental plan was used (True) or fell back (False)."""
    seen: list[bool] = []
    real = incremental.plan

    def observed(*args):
        result = real(*args)
        seen.append(result is not None)
        return result

    monkeypatch.setattr(incremental, "plan", observed)
    return seen


def commit(root: Path, old: str, new: str) -> None:
    apply(Target(root), tree_from_commands(old), tree_from_commands(new))


def test_an_incremental_commit_keeps_every_digest_and_stat(tmp_path, plans):
    commit(tmp_path, "", commands())
    commit(tmp_path, commands(), commands(mtu=1300))
    assert plans[-1] is True
    book = load(tmp_path)
    wanted = compile_by_backend(tree_from_commands(commands(mtu=1300)))
    names = {str(rel) for by_driver in wanted.values() for rel in by_driver}
    assert set(book.records) == names
    assert all(book.records[name].digest and book.records[name].stat for name in names)
    # so a full plan afterwards trusts every file without reading one
    assert not files.plan(tmp_path, wanted)


def test_a_hand_edit_is_put_back_by_an_incremental_commit_of_something_else(tmp_path, plans):
    commit(tmp_path, "", commands())
    edited = tmp_path / "etc/systemd/network/10-nos-eth0.9.network"
    good = edited.read_bytes()
    edited.write_bytes(good.replace(b"10.0.9.1", b"10.0.9.7"))
    commit(tmp_path, commands(), commands(mtu=1300))
    assert plans[-1] is False           # the manifest could not vouch for the edited file
    assert edited.read_bytes() == good
    changed = tmp_path / "etc/systemd/network/10-nos-eth0.5.network"
    assert b"MTUBytes=1300" in changed.read_bytes()
    commit(tmp_path, commands(mtu=1300), commands(mtu=1200))
    assert plans[-1] is True            # and the next one is incremental again


def test_only_the_changed_unit_is_written(tmp_path, plans):
    commit(tmp_path, "", commands())
    units = sorted((tmp_path / "etc/systemd/network").iterdir())
    inodes = {path.name: path.stat().st_ino for path in units}
    commit(tmp_path, commands(), commands(mtu=1300))
    assert plans[-1] is True
    moved = {path.name for path in units if path.stat().st_ino != inodes[path.name]}
    assert moved == {"10-nos-eth0.5.network"}
    assert PurePosixPath("etc/systemd/network/10-nos-eth0.5.network") in {
        PurePosixPath(name) for name in load(tmp_path).records}
