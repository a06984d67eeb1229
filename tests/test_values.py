"""Issue 8, failures 2, 3 and the U+2028 part of 7, each reproduced as it was found.

- an IPv6 zone id (``%`` and any text after it) was accepted by every IPv6-typed leaf and
  tag key, and tag keys were written bare to config.boot, so one `set` + `commit` bricked
  the store and values escaped into resolv.conf, timesyncd, bird.conf and networkd units;
- a value that gets past the types anyway is stopped twice: by the backends' verify (a
  Problem with the path, not a ValueError at write time) and by the store, which refuses
  to archive text that does not read back as the same tree;
- a hostile config.boot is refused with FILE:LINE as `set` would refuse the value;
- text is split into lines on ``\\n`` only, so a U+2028 or U+0085 stays inside its value.
"""
from __future__ import annotations

import pytest

from nos_shell.api import tree_from_commands
from nos_shell.backends.registry import compile_all, verify_all
from nos_shell.cli import read_lines
from nos_shell.config.bootfile import dump_boot, load_boot
from nos_shell.config.tree import ConfigTree, Node
from nos_shell.errors import CommitError, NosError, PathError
from nos_shell.session import Session
from nos_shell.store import Store, archive_text

ZONED = ["2001:db8::1%x y", "2001:db8::53%x\noptions ndots:15 rotate\nsearch evil.example",
         "2001:db8::1%x 203.0.113.66", "2001:db8::1%eth0", "fe80::1%eth0", "2001:db8::1%x\r", "2001:db8::1%x\x00"]


def _session(tmp_path) -> Session:
    session = Session(tmp_path, apply=False)
    session.execute("configure")
    return session


