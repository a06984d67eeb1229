"""The golden files pass the real parsers: systemd-networkd 252 and nft.

networkd: one throwaway networkd per golden case, all started at once in scratch
namespaces (tests/lab.py run_networkd), must log no diagnostic about the files (unknown
keys, invalid values, "ignoring", permissions); the networkd.conf.d drop-in is checked as
that run's networkd.conf. Where this kernel can create the links
(bridges; lo) the addresses of the .network files must really appear, which proves no
line was swallowed (a value ending in a backslash would eat the next line silently).

nft: every golden nft file passes ``nft -c -f``, then is loaded for real in a scratch
namespace, one case after another (so replacing the table in one transaction is
exercised too); the loaded table holds exactly the rules the file has.

Negative tests prove the checkers catch broken files.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from lab import netns, require_tool, run, run_networkd
from test_golden import case_dirs, expected_files, expected_modes

UNIT_DIR = "etc/systemd/network/"
CONF_DIR = "etc/systemd/networkd.conf.d/"
NFT_DIR = "etc/nftables.d/"

BROKEN = {
    "20-bad.netdev": "[NetDev]\nName=vl5000\nKind=vlan\n\n[VLAN]\nId=5000\n",
    "21-bad.network": "[Match]\nName=lo\n\n[Network]\nAddress=192.0.2.300/24\nFoo=bar\n",
    "22-open.netdev": ("[NetDev]\nName=wg9\nKind=wireguard\n\n[WireGuard]\n"
                       "PrivateKey=yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n"),
}


def parse_unit(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Sections as systemd reads them: comments skipped, a trailing backslash joins lines."""
    sections: list[tuple[str, list[tuple[str, str]]]] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line[0] in "#;"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = pending + line, ""
        if line.startswith("["):
            sections.append((line.strip("[]"), []))
        else:
            key, _, value = line.partition("=")
            sections[-1][1].append((key.strip(), value.strip()))
    return sections


def _unit_cases() -> dict[str, dict[str, bytes]]:
    out = {}
    for case in case_dirs():
        units = {rel: data for rel, data in expected_files(case).items() if rel.startswith((UNIT_DIR, CONF_DIR))}
        if units:
            out[case.name] = units
    return out


def _expected_addresses(units: dict[str, bytes]) -> dict[str, set[str]]:
    """Link -> addresses networkd must configure here: on lo and on bridges (the only
    kinds among the golden files this kernel can create without a parent link)."""
    bridges = set()
    for rel, data in units.items():
        if rel.endswith(".netdev") and rel.startswith(UNIT_DIR):
            netdev = dict(parse_unit(data.decode()))["NetDev"]
            if ("Kind", "bridge") in netdev:
                bridges.add(dict(netdev)["Name"])
    out: dict[str, set[str]] = {}
    for rel, data in units.items():
        if not rel.endswith(".network") or not rel.startswith(UNIT_DIR):
            continue
        sections = parse_unit(data.decode())
        match = dict(next(pairs for name, pairs in sections if name == "Match"))
        name = match.get("Name")
        link = dict(next((pairs for n, pairs in sections if n == "Link"), []))
        if (name == "lo" or name in bridges) and link.get("ActivationPolicy") != "down":
            addrs = {v for n, pairs in sections if n == "Network" for k, v in pairs if k == "Address"}
            if addrs:
                out[name] = addrs
    return out


@pytest.fixture(scope="module")
def networkd_runs(tmp_path_factory) -> dict:
    cases = _unit_cases()
    dirs: dict[str, Path] = {}
    confs: dict[str, Path] = {}
    expect: dict[str, dict[str, set[str]]] = {}
    for name, units in cases.items():
        d = tmp_path_factory.mktemp(f"units-{name}")
        modes = expected_modes(Path(__file__).parent / "golden" / name)
        dropins = [data for rel, data in sorted(units.items()) if rel.startswith(CONF_DIR)]
        if dropins:   # drop-ins use the main file's syntax: check them as networkd.conf
            confs[name] = tmp_path_factory.mktemp(f"conf-{name}") / "networkd.conf"
            confs[name].write_bytes(b"\n".join(dropins))
        for rel, data in units.items():
            if not rel.startswith(UNIT_DIR):
                continue
            target = d / rel[len(UNIT_DIR):]
            target.write_bytes(data)
            mode, owner_group = modes.get(rel, "0644 root:root").split()
            owner, group = owner_group.split(":")
            target.chmod(int(mode, 8))
            shutil.chown(target, owner, group)
        dirs[name] = d
        expect[name] = _expected_addresses(units)
    broken = tmp_path_factory.mktemp("units-broken")
    for name, text in BROKEN.items():
        (broken / name).write_text(text)
        (broken / name).chmod(0o644)
    dirs["__broken__"] = broken
    confs["__broken__"] = tmp_path_factory.mktemp("conf-broken") / "networkd.conf"
    confs["__broken__"].write_text("[Network]\nManageForeignRoutes=maybe\nBogusKey=1\n")
    return {"runs": run_networkd(dirs, expect, confs), "expect": expect}


