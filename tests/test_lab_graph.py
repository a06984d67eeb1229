"""`lab graph`: a topology as text (exact), as DOT that Graphviz reads back with every label
intact whatever characters it holds, as a picture where `dot` exists; router interfaces
read from their configuration files; the verb's exits and messages."""
from __future__ import annotations

import argparse
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, strategies as st

from lab import missing
from propsettings import examples

from nos_shell.lab.graph import GraphError, Port, as_dot, as_text, dot_string, render_picture
from nos_shell.lab.graph_cli import main_graph
from nos_shell.lab.routerports import ports_of, read_tree, router_ports
from nos_shell.lab.topology import parse

SMALL = """
name = "small"
[nodes.gw]
kind = "router"
config = "gw.cmds"
bgp-backend = "gobgp"
[nodes.pc]
kind = "host"
routes = [{ to = "default", via = "198.51.100.1" }, { to = "2001:db8:1::/48", via = "2001:db8::1" }]
services = [{ port = 80 }, { port = 53, protocol = "udp" }]
[nodes.pc.interfaces.eth0]
addresses = ["198.51.100.10/24", "2001:db8::10/64"]
[nodes.pc.interfaces."eth0.10"]
parent = "eth0"
vlan = 10
dhcp = true
[nodes.isp]
kind = "router"
config = "isp.cmds"
[nodes.cam]
kind = "host"
[nodes.cam.interfaces.eth0]
addresses = ["192.0.2.20/24"]
[[links]]
a = "gw:eth1"
b = "pc:eth0"
mtu = 9000
vlans = [10]
[[links]]
a = "isp:eth0"
b = "gw:eth0"
[[links]]
a = "gw:eth5"
b = "cam:eth0"
"""
GW = [Port("eth0", ("dhcp",)), Port("eth1"), Port("eth1.10", ("203.0.113.1/24",), "eth1", 10),
      Port("br0", ("192.0.2.1/24",), members=("eth2",)), Port("lo")]

SMALL_TEXT = """\
lab small: 4 nodes (2 routers, 2 hosts), 3 links
gw  router  gw.cmds  bgp gobgp
  eth0  dhcp  -- isp:eth0
  eth1  -- pc:eth0  (mtu 9000, vlans 10)
    eth1.10  vlan 10  203.0.113.1/24
  br0  192.0.2.1/24  members eth2
  eth5  -- cam:eth0  (not in its configuration)
pc  host
  eth0  198.51.100.10/24, 2001:db8::10/64  -- gw:eth1  (mtu 9000, vlans 10)
    eth0.10  vlan 10  dhcp
  routes: default via 198.51.100.1, 2001:db8:1::/48 via 2001:db8::1
  services: tcp/80, udp/53
isp  router  isp.cmds
  eth0  -- gw:eth0
cam  host
  eth0  192.0.2.20/24  -- gw:eth5
"""


def test_text_of_a_small_topology():
    """Nodes in file order, VLANs under their parent, an empty unlinked interface (lo) left
    out, a linked interface the read configuration lacks marked, an unread router (isp)
    shown from its links only."""
    assert as_text(parse(SMALL, "small.toml"), {"gw": GW}) == SMALL_TEXT


def test_text_without_router_configurations_shows_the_links():
    text = as_text(parse(SMALL, "small.toml"))
    assert "gw  router  gw.cmds  bgp gobgp\n  eth1  -- pc:eth0  (mtu 9000, vlans 10)\n" \
           "  eth0  -- isp:eth0\n  eth5  -- cam:eth0\npc  host\n" in text
    assert "not in its configuration" not in text


def test_dot_of_a_small_topology():
    dot = as_dot(parse(SMALL, "small.toml"), {"gw": GW})
    assert dot.startswith('graph "small" {\n    graph [label="lab small", labelloc=t];\n')
    assert '    "gw" [shape=box, label="gw router gw.cmds bgp gobgp\\nbr0 192.0.2.1/24 members eth2"];\n' in dot
    assert ('    "gw" -- "pc" [taillabel="eth1\\neth1.10 vlan 10 203.0.113.1/24", '
            'headlabel="eth0 198.51.100.10/24, 2001:db8::10/64\\neth0.10 vlan 10 dhcp", '
            'label="mtu 9000, vlans 10"];\n') in dot
    assert '    "isp" -- "gw" [taillabel="eth0", headlabel="eth0 dhcp"];\n' in dot
    assert dot.endswith("}\n")


def require_dot() -> str:
    path = shutil.which("dot")
    if path is None:
        missing("Graphviz (dot) is not installed (run ./run-tests as root to install it)")
    return path


