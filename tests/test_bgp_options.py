"""The BGP neighbour options and parameters VyOS 1.4 configurations carry (issue 13):
values checked by type, VyOS's verify messages, each option's lines in bird.conf and
gobgpd.toml, and the refusals of the one backend that cannot do an option.

The golden cases bgp-bird-options and bgp-gobgp-options hold every option at once (and
tests/test_bgp_realcheck.py runs `bird -p` and `gobgpd -d` on them).
"""
from __future__ import annotations

import tomllib

import pytest

from nos_shell.api import tree_from_commands
from nos_shell.backends.bird import compiler as bird
from nos_shell.backends.gobgp import compiler as gobgp
from nos_shell.errors import NosError
from nos_shell.models import bgp as bgp_model

BGP = ("protocols", "bgp")
N = "set protocols bgp neighbor 192.0.2.2"
BASE = f"""
set interfaces ethernet eth0 address 192.0.2.1/24
set interfaces ethernet eth0 address 2001:db8::1/64
set protocols bgp system-as 65001
{N} remote-as 65002
"""


def tree(text: str, backend: str = "bird"):
    t = tree_from_commands(BASE + text)
    t.set(["protocols", "bgp", "backend", backend])
    return t


def problems(text: str, backend: str = "bird") -> list[tuple[tuple[str, ...], str]]:
    t = tree(text, backend)
    return [(p.path, p.message) for p in bird.verify(t) + gobgp.verify(t)]


def bird_conf(text: str) -> list[str]:
    t = tree(text)
    assert bird.verify(t) == []
    return [line.strip() for line in bird.compile(t)[bird.CONF].decode().splitlines()]


def gobgp_doc(text: str) -> dict:
    t = tree(text, "gobgp")
    assert gobgp.verify(t) == []
    return tomllib.loads(gobgp.compile(t)[gobgp.CONF].decode())


def neighbor_table(text: str) -> dict:
    (found,) = [n for n in gobgp_doc(text)["neighbors"] if n["config"]["neighbor-address"] == "192.0.2.2"]
    return found


# -- values are checked by type and cannot leave their field -----------------------------------
@pytest.mark.parametrize("line", [
    f"{N} address-family ipv4-unicast maximum-prefix 0",
    f"{N} address-family ipv4-unicast maximum-prefix 4294967296",
    f"{N} address-family ipv4-unicast maximum-prefix '10; disabled'",
    f"{N} address-family ipv4-unicast allowas-in number 11",
    f"{N} address-family ipv4-unicast allowas-in number 0",
    f"{N} address-family ipv4-unicast nexthop-self always",
    f"{N} address-family ipv4-unicast soft-reconfiguration outbound",
    f"{N} address-family ipv4-unicast disable-send-community large",
    f"{N} address-family ipv4-unicast remove-private-as replace",
    f"{N} local-as 0",
    f"{N} local-as 4294967295",
    f"{N} local-as '65000\"'",
    f"{N} local-as 65000 no-prepend replace-as yes",
    "set protocols bgp parameters distance global external 0",
    "set protocols bgp parameters distance global internal 256",
    "set protocols bgp parameters graceful-restart stalepath-time 3601",
    "set protocols bgp address-family ipv4-unicast redistribute static metric 0",
    "set protocols bgp address-family ipv6-unicast redistribute connected metric x1",
])
def test_values_refused_by_the_schema(line):
    with pytest.raises(NosError):
        tree_from_commands(line)


# -- VyOS's verify messages (src/conf_mode/protocols_bgp.py) -----------------------------------
def test_local_as_same_as_system_as():
    assert problems(f"{N} local-as 65001 no-prepend replace-as") == [
        (BGP + ("neighbor", "192.0.2.2", "local-as"), "Cannot have local-as same as system-as number")]


def test_local_as_same_as_remote_as():
    assert problems(f"{N} local-as 65002 no-prepend replace-as") == [
        (BGP + ("neighbor", "192.0.2.2", "local-as"),
         'Neighbor "192.0.2.2" has local-as specified which is the same as remote-as, this is not allowed!')]


def test_local_as_only_for_ebgp_peers_also_through_a_peer_group():
    text = ("set protocols bgp peer-group IBGP remote-as internal\n"
            "set protocols bgp peer-group IBGP local-as 64999 no-prepend replace-as\n"
            "set protocols bgp neighbor 192.0.2.3 peer-group IBGP\n")
    assert problems(text) == [(BGP + ("neighbor", "192.0.2.3"),
                               'local-as configured for "192.0.2.3", allowed only for eBGP peers!')]


def test_only_one_local_as():
    text = f"{N} local-as 64998 no-prepend replace-as\n{N} local-as 64999 no-prepend replace-as\n"
    assert problems(text) == [(BGP + ("neighbor", "192.0.2.2", "local-as"),
                               'Only one local-as number can be specified for peer "192.0.2.2"!')]


