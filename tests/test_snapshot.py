"""The running-configuration snapshot (nos_shell/config/snapshot.py, Store): a cache that
loads without the grammar, equal to the parsed archive text, and never trusted when it
cannot stand for the newest archive file."""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given

from nos_shell.config import snapshot
from nos_shell.config.bootfile import dump_boot, load_boot
from nos_shell.config.tree import ConfigTree
from nos_shell.errors import NosError, PathError
from nos_shell.session import Session
from nos_shell.store import ARCHIVE, LOCK, SAVED_SNAPSHOT, SNAPSHOT, Store
from propsettings import examples
from strategies import config_trees
from test_values_unicode import HOSTILE

NAME_SERVERS = ["0.0.0.1", "0.0.0.0", "192.0.2.53"]


def newest(root: Path) -> Path:
    return max((root / ARCHIVE).glob("r*.boot"))


def parsed(root: Path) -> ConfigTree:
    """The running configuration the slow way: the newest archive file's text."""
    text = newest(root).read_text()
    return load_boot(text.split("\n", 1)[1])[0]


def hostile_tree() -> ConfigTree:
    """Unicode and quoting in free text, an ordered multi-value leaf, comments on a
    container, a tag entry and a leaf (one of them on two lines)."""
    tree = ConfigTree()
    tree.set(["interfaces", "ethernet", "eth0", "address", "192.0.2.1/24"])
    tree.set(["interfaces", "ethernet", "eth0", "address", "2001:db8::1/64"])
    for server in NAME_SERVERS:
        tree.set(["system", "name-server", server])
    for number, text in enumerate(HOSTILE, 1):
        words = ["interfaces", "ethernet", "eth0", "vif", str(number), "description"]
        with contextlib.suppress(PathError):     # a few are too long for a description
            tree.set(words + [text])
    tree.comment(["interfaces"], "all the links")
    tree.comment(["interfaces", "ethernet", "eth0"], "uplink\n  second line 'quoted' \"too\"")
    tree.comment(["system", "name-server"], "ünïcödé ✓")
    return tree


def committed(root: Path, tree: ConfigTree) -> None:
    with Store(root).locked():
        Store(root).commit(tree, user="test", via="api")