def svg_texts(dot_text: str) -> list[str]:
    """What Graphviz drew from ``dot_text``: the text of every <text> of the SVG."""
    done = subprocess.run([require_dot(), "-Tsvg"], input=dot_text.encode(), capture_output=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    root = ET.fromstring(done.stdout)
    return [el.text or "" for el in root.iter("{http://www.w3.org/2000/svg}text")]


def test_graphviz_reads_the_small_topology():
    texts = svg_texts(as_dot(parse(SMALL, "small.toml"), {"gw": GW}))
    assert "eth1.10 vlan 10 203.0.113.1/24" in texts and "lab small" in texts


HOSTILE = ['we"ird\\', 'a\\"b', "}; node [label=x", "<b>html</b>", "line\nbreak", "\\N\\G\\l",
           "tab\tand\rcr", "é ü ☃"]


def test_labels_cannot_break_the_dot_syntax():
    """Quotes, backslashes, braces, angle brackets, Graphviz's own escapes (\\N) and control
    characters in a file name or an address come out as written (controls as spaces)."""
    nodes = "\n".join(f'[nodes.r{i}]\nkind = "router"\nconfig = "c"' for i in range(len(HOSTILE)))
    topo = parse(f'name = "evil"\n{nodes}\n', "evil.toml")
    ports = {f"r{i}": [Port("eth0", (text,))] for i, text in enumerate(HOSTILE)}
    texts = svg_texts(as_dot(topo, ports))
    for text in HOSTILE:
        shown = "".join(" " if ord(ch) < 32 else ch for ch in text)
        assert f"eth0 {shown}" in texts, (text, texts)


def test_a_file_name_with_quotes_is_a_label_not_syntax():
    topo = parse('[nodes.r]\nkind = "router"\nconfig = \'a" -- "b.cmds\'\n', "q.toml")
    assert topo.nodes["r"].config is not None
    texts = svg_texts(as_dot(topo))
    assert 'r router a" -- "b.cmds' in texts


@examples(30)
@given(st.lists(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30),
                min_size=1, max_size=8))
def test_any_label_round_trips_through_graphviz(labels):
    """Whatever the text, Graphviz draws exactly it (control characters as spaces; runs of
    spaces and the ends of a line are Graphviz's to trim, so compared word by word)."""
    nodes = "\n".join(f'[nodes.r{i}]\nkind = "router"\nconfig = "c"' for i in range(len(labels)))
    topo = parse(f'name = "any"\n{nodes}\n', "any.toml")
    ports = {f"r{i}": [Port("eth0", (text,))] for i, text in enumerate(labels)}
    drawn = [" ".join(t.split()) for t in svg_texts(as_dot(topo, ports))]
    for text in labels:
        shown = " ".join(("eth0 " + "".join(" " if ord(ch) < 32 or ord(ch) == 127 else ch
                                             for ch in text)).split())
        assert shown in drawn, (text, drawn)


def test_dot_string_escapes_what_ends_a_string():
    assert dot_string('a"b\\c\nd') == '"a\\"b\\\\c d"'


def test_picture_drawn_where_dot_exists(tmp_path):
    require_dot()
    render_picture(as_dot(parse(SMALL, "small.toml")), tmp_path / "small.svg")
    assert b"<svg" in (tmp_path / "small.svg").read_bytes()
    render_picture(as_dot(parse(SMALL, "small.toml")), tmp_path / "small.png")
    assert (tmp_path / "small.png").read_bytes().startswith(b"\x89PNG")


def test_picture_refused_without_dot_or_of_an_unknown_kind(tmp_path, monkeypatch):
    with pytest.raises(GraphError, match="use a file name ending in .svg, .png, .pdf"):
        render_picture("graph {}", tmp_path / "x.jpg")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(GraphError, match="Graphviz is not installed"):
        render_picture("graph {}", tmp_path / "x.svg")
    assert not (tmp_path / "x.svg").exists()


def test_dot_syntax_errors_are_reported(tmp_path):
    require_dot()
    with pytest.raises(GraphError, match="dot failed"):
        render_picture("graph { ", tmp_path / "x.svg")


COMMANDS = """# a router
configure
set interfaces ethernet eth0 address 'dhcp'
set interfaces ethernet eth1 vif 10 address '203.0.113.1/24'
set interfaces vlan 20 source-interface 'eth1'
set interfaces vlan 20 address '198.51.100.1/24'
set interfaces ethernet eth2 address '192.0.2.9/24'
delete interfaces ethernet eth2
set interfaces bridge br0 member interface eth3
commit
save
exit
show configuration commands
"""