@pytest.mark.parametrize("case", sorted(_unit_cases()))
def test_networkd_accepts_golden_units(networkd_runs, case: str) -> None:
    result = networkd_runs["runs"][case]
    assert any("Enumeration completed" in line for line in result.log), "networkd did not start:\n" + \
        "\n".join(result.log)
    assert not result.diagnostics, "networkd complained:\n" + "\n".join(result.diagnostics)
    for link, addrs in networkd_runs["expect"][case].items():
        assert addrs <= result.addresses.get(link, set()), \
            f"{link}: expected {sorted(addrs)}, networkd configured {sorted(result.addresses.get(link, []))}"


def test_networkd_checker_catches_broken_units(networkd_runs) -> None:
    diags = "\n".join(networkd_runs["runs"]["__broken__"].diagnostics)
    assert "20-bad.netdev:6" in diags and "VLAN identifier" in diags, diags
    assert "21-bad.network:5" in diags and "192.0.2.300" in diags, diags
    assert "Unknown key 'Foo'" in diags, diags
    assert "22-open.netdev" in diags and "permissive" in diags, diags
    assert "networkd.conf:2" in diags and "networkd.conf:3" in diags, diags


def test_unit_parser_model_matches_systemd() -> None:
    """The line model used above joins a trailing backslash (what makes such values
    dangerous) and never continues a comment (what makes comments safe)."""
    sections = parse_unit("[Network]\nDescription=x \\\nAddress=192.0.2.1/24\n# c \\\nDNS=192.0.2.53\n")
    assert sections == [("Network", [("Description", "x  Address=192.0.2.1/24"), ("DNS", "192.0.2.53")])]


# -- nft --------------------------------------------------------------------------------------

def _nft_files() -> list[tuple[str, str, bytes]]:
    return [(case.name, rel, data) for case in case_dirs()
            for rel, data in expected_files(case).items() if rel.startswith(NFT_DIR)]


def _rule_lines(text: str) -> int:
    """Rules in a generated nft file: lines inside a chain that are not comments or the hook."""
    count, depth, in_chain = 0, 0, False
    for line in text.splitlines():
        s = line.strip()
        if s.endswith("{"):
            depth += 1
            in_chain = depth == 2 and s.startswith("chain ")
        elif s == "}":
            depth -= 1
        elif depth == 2 and in_chain and s and not s.startswith(("#", "type ")):
            count += 1
    return count


def test_nft_accepts_and_loads_golden_files(tmp_path) -> None:
    require_tool("nft")
    files = _nft_files()
    assert files
    with netns("nft") as ns:
        for case, rel, data in files:
            path = tmp_path / f"{case}.nft"
            path.write_bytes(data)
            check = run("ip", "netns", "exec", ns, "nft", "-c", "-f", str(path), check=False)
            assert check.returncode == 0, f"{case}/{rel}: nft -c failed:\n{check.stderr}"
            load = run("ip", "netns", "exec", ns, "nft", "-f", str(path), check=False)
            assert load.returncode == 0, f"{case}/{rel}: nft -f failed:\n{load.stderr}"
            listing = json.loads(run("ip", "netns", "exec", ns, "nft", "-j", "list", "ruleset").stdout)
            tables = [e["table"] for e in listing["nftables"] if "table" in e]
            rules = [e["rule"] for e in listing["nftables"] if "rule" in e]
            want = _rule_lines(data.decode())
            # a table the file defines is there; one it only declares and deletes is gone
            defined = re.findall(r"^table (\S+) (\S+) \{$", data.decode(), re.MULTILINE)
            assert [(t["family"], t["name"]) for t in tables] == defined, f"{case}: tables"
            assert len(rules) == want, f"{case}: loaded {len(rules)} rules, the file has {want}"


def test_nft_checker_catches_broken_files(tmp_path) -> None:
    require_tool("nft")
    bad = tmp_path / "bad.nft"
    bad.write_text('table ip nos_shell_nat {\n\tchain postrouting {\n\t\ttype nat hook postrouting '
                   'priority srcnat; policy accept;\n\t\toifname "eth0" snat to 192.0.2.300\n\t}\n}\n')
    with netns("nft") as ns:
        result = run("ip", "netns", "exec", ns, "nft", "-c", "-f", str(bad), check=False)
    assert result.returncode != 0 and "192.0.2.300" in result.stderr, result.stderr


def test_rule_counter_counts_rules() -> None:
    text = ("table ip t {\n\tchain c {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
            "\t\t# rule 1\n\t\toifname \"eth0\" masquerade\n\t\t# rule 2 (disabled)\n\t}\n}\n")
    assert _rule_lines(text) == 1
