"""networkd's quickest delta (backends/networkd/own.py): own settings no unit shows.

- the unit paths computed from the names alone are exactly the paths a full compile gives,
  for random trees (routes naming interfaces nobody configured, disabled next hops,
  blackholes, bridges, bonds, macvlan and vxlan sources; hypothesis);
- random changes of interfaces' own settings (description, MTU, MAC, disable, bridge and
  bond settings) give exactly what two full compiles give, paths included;
- a description change on 4094 VLANs builds no route, no connected prefix, and renders
  nothing; an MTU change still goes the way that renders the changed unit.
"""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from nos_shell.api import tree_from_commands
from nos_shell.backends.networkd import compiler as networkd
from nos_shell.backends.networkd import delta as networkd_delta
from nos_shell.backends.networkd import links, own, routed
from nos_shell.backends.networkd.spec import NetworkSpec
from nos_shell.models import shared
from nos_shell.models.changes import changed_paths

from propsettings import examples
from strategies import apply_edits, set_line

BASE = """
set interfaces ethernet eth0 address 192.0.2.1/24
set interfaces ethernet eth0 vif 10 address 198.51.100.1/24
set interfaces ethernet eth1 address 203.0.113.1/24
set interfaces ethernet eth1 vif 20 address 10.20.0.1/24
set interfaces bridge br0 member interface eth3
set interfaces bridge br0 address 10.40.0.1/24
set interfaces bonding bond0 member interface eth4
set interfaces bonding bond0 mode active-backup
set interfaces pseudo-ethernet peth0 source-interface eth5
set interfaces vxlan vxlan0 vni 10
set interfaces vxlan vxlan0 remote 192.0.2.9
set interfaces vxlan vxlan0 source-interface eth6
set interfaces dummy dum0 address 10.50.0.1/32
set protocols static route 10.2.0.0/16 next-hop 10.20.0.9
set protocols static route 10.3.0.0/16 next-hop 192.0.2.77 interface eth7
set protocols static route 10.3.0.0/16 next-hop 192.0.2.78 interface eth8
set protocols static route 10.3.0.0/16 next-hop 192.0.2.78 disable
set protocols static route 10.4.0.0/16 next-hop 192.0.2.79 interface eth9
set protocols static route 10.4.0.0/16 next-hop 192.0.2.79 disable
set protocols static route 10.5.0.0/16 interface eth10
set protocols static route 10.5.0.0/16 interface eth11 disable
set protocols static route6 2001:db8:9::/48 interface eth12
set protocols static route 10.6.0.0/16 blackhole
set service dhcp-server shared-network-name LAN subnet 10.20.0.0/24 option default-router 10.20.0.1
set service dhcp-server shared-network-name LAN subnet 10.20.0.0/24 range 0 start 10.20.0.100
set service dhcp-server shared-network-name LAN subnet 10.20.0.0/24 range 0 stop 10.20.0.120
"""
IFACES = ["ethernet eth0", "ethernet eth0 vif 10", "ethernet eth1", "ethernet eth1 vif 20", "bridge br0",
          "bonding bond0", "pseudo-ethernet peth0", "vxlan vxlan0", "dummy dum0"]
OWN_SETTINGS = [["description", "x"], ["description", "y z"], ["mtu", "1400"], ["mtu", "9000"],
                ["disable"], ["mac", "02:00:00:00:00:01"], ["stp"], ["priority", "7"], ["aging", "30"],
                ["mode", "802.3ad"], ["hash-policy", "layer3+4"], ["vni", "20"]]


@st.composite
def own_edits(draw) -> list[tuple[str, list[str]]]:
    """Own settings set on or deleted from the interfaces of BASE."""
    out: list[tuple[str, list[str]]] = []
    for _ in range(draw(st.integers(1, 4))):
        words = ["interfaces", *draw(st.sampled_from(IFACES)).split(), *draw(st.sampled_from(OWN_SETTINGS))]
        out.append((draw(st.sampled_from(["set", "set", "delete"])), words))
    return out


@st.composite
def any_edits(draw) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for _ in range(draw(st.integers(0, 6))):
        words = draw(set_line())
        if words and words[0] in ("interfaces", "protocols", "service"):
            out.append(("set", words))
    return out


@examples(150)
@given(any_edits())
def test_unit_names_from_the_names_are_the_compiled_paths(edits):
    tree = apply_edits(tree_from_commands(BASE), edits)
    try:
        compiled = networkd.compile(tree)
    except Exception:       # an unverified tree may not compile: nothing to compare
        return
    assert own.unit_names(tree) == {str(path) for path in compiled}


@examples(150)
@given(own_edits(), own_edits())
def test_own_setting_changes_give_what_two_full_compiles_give(first, second):
    old = apply_edits(tree_from_commands(BASE), first)
    new = apply_edits(old, second)
    with shared.sharing():
        delta = networkd_delta.compile_delta(old, new, changed_paths(old, new))
    before, after = networkd.compile(old), networkd.compile(new)
    assert delta.before == set(before) and delta.after == set(after)
    patched = {path: data for path, data in before.items() if path not in delta.removed}
    patched.update(delta.changed)
    assert patched == after
    assert set(delta.changed) == {p for p in after if before.get(p) != after[p]}


def _vlans(count: int) -> str:
    lines = ["set interfaces ethernet eth0 address 192.0.2.1/24",
             "set protocols static route 10.0.0.0/8 next-hop 192.0.2.254"]
    lines += [f"set interfaces ethernet eth0 vif {n} address 10.{n // 250}.{n % 250}.1/24" for n in range(1, count + 1)]
    return "\n".join(lines) + "\n"


def _refuse(*_args):
    raise AssertionError("built for a change no unit shows")


def test_a_description_on_4094_vlans_builds_no_route_and_renders_nothing(monkeypatch):
    old = tree_from_commands(_vlans(4094))
    new = old.copy()
    new.set(["interfaces", "ethernet", "eth0", "vif", "5", "description", "uplink"])
    full = set(networkd.compile(old))
    monkeypatch.setattr(routed, "routed", _refuse)
    monkeypatch.setattr(networkd, "routed", _refuse)
    monkeypatch.setattr(links, "_connected", _refuse)
    monkeypatch.setattr(NetworkSpec, "render", _refuse)
    with shared.sharing():
        delta = networkd_delta.compile_delta(old, new, changed_paths(old, new))
    assert delta.changed == {}
    assert delta.before == delta.after == full


def test_an_mtu_change_is_not_taken_for_an_unchanged_unit():
    old = tree_from_commands(_vlans(20))
    new = old.copy()
    new.set(["interfaces", "ethernet", "eth0", "vif", "5", "mtu", "1400"])
    assert own.unchanged(old, new, {"eth0.5"}) is False
    with shared.sharing():
        delta = networkd_delta.compile_delta(old, new, changed_paths(old, new))
    assert set(delta.changed) == {networkd.unit_path("eth0.5", "network")}