def test_router_ports_from_a_command_file_and_a_config_boot(tmp_path):
    """Only set/delete lines count, in order; VLANs of both forms get their parent and id."""
    (tmp_path / "r.cmds").write_text(COMMANDS)
    ports = ports_of(read_tree(tmp_path / "r.cmds"))
    want = [Port("eth0", ("dhcp",)), Port("eth1"), Port("eth1.10", ("203.0.113.1/24",), "eth1", 10),
            Port("br0", members=("eth3",)), Port("eth1.20", ("198.51.100.1/24",), "eth1", 20)]
    assert [p for p in ports if p.name != "lo"] == want
    from nos_shell.config.bootfile import dump_boot
    boot = dump_boot(read_tree(tmp_path / "r.cmds"))
    (tmp_path / "r.boot").write_text(boot)
    assert ports_of(read_tree(tmp_path / "r.boot")) == ports
    (tmp_path / "router.conf").write_text(boot)         # config.boot by its content too
    assert ports_of(read_tree(tmp_path / "router.conf")) == ports


def write_lab(tmp_path, router_config: str = COMMANDS) -> None:
    (tmp_path / "lab.toml").write_text('[nodes.gw]\nkind = "router"\nconfig = "gw.cmds"\n'
                                       '[nodes.pc]\nkind = "host"\n[nodes.pc.interfaces.eth0]\n'
                                       'addresses = ["203.0.113.9/24"]\n'
                                       '[[links]]\na = "gw:eth1"\nb = "pc:eth0"\nvlans = [10]\n')
    (tmp_path / "gw.cmds").write_text(router_config)


def graph(*argv: str, resolve=None) -> int:
    parser = argparse.ArgumentParser()
    from nos_shell.lab.graph_cli import add_arguments
    add_arguments(parser)
    return main_graph(parser.parse_args(list(argv)), resolve)


def test_verb_prints_text_or_dot_and_writes_files(tmp_path, capsys):
    (tmp_path / "lab1").mkdir()
    write_lab(tmp_path / "lab1")
    assert graph(str(tmp_path / "lab1")) == 0
    out = capsys.readouterr().out
    assert out.startswith("lab lab1: 2 nodes (1 router, 1 host), 1 link\n")
    assert "    eth1.10  vlan 10  203.0.113.1/24\n" in out
    assert graph(str(tmp_path / "lab1" / "lab.toml"), "--dot") == 0
    assert capsys.readouterr().out.startswith('graph "lab1" {')
    assert graph(str(tmp_path / "lab1"), "--output", str(tmp_path / "g.dot")) == 0
    assert (tmp_path / "g.dot").read_text().startswith('graph "lab1" {')
    assert graph(str(tmp_path / "lab1"), "--output", str(tmp_path / "g.txt")) == 0
    assert (tmp_path / "g.txt").read_text().startswith("lab lab1:")
    assert "wrote" in capsys.readouterr().err


def test_verb_finds_a_lab_by_name_and_reports_what_it_cannot_use(tmp_path, capsys):
    (tmp_path / "lab1").mkdir()
    write_lab(tmp_path / "lab1", router_config="set interfaces ethernet eth1 bogus 'x'\n")
    assert graph("lab1", resolve=lambda name: tmp_path / name / "lab.toml") == 0
    captured = capsys.readouterr()
    assert "gw.cmds" in captured.err and "shown from the links only" in captured.err
    assert "  eth1  -- pc:eth0  (vlans 10)\n" in captured.out
    assert graph("nolab", resolve=lambda name: None) == 1
    assert "nolab: no such topology file or lab" in capsys.readouterr().err

    def unknown(name):
        raise LookupError(f"no lab named {name!r} is running")
    assert graph("gone", resolve=unknown) == 1
    assert "lab graph: no lab named 'gone' is running" in capsys.readouterr().err
    (tmp_path / "bad.toml").write_text('[nodes.gw]\nkind = "switch"\n')
    assert graph(str(tmp_path / "bad.toml")) == 1
    assert 'nodes.gw.kind: must be "router" or "host"' in capsys.readouterr().err
    assert graph(str(tmp_path / "lab1"), "--output", str(tmp_path / "g.gif")) == 1
    assert "cannot draw a picture of that kind" in capsys.readouterr().err


def test_router_ports_report_unreadable_files(tmp_path):
    (tmp_path / "lab1").mkdir()
    write_lab(tmp_path / "lab1")
    (tmp_path / "lab1" / "gw.cmds").unlink()
    from nos_shell.lab.topology import load
    ports, problems = router_ports(load(tmp_path / "lab1" / "lab.toml"), tmp_path / "lab1")
    assert ports == {} and len(problems) == 1 and "gw.cmds" in problems[0]