def test_a_commit_writes_a_snapshot_that_a_new_process_loads_without_the_grammar(tmp_path):
    tree = hostile_tree()
    committed(tmp_path, tree)
    assert snapshot.header((tmp_path / SNAPSHOT).read_bytes()).serial == int(newest(tmp_path).stem[1:])
    assert oct((tmp_path / SNAPSHOT).stat().st_mode & 0o777) == "0o600"
    probe = ("import sys; from nos_shell.store import Store; from nos_shell.config.render import to_commands;"
             f"t = Store({str(tmp_path)!r}).running(); print(to_commands(t));"
             "print(sorted(m for m in sys.modules if m == 'lark' or m.endswith('bootfile')))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    from nos_shell.config.render import to_commands

    assert out == to_commands(tree) + "\n[]\n"       # the same tree, and no parser was imported
    assert Store(tmp_path).running() == tree == parsed(tmp_path)
    order = Store(tmp_path).running().values("system", "name-server")
    assert order == NAME_SERVERS


@examples(100)
@given(config_trees())
def test_the_snapshot_of_any_tree_decodes_to_the_parsed_archive_text(tree):
    data = dump_boot(tree).encode()
    from_text = load_boot(data.decode())[0]
    back = snapshot.decode(snapshot.encode(from_text, data, 3), data)
    assert back == from_text        # values in order, comments, tag entries
    assert dump_boot(back) == dump_boot(from_text)


def _edit_body(data: bytes, change) -> bytes:
    """Snapshot bytes with the tree changed by ``change`` and its digest made to match, so
    only the structure check can refuse it."""
    plain = json.loads(data.partition(b"\n")[2])
    change(plain)
    return _with_body(data, json.dumps(plain).encode())


def _with_body(data: bytes, body: bytes) -> bytes:
    """Snapshot bytes with ``body`` as the tree and its digest made to match."""
    info = json.loads(data.partition(b"\n")[0])
    info["tree"] = snapshot.digest(body)
    return json.dumps(info).encode() + b"\n" + body


def _ifaces(plain):
    """The children of `interfaces` in a snapshot's JSON (an object of children, or the first
    item of [children, values, comment] when it has a comment)."""
    node = plain["interfaces"]
    return node if type(node) is dict else node[0]


DAMAGE = {
    "empty": lambda d: b"",
    "truncated": lambda d: d[: len(d) // 2],
    "header not JSON": lambda d: b"{" + d,
    "body not JSON": lambda d: d.partition(b"\n")[0] + b"\n[{",
    "a value changed, digest kept": lambda d: d.replace(b"192.0.2.1/24", b"192.0.2.9/24"),
    "another version": lambda d: d.replace(b'"version": "', b'"version": "9', 1),
    "an unknown name": lambda d: _edit_body(d, lambda p: _ifaces(p).update(bogus={})),
    "values on a container": lambda d: _edit_body(d, lambda p: p.__setitem__("interfaces", ["x"])),
    "values on a container, written whole": lambda d: _edit_body(
        d, lambda p: p.__setitem__("interfaces", [_ifaces(p), ["x"], None])),
    "two values on a single leaf": lambda d: _edit_body(
        d, lambda p: p["system"].__setitem__("host-name", ["a", "b"])),
    "a value that is not text": lambda d: _edit_body(
        d, lambda p: p["system"].__setitem__("host-name", ["a", 7])),
    "a comment that is not text": lambda d: _edit_body(
        d, lambda p: p["system"].__setitem__("host-name", [{}, ["router"], 7])),
    "a node that is neither an object nor a list": lambda d: _edit_body(d, lambda p: p.__setitem__("system", "x")),
    "an empty list": lambda d: _edit_body(d, lambda p: p["system"].__setitem__("host-name", [])),
    "deep nesting": lambda d: _with_body(d, b"[" * 100000 + b"]" * 100000),
    "deep nodes": lambda d: _with_body(d, b'{"interfaces":' * 5000 + b"{}" + b"}" * 5000),
}


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_snapshot_is_never_trusted_and_is_rewritten(tmp_path, how):
    tree = hostile_tree()
    tree.set(["system", "host-name", "router"])
    committed(tmp_path, tree)
    path = tmp_path / SNAPSHOT
    path.write_bytes(DAMAGE[how](path.read_bytes()))
    assert Store(tmp_path).running() == tree == parsed(tmp_path)
    # the text was parsed and the snapshot rewritten (this process could take the lock)
    assert snapshot.decode(path.read_bytes(), newest(tmp_path).read_bytes()) == tree


def test_a_snapshot_of_another_revision_is_not_used(tmp_path):
    first = hostile_tree()
    committed(tmp_path, first)
    old = (tmp_path / SNAPSHOT).read_bytes()
    second = first.copy()
    second.set(["system", "host-name", "second"])
    committed(tmp_path, second)
    (tmp_path / SNAPSHOT).write_bytes(old)                  # as if the second write was lost
    assert Store(tmp_path).running() == second
    # same serial, other content (e.g. the archive file restored from a backup)
    current = (tmp_path / SNAPSHOT).read_bytes()
    archive = newest(tmp_path)
    archive.write_bytes(archive.read_bytes().replace(b"second", b"edited"))
    assert Store(tmp_path).running().value("system", "host-name") == "edited"
    assert (tmp_path / SNAPSHOT).read_bytes() != current


def test_an_old_archive_without_a_snapshot_loads_and_gains_one(tmp_path):
    committed(tmp_path, hostile_tree())
    (tmp_path / SNAPSHOT).unlink()
    assert Store(tmp_path).running() == parsed(tmp_path)
    assert snapshot.header((tmp_path / SNAPSHOT).read_bytes()).serial == int(newest(tmp_path).stem[1:])


def test_a_snapshot_that_cannot_be_written_or_read_never_fails_a_commit(tmp_path):
    committed(tmp_path, hostile_tree())
    (tmp_path / SNAPSHOT).unlink()
    (tmp_path / SNAPSHOT).mkdir()                  # neither a rename nor a read can use it
    session = Session(tmp_path, apply=False)
    session.execute("configure")
    session.execute("set system host-name written")
    assert "Commit failed" not in session.execute("commit")
    assert Store(tmp_path).running().value("system", "host-name") == "written"
    assert Store(tmp_path).running() == parsed(tmp_path)
    assert not [p for p in (tmp_path / SNAPSHOT).parent.iterdir() if p.name.endswith(".tmp")]


def test_a_reader_never_waits_for_the_lock_nor_writes_under_another_holder(tmp_path):
    committed(tmp_path, hostile_tree())
    (tmp_path / SNAPSHOT).unlink()
    import fcntl

    with open(tmp_path / LOCK, "a") as held:       # another open file: a commit in progress
        fcntl.flock(held, fcntl.LOCK_EX)
        assert Store(tmp_path).running() == parsed(tmp_path)
        assert not (tmp_path / SNAPSHOT).exists()


def test_a_command_file_with_several_commits_leaves_the_snapshot_of_the_last(tmp_path):
    script = tmp_path / "script"
    script.write_text("configure\nset system host-name one\ncommit\nset system host-name two\n"
                      "commit\nexit\n")
    root = tmp_path / "root"
    run = subprocess.run([sys.executable, "-m", "nos_shell", "--root", str(root), "-f", str(script)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    data = (root / SNAPSHOT).read_bytes()
    assert snapshot.decode(data, newest(root).read_bytes()).value("system", "host-name") == "two"
    assert Session(root, level="operator", apply=False).running == parsed(root)


def _load_as(root: Path, uid: int | None, gid: int | None) -> str:
    """`show configuration commands` of ``root`` read by a forked process that first drops to
    ``uid``/``gid`` (everything it needs is imported already: the interpreter's own files may
    be out of that user's reach)."""
    from nos_shell.config.render import to_commands

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:        # the child: never returns into pytest
        status = 1
        try:
            os.close(read)
            if uid is not None:
                os.setgroups([])
                os.setgid(gid)
                os.setuid(uid)
            out = to_commands(Session(root, level="operator", apply=False).running)
            status = 0
        except BaseException as exc:        # noqa: BLE001 - reported to the parent
            out = f"failed: {exc!r}"
        with os.fdopen(write, "w") as pipe:
            pipe.write(out)
        os._exit(status)
    os.close(write)
    with os.fdopen(read) as pipe:
        out = pipe.read()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, out
    return out


def test_a_failing_command_file_writes_nothing_but_the_caches_of_what_is_on_disk(tmp_path):
    committed(tmp_path, hostile_tree())
    session = Session(tmp_path, apply=False)
    session.execute("configure")
    session.execute("save")
    archive = sorted(p.name for p in (tmp_path / ARCHIVE).iterdir())
    for snap in (SNAPSHOT, SAVED_SNAPSHOT):
        (tmp_path / snap).unlink()
    script = tmp_path / "script"
    script.write_text("configure\nset system host-name changed\ncommit\nexit\nbogus line\n")
    run = subprocess.run([sys.executable, "-m", "nos_shell", "--root", str(tmp_path), "-f", str(script)],
                         capture_output=True, text=True)
    assert run.returncode != 0
    assert sorted(p.name for p in (tmp_path / ARCHIVE).iterdir()) == archive     # nothing committed
    assert snapshot.decode((tmp_path / SNAPSHOT).read_bytes(), newest(tmp_path).read_bytes()) == hostile_tree()
    saved = (tmp_path / "etc/nos-shell/config.boot").read_bytes()
    assert snapshot.decode((tmp_path / SAVED_SNAPSHOT).read_bytes(), saved) == hostile_tree()


def test_a_user_who_cannot_write_the_root_still_loads_it(tmp_path):
    """A root another process wrote, readable but not writable (as root: a real unprivileged
    user; otherwise the owner without write permission): the text is parsed, nothing written."""
    from nos_shell.config.render import to_commands

    warm = tmp_path / "warm"        # every module a text load needs, imported before the fork
    committed(warm, hostile_tree())
    (warm / SNAPSHOT).unlink()
    Store(warm).running()
    base = Path(tempfile.mkdtemp(prefix="nos-snapshot-"))
    try:
        root = base / "root"
        committed(root, hostile_tree())
        (root / SNAPSHOT).write_bytes(b"damaged")
        want = parsed(root)
        uid = gid = None
        if os.geteuid() == 0:
            import pwd

            nobody = pwd.getpwnam("nobody")
            uid, gid = nobody.pw_uid, nobody.pw_gid
            for path in [base, *base.rglob("*")]:
                os.chown(path, uid, gid)
        for path in [root, *root.rglob("*")]:
            os.chmod(path, 0o500 if path.is_dir() else 0o400)
        os.chmod(base, 0o755)
        assert _load_as(root, uid, gid) == to_commands(want)
        assert (root / SNAPSHOT).read_bytes() == b"damaged"
        assert not list((root / SNAPSHOT).parent.glob(".running.snapshot.*"))
    finally:
        for path in [base, *base.rglob("*")]:
            os.chmod(path, 0o700)
        shutil.rmtree(base)


# -- the saved configuration (etc/nos-shell/config.boot) has one too --------------------------

def test_save_writes_a_snapshot_so_leaving_configuration_mode_parses_nothing(tmp_path):
    committed(tmp_path, hostile_tree())
    session = Session(tmp_path, apply=False)
    session.execute("configure")
    session.execute("save")
    data = (tmp_path / SAVED_SNAPSHOT).read_bytes()
    assert snapshot.decode(data, (tmp_path / "etc/nos-shell/config.boot").read_bytes()) == hostile_tree()
    probe = ("import sys; from nos_shell.session import Session;"
             f"s = Session({str(tmp_path)!r}, apply=False); s.execute('configure');"
             "print(repr(s.execute('exit')), s.store.saved() == s.running,"
             " sorted(m for m in sys.modules if m.endswith('bootfile')))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out == "'' True []\n"        # no "changes have not been saved", and no parser loaded


def test_a_hand_edited_saved_file_is_read_from_its_text(tmp_path):
    committed(tmp_path, hostile_tree())
    session = Session(tmp_path, apply=False)
    session.execute("configure")
    session.execute("save")
    saved = tmp_path / "etc/nos-shell/config.boot"
    saved.write_text(saved.read_text().replace("192.0.2.1/24", "192.0.2.7/24"))
    tree = Store(tmp_path).saved()
    assert tree is not None and tree.values("interfaces", "ethernet", "eth0", "address")[0] == "192.0.2.7/24"
    assert snapshot.decode((tmp_path / SAVED_SNAPSHOT).read_bytes(), saved.read_bytes()) == tree
    assert Store(tmp_path).saved() == tree


# -- entries of large tag nodes, decoded when first read ------------------------------------

def _many_vlans(count: int = snapshot.LAZY_ENTRIES + 6) -> ConfigTree:
    tree = ConfigTree()
    for vid in range(1, count + 1):
        tree.set(["interfaces", "ethernet", "eth0", "vif", str(vid), "address", f"10.0.{vid}.1/24"])
    tree.set(["interfaces", "ethernet", "eth0", "vif", "5", "description", "uplink"])
    tree.comment(["interfaces", "ethernet", "eth0", "vif", "7"], "seven")
    return tree


def _lazy(node) -> bool:
    return type(node) is snapshot._Entry and node._plain is not None


def test_a_large_tag_node_is_read_entry_by_entry_and_gives_the_same_tree():
    tree = _many_vlans()
    data = dump_boot(tree).encode()
    encoded = snapshot.encode(tree, data)
    back = snapshot.decode(encoded, data)
    vifs = back.node("interfaces", "ethernet", "eth0", "vif").children
    assert len(vifs) >= snapshot.LAZY_ENTRIES and all(_lazy(entry) for entry in vifs.values())
    # an entry never read is written back as it was read
    assert snapshot.encode(back, data) == encoded
    assert back.value("interfaces", "ethernet", "eth0", "vif", "5", "description") == "uplink"
    assert not _lazy(vifs["5"]) and _lazy(vifs["6"])
    assert snapshot.encode(back, data) == encoded           # read, and still the same
    edited = back.copy()
    edited.set(["interfaces", "ethernet", "eth0", "vif", "6", "mtu", "1400"])
    expected = tree.copy()
    expected.set(["interfaces", "ethernet", "eth0", "vif", "6", "mtu", "1400"])
    assert _lazy(back.node("interfaces", "ethernet", "eth0", "vif").children["8"])
    assert snapshot.decode(snapshot.encode(edited, data), data) == expected
    assert back == tree and dump_boot(back) == dump_boot(tree)     # (reads every entry)


def test_a_small_tag_node_is_decoded_at_once():
    tree = _many_vlans(snapshot.LAZY_ENTRIES - 1)
    data = dump_boot(tree).encode()
    back = snapshot.decode(snapshot.encode(tree, data), data)
    assert not any(_lazy(e) for e in back.node("interfaces", "ethernet", "eth0", "vif").children.values())


@pytest.mark.parametrize("damage", [
    lambda entry: entry.update(bogus={}),                            # an unknown name
    lambda entry: entry.__setitem__("address", [7]),                 # a value that is not text
    lambda entry: entry.__setitem__("address", {"x": {}}),           # children on a leaf
    lambda entry: entry.__setitem__("address", None),                # not a node
])
def test_a_damaged_entry_is_refused_when_read_with_an_error_naming_the_snapshot(damage):
    tree = _many_vlans()
    data = dump_boot(tree).encode()
    body = _edit_body(snapshot.encode(tree, data), lambda p: damage(
        _ifaces(p)["ethernet"]["eth0"]["vif"]["9"]))
    back = snapshot.decode(body, data)               # the entry is not read yet
    assert back.value("interfaces", "ethernet", "eth0", "vif", "8", "address") == "10.0.8.1/24"
    for _ in range(2):                               # refused each time it is read
        with pytest.raises(snapshot.Damaged, match=r"running configuration snapshot: an entry of 'vif' "
                                                   r"is damaged .*running\.snapshot"):
            back.value("interfaces", "ethernet", "eth0", "vif", "9", "address")
    assert isinstance(snapshot.Damaged("x"), NosError)       # (one clear line, not a crash)


def test_a_leaf_of_an_entry_is_read_without_decoding_the_entry():
    tree = _many_vlans()
    data = dump_boot(tree).encode()
    back = snapshot.decode(snapshot.encode(tree, data), data)
    vifs = back.node("interfaces", "ethernet", "eth0", "vif").children
    assert vifs["5"].leaf("address") == ["10.0.5.1/24"] and vifs["5"].leaf("description") == ["uplink"]
    assert vifs["6"].leaf("mtu") is None
    assert all(_lazy(entry) for entry in vifs.values())
    assert vifs["7"].leaf("address") == ["10.0.7.1/24"]         # (a comment: read whole)
    assert [k for k, entry in vifs.items() if not _lazy(entry)] == ["7"]
    assert [vifs[k].leaf("address") for k in vifs] == [tree.values(*("interfaces", "ethernet", "eth0", "vif", k, "address"))
                                                       for k in vifs]
    assert snapshot.encode(back, data) == snapshot.encode(tree, data)


@pytest.mark.parametrize("name, damaged", [
    ("description", ["one", "two"]),            # two values on a single leaf
    ("address", ["10.0.9.1/24", 7]),            # a value that is not text
    ("address", {"x": {}}),                     # children on a leaf
])
def test_a_damaged_leaf_read_alone_is_refused_as_the_whole_entry_is(name, damaged):
    tree = _many_vlans()
    data = dump_boot(tree).encode()
    body = _edit_body(snapshot.encode(tree, data), lambda p: _ifaces(p)["ethernet"]["eth0"]["vif"]["9"].update(
        {name: damaged}))
    back = snapshot.decode(body, data)
    with pytest.raises(snapshot.Damaged):
        back.node("interfaces", "ethernet", "eth0", "vif").children["9"].leaf(name)


def test_threads_reading_one_decoded_tree_fill_each_entry_once():
    """Sessions sharing a store's running tree read its entries from several threads."""
    import threading

    tree = _many_vlans(250)
    data = dump_boot(tree).encode()
    back = snapshot.decode(snapshot.encode(tree, data), data)
    vifs = back.node("interfaces", "ethernet", "eth0", "vif").children
    errors: list[BaseException] = []

    def read() -> None:
        try:
            for key in vifs:
                assert vifs[key].values is None and vifs[key].children["address"].values == [f"10.0.{key}.1/24"]
        except BaseException as exc:          # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(4)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)                 # (threads take turns inside a fill)
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert errors == [] and back == tree
