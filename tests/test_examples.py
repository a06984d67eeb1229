"""The example command files run cleanly and produce what they promise."""
from __future__ import annotations

from pathlib import Path

import pytest

from lab import netns, require_tool, run

from nos_shell.cli import read_lines
from nos_shell.session import Session

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.cmds"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_runs(path, tmp_path):
    session = Session(tmp_path)
    result = session.run_script(read_lines(str(path)), str(path))
    assert result.ok, result.error.summary
    assert len(session.store.revisions()) == 2
    assert (tmp_path / "etc/hostname").exists()


def test_there_are_examples():
    assert {p.stem for p in EXAMPLES} >= {"home-router", "datacenter-node", "edge-router"}


# What each example's firewall must contain in the generated nftables file.
FIREWALLS = {
    "home-router": ("policy accept;", "ct status dnat", 'iifname "br0"',
                    'comment "ipv4 input filter default-action drop"',
                    'comment "ipv4 forward filter default-action drop"'),
    "edge-router": ("chain zone-forward", "chain zone-input", "jump state-policy"),
}


@pytest.mark.parametrize("stem", sorted(FIREWALLS))
def test_example_firewall_passes_nft_check(stem, tmp_path):
    """The example's ruleset holds its firewall and passes `nft -c` in a scratch namespace."""
    require_tool("nft")
    session = Session(tmp_path)
    path = next(p for p in EXAMPLES if p.stem == stem)
    assert session.run_script(read_lines(str(path)), str(path)).ok
    ruleset = tmp_path / "etc/nftables.d/nos-shell.nft"
    text = ruleset.read_text(encoding="utf-8")
    assert "table inet nos_shell_filter" in text
    for needle in FIREWALLS[stem]:
        assert needle in text, f"{stem}: {needle!r} not in the ruleset"
    with netns("fbex") as ns:
        check = run("ip", "netns", "exec", ns, "nft", "-c", "-f", str(ruleset), check=False)
    assert check.returncode == 0, f"{stem}: nft -c failed:\n{check.stderr}"
