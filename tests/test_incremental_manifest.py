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


# -- names taken from the manifest (contract.AsBefore) ---------------------------------------

def _unit_names_calls(monkeypatch) -> list[int]:
    """Records each listing of networkd's unit names (own.unit_names, as delta.py calls it)."""
    from nos_shell.backends.networkd import delta as networkd_delta

    calls: list[int] = []
    real = networkd_delta.unit_names

    def counted(tree):
        calls.append(1)
        return real(tree)

    monkeypatch.setattr(networkd_delta, "unit_names", counted)
    return calls


def test_a_manifest_of_this_version_names_the_unit_paths(tmp_path, plans, monkeypatch):
    """An own-settings change (MTU, description) lists no unit name when this version wrote
    the manifest, and gives what a full compile gives."""
    commit(tmp_path, "", commands())
    calls = _unit_names_calls(monkeypatch)
    for mtu, text in ((1300, "uplink"), (1300, "core"), (1200, "core")):
        before = commands(mtu=1400 if (mtu, text) == (1300, "uplink") else 1300,
                          description="core" if (mtu, text) == (1200, "core") else "uplink")
        commit(tmp_path, before, commands(mtu=mtu, description=text))
        assert plans[-1] is True
    assert calls == []
    wanted = compile_by_backend(tree_from_commands(commands(mtu=1200, description="core")))
    assert not files.plan(tmp_path, wanted)         # every file is what a full compile writes
    assert set(load(tmp_path).records) == {str(rel) for by_driver in wanted.values() for rel in by_driver}


@pytest.mark.parametrize("stamp", ['"0.0.0-other"', None])
def test_a_manifest_of_another_version_has_its_names_listed(tmp_path, plans, monkeypatch, stamp):
    """Written by another version (or one that did not say), the manifest's names are
    compared with a listing of the tree's: a unit that version generated and this one does
    not (here: the manifest and files of a VLAN the old tree lacks) sends the commit down
    the full plan, which removes it."""
    from nos_shell.apply import manifest, manifest_cache
    from nos_shell.version import __version__

    extra = commands() + "set interfaces ethernet eth0 vif 99 address 10.0.99.1/24\n"
    commit(tmp_path, "", extra)
    stale = tmp_path / "etc/systemd/network/10-nos-eth0.99.network"
    assert stale.exists()
    path = tmp_path / manifest.MANIFEST
    text = path.read_text()
    mine = f' "compiler": "{__version__}",\n'
    assert mine in text
    path.write_text(text.replace(mine, "" if stamp is None else f' "compiler": {stamp},\n'))
    manifest_cache.forget(tmp_path)
    manifest.forget()
    calls = _unit_names_calls(monkeypatch)
    commit(tmp_path, commands(), commands(mtu=1300))
    assert calls and plans[-1] is False             # listed, found to differ: the full plan
    manifest.forget()
    assert not stale.exists() and load(tmp_path).compiler == __version__    # (said in the delta)
    commit(tmp_path, commands(mtu=1300), commands(mtu=1200))
    assert plans[-1] is True and len(calls) == 1    # this version's manifest is trusted again