def _quoted(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'"


@pytest.mark.parametrize("value", ZONED, ids=repr)
@pytest.mark.parametrize("path", [
    "service ntp server", "system name-server", "interfaces ethernet eth0 address",
    "protocols bgp neighbor", "protocols static route6 2001:db8:1::/48 next-hop",
    "interfaces vxlan vxlan0 remote", "service ssh listen-address"])
def test_an_ipv6_zone_id_is_refused_at_set(tmp_path, path, value):
    session = _session(tmp_path)
    result = session.run(f"set {path} {_quoted(value + ('/64' if path.endswith(' address') else ''))}")
    assert not result.ok
    assert "is not valid" in result.error.summary
    assert "\n" not in result.error.summary and "\r" not in result.error.summary


def test_the_bricking_commit_is_refused_and_the_store_keeps_working(tmp_path):
    session = _session(tmp_path)
    assert not session.run("set service ntp server '2001:db8::1%x y'").ok
    assert session.run("set service ntp server 2001:db8::1").ok
    assert session.run("commit").ok
    again = Session(tmp_path, apply=False)
    assert "server 2001:db8::1" in again.execute("show configuration")


@pytest.mark.parametrize("value", ["192.0.2.1/255.255.255.0", "192.0.2.1/024", "192.0.2.1/0.0.0.255",
                                   "\u0661\u0669\u0662.0.2.1/24", "192.0.2.1/\u0662\u0664"], ids=repr)
def test_a_prefix_length_is_decimal_ascii_digits(value):
    with pytest.raises(PathError):
        ConfigTree().set(["interfaces", "ethernet", "eth0", "address", value])


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85", "\x9b", "\x7f", "\r", "\ud800"], ids=repr)
def test_no_type_admits_control_characters_or_line_separators(char):
    tree = ConfigTree()
    with pytest.raises(PathError, match="control characters"):
        tree.set(["interfaces", "ethernet", "eth0", "description", f"a{char}b"])
    with pytest.raises(PathError, match="comment"):
        tree.set(["interfaces", "ethernet", "eth0"])
        tree.comment(["interfaces", "ethernet", "eth0"], f"a{char}b")


def test_free_text_is_bounded():
    tree = tree_from_commands("set interfaces ethernet eth0")
    tree.set(["interfaces", "ethernet", "eth0", "description", "d" * 255])
    with pytest.raises(PathError, match="0 to 255"):
        tree.set(["interfaces", "ethernet", "eth0", "description", "d" * 256])
    tree.comment(["interfaces", "ethernet", "eth0"], "c" * 1024)
    with pytest.raises(PathError, match="at most 1024"):
        tree.comment(["interfaces", "ethernet", "eth0"], "c" * 1025)


def test_a_refused_value_is_echoed_short_and_on_one_line():
    with pytest.raises(PathError) as caught:
        ConfigTree().set(["system", "name-server", "x\n" * 10000])
    assert "\n" not in caught.value.summary and len(caught.value.summary) < 400


# -- the last line of defence --------------------------------------------------------------
def _smuggled(key: str = "2001:db8::1%x y") -> ConfigTree:
    """A tree holding an NTP server key no type admits (as a bug could leave it)."""
    tree = tree_from_commands("set service ntp server 192.0.2.123")
    tree.node("service", "ntp", "server").children[key] = Node()
    return tree


def test_tag_keys_are_quoted_so_any_key_parses_back():
    text = dump_boot(_smuggled())
    assert 'server "2001:db8::1%x y" {' in text and "server 192.0.2.123 {" in text
    with pytest.raises(PathError, match=r"<config>:\d+: .*is not valid"):
        load_boot(text)       # it parses; the schema refuses the key, as `set` would


def test_the_store_refuses_an_archive_that_would_not_read_back(tmp_path):
    store = Store(tmp_path)
    before = store.revisions()
    with pytest.raises(CommitError, match="cannot be archived") as caught:
        store.commit(_smuggled(), user="t", via="api")
    assert "Commit failed" in caught.value.lines
    assert store.revisions() == before and len(list((tmp_path / "var/lib/nos-shell/archive").iterdir())) == 1
    with pytest.raises(CommitError, match="reads back differently"):
        tree = tree_from_commands("set interfaces ethernet eth0")
        tree.node("interfaces", "ethernet", "eth0").children["description"] = Node()  # no value
        archive_text(tree)


def test_a_smuggled_candidate_is_refused_by_commit_and_nothing_changes(tmp_path):
    session = _session(tmp_path)
    session.verifiers.clear()      # even without any verifier the store refuses it
    session.candidate = _smuggled()
    result = session.run("commit")
    assert not result.ok and "cannot be archived" in result.error.summary
    assert session.run("exit discard").ok
    assert Session(tmp_path, apply=False).run("show configuration commands").ok


@pytest.mark.parametrize("path,key", [
    (("service", "ntp", "server"), "2001:db8::1%x 203.0.113.66"),
    (("protocols", "bgp", "neighbor"), "2001:db8::1%x"),
    (("protocols", "static", "route"), "10.0.0.0/8\n} protocol kernel {"),
    (("interfaces", "ethernet"), "eth0 y"),
    (("nat", "source", "rule"), "10;"),
])
def test_backends_refuse_an_unsafe_word_at_verify_with_its_path(path, key):
    tree = tree_from_commands("set protocols bgp system-as 64500\nset protocols bgp parameters router-id 192.0.2.1\n"
                              "set service ntp server 192.0.2.123")
    holder = tree.root
    for word in path:
        holder = holder.children.setdefault(word, Node())
    holder.children[key] = Node()
    problems = verify_all(tree)
    assert any(p.path == path + (key,) and "written safely" in p.message for p in problems), problems


@pytest.mark.parametrize("leaf,value", [(("system", "name-server"), "2001:db8::53%x\noptions ndots:15"),
                                        (("interfaces", "ethernet", "eth0", "mtu"), "1500 "),
                                        (("interfaces", "ethernet", "eth0", "address"), "192.0.2.1/24\\")])
def test_backends_refuse_an_unsafe_value_at_verify(leaf, value):
    tree = tree_from_commands("set interfaces ethernet eth0 description x")
    node = tree.root
    for word in leaf:
        node = node.children.setdefault(word, Node())
    node.values = [value]
    assert any(p.path == leaf for p in verify_all(tree))


def test_compile_of_a_verified_tree_never_raises_for_unsafe_text():
    tree = tree_from_commands("set system name-server 2001:db8::53\nset service ntp server 2001:db8::1")
    assert verify_all(tree) == []
    out = compile_all(tree)
    assert b"nameserver 2001:db8::53\n" in out[next(p for p in out if p.name == "resolv.conf")]


# -- loading config.boot -------------------------------------------------------------------
HOSTILE_BOOT = [
    ('service {\n    ntp {\n        server "2001:db8::1%x y" {\n        }\n    }\n}\n', 3),
    ('system {\n    name-server "2001:db8::53%x\r"\n}\n', 2),
    ('system {\n    name-server "192.0.2.53\x00"\n}\n', 2),
    ('interfaces {\n    ethernet eth0 {\n        description "a\u2028b"\n    }\n}\n', 3),
    ('interfaces {\n    ethernet eth0 {\n        address "2001:db8::1%x/64"\n    }\n}\n', 3),
]


@pytest.mark.parametrize("text,line", HOSTILE_BOOT, ids=range(len(HOSTILE_BOOT)))
def test_a_hostile_config_boot_is_refused_with_file_and_line(tmp_path, text, line):
    with pytest.raises(PathError, match=rf"^cfg.boot:{line}: Configuration path: \[.*\] is not valid"):
        load_boot(text, "cfg.boot")
    tree, warnings = load_boot(text, "cfg.boot", ignore_unknown=True)
    assert len(warnings) == 1 and warnings[0].startswith(f"cfg.boot:{line}:")
    assert tree.is_empty() or tree.node("interfaces", "ethernet", "eth0") is not None


def test_a_hostile_comment_in_config_boot_is_refused():
    text = "interfaces {\n    /* a\x85b */\n    ethernet eth0 {\n    }\n}\n"
    with pytest.raises(PathError, match="comment"):
        load_boot(text, "cfg.boot")
    tree, warnings = load_boot(text, "cfg.boot", ignore_unknown=True)
    assert tree.node("interfaces", "ethernet", "eth0").comment is None and len(warnings) == 1


def test_load_of_a_saved_file_with_a_raw_cr_value_is_refused(tmp_path):
    (tmp_path / "etc/nos-shell").mkdir(parents=True)
    (tmp_path / "etc/nos-shell/bad.boot").write_bytes(b'system {\n    name-server "2001:db8::53%x\r"\n}\n')
    session = _session(tmp_path)
    result = session.run("load bad.boot")
    assert not result.ok and "bad.boot:2:" in result.error.summary


# -- lines split on \n only ---------------------------------------------------------------
@pytest.mark.parametrize("sep", ["\u2028", "\x85", "\u2029", "\x1c", "\r"], ids=repr)
def test_command_files_split_on_newline_only(tmp_path, sep):
    script = tmp_path / "cmds"
    script.write_bytes(f"set interfaces ethernet eth0 description 'a{sep}b'\nset system host-name r1\n".encode())
    lines = read_lines(str(script))
    assert lines == [f"set interfaces ethernet eth0 description 'a{sep}b'", "set system host-name r1"]
    session = Session(tmp_path / "root", apply=False)
    result = session.run_script(["configure"] + lines)
    assert not result.ok and result.error.summary.startswith("<script>:2: ")


def test_a_description_shown_by_show_commands_loads_back(tmp_path):
    """Reproduction of the U+2028 report: what `show configuration commands` prints is
    loadable; a U+2028 is refused at `set`, so it can no longer be shown at all."""
    session = _session(tmp_path)
    assert not session.run("set interfaces ethernet eth0 description 'a\u2028b'").ok
    assert session.run("set interfaces ethernet eth0 description 'a b \"q\" \\'s\\' {x} ;#'").ok
    assert session.run("commit").ok
    shown = session.execute("run show configuration commands")
    (tmp_path / "etc/nos-shell").mkdir(parents=True, exist_ok=True)
    (tmp_path / "etc/nos-shell/shown.cmds").write_text(shown)
    assert session.run("load shown.cmds").ok
    assert session.candidate == session.running


def test_tree_from_commands_splits_on_newline_only():
    with pytest.raises(NosError, match="control characters"):
        tree_from_commands("set interfaces ethernet eth0 description 'a\u2028b'\n")


@pytest.mark.parametrize("words", [["interfaces", "ethernet", "eth0", "vif", "010"],
                                   ["interfaces", "ethernet", "eth0", "mtu", "01500"],
                                   ["nat", "destination", "rule", "20", "destination", "port", "080"],
                                   ["interfaces", "ethernet", "eth0", "mtu", "\u0661\u0665\u0660\u0660"]], ids=repr)
def test_numbers_are_canonical_ascii_decimal(words):
    """`vif 010` would stand beside `vif 10` as a second key for the same VLAN."""
    with pytest.raises(PathError):
        ConfigTree().set(words)
