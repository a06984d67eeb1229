"""The example labs' topology files (examples/*/lab.toml) fit the router configurations
beside them: every router's file exists, every link end a router has is an interface its
configuration defines, trunks carry exactly the VLANs both ends define, hosts sit in the
subnets of the router interfaces they are linked to, BGP backends agree, and the docs
name the examples where they are. (The traffic each lab promises is tested where the
lab runtime brings them up.)"""
from __future__ import annotations

import ipaddress
import re
from pathlib import Path

import pytest

from nos_shell.lab.graph import as_dot, as_text
from nos_shell.lab.routerports import ports_of, read_tree, router_ports
from nos_shell.lab.topology import Topology, load

PROJECT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(d for d in (PROJECT / "examples").iterdir() if (d / "lab.toml").is_file())


def lab(example: Path) -> Topology:
    return load(example / "lab.toml")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda d: d.name)
def test_lab_reads_and_names_existing_router_files(example):
    topo = lab(example)
    assert topo.name == example.name
    configs = {str(node.config) for node in topo.routers()}
    assert "config.boot" in configs, "the lab runs the example's own router"
    for config in configs:
        assert (example / config).is_file(), f"{example.name}: {config} is missing"
    assert configs - {"config.boot"} == {p.name for p in example.glob("*.cmds")} - {"config.cmds"}, \
        "every peer command file is used by the lab, and only those"
    assert topo.hosts(), "each lab has hosts to send traffic"


def _router_view(example: Path) -> dict[str, dict[str, tuple]]:
    """Router -> interface -> (parent, vlan id, addresses) from its configuration file."""
    topo = lab(example)
    out = {}
    for node in topo.routers():
        ports = ports_of(read_tree(example / str(node.config)))
        out[node.name] = {p.name: (p.parent, p.vlan, p.addresses) for p in ports}
    return out


def _vlans_on(interfaces: dict[str, tuple], parent: str) -> set[int]:
    return {vlan for par, vlan, *_ in interfaces.values() if par == parent and vlan is not None}


def _host_view(node) -> dict[str, tuple]:
    return {i.name: (i.parent, i.vlan, tuple(str(a) for a in i.addresses) + (("dhcp",) if i.dhcp else ()))
            for i in node.interfaces.values()}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda d: d.name)
def test_links_match_the_router_configurations(example):
    topo = lab(example)
    views = _router_view(example)
    views.update({node.name: _host_view(node) for node in topo.hosts()})
    for link in topo.links:
        for end in (link.a, link.b):
            assert end.interface in views[end.node], f"{example.name}: {end} is not in {end.node}'s configuration"
            assert _vlans_on(views[end.node], end.interface) == set(link.vlans), \
                f"{example.name}: {end} defines VLANs {_vlans_on(views[end.node], end.interface)}, " \
                f"the link carries {link.vlans}"


def _networks(interfaces: dict[str, tuple], names: set[str]) -> set:
    return {ipaddress.ip_interface(a).network for name in names
            for a in interfaces.get(name, (None, None, ()))[2] if a not in ("dhcp", "dhcpv6")}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda d: d.name)
def test_hosts_sit_in_the_subnets_they_are_linked_to(example):
    """Each host address on a link is in a subnet the far router has on that link (its
    interface, its VLAN of the same id, or the bridge it is a member of), and each host
    route's next hop is on one of the host's own subnets."""
    topo = lab(example)
    views = _router_view(example)
    ports = router_ports(topo, example)[0]
    for host in topo.hosts():
        mine = _host_view(host)
        for end, far, _ in topo.ends_of(host.name):
            router = views[far.node]
            bridges = {p.name for p in ports[far.node] if far.interface in p.members}
            for name, (parent, vlan, addresses) in mine.items():
                if name != end.interface and parent != end.interface:
                    continue
                theirs = {n for n, (par, vid, _) in router.items()
                          if (vlan is None and n in {far.interface} | bridges)
                          or (vlan is not None and par == far.interface and vid == vlan)}
                nets = _networks(router, theirs)
                for address in addresses:
                    ip = None if address == "dhcp" else ipaddress.ip_interface(address)
                    if ip is None or ip.network.prefixlen == ip.max_prefixlen:
                        continue        # DHCP, or a network behind the host (a /32)
                    assert any(ip.ip in net for net in nets), \
                        f"{host.name}:{name} {address} is in none of {far.node}'s {sorted(map(str, nets))}"
        own = _networks(mine, set(mine))
        for route in host.routes:
            assert any(route.via in net for net in own), f"{host.name}: next hop {route.via} is not on a link"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda d: d.name)
def test_bgp_backends_agree(example):
    """A router's `bgp-backend` in lab.toml is the backend its configuration selects."""
    topo = lab(example)
    for node in topo.routers():
        tree = read_tree(example / str(node.config))
        if not tree.exists("protocols", "bgp", "system-as"):
            assert node.bgp_backend is None, f"{node.name} names a BGP backend but runs no BGP"
            continue
        configured = tree.value("protocols", "bgp", "backend") or "bird"
        assert (node.bgp_backend or "bird") == configured, node.name


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda d: d.name)
def test_example_graph_shows_every_node_and_link(example):
    topo = lab(example)
    ports, problems = router_ports(topo, example)
    assert problems == []
    text = as_text(topo, ports)
    assert "(not in its configuration)" not in text
    for mine, far, _ in (e for node in topo.nodes for e in topo.ends_of(node)):
        assert f"-- {far}" in text
    dot = as_dot(topo, ports)
    assert dot.count(" -- ") == len(topo.links)


def test_docs_name_the_examples_where_they_are():
    """Every examples/ path the docs and READMEs mention exists; each example's README
    says how to bring its lab up."""
    docs = [PROJECT / "README.md", *sorted((PROJECT / "docs").glob("*.md")),
            *(d / "README.md" for d in EXAMPLES)]
    mentioned = set()
    for doc in docs:
        for path in re.findall(r"examples/[a-z0-9_./-]*[a-z0-9_]", doc.read_text(encoding="utf-8")):
            assert (PROJECT / path).exists(), f"{doc.name} mentions {path}, which does not exist"
            mentioned.add(path)
    for example in EXAMPLES:
        assert f"examples/{example.name}/lab.toml" in mentioned
        assert f"nos-shell lab up examples/{example.name}/lab.toml" in (example / "README.md").read_text()
    lab_md = (PROJECT / "docs/lab.md").read_text(encoding="utf-8")
    assert "## The topology file" in lab_md and "## Examples" in lab_md


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda d: d.name)
def test_static_routes_to_hosts_reach_networks_they_hold(example):
    """A router's static route whose next hop is a host of the lab points at a network
    that host really holds an address in (what `networks behind hosts` means here)."""
    topo = lab(example)
    holders = {a.ip: [b for i in node.interfaces.values() for b in i.addresses]
               for node in topo.hosts() for i in node.interfaces.values() for a in i.addresses}
    checked = 0
    for node in topo.routers():
        tree = read_tree(example / str(node.config))
        for prefix in tree.keys("protocols", "static", "route"):
            for hop in tree.keys("protocols", "static", "route", prefix, "next-hop"):
                held = holders.get(ipaddress.ip_address(hop))
                if held is not None:
                    assert any(a.ip in ipaddress.ip_network(prefix) for a in held), (node.name, prefix, hop)
                    checked += 1
    if example.name == "edge-router":
        assert checked == 2
        edge = read_tree(example / "config.boot")
        assert edge.exists("protocols", "static", "route", "203.0.113.0/24", "blackhole")
