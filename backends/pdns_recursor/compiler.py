"""PowerDNS Recursor compiler: `service dns forwarding` -> one settings file.

    etc/powerdns/recursor-nos-shell.conf

The recursor reads it as its "virtual configuration" ``nos-shell`` (``--config-name=nos-shell``:
the file ``recursor-nos-shell.conf`` in its ``--config-dir``), so Debian's own
``/etc/powerdns/recursor.conf`` (a package conffile) is never written. Forwarding is written
inline (``forward-zones``, ``forward-zones-recurse``), not in a forward-zones file, so the file
names no other path and reads the same in any root. As in VyOS:

- ``name-server`` (and, with ``system``, `system name-server`) forward every name (zone
  ``.``) with the recursion-desired bit: the upstreams are resolvers;
- ``domain NAME name-server`` forwards NAME and below to its servers; with
  ``recursion-desired`` the bit is set (the servers are resolvers), else they are asked
  as authoritative servers;
- no upstream at all: the recursor resolves from the root servers itself;
- ``cache-size``, ``negative-ttl``, ``timeout``, ``dnssec`` and ``ignore-hosts-file`` with
  VyOS's defaults (10000 entries, 3600 s, 1500 ms, ``process-no-validate``, answering from
  /etc/hosts); fixed as in VyOS: port 53 and ``non-local-bind`` (a listen address not yet
  configured does not stop it); no security-status queries to powerdns.com.

Every value comes from model.py, which parses it again; the text written is the parsed
value's own form. Verify follows VyOS's messages.
"""
from __future__ import annotations

from pathlib import PurePosixPath

from nos_shell.config.tree import ConfigTree
from nos_shell.problems import Problem

from ..common.safety import unsafe_words
from ..contract import HEADER
from .model import BASE, Forwarding, Server, read

CONFIG_NAME = "nos-shell"
CONF = PurePosixPath(f"etc/powerdns/recursor-{CONFIG_NAME}.conf")
FIXED = (
    "local-port=53",
    "non-local-bind=yes",
    "security-poll-suffix=",
)


def _servers(servers: tuple[Server, ...]) -> str:
    return ";".join(s.text() for s in servers)


def render(fwd: Forwarding) -> bytes:
    """The settings file for ``fwd``."""
    lines = [f"# {HEADER}",
             "local-address=" + ",".join(map(str, fwd.listen)),
             "allow-from=" + ",".join(map(str, fwd.allow)),
             f"max-cache-entries={fwd.cache_size}",
             f"max-negative-ttl={fwd.negative_ttl}",
             f"network-timeout={fwd.timeout}",
             f"dnssec={fwd.dnssec}",
             f"export-etc-hosts={'yes' if fwd.hosts_file else 'no'}",
             *FIXED]
    plain = [f"{d.name}={_servers(d.servers)}" for d in fwd.domains if d.servers and not d.recurse]
    recurse = [f"{d.name}={_servers(d.servers)}" for d in fwd.domains if d.servers and d.recurse]
    if fwd.upstream:
        recurse.insert(0, f".={_servers(fwd.upstream)}")
    if plain:
        lines.append("forward-zones=" + ",".join(plain))
    if recurse:
        lines.append("forward-zones-recurse=" + ",".join(recurse))
    return ("\n".join(lines) + "\n").encode()


def compile(tree: ConfigTree) -> dict[PurePosixPath, bytes]:
    fwd = read(tree)
    return {} if fwd is None else {CONF: render(fwd)}


def verify(tree: ConfigTree) -> list[Problem]:
    if not tree.exists(*BASE):
        return []
    problems = unsafe_words(tree, ("service", "dns"))
    if tree.exists(*BASE, "system"):
        problems += unsafe_words(tree, ("system", "name-server"))
    if problems:
        return problems
    try:
        fwd = read(tree)
    except ValueError as exc:
        return [Problem(BASE, f"Invalid value: {exc}")]
    assert fwd is not None
    if not fwd.listen:
        problems.append(Problem(BASE, "DNS forwarding requires a listen-address"))
    if not fwd.allow:
        problems.append(Problem(BASE, "DNS forwarding requires an allow-from network"))
    seen: dict[str, str] = {}
    for key, each in zip(tree.keys(*BASE, "domain"), fwd.domains):
        if not each.servers:
            problems.append(Problem((*BASE, "domain", key), f"No server configured for domain {key}!"))
        if each.name in seen:
            problems.append(Problem((*BASE, "domain", key),
                                    f"Domain {key} is configured twice (also as {seen[each.name]}); "
                                    "domain names are not case-sensitive"))
        seen.setdefault(each.name, key)
    return problems


def system_warning(tree: ConfigTree) -> str | None:
    """VyOS's warning when `system` is set but there is no `system name-server`."""
    if tree.exists(*BASE, "system") and not tree.values("system", "name-server"):
        return 'Warning: No "system name-server" configured'
    return None
