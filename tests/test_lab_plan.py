"""The lab runtime's pure parts: which drivers a lab needs and the refusal before anything
starts, the script that commits a router's configuration, state names and look-ups, and
that no module of the runtime builds a shell command line."""
from __future__ import annotations

import ast
import pathlib

import pytest
from hypothesis import given, strategies as st

from nos_shell.lab import drivers, router, state as lab_state, up as lab_up
from nos_shell.lab.topology import NAME, TopologyError, parse
from propsettings import examples

VLAN_HOST = """
name = "vl"
[nodes.gw]
kind = "router"
config = "gw.cmds"
[nodes.pc]
kind = "host"
[nodes.pc.interfaces.eth0]
[nodes.pc.interfaces."eth0.10"]
parent = "eth0"
vlan = 10
addresses = ["192.0.2.10/24"]
[[links]]
a = "gw:eth1"
b = "pc:eth0"
"""
LAB = pathlib.Path(__file__).parent.parent / "nos_shell" / "lab"


def test_router_configurations_add_their_drivers():
    lines = ["set interfaces ethernet eth1 vif 10 address 192.0.2.1/24",
             "set interfaces bonding bond0 member interface eth2",
             "set interfaces dummy dum0 address 10.0.0.1/32",
             "set interfaces wireguard wg0 port 51820",
             "set vrf name blue table 100",
             "set interfaces ethernet eth3 address 10.0.3.1/24"]
    assert drivers.config_drivers(lines) == {"vlan", "bond", "dummy", "wireguard", "vrf"}
    assert drivers.config_drivers(lines[-1:]) == set()
    assert drivers.config_drivers(["set interfaces ethernet eth0 vif-s 100 vif-c 20"]) == {"vlan"}


def test_a_missing_driver_is_refused_naming_it_and_vm():
    topology = parse(VLAN_HOST, "lab.toml")
    needs = drivers.needed(topology, {"gw": ["set interfaces ethernet eth1 vif 20"]})
    assert needs == {"veth": ["the links"], "vlan": ["the links", "router gw"]}
    message = drivers.refusal(topology, needs, {"vlan": "no 8021q"})
    assert message == ("lab vl needs vlan links (kernel module 8021q, for the links, router gw), "
                       "which this kernel cannot create; run it in a VM with --vm")
    assert drivers.refusal(topology, needs, {"bond": "no bonding"}) is None


def test_up_refuses_before_making_anything(tmp_path, monkeypatch):
    """The driver check comes before the state directory and any namespace."""
    (tmp_path / "lab.toml").write_text(VLAN_HOST)
    (tmp_path / "gw.cmds").write_text("set interfaces ethernet eth1 address 192.0.2.1/24\n")
    monkeypatch.setattr("nos_shell.lab.kernel.missing_drivers", lambda: {"vlan": "no"})
    made: list[str] = []
    monkeypatch.setattr(lab_state, "claim", lambda *a, **k: made.append("claim"))
    monkeypatch.setattr("nos_shell.lab.namespaces.add", lambda ns: made.append(ns))
    with pytest.raises(lab_state.LabError, match=r"needs vlan links \(kernel module 8021q.*--vm"):
        lab_up.up(tmp_path / "lab.toml", state_dir=tmp_path / "state")
    assert made == [] and not (tmp_path / "state").exists()


def test_a_missing_router_configuration_is_refused(tmp_path):
    (tmp_path / "lab.toml").write_text(VLAN_HOST)
    with pytest.raises(lab_state.LabError, match=r"nodes\.gw\.config: .*gw\.cmds is not a file"):
        lab_up.read(tmp_path / "lab.toml", None)
    (tmp_path / "gw.cmds").write_text("")
    with pytest.raises(lab_state.LabError, match="--name 'Bad_name'"):
        lab_up.read(tmp_path / "lab.toml", "Bad_name")
    assert lab_up.read(tmp_path / "lab.toml", "other")[0].name == "other"


def test_commit_scripts(tmp_path):
    node = parse(VLAN_HOST, "lab.toml").nodes["gw"]
    bgp = ["set protocols bgp system-as 65001"]
    plain = tmp_path / "gw.cmds"
    plain.write_text("set interfaces ethernet eth1 address 192.0.2.1/24\n")
    # the file's own lines come first, so an error names the file's line number
    assert router.script(node, plain, [], tmp_path / "cfg") == (["configure"], [
        "set interfaces ethernet eth1 address 192.0.2.1/24", "", "commit", "save", "exit"])
    gobgp = node.__class__(**{**node.__dict__, "bgp_backend": "gobgp"})
    assert "set protocols bgp backend gobgp" in router.script(gobgp, plain, bgp, tmp_path / "cfg")[1]
    assert "set protocols bgp backend gobgp" not in router.script(gobgp, plain, [], tmp_path / "cfg")[1]
    own = tmp_path / "own.cmds"
    own.write_text("# mine\nconfigure\nset system host-name x\ncommit\n")
    first, body = router.script(gobgp, own, bgp, tmp_path / "cfg")
    assert first == [] and body[:2] == ["# mine", "configure"]
    assert body[-5:] == ["configure", "set protocols bgp backend gobgp", "commit", "save", "exit"]
    boot = tmp_path / "gw.boot"
    boot.write_text("system {\n    host-name gw\n}\n")
    assert router.is_boot_text(boot.read_text()) and not router.is_boot_text(own.read_text())
    assert router.script(node, boot, [], tmp_path / "cfg")[1][:2] == ["configure", "load lab.boot"]
    assert (tmp_path / "cfg" / "lab.boot").read_text() == boot.read_text()
    assert router.set_lines(boot) == ["set system host-name 'gw'"]


