"""The daemons' own checkers accept every BGP file nos-shell generates, and catch broken ones.

- BIRD: `bird -p -c FILE` (parse only): rc 0 and nothing on stderr (no warning either).
- GoBGP: `gobgpd -d -p -f FILE` (dry run) inside a scratch network namespace (a neighbor
  address that is not an IP would be resolved as a host name). It is shallow: it catches
  TOML syntax, unknown keys, wrong types and bad address families, not wrong values such
  as an unknown route-disposition, which is why verify() and the golden files matter.

Checked: every expected bird.conf and gobgpd.toml of the golden cases.
Under CI=true a missing bird/gobgpd/netns fails; elsewhere those tests are skipped.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from lab import netns, require_tool, run
from nos_shell.backends.bird import compiler as bird
from nos_shell.backends.gobgp import compiler as gobgp
from test_bgp_compile import CASES


def _expected(name: str) -> list[tuple[str, bytes]]:
    return [(case.name, (case / "expected" / rel).read_bytes())
            for case in CASES for rel in (name,) if (case / "expected" / rel).is_file()]


BIRD_FILES = _expected(str(bird.CONF))
GOBGP_FILES = _expected(str(gobgp.CONF))


def bird_check(path: Path):
    return run(require_tool("bird"), "-p", "-c", str(path), check=False)


@pytest.fixture(scope="module")
def gobgp_ns():
    require_tool("gobgpd")
    with netns("nosbgp") as ns:
        yield ns


def gobgp_check(ns: str, path: Path):
    return run("ip", "netns", "exec", ns, require_tool("gobgpd"), "-d", "-p", "-f", str(path), check=False)


def test_there_are_files_to_check():
    assert len(BIRD_FILES) >= 4 and len(GOBGP_FILES) >= 4


@pytest.mark.parametrize("name,data", BIRD_FILES, ids=[n for n, _ in BIRD_FILES])
def test_bird_accepts(tmp_path, name, data):
    conf = tmp_path / "bird.conf"
    conf.write_bytes(data)
    result = bird_check(conf)
    assert (result.returncode, result.stderr) == (0, ""), result.stderr


@pytest.mark.parametrize("name,data", GOBGP_FILES, ids=[n for n, _ in GOBGP_FILES])
def test_gobgpd_accepts(tmp_path, gobgp_ns, name, data):
    conf = tmp_path / "gobgpd.toml"
    conf.write_bytes(data)
    result = gobgp_check(gobgp_ns, conf)
    output = result.stdout + result.stderr          # gobgpd logs to stdout
    assert result.returncode == 0, output
    assert "level=fatal" not in output and "level=error" not in output, output
    assert "Finished reading the config file" in output


# -- the checkers catch broken files -------------------------------------------------------
@pytest.mark.parametrize("case,old,new", [
    # what a `"` in a description would do if verify and bird.quote() let it through
    ("bgp-bird-basic", 'description "transit', 'description "tran"sit'),
    ("bgp-bird-hostile-strings", 'description "}; protocol', 'description ""}; protocol'),
    ("bgp-bird-basic", "hold time 180;", "hold time 2;"),
    ("bgp-bird-basic", "local as 65001;", "local as 65001"),
    ("bgp-bird-basic", "router id 192.0.2.1;",
     "router id 192.0.2.1;\nprotocol bgp bgp_192_0_2_2 { local as 1; neighbor 192.0.2.9 as 2; }"),
], ids=["quote-in-string", "quote-breaks-out", "hold-time", "missing-semicolon", "duplicate-protocol"])
def test_bird_check_catches_broken_files(tmp_path, case, old, new):
    source = next(d for n, d in BIRD_FILES if n == case).decode()
    assert old in source
    conf = tmp_path / "bird.conf"
    conf.write_text(source.replace(old, new, 1))
    result = bird_check(conf)
    assert result.returncode == 1
    assert str(conf) in result.stderr


@pytest.mark.parametrize("breakage", [
    lambda c: c.replace("neighbor-address =", "bogus-key = 1\nneighbor-address =", 1),
    lambda c: c.replace('afi-safi-name = "ipv4-unicast"', 'afi-safi-name = "ipv5-unicast"', 1),
    lambda c: c.replace("[global.config]", "[global.config", 1),
    lambda c: c.replace("peer-as = 65002", 'peer-as = "65002x"', 1),
], ids=["unknown-key", "bad-family", "toml-syntax", "bad-type"])
def test_gobgpd_check_catches_broken_files(tmp_path, gobgp_ns, breakage):
    source = next(d for n, d in GOBGP_FILES if n == "bgp-gobgp-basic").decode()
    broken = breakage(source)
    assert broken != source
    conf = tmp_path / "gobgpd.toml"
    conf.write_text(broken)
    result = gobgp_check(gobgp_ns, conf)
    assert result.returncode != 0, result.stdout + result.stderr
    assert "level=fatal" in result.stdout + result.stderr
