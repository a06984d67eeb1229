"""The example labs' router configurations (examples/*/, docs/lab.md) run cleanly and
produce what they promise: every command file commits in a sandbox, each example's
config.boot is what its config.cmds saves, the rulesets pass `nft -c` and the units pass
networkd's own parser. (tests/test_example_labs.py: the topology files around them.)"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from lab import netns, require_tool, run, run_networkd

from nos_shell.cli import read_lines
from nos_shell.config.bootfile import load_boot
from nos_shell.config.render import to_commands
from nos_shell.secrets import check_password
from nos_shell.session import Session

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"
EXAMPLES = sorted(d for d in EXAMPLES_DIR.iterdir() if (d / "lab.toml").is_file())
#: every command file of every example: the main router's config.cmds and its peers'
COMMAND_FILES = sorted(p for d in EXAMPLES for p in d.glob("*.cmds"))
HASH = re.compile(r'(encrypted-password )("[^"]*"|\S+)')


def commit_file(path: Path, root: Path) -> Session:
    session = Session(root)
    result = session.run_script(read_lines(str(path)), str(path))
    assert result.ok, result.error.summary
    return session


def masked(text: str) -> str:
    """Text with password hashes replaced (each commit salts the default user's anew)."""
    return HASH.sub(r"\1HASH", text)


def test_there_are_examples():
    assert [d.name for d in EXAMPLES] == ["datacenter-node", "edge-router", "home-router"]
    for d in EXAMPLES:
        assert {"config.cmds", "config.boot", "lab.toml", "README.md"} <= {p.name for p in d.iterdir()}
    assert not list(EXAMPLES_DIR.glob("*.cmds")), "the examples moved into their directories"


@pytest.mark.parametrize("path", COMMAND_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_example_runs(path, tmp_path):
    session = commit_file(path, tmp_path)
    assert len(session.store.revisions()) == 2
    assert (tmp_path / "etc/hostname").exists()
    assert (tmp_path / "etc/nos-shell/config.boot").is_file(), f"{path.name} does not save"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda d: d.name)
def test_config_boot_is_what_config_cmds_saves(example, tmp_path):
    """config.boot is the file the router saves after config.cmds (regenerate it so when
    config.cmds changes), and reads back as the very tree config.cmds commits."""
    session = commit_file(example / "config.cmds", tmp_path)
    saved = (tmp_path / "etc/nos-shell/config.boot").read_text(encoding="utf-8")
    shipped = (example / "config.boot").read_text(encoding="utf-8")
    assert masked(shipped) == masked(saved), (
        f"{example.name}/config.boot is stale: commit config.cmds in a sandbox root and copy its "
        "etc/nos-shell/config.boot")
    tree, warnings = load_boot(shipped, str(example / "config.boot"))
    assert warnings == []
    assert masked(to_commands(tree)) == masked(to_commands(session.store.running()))
    hashes = HASH.findall(shipped)
    assert hashes and all(check_password("vyos", h.strip('"')) for _, h in hashes)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda d: d.name)
def test_config_boot_loads_and_commits(example, tmp_path):
    session = Session(tmp_path)
    result = session.run_script(["configure", f"load {example / 'config.boot'}", "commit", "exit"],
                                "boot")
    assert result.ok, result.error.summary
    assert "set interfaces" in to_commands(session.store.running())


# What each example's firewall must contain in the generated nftables file.
FIREWALLS = {
    "home-router": ("policy accept;", "ct status dnat", 'iifname "br0"',
                    'comment "ipv4 input filter default-action drop"',
                    'comment "ipv4 forward filter default-action drop"'),
    "edge-router": ("chain zone-forward", "chain zone-input", "jump state-policy",
                    'iifname { "eth1.10", "eth2.20" }'),
}


@pytest.mark.parametrize("stem", sorted(FIREWALLS))
def test_example_firewall_passes_nft_check(stem, tmp_path):
    """The example's ruleset holds its firewall and passes `nft -c` in a scratch namespace."""
    require_tool("nft")
    commit_file(EXAMPLES_DIR / stem / "config.cmds", tmp_path)
    ruleset = tmp_path / "etc/nftables.d/nos-shell.nft"
    text = ruleset.read_text(encoding="utf-8")
    assert "table inet nos_shell_filter" in text
    for needle in FIREWALLS[stem]:
        assert needle in text, f"{stem}: {needle!r} not in the ruleset"
    with netns("exfw") as ns:
        check = run("ip", "netns", "exec", ns, "nft", "-c", "-f", str(ruleset), check=False)
    assert check.returncode == 0, f"{stem}: nft -c failed:\n{check.stderr}"


def test_every_example_ruleset_passes_nft_check(tmp_path):
    """Peers included: whatever nftables file a configuration writes passes `nft -c`."""
    require_tool("nft")
    rulesets = []
    for i, path in enumerate(COMMAND_FILES):
        commit_file(path, tmp_path / str(i))
        rulesets += [(path, r) for r in (tmp_path / str(i) / "etc/nftables.d").glob("*.nft")]
    assert rulesets
    with netns("exnft") as ns:
        for path, ruleset in rulesets:
            check = run("ip", "netns", "exec", ns, "nft", "-c", "-f", str(ruleset), check=False)
            assert check.returncode == 0, f"{path}: nft -c failed:\n{check.stderr}"


def _lo_and_bridge_addresses(units: Path) -> dict[str, set[str]]:
    """Link -> addresses networkd must configure in a scratch namespace: those of lo and
    of bridges (the links it can make there without a parent or a driver it lacks)."""
    bridges = {f.stem.removeprefix("10-nos-") for f in units.glob("*.netdev")
               if "Kind=bridge" in f.read_text()}
    out = {}
    for f in units.glob("*.network"):
        text = f.read_text()
        name = re.search(r"^Name=(\S+)$", text, re.M)
        if name and (name[1] == "lo" or name[1] in bridges):
            addresses = set(re.findall(r"^Address=(\S+)$", text, re.M))
            if addresses:
                out[name[1]] = addresses
    return out


def test_every_example_passes_networkd(tmp_path):
    """Every configuration's units (peers included) pass a throwaway systemd-networkd with
    no diagnostic, and the addresses it can configure here (lo, bridges) appear."""
    dirs, expect = {}, {}
    for i, path in enumerate(COMMAND_FILES):
        commit_file(path, tmp_path / str(i))
        key = f"{path.parent.name}/{path.name}"
        dirs[key] = tmp_path / str(i) / "etc/systemd/network"
        expect[key] = _lo_and_bridge_addresses(dirs[key])
    assert any("br0" in e for e in expect.values()) and any("lo" in e for e in expect.values())
    runs = run_networkd(dirs, expect)
    for key, result in runs.items():
        assert any("Enumeration completed" in line for line in result.log), \
            f"{key}: networkd did not start:\n" + "\n".join(result.log)
        assert not result.diagnostics, f"{key}: networkd complained:\n" + "\n".join(result.diagnostics)
        for link, addresses in expect[key].items():
            assert addresses <= result.addresses.get(link, set()), (key, link, result.addresses)