def test_ssh_target():
    assert router.ssh_target(["set system host-name x"]) == []
    assert router.ssh_target(["set service ssh"]) == ["-p", "22", "vyos@127.0.0.1"]
    assert router.ssh_target(["set service ssh port '2222'", "set system login user alice authentication x",
                              "set service ssh listen-address 192.0.2.1"]) == ["-p", "2222", "alice@192.0.2.1"]


@given(st.lists(st.tuples(st.from_regex(NAME, fullmatch=True), st.from_regex(NAME, fullmatch=True)),
                min_size=2, max_size=8, unique=True))
@examples(60)
def test_namespace_names_never_collide_across_labs(pairs):
    assert len({lab_state.namespace(lab, node) for lab, node in pairs}) == len(pairs)


def test_state_claim_load_and_find(tmp_path):
    first = lab_state.claim("one", "/x/lab.toml", tmp_path / "roots", tmp_path)
    first.nodes["gw"] = lab_state.NodeState("gw", "router", "one_gw", anchor=42, root="/r/gw")
    first.save()
    with pytest.raises(lab_state.LabError, match="lab 'one' is already running.*lab down one"):
        lab_state.claim("one", "/x/lab.toml", tmp_path / "roots", tmp_path)
    loaded = lab_state.load("one", tmp_path)
    assert loaded == first and loaded.nodes["gw"].prefix == ["nsenter", "-t", "42", "-n", "-m", "-u"]
    assert lab_state.find_node("gw", tmp_path)[1].netns == "one_gw"
    two = lab_state.claim("two", "/y/lab.toml", tmp_path / "roots2", tmp_path)
    two.nodes["gw"] = lab_state.NodeState("gw", "host", "two_gw")
    two.save()
    assert lab_state.find_node("two:gw", tmp_path)[1].prefix == ["ip", "netns", "exec", "two_gw"]
    with pytest.raises(lab_state.LabError, match=r"in several labs \(one, two\): name it as LAB:gw"):
        lab_state.find_node("gw", tmp_path)
    with pytest.raises(lab_state.LabError, match="no node 'pc' in any running lab"):
        lab_state.find_node("pc", tmp_path)
    with pytest.raises(lab_state.LabError, match="no lab named 'three'"):
        lab_state.load("three", tmp_path)


def test_hostile_names_are_refused_by_the_topology():
    with pytest.raises(TopologyError, match=r"nodes\.a;b"):
        parse('[nodes."a;b"]\nkind = "host"\n')
    with pytest.raises(TopologyError, match="interfaces"):
        parse('[nodes.h]\nkind = "host"\n[nodes.h.interfaces."e$(x)"]\n')


def _shell_uses(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "shell":
            found.append("shell=")
        if isinstance(node, ast.Attribute) and node.attr in ("system", "popen") and \
                isinstance(node.value, ast.Name) and node.value.id == "os":
            found.append(f"os.{node.attr}")
        if isinstance(node, ast.Constant) and node.value in ("sh", "/bin/sh", "bash", "-c"):
            found.append(repr(node.value))
    return found


def test_the_runtime_builds_no_shell_command_lines():
    """No module of nos_shell/lab starts a shell or passes shell=; every program is an argv."""
    assert _shell_uses(ast.parse("subprocess.run('x', shell=True); os.system('y'); ['sh', '-c', 'z']")) == [
        "shell=", "os.system", "'sh'", "'-c'"]
    modules = sorted(LAB.glob("*.py"))
    assert len(modules) > 10
    assert {m.name: _shell_uses(ast.parse(m.read_text())) for m in modules} == {m.name: [] for m in modules}


def test_a_lab_killed_before_its_first_save_can_still_be_taken_down(tmp_path):
    from nos_shell.lab.down import down

    (tmp_path / "half").mkdir()         # claimed, then killed before state.json was written
    state = lab_state.load("half", tmp_path)
    assert state.nodes == {} and state.directory == str(tmp_path / "half")
    assert down(state) == [] and lab_state.names(tmp_path) == []


def test_a_router_resolves_its_own_names():
    node = parse(VLAN_HOST, "lab.toml").nodes["gw"]
    names = router.host_names(node, ["set system host-name 'home-gw'", "set system host-name gw"])
    assert names == ["gw", "home-gw"]
    assert router.hosts_file(names).splitlines()[-1] == "127.0.1.1\tgw home-gw"
