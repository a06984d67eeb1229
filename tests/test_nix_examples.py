"""The NixOS examples (examples/*.nix) against the command-file examples: the module's
generated configuration commits through `nos-shell -f` to the same files (networkd units,
BIRD/GoBGP, nftables) as the matching command file, those units pass networkd's own
parser, the generated config.boot boots to the same configuration, and
`show configuration nix` of each command-file example evaluates back through the module
to the same `set` lines."""
from __future__ import annotations

import functools
import pathlib
import subprocess
import sys

import pytest

import nixlab

# nix example -> the matching command-file example (the one place to re-point them)
EXAMPLES = {
    "examples/home-router.nix": "examples/home-router/config.cmds",
    "examples/datacenter-node.nix": "examples/datacenter-node/config.cmds",
    "examples/edge-router.nix": "examples/edge-router/config.cmds",
}
REPO = nixlab.REPO
HOSTILE_CMDS = """configure
set interfaces ethernet eth0 address '192.0.2.1/24'
set interfaces ethernet eth0 description 'it\\'s a \\\\ "quoted" ${x} value'
set interfaces ethernet eth1 address 'dhcp'
set interfaces ethernet eth1 address '198.51.100.7/24'
set interfaces ethernet 'eth2' description 'only ${this}'
set protocols static route 10.0.0.0/8 next-hop 192.0.2.9 distance '5'
set protocols static route 10.0.0.0/8 next-hop 192.0.2.10
set nat source rule 7 outbound-interface name 'eth0'
set nat source rule 7 translation address 'masquerade'
set nat source rule 7 description 'all ${out}'
commit
exit
"""


def shell(root: pathlib.Path, *args: str, check: bool = True) -> str:
    done = subprocess.run([sys.executable, "-m", "nos_shell", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=300)
    if check and done.returncode:
        raise AssertionError(f"nos-shell {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def commit_lines(root: pathlib.Path, lines: str) -> None:
    script = root.parent / f"{root.name}.cmds"
    script.write_text(f"configure\n{lines}commit\nexit\n")
    shell(root, "-f", str(script))


def files(root: pathlib.Path) -> dict[str, bytes]:
    """The files nos-shell generated under ROOT/etc (its own state and saved file aside)."""
    etc = root / "etc"
    return {str(p.relative_to(etc)): p.read_bytes() for p in sorted(etc.rglob("*"))
            if p.is_file() and not str(p.relative_to(etc)).startswith("nos-shell/")}


@functools.lru_cache(maxsize=1)
def scratch() -> pathlib.Path:
    return nixlab.scratch("examples")


@functools.lru_cache(maxsize=1)
def generated() -> dict:
    """The module's output for each example (one nix run)."""
    return nixlab.module_eval({nix: f"import {REPO / nix}" for nix in EXAMPLES})


@functools.lru_cache(maxsize=None)
def roots(nix: str) -> tuple[pathlib.Path, pathlib.Path]:
    """(root committed from the generated lines, root committed from the command file)."""
    base = scratch() / pathlib.Path(nix).stem
    base.mkdir()
    commit_lines(base / "from-nix", generated()[nix]["commands"])
    shell(base / "from-cmds", "-f", str(REPO / EXAMPLES[nix]))
    return base / "from-nix", base / "from-cmds"


@functools.lru_cache(maxsize=1)
def round_trips() -> dict:
    """`show configuration nix` of each command-file example (and of a hostile one),
    evaluated back through the module (one nix run)."""
    sources = {nix: roots(nix)[1] for nix in EXAMPLES}
    hostile = scratch() / "hostile"
    hostile.mkdir()
    (hostile / "c.cmds").write_text(HOSTILE_CMDS)
    shell(hostile / "root", "-f", str(hostile / "c.cmds"))
    sources["hostile"] = hostile / "root"
    cases, shown = {}, {}
    for name, root in sources.items():
        exported = scratch() / f"{pathlib.Path(name).stem}.exported.nix"
        exported.write_text(shell(root, "-c", "show configuration nix"))
        cases[name] = f"{{ nix-nos = import {exported}; }}"
        shown[name] = shell(root, "-c", "show configuration commands")
    return {"evaluated": nixlab.module_eval(cases), "shown": shown}


@pytest.mark.parametrize("nix", sorted(EXAMPLES))
def test_example_generates_a_valid_configuration(nix):
    assert generated()[nix]["failed"] == []


@pytest.mark.parametrize("nix", sorted(EXAMPLES))
def test_example_commits_to_the_same_files_as_its_command_file(nix):
    from_nix, from_cmds = roots(nix)
    ours, theirs = files(from_nix), files(from_cmds)
    assert any(name.startswith("systemd/network/") for name in theirs)
    assert ours.keys() == theirs.keys()
    for name in ours:
        assert ours[name] == theirs[name], f"{nix}: {name} differs"


def test_example_units_pass_networkds_parser():
    from lab import run_networkd

    dirs = {nix: roots(nix)[0] / "etc" / "systemd" / "network" for nix in EXAMPLES}
    for key, result in run_networkd(dirs).items():
        assert any("Enumeration completed" in line for line in result.log), f"{key}: networkd did not start"
        assert not result.diagnostics, f"{key}: networkd complained:\n" + "\n".join(result.diagnostics)


@pytest.mark.parametrize("nix", sorted(EXAMPLES))
def test_example_boot_file_boots_to_the_same_configuration(nix, tmp_path):
    """The generated config.boot through `nos-shell boot` (the module's boot path) holds
    the generated configuration: the -f root's lines but for the defaults a fresh root's
    first commit adds (interfaces loopback lo, user vyos)."""
    saved = tmp_path / "etc" / "nos-shell" / "config.boot"
    saved.parent.mkdir(parents=True)
    saved.write_text(generated()[nix]["boot"])
    shell(tmp_path, "boot")
    booted = shell(tmp_path, "-c", "show configuration commands").splitlines()
    fresh = shell(tmp_path.parent / f"{tmp_path.name}-fresh", "-c", "show configuration commands").splitlines()
    committed = shell(roots(nix)[0], "-c", "show configuration commands").splitlines()
    defaults = {line for line in committed if line in fresh or line.startswith("set system login user vyos ")}
    assert booted == [line for line in committed if line not in defaults]


@pytest.mark.parametrize("name", [*sorted(EXAMPLES), "hostile"])
def test_show_configuration_nix_round_trips(name):
    result = round_trips()
    evaluated, shown = result["evaluated"][name], result["shown"][name]
    assert evaluated["failed"] == []
    assert sorted(evaluated["commands"].splitlines()) == sorted(shown.splitlines())


def test_show_configuration_nix_uses_the_options():
    """The round trip is not all extraCommands: the options carry what they can."""
    exported = shell(roots("examples/edge-router.nix")[1], "-c", "show configuration nix")
    for text in ('backend = "gobgp";', 'asn = 64496;', '"0.0.0.0/0" = {', 'via = "192.0.2.1";', 'distance = 200;',
                 'description = "transit";'):
        assert text in exported
    round_trips()
    hostile = (scratch() / "hostile.exported.nix").read_text()
    assert 'description = "it\'s a \\\\ \\"quoted\\" \\${x} value";' in hostile