def test_global_distances_go_together():
    got = problems("set protocols bgp parameters distance global external 20")
    assert got == [(BGP + ("parameters", "distance", "global"),
                    f"Missing mandatory configuration option for global administrative distance {leaf}!")
                   for leaf in ("internal", "local")]


# -- what each backend cannot do -----------------------------------------------------------------
DISTANCE = "".join(f"set protocols bgp parameters distance global {k} {v}\n"
                   for k, v in (("external", 30), ("internal", 190), ("local", 190)))
METRIC = "set protocols bgp address-family ipv4-unicast redistribute static metric 7\n"


def test_gobgp_refuses_what_only_bird_does():
    assert problems(DISTANCE, "bird") == []
    (got,) = problems(DISTANCE, "gobgp")
    assert got[0] == BGP + ("parameters", "distance")
    assert got[1].startswith("parameters distance is not supported by the gobgp backend (")
    assert got[1].endswith("; use `set protocols bgp backend bird`")


@pytest.mark.parametrize("backend", ["bird", "gobgp"])
@pytest.mark.parametrize("text,path,start", [
    (f"{N} local-as 64999", ("neighbor", "192.0.2.2", "local-as", "64999"),
     "local-as 64999 without no-prepend replace-as is not supported"),
    (f"{N} local-as 64999 no-prepend", ("neighbor", "192.0.2.2", "local-as", "64999"),
     "local-as 64999 without no-prepend replace-as is not supported"),
    ("set protocols bgp peer-group PG local-as 64999", ("peer-group", "PG", "local-as", "64999"),
     "local-as 64999 without no-prepend replace-as is not supported"),
    ("set protocols bgp parameters graceful-restart stalepath-time 300",
     ("parameters", "graceful-restart", "stalepath-time"),
     "parameters graceful-restart stalepath-time is not supported"),
    (f"{N} address-family ipv4-unicast allowas-in number 2\n{N} address-family ipv6-unicast allowas-in",
     ("neighbor", "192.0.2.2", "address-family"),
     "A different allowas-in in each address family of 192.0.2.2 is not supported"),
])
def test_neither_backend_does(backend, text, path, start):
    (got,) = problems(text, backend)
    assert got[0] == BGP + path
    assert got[1].startswith(f"{start} by the {backend} backend (")
    assert "use `set protocols bgp backend" not in got[1]        # the other one cannot either


def test_the_same_allowas_in_in_every_family_is_accepted():
    text = f"{N} address-family ipv4-unicast allowas-in number 3\n{N} address-family ipv6-unicast allowas-in\n"
    assert problems(text, "bird") == [] and problems(text, "gobgp") == []
    assert "allow local as 3;" in bird_conf(text)


# -- the model: peer groups folded in -------------------------------------------------------------
def test_family_options_come_from_the_neighbor_else_its_peer_group():
    t = tree("set protocols bgp peer-group PG address-family ipv4-unicast maximum-prefix 100\n"
             "set protocols bgp peer-group PG address-family ipv4-unicast soft-reconfiguration inbound\n"
             "set protocols bgp peer-group PG local-as 64999 no-prepend replace-as\n"
             f"{N} peer-group PG\n{N} address-family ipv4-unicast maximum-prefix 5\n"
             "set protocols bgp neighbor 192.0.2.3 remote-as 65003\n"
             "set protocols bgp neighbor 192.0.2.3 peer-group PG\n")
    own, member = bgp_model.neighbor(t, "192.0.2.2"), bgp_model.neighbor(t, "192.0.2.3")
    assert (own.family("ipv4-unicast").maximum_prefix, member.family("ipv4-unicast").maximum_prefix) == (5, 100)
    assert own.family("ipv4-unicast").soft_inbound and member.family("ipv4-unicast").soft_inbound
    assert own.local_as == member.local_as and own.local_as.asn == 64999 and own.local_as.replaces
    assert own.family("ipv6-unicast") == bgp_model.NONE


def test_bare_flags_mean_what_frr_makes_of_them():
    t = tree(f"{N} address-family ipv4-unicast allowas-in\n{N} address-family ipv4-unicast disable-send-community\n"
             f"{N} address-family ipv4-unicast remove-private-as\n")
    options = bgp_model.neighbor(t, "192.0.2.2").family("ipv4-unicast")
    assert options.allowas_in == 3 and options.remove_private_as == "private"
    assert options.no_send_community == {"standard", "extended"}


