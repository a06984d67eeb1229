"""bench/scale.py cannot rot: a tiny run produces every row, its two configurations
describe the same VLANs, and its memory figure is each child's own.

No timing is asserted here (figures go to docs/benchmarks.md), and nothing depends on
netplan being installed: without it, the netplan rows say so.
"""
from __future__ import annotations

import importlib.util
import ipaddress
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

BENCH = Path(__file__).resolve().parent.parent / "bench"


def bench_module(name: str):
    """A module of bench/ (not a package), loaded from its file."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module          # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


config = bench_module("scale_config")
measure = bench_module("measure")

ROWS = ["full_commit", "create_floor", "netplan_generate", "commit_vs_netplan", "show_version_empty",
        "one_line_description", "one_line_mtu", "startup_show_version",
        "startup_show_configuration_commands", "growth_8", "growth_16",
        "growth_time", "growth_memory", "peak_memory"]


def test_quick_run_produces_every_row(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(BENCH / "scale.py"), "--quick", "--runs", "1", "--json",
                           "--dir", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    rows = {row["key"]: row for row in result["rows"]}
    assert list(rows) == ROWS
    netplan = result["conditions"]["netplan"] != "not used"
    for key, row in rows.items():
        assert row["figure"], key
        if row["target"] and (netplan or "netplan" not in key):
            assert row["met"] in (True, False), key
    assert ("not measured" in rows["netplan_generate"]["figure"]) is not netplan
    assert rows["full_commit"]["numbers"]["runs"] == 1
    assert rows["peak_memory"]["numbers"]["peak_mib"] > 1
    assert list(tmp_path.iterdir()) == []        # the scratch directory is gone


def test_command_file_and_netplan_yaml_describe_the_same_vlans() -> None:
    scale = config.Scale(vlans=8192, routes=1000, neighbors=1000)
    lines = config.set_lines(scale)
    from_commands = {}
    for line in lines[:scale.vlans]:
        words = line.split()       # set interfaces ethernet PARENT vif ID address 'A/24'
        assert words[:3] == ["set", "interfaces", "ethernet"] and words[4] == "vif" and words[6] == "address"
        from_commands[f"{words[3]}.{words[5]}"] = (words[3], int(words[5]), words[7].strip("'"))
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    document = yaml.load(config.netplan_yaml(scale.vlans), Loader=loader)["network"]
    from_yaml = {name: (entry["link"], entry["id"], *entry["addresses"])
                 for name, entry in document["vlans"].items()}
    assert from_yaml == from_commands
    assert len(from_commands) == 8192
    assert set(document["ethernets"]) == {"eth0", "eth1", "eth2"}
    assert all(1 <= vid <= 4094 for _, vid, _ in from_commands.values())
    assert {parent for parent, _, _ in from_commands.values()} == {"eth0", "eth1", "eth2"}


def test_addresses_are_private_distinct_and_reachable() -> None:
    scale = config.Scale(vlans=300, routes=1000, neighbors=1000)
    lines = config.set_lines(scale)
    subnets = [ipaddress.ip_interface(line.split()[-1].strip("'")).network for line in lines[:scale.vlans]]
    assert len(set(subnets)) == scale.vlans
    routes = [line.split() for line in lines if " static route " in line]
    neighbors = [line.split()[4] for line in lines if " bgp neighbor " in line]
    assert len(routes) == 1000 and len({words[4] for words in routes}) == 1000
    assert len(neighbors) == 1000 and len(set(neighbors)) == 1000
    connected = set(subnets)
    for words in routes:
        assert ipaddress.ip_network(words[4]).subnet_of(ipaddress.ip_network("172.16.0.0/12"))
        assert ipaddress.ip_network(f"{words[6]}/24", strict=False) in connected
    for address in neighbors:
        assert ipaddress.ip_network(f"{address}/24", strict=False) in connected
        assert ipaddress.ip_address(address).is_private


@pytest.mark.parametrize("bad", [dict(vlans=0), dict(vlans=2, neighbors=501), dict(vlans=1, routes=-1)])
def test_impossible_sizes_are_refused(bad: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        config.Scale(**bad)


def test_memory_is_measured_per_child() -> None:
    ballast = b"m" * 150_000_000         # this process is large: a child must not inherit its figure
    big = measure.run([sys.executable, "-c", "b = b'x' * 80_000_000"])
    small = measure.run([sys.executable, "-c", "pass"])
    assert big.maxrss_kib > 80_000 > small.maxrss_kib    # not a running maximum over children
    assert big.cpu_seconds > 0 and big.seconds > 0
    assert small.maxrss_kib >= measure.floor() * 1024 / 2 > 0
    assert len(ballast) == 150_000_000


def test_user_time_is_the_programs_own_share_of_its_cpu_time() -> None:
    busy = measure.run([sys.executable, "-c", "sum(range(20_000_000))"])
    assert 0 < busy.user_seconds <= busy.cpu_seconds
    assert measure.Figures((busy,)).as_dict()["median_user_s"] == round(busy.user_seconds, 4)


def test_a_failing_child_is_reported_with_its_errors() -> None:
    with pytest.raises(measure.ChildFailed, match="broken on purpose"):
        measure.run([sys.executable, "-c", "import sys; sys.exit('broken on purpose')"])
