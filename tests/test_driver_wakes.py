"""A driver that a change cannot concern is left asleep: not imported, not verified, not
compiled, not reloaded (backends/registry.py WAKES). Each WAKES entry covers what its
driver itself says it reads, and a commit that reaches no driver but networkd imports no
other driver, yet leaves exactly what a whole verify and compile would."""
from __future__ import annotations

import subprocess
import sys

import pytest

from nos_shell.api import tree_from_commands
from nos_shell.backends import registry
from nos_shell.backends.common import bgp_delta, bgp_rules
from nos_shell.models import bgp
from nos_shell.models.changes import Reads, scope

CONFIG = """\
set interfaces ethernet eth0 address 192.0.2.1/24
set interfaces ethernet eth0 vif 10 address 198.51.100.1/24
set interfaces ethernet eth0 vif 10 description servers
set interfaces ethernet eth1 address 203.0.113.1/24
set protocols bgp system-as 64500
set protocols bgp neighbor 203.0.113.2 remote-as 64501
set nat source rule 10 outbound-interface name eth1
set nat source rule 10 translation address masquerade
set system host-name wakes
set system name-server 192.0.2.53
set system sysctl parameter net.ipv4.tcp_syncookies value 1
set service ntp server 192.0.2.123
"""


def _covers(wakes: tuple, reads: Reads) -> bool:
    areas, settings = wakes
    if not all(any(area[:len(mine)] == mine for mine in areas) for area in reads.areas):
        return False
    if reads.settings is None:
        return True
    return settings is not None and reads.settings <= settings


@pytest.mark.parametrize("name", [n for n, w in registry.WAKES.items() if w is not None])
def test_each_entry_covers_what_its_driver_declares(name):
    driver = registry.driver(name)
    compile_areas = tuple(a for a in driver.reads or () if a != ("interfaces",))
    assert driver.reads is not None, f"{name} declares no reads: it cannot sleep"
    assert _covers(registry.WAKES[name], Reads(compile_areas)), name
    if driver.area == "bgp":        # incremental verify and compile of the BGP drivers
        assert driver.reads == bgp.READS
        assert _covers(registry.WAKES[name], bgp_rules.RULES_READ)
        assert _covers(registry.WAKES[name], Reads(settings=bgp_delta.VIEWED))
    else:
        assert ("interfaces",) not in driver.reads, f"{name} compiles from every interface setting"
        assert driver.verify_delta is None and driver.verify_reads is not None
        assert _covers(registry.WAKES[name], driver.verify_reads), name


def test_a_driver_with_files_to_follow_is_awake_whatever_the_trees_say():
    """`nos-shell boot` applies an unchanged tree with every file marked changed: the drivers
    owning those files must reload (tests/test_bgp_live.py proves it with real daemons)."""
    tree = tree_from_commands(CONFIG)
    assert "bird" in registry.asleep(tree, tree)
    assert "bird" in [d.name for d in registry.awake(tree, tree, frozenset({"bird"}))]
    assert "bird" not in [d.name for d in registry.awake(tree, tree)]


def test_every_built_in_driver_has_an_entry():
    assert set(registry.WAKES) == set(registry.DRIVERS)
    assert registry.WAKES["networkd"] is None


@pytest.mark.parametrize("line, awake", [
    ("set interfaces ethernet eth0 vif 10 description storage", {"networkd"}),
    ("set interfaces ethernet eth0 vif 10 mtu 1400", {"networkd"}),
    ("set interfaces ethernet eth0 vif 10 address 198.51.100.2/24", {"networkd", "bird", "gobgp"}),
    ("set interfaces ethernet eth0 vif 11", {"networkd", "bird", "gobgp", "nftables"}),
    ("set system host-name other", {"networkd", "system"}),
    ("set system name-server 192.0.2.54", {"networkd", "system", "pdns-recursor"}),
    ("set service ntp server 192.0.2.124", {"networkd", "timesync"}),
    ("set nat source rule 10 source address 192.0.2.0/24", {"networkd", "nftables"}),
    ("set protocols bgp neighbor 203.0.113.3 remote-as 64502", {"networkd", "bird", "gobgp"}),
])
def test_a_change_wakes_only_the_drivers_it_reaches(line, awake):
    old = tree_from_commands(CONFIG)
    new = tree_from_commands(CONFIG + line + "\n")
    assert scope(old, new) is not None
    assert set(registry.names()) - registry.asleep(old, new) == awake


def test_a_change_too_big_to_follow_wakes_everyone():
    def vlans(word: str) -> str:
        return "".join(f"set interfaces ethernet {eth} vif {n} description {word}\n"
                       for n in range(100, 2200) for eth in ("eth0", "eth1"))

    old, new = tree_from_commands(CONFIG + vlans("a")), tree_from_commands(CONFIG + vlans("b"))
    assert scope(old, new) is None
    assert registry.asleep(old, new) == frozenset()


_COMMIT = """
import sys
from pathlib import Path
from nos_shell.session import Session
from nos_shell.backends import registry
root = Path(sys.argv[1])
s = Session(root)
for line in ["configure", *sys.argv[2:], "commit"]:
    out = s.execute(line)
    assert "rror" not in out and "failed" not in out, out
print(sorted(m for m in sys.modules if m.startswith("nos_shell.backends.") and m.count(".") == 2
             and m.split(".")[2] in registry.DRIVERS.values()))
"""


def test_a_description_commit_imports_no_driver_but_networkd(tmp_path):
    def commit(*lines: str) -> str:
        result = subprocess.run([sys.executable, "-c", _COMMIT, str(tmp_path), *lines],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    commit(*CONFIG.splitlines())
    assert commit("set interfaces ethernet eth0 vif 10 description storage") == \
        "['nos_shell.backends.networkd']"
    assert "nos_shell.backends.bird" in commit("set interfaces ethernet eth0 vif 10 address 198.51.100.3/24")
    on_disk = {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in tmp_path.rglob("*")
               if p.is_file() and p.relative_to(tmp_path).parts[:1] == ("etc",)
               and "nos-shell" not in p.relative_to(tmp_path).parts}
    from nos_shell.session import Session
    wanted = registry.compile_all(Session(tmp_path).running)
    assert {str(k): bytes(v) for k, v in wanted.items()} == on_disk