# -- each option's lines ------------------------------------------------------------------------------
@pytest.mark.parametrize("text,line", [
    (f"{N} address-family ipv4-unicast soft-reconfiguration inbound", "import table on;"),
    (f"{N} address-family ipv4-unicast maximum-prefix 250", "import limit 250 action disable;"),
    (f"{N} address-family ipv4-unicast allowas-in number 4", "allow local as 4;"),
    (f"{N} local-as 64999 no-prepend replace-as", "local as 64999;"),
    ("set protocols bgp parameters graceful-restart", "graceful restart on;"),
    ("set protocols bgp parameters log-neighbor-changes", "debug { states };"),
    (f"{N} shutdown", "disabled;"),
    (f"{N} ebgp-multihop 3", "multihop 3;"),
    (f"{N} update-source eth0", "source address 192.0.2.1;"),
])
def test_bird_lines(text, line):
    assert line not in bird_conf("")
    assert line in bird_conf(text)


def test_bird_distance_is_the_kernel_metric_internal_by_protocol():
    conf = bird_conf(DISTANCE + "set protocols bgp neighbor 192.0.2.3 remote-as internal\n")
    assert conf.count("metric 0;      # each route's krt_metric") == 2                # kernel4 and kernel6
    assert conf.count("krt_metric = 30;") == 2
    assert conf.count('if proto = "bgp_192_0_2_3" then krt_metric = 190;') == 2
    assert "export where source = RTS_BGP;" not in conf
    assert "krt_metric = 190" not in bird_conf(DISTANCE)                           # no internal neighbor
    assert "export where source = RTS_BGP;" in bird_conf("") and "metric 0;" not in bird_conf("")


def test_bird_redistribute_metric_is_the_med():
    conf = bird_conf("set protocols bgp address-family ipv4-unicast redistribute connected metric 12\n"
                     "set protocols bgp address-family ipv6-unicast redistribute connected\n")
    assert 'if proto = "connected" && net ~ [ 192.0.2.0/24 ] then { bgp_med = 12; accept; }' in conf
    assert 'if proto = "connected" && net ~ [ 2001:db8::/64 ] then accept;' in conf


def test_options_without_a_daemon_setting_leave_the_files_as_they_were():
    """nexthop-self (both already announce with this router as next hop), disable-send-community
    (nothing nos-shell announces carries communities) and the no-op halves of as-override and
    remove-private-as (no announced path holds another AS)."""
    text = (f"{N} address-family ipv4-unicast nexthop-self force\n"
            f"{N} address-family ipv4-unicast disable-send-community standard\n"
            f"{N} address-family ipv4-unicast remove-private-as\n")
    assert bird_conf(text + f"{N} address-family ipv4-unicast as-override") == \
        bird_conf(f"{N} address-family ipv4-unicast")
    assert gobgp_doc(text) == gobgp_doc(f"{N} address-family ipv4-unicast")


@pytest.mark.parametrize("text,where,value", [
    (f"{N} local-as 64999 no-prepend replace-as", ("config", "local-as"), 64999),
    (f"{N} shutdown", ("config", "admin-down"), True),
    (f"{N} address-family ipv4-unicast remove-private-as all", ("config", "remove-private-as"), "all"),
    (f"{N} address-family ipv4-unicast allowas-in", ("as-path-options", "config", "allow-own-as"), 3),
    (f"{N} address-family ipv4-unicast as-override", ("as-path-options", "config", "replace-peer-as"), True),
    ("set protocols bgp parameters graceful-restart", ("graceful-restart", "config", "enabled"), True),
    (f"{N} ebgp-multihop 4", ("ebgp-multihop", "config", "multihop-ttl"), 4),
    (f"{N} update-source 192.0.2.1", ("transport", "config", "local-address"), "192.0.2.1"),
    (f"{N} timers connect 7", ("timers", "config", "connect-retry"), 7),
])
def test_gobgp_fields(text, where, value):
    def at(table: dict):
        for key in where:
            table = table.get(key, {})
        return table
    assert at(neighbor_table("")) != value
    assert at(neighbor_table(text)) == value


def test_gobgp_family_fields():
    table = neighbor_table(f"{N} address-family ipv4-unicast maximum-prefix 42\n"
                           "set protocols bgp parameters graceful-restart\n")
    (afi,) = table["afi-safis"]
    assert afi == {"config": {"afi-safi-name": "ipv4-unicast"},
                   "mp-graceful-restart": {"config": {"enabled": True}},
                   "prefix-limit": {"config": {"max-prefixes": 42}}}


# -- incremental verify sees the backends' own refusals ------------------------------------------------
@pytest.mark.parametrize("backend", ["bird", "gobgp"])
@pytest.mark.parametrize("line", [f"{N} local-as 64999", DISTANCE.splitlines()[0], METRIC.strip(),
                                  "set protocols bgp parameters graceful-restart stalepath-time 9"])
