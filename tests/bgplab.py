"""BGP on top of the namespace lab (tests/netlab.py): what a test needs to see that a live
commit left a BGP daemon and its sessions alone.

- :func:`record_commands` puts a recorder in front of the router's exec prefix, so every
  command nos-shell runs in the router (``birdc configure``, ``kill -HUP``, ``networkctl``)
  is appended, as a JSON list, to a log the test reads with :func:`commands`;
- :func:`bgp_settings` adds the BGP drivers' apply.toml keys (BIRD's socket under the
  router's root, gobgpd's API on the router namespace's own loopback);
- :class:`PeerBird` is a plain BIRD in a host namespace (its own hand-written file, not
  nos-shell's), with millisecond protocol times, so a reset of its session to the router
  shows as a new "since" time;
- :func:`bgp_sockets` names each established TCP connection on port 179 of a namespace by
  its ports and socket inode: a session that was reset and came back is a new socket.
"""
from __future__ import annotations

import json
import pathlib
import re
import tomllib

import tomli_w

from lab import require_tool, run
from netlab import Node, Router, wait_for

_RECORDER = """\
import json, os, sys
with open(sys.argv[1], "a") as log:
    log.write(json.dumps(sys.argv[2:]) + "\\n")
os.execvp(sys.argv[2], sys.argv[2:])
"""


def _update_settings(router: Router, **extra: object) -> dict:
    path = router.root / "etc/nos-shell/apply.toml"
    data = tomllib.loads(path.read_text())
    data.update(extra)
    path.write_text(tomli_w.dumps(data))
    return data


def bgp_settings(router: Router) -> None:
    """apply.toml keys for both BGP drivers: nothing of theirs lands on the host's /run."""
    _update_settings(router, **{"bird-socket": str(router.root / "run/bird.ctl"),
                                "gobgp-api": "127.0.0.1:50051"})


def record_commands(router: Router) -> pathlib.Path:
    """Log every command nos-shell runs through the router's exec prefix; the log's path."""
    import sys

    script, log = router.dir / "recorder.py", router.dir / "commands.log"
    script.write_text(_RECORDER)
    log.touch()
    _update_settings(router, **{"exec-prefix": [sys.executable, "-S", str(script), str(log), *router.prefix]})
    return log


def commands(log: pathlib.Path, router: Router, since: int = 0) -> list[list[str]]:
    """The commands recorded from line ``since`` on, without the exec prefix."""
    skip = len(router.prefix)
    return [json.loads(line)[skip:] for line in log.read_text().splitlines()[since:]]


def count(log: pathlib.Path) -> int:
    return len(log.read_text().splitlines())


class PeerBird:
    """A BIRD speaking BGP to the router from a plain host namespace."""

    def __init__(self, node: Node, router_id: str, asn: int, neighbor: str, neighbor_as: int):
        require_tool("bird")
        require_tool("birdc")
        self.node = node
        self.sock = str(node.dir / "bird.ctl")
        conf = node.dir / "bird.conf"
        conf.write_text(f"""router id {router_id};
timeformat protocol iso long ms;
protocol device {{ }}
protocol bgp uplink {{
    local {router_id} as {asn};
    neighbor {neighbor} as {neighbor_as};
    hold time 9; keepalive time 3; connect delay time 1; connect retry time 3;
    ipv4 {{ import all; export none; }};
}}
""")
        run("ip", "netns", "exec", node.ns, "bird", "-c", str(conf), "-s", self.sock,
            "-P", str(node.dir / "bird.pid"))
        wait_for("the peer's BIRD", lambda: self.birdc("show", "status").returncode == 0, 10)

    def birdc(self, *args: str):
        return run("ip", "netns", "exec", self.node.ns, "birdc", "-s", self.sock, *args, check=False)

    def session(self) -> tuple[str, str] | None:
        """(state, since) of its session to the router, e.g. ("Established", "2026-... .123")."""
        out = self.birdc("show", "protocols", "uplink").stdout
        m = re.search(r"^uplink\s+BGP\s+\S+\s+\S+\s+(\S+ \S+)\s+(\w+)", out, re.M)
        return (m[2], m[1]) if m else None

    def routes(self) -> str:
        return self.birdc("show", "route").stdout


def bgp_sockets(node: Node) -> set[tuple[str, str, str]]:
    """(local, remote, inode) of every established TCP connection to or from port 179."""
    out = run("ip", "netns", "exec", node.ns, "ss", "-Htne", "state", "established",
              "( sport = :179 or dport = :179 )").stdout
    found = set()
    for line in out.splitlines():
        cells = line.split()
        inode = re.search(r"\bino:(\d+)", line)
        if len(cells) >= 4 and inode:
            found.add((cells[2], cells[3], inode[1]))
    return found
