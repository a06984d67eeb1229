"""Every value type and every path of the schema against hostile values.

1. Property (hypothesis): for every value type the schema uses, what it accepts (drawn
   from the type, plus hostile near-misses of valid values) round-trips through
   config.boot, `set` commands and JSON to the same tree, is archivable, has no control
   character or line separator, and -- for every type but free text and crypt hashes --
   is a plain word (backends/common/safety.py), so the backends' last check never fires on a
   value the schema let in. Derandomised under CI=true.
2. Walk: every tag key and leaf of the schema with each hostile string: either `set`
   refuses it with one short line, or (free text only) it round-trips, and every file
   every backend compiles holds it only inside a comment or a quoted string, with the same
   structure as with a harmless word. The accepted cases then pass the real checkers
   (bird -p, gobgpd -d, nft -c, a throwaway systemd-networkd), as tests/test_realparsers.py
   does for the golden files.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lab import netns, require_tool, run
from nos_shell.api import tree_from_commands
from nos_shell.backends.common.safety import PLAIN
from nos_shell.backends.registry import compile_all, verify_all
from nos_shell.commands import CONF, parse
from nos_shell.config.bootfile import dump_boot, load_boot
from nos_shell.config.data import tree_from_json
from nos_shell.config.render import to_commands, to_json
from nos_shell.config.tree import ConfigTree
from nos_shell.errors import NosError
from nos_shell.schema import SCHEMA, Kind, SchemaNode
from nos_shell.schema import types as t
from nos_shell.schema.sysopts import SysctlValue
from nos_shell.store import archive_text
from propsettings import examples
from strategies import values
from test_networkd_hostile import BASE as NETWORKD_BASE

_SEPARATORS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
HOSTILE_BITS = ["\n", "\r", "\x00", "\t", "\x85", "\u2028", "\u2029", "\x7f", "\x9b", " ", '"', "'", "{", "}",
                ";", "#", "%", "%eth0", "%x y", "\\", "//", "/*", "*/", "\u0663", "\ud800", "$", "!", "="]


# -- where each type is used --------------------------------------------------------------
def _locations() -> list[tuple[tuple, SchemaNode]]:
    """(steps, node) for every tag and value-taking leaf: steps are schema names, and the
    tag node (a SchemaNode) wherever a key of that tag must be drawn."""
    out: list[tuple[tuple, SchemaNode]] = []

    def walk(node: SchemaNode, steps: tuple) -> None:
        for child in node.children.values():
            here = steps + (child.name,)
            if child.kind is Kind.TAG or child.takes_value:
                out.append((here, child))
            if child.kind is Kind.TAG:
                walk(child, here + (child,))
            elif not child.is_leaf:
                walk(child, here)

    walk(SCHEMA, ())
    return out


LOCATIONS = _locations()


@lru_cache(maxsize=None)
def _types() -> list[tuple[t.ValueType, tuple, SchemaNode]]:
    """Each distinct value type (also those inside unions) with the first place the schema
    uses it."""
    def nested(vt: t.ValueType):
        yield vt
        for inner in getattr(vt, "members", ()) + ((vt.inner,) if isinstance(vt, t.Negatable) else ()):
            yield from nested(inner)

    seen: dict[t.ValueType, tuple[tuple, SchemaNode]] = {}
    for steps, node in LOCATIONS:
        for vt in nested(node.type):  # type: ignore[arg-type]
            seen.setdefault(vt, (steps, node))
    return [(vt, steps, node) for vt, (steps, node) in seen.items()]


def near_misses(vt: t.ValueType) -> st.SearchStrategy[str]:
    """Valid values of ``vt`` with something hostile spliced in (or appended)."""
    return st.builds(lambda v, i, bit: v[:i] + bit + v[i:], values(vt), st.integers(0, 60),
                     st.sampled_from(HOSTILE_BITS))


def accepts(vt: t.ValueType, value: str) -> bool:
    """Whether `set` takes ``value`` (a type may be stricter at set than at load: check_set)."""
    try:
        getattr(vt, "check_set", vt.check)(value)
    except ValueError:
        return False
    return True


def round_trips(tree: ConfigTree) -> None:
    """config.boot, `set` commands and JSON all read back as ``tree``; it is archivable."""
    assert load_boot(dump_boot(tree)) == (tree, [])
    back = ConfigTree()
    for line in to_commands(tree).split("\n")[:-1]:
        command = parse(line, CONF)
        assert command.name == "set", line
        back.set(command.words)
    assert back == tree
    assert tree_from_json(to_json(tree)) == tree
    archive_text(tree)


@pytest.mark.parametrize("vt,steps,node", _types(), ids=[f"{n.name}:{type(v).__name__}" for v, _, n in _types()])
def test_every_value_a_type_accepts_round_trips(vt, steps, node):
    @examples(40)
    @given(st.data())
    def check(data):
        words = [data.draw(values(s.type)) if isinstance(s, SchemaNode) else s for s in steps]
        value = data.draw(st.one_of(values(vt), near_misses(vt)))
        tree = ConfigTree()
        try:
            tree.set(words + [value])
        except NosError as exc:
            assert not accepts(vt, value)
            assert "\n" not in exc.summary and len(exc.summary) < 600
            return
        assert not _SEPARATORS.search(value), value
        if not isinstance(vt, t.Text) and vt is not t.CRYPT_HASH:
            assert PLAIN.fullmatch(value), f"{node.name}: {value!r} is not a plain word"
        if isinstance(vt, SysctlValue):     # written bare into sysctl.d: plain words, single blanks
            assert all(PLAIN.fullmatch(word) for word in value.split(" ")), value
        if node.hash_into:
            return          # stored as its hash, never as typed
        round_trips(tree)

    check()


def test_every_type_of_the_schema_is_covered():
    kinds = {type(vt) for vt, _, _ in _types()}
    assert {t.IPv4, t.IPv6, t.Prefix, t.HostPrefix, t.Union, t.Number, t.Enum, t.Text, t.Pattern,
            t.InterfaceName, t.HostName, t.Mac, t.Negatable} <= kinds


# -- every path, hostile strings --------------------------------------------------------------
HOSTILE = ["~\n~", "~\r~", "~\x00~", "~\u2028~", "~\x85~", '~"~', "~'~", "~#~", "~;~", "~{~", "~}~",
           "~\\", " ~ ", "~\t~", "~%eth0", "2001:db8::1%x y", "2001:db8::53%x\noptions ndots:15",
           "2001:db8::1%x 203.0.113.66", "~ }\n} protocol kernel {", '~"; flush ruleset; #', "/* ~ */",
           "~" * 600]

BASE = NETWORKD_BASE + """set service ntp server 192.0.2.123
set system login user vyos level admin
set protocols bgp system-as 64500
set protocols bgp parameters router-id 192.0.2.1
set protocols bgp neighbor 192.0.2.2 remote-as 64501
set protocols bgp neighbor 192.0.2.2 address-family ipv4-unicast
set protocols bgp peer-group PG remote-as 64502
set protocols bgp address-family ipv4-unicast network 203.0.113.0/24
set firewall ipv4 name eth0 rule 10 action accept
set firewall ipv6 name eth0 rule 10 action accept
set firewall ipv4 input filter rule 10 action accept
set firewall ipv4 forward filter rule 10 action accept
set firewall ipv4 output filter rule 10 action accept
set firewall ipv6 input filter rule 10 action accept
set firewall ipv6 forward filter rule 10 action accept
set firewall ipv6 output filter rule 10 action accept
set firewall zone eth0 interface eth0
"""
KEYS = {"ethernet": "eth0", "vif": "10", "bridge": "br0", "bonding": "bond0", "wireguard": "wg0", "peer": "p",
        "shared-network-name": "LAN", "subnet": "192.0.2.0/24", "range": "r", "server": "192.0.2.123",
        "neighbor": "192.0.2.2", "peer-group": "PG", "user": "vyos", "route": "10.0.0.0/8",
        "next-hop": "192.0.2.254", "parameter": "net.ipv4.tcp_rfc1337", "facility": "all"}
CANDIDATES = ["eth0", "10", "192.0.2.0/24", "2001:db8::/32", "192.0.2.254", "2001:db8::1", "br0", "bond0",
              "dum0", "lo", "peth0", "vxlan0", "wg0", "k1"]


def _key(node: SchemaNode, steps: tuple) -> str:
    key = KEYS.get(node.name)
    if key is not None and accepts(node.type, key):  # type: ignore[arg-type]
        return key
    return next(c for c in CANDIDATES if accepts(node.type, c))  # type: ignore[arg-type]


def _targets() -> list[tuple[tuple[str, ...], SchemaNode]]:
    out = []
    for steps, node in LOCATIONS:
        words: list[str] = []
        for s in steps:
            words.append(_key(s, tuple(words)) if isinstance(s, SchemaNode) else s)
        out.append((tuple(words), node))
    return out


TARGETS = _targets()
_QUOTED = {"toml": re.compile(r'"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\''), "": re.compile(r'"[^"\n]*"')}


def _structure(path: str, data: bytes) -> list[str]:
    """The lines a consumer reads, with comment lines dropped and quoted strings emptied."""
    quoted = _QUOTED["toml" if path.endswith(".toml") else ""]
    return [quoted.sub('""', line) for line in data.decode().split("\n") if not line.lstrip().startswith("#")]


def _compiled(tree: ConfigTree) -> dict[str, list[str]] | None:
    """Every file of every backend as structure, or None when verify refuses the tree."""
    if verify_all(tree):
        return None
    return {str(p): _structure(str(p), bytes(d)) for p, d in compile_all(tree).items()}


def test_targets_cover_every_tag_and_leaf():
    assert len(TARGETS) == len(LOCATIONS) > 200
    assert {"description", "password", "full-name", "server", "name-server", "neighbor"} <= {n.name for _, n in TARGETS}


ACCEPTED: dict[str, list[tuple[str, ...]]] = {}


@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: repr(v[:30]))
def test_hostile_value_at_every_path_is_refused_or_stays_in_its_field(value):
    base = tree_from_commands(BASE)
    variants = [base, base.copy()]
    variants[1].set(["protocols", "bgp", "backend", "gobgp"])
    accepted = []
    for words, node in TARGETS:
        tree = base.copy()
        try:
            tree.set(list(words) + [value])
        except NosError as exc:
            assert "\n" not in exc.summary and len(exc.summary) < 600, exc.summary
            continue
        accepted.append(words)
        assert isinstance(node.type, t.Text), f"{' '.join(words)} accepted {value!r}"
        round_trips(tree)
        for variant in variants:
            hostile, plain = variant.copy(), variant.copy()
            hostile.set(list(words) + [value])
            plain.set(list(words) + ["plain"])
            got, expected = _compiled(hostile), _compiled(plain)
            if got is None:
                continue            # refused at verify, with its path
            assert got == expected, f"{' '.join(words)}: {value!r} changed a file's structure"
            assert not any("~" in line for lines in got.values() for line in lines)
    if _SEPARATORS.search(value) or len(value) > 512:
        assert accepted == [], accepted
    ACCEPTED[value] = accepted


# -- the real checkers on the accepted cases ----------------------------------------------------
def _worst(value: str, backend: str) -> ConfigTree | None:
    """BASE with ``value`` in every free-text field that accepts it, if verify allows."""
    tree = tree_from_commands(BASE)
    tree.set(["protocols", "bgp", "backend", backend])
    for words, node in TARGETS:
        if isinstance(node.type, t.Text) and not node.hash_into and accepts(node.type, value):
            trial = tree.copy()
            trial.set(list(words) + [value])
            if not verify_all(trial):
                tree = trial
    return tree


ACCEPTABLE = [v for v in HOSTILE if accepts(t.DESCRIPTION, v)]


@pytest.fixture(scope="module")
def lab_ns():
    require_tool("nft")
    require_tool("gobgpd")
    with netns("nostypes") as ns:
        yield ns


@pytest.mark.parametrize("value", ACCEPTABLE, ids=lambda v: repr(v[:30]))
def test_accepted_hostile_text_passes_the_real_checkers(tmp_path, lab_ns, value):
    for backend in ("bird", "gobgp"):
        files = compile_all(_worst(value, backend))
        for rel, data in files.items():
            path = tmp_path / backend / str(rel).replace("/", "_")
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(bytes(data))
            if rel.name == "bird.conf":
                result = run(require_tool("bird"), "-p", "-c", str(path), check=False)
            elif rel.name == "gobgpd.toml":
                result = run("ip", "netns", "exec", lab_ns, "gobgpd", "-d", "-p", "-f", str(path), check=False)
            elif rel.suffix == ".nft":
                result = run("ip", "netns", "exec", lab_ns, "nft", "-c", "-f", str(path), check=False)
            else:
                continue
            assert (result.returncode, result.stderr) == (0, ""), f"{rel}: {result.stderr}"


def test_accepted_hostile_text_passes_networkd(tmp_path):
    """One throwaway networkd per accepted hostile value (all at once, tests/lab.py) reads
    the units of the worst tree without a diagnostic."""
    import shutil

    from lab import run_networkd
    from nos_shell.backends.contract import file_mode

    dirs = {}
    for number, value in enumerate(ACCEPTABLE):
        units = tmp_path / f"units-{number}"
        units.mkdir()
        for rel, data in compile_all(_worst(value, "bird")).items():
            if str(rel).startswith("etc/systemd/network/"):
                target = units / rel.name
                target.write_bytes(bytes(data))
                mode, owner, group = file_mode(data)
                target.chmod(mode)
                shutil.chown(target, owner, group)
        dirs[repr(value)] = units
    assert len(dirs) >= 10
    for key, result in run_networkd(dirs).items():
        assert any("Enumeration completed" in line for line in result.log), f"{key}: networkd did not start"
        assert not result.diagnostics, f"{key}: networkd complained:\n" + "\n".join(result.diagnostics)