def test_incremental_verify_reports_what_a_whole_verify_does(backend, line):
    from nos_shell.backends import registry
    from nos_shell.models.shared import sharing
    old = tree("", backend)
    new = tree(line, backend)
    with sharing():
        assert registry.verify_all(old) == []
    with sharing():
        whole = registry.verify_all(new)
    assert whole or line == METRIC.strip()       # both backends carry the MED
    with sharing():
        assert registry.verify_all(new, since=old) == whole


def test_local_as_from_the_peer_group_same_as_the_neighbors_remote_as():
    """VyOS compares the neighbor's own values only; here the group's local-as meets the
    neighbor's remote-as, which would make BIRD and GoBGP run an internal session."""
    text = ("set protocols bgp peer-group PG local-as 65002 no-prepend replace-as\n"
            f"{N} peer-group PG\n")
    assert problems(text) == [(BGP + ("neighbor", "192.0.2.2"),
                               'Neighbor "192.0.2.2" has local-as specified which is the same as '
                               "remote-as, this is not allowed!")]


# -- GoBGP: the MED of its announcements ----------------------------------------------------------------
REDISTRIBUTE = ("set protocols static route 198.51.100.0/24 next-hop 192.0.2.254\n"
                "set protocols static route 192.0.2.0/24 blackhole\n"
                "set protocols bgp address-family ipv4-unicast network 192.0.2.0/24\n"
                "set protocols bgp address-family ipv4-unicast redistribute static metric 7\n"
                "set protocols bgp address-family ipv4-unicast redistribute connected metric 9\n"
                "set protocols bgp address-family ipv6-unicast redistribute connected\n")


def test_gobgp_meds_per_prefix_connected_first():
    t = tree(REDISTRIBUTE, "gobgp")
    assert gobgp.verify(t) == []
    assert gobgp.meds(t) == {"ipv4-unicast": {"198.51.100.0/24": 7, "192.0.2.0/24": 9}, "ipv6-unicast": {}}
    assert gobgp.meds(tree(REDISTRIBUTE, "bird")) == {"ipv4-unicast": {}, "ipv6-unicast": {}}
    assert gobgp.stale(t, tree(REDISTRIBUTE.replace("metric 7", "metric 8"), "gobgp"))
    assert not gobgp.stale(t, tree(REDISTRIBUTE, "gobgp"))


def test_gobgp_sync_adds_again_the_paths_whose_med_changed(tmp_path):
    from test_bgp_live_control import GOBGP_DRIVER, FakeCtx, _gobgpd

    def path(prefix: str, med: int | None) -> list[dict]:
        attrs = [{"type": 1, "value": 0}] + ([{"type": 4, "metric": med}] if med is not None else [])
        return [{"nlri": {"prefix": prefix}, "best": True, "attrs": attrs}]
    rib = {"198.51.100.0/24": path("198.51.100.0/24", 7), "192.0.2.0/24": path("192.0.2.0/24", None),
           "10.0.0.0/8": path("10.0.0.0/8", 3)}
    old = tree(REDISTRIBUTE, "gobgp")
    ctx = FakeCtx(tmp_path, old, old, changed=set(), respond=_gobgpd(tmp_path, True, rib=rib))
    GOBGP_DRIVER.reload(ctx)
    changes = [c[7:] for c in ctx.ran("gobgp") if c[7:8] in (("add",), ("del",))]
    assert changes == [("del", "-a", "ipv4", "10.0.0.0/8"),
                       ("add", "-a", "ipv4", "192.0.2.0/24", "origin", "igp", "med", "9"),
                       ("add", "-a", "ipv6", "2001:db8::/64", "origin", "igp")]     # the fake has no IPv6 paths


def test_bird_reinstalls_kernel_routes_when_the_distance_changes(tmp_path):
    """The kernel metric is part of a kernel route's identity: BIRD's kernel protocols are
    disabled around `birdc configure` (removing the routes at the old metric) and enabled
    after it, only when the distances changed."""
    from test_bgp_live_control import BIRD_DRIVER, FakeCtx, _bird

    old = tree(DISTANCE)
    for new, expected in ((tree(DISTANCE.replace("external 30", "external 31")), True),
                          (tree(DISTANCE + f"{N} description changed"), False),
                          (tree(""), True)):
        ctx = FakeCtx(tmp_path, old, new, changed={bird.CONF}, respond=_bird(True))
        BIRD_DRIVER.reload(ctx)
        verbs = [c[3] + (" " + c[4] if c[3] in ("disable", "enable") else "")
                 for c in ctx.ran("birdc") if c[3] != "show"]
        assert verbs == (["configure", "disable kernel4", "disable kernel6", "configure", "enable kernel4",
                          "enable kernel6"] if expected else ["configure", "configure"])
