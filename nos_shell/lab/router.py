"""A lab router: a nos-shell root whose live target is the router's own namespaces.

The router's namespace gets an anchor (nos_shell/lab/namespaces.py) with these bind mounts
in its private mount namespace, so nothing of the host's /etc or /run changes:

    ROOT/etc/systemd/network          over /etc/systemd/network
    NODEDIR/run-systemd               over /run/systemd  (with networkd.conf.d inside)
    ROOT/etc/systemd/networkd.conf.d  over /run/systemd/networkd.conf.d
    NODEDIR/run-dbus                  over /run/dbus     (a private system bus)
    NODEDIR/hosts                     over /etc/hosts    (its own names, see hosts_file)

ROOT/etc/nos-shell/apply.toml makes every commit live there: the exec prefix
``nsenter -t ANCHOR -n -m -u``, networkd (re)started by :mod:`nos_shell.lab.netd`, the host
name set in the router's own UTS namespace, BIRD's socket under ROOT and gobgpd's API on the
router's own loopback. The router's configuration is then committed through the normal
commit path (:class:`nos_shell.session.Session`), which starts networkd, BIRD or GoBGP and
loads nftables in the router.
"""
from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from . import namespaces
from .state import LabError, LabState, NodeState
from .topology import Node

SSH_PIDFILE = "run/nos-shell/lab-ssh.pid"
SSH_LOG = "var/log/nos-shell/lab-ssh.log"


def is_boot_text(text: str) -> bool:
    """config.boot (curly braces) rather than a command file (lines of words)."""
    return any(line.rstrip().endswith("{") for line in text.splitlines()
               if line.strip() and not line.lstrip().startswith(("#", "//", "/*")))


def set_lines(path: Path) -> list[str]:
    """The router configuration as ``set`` lines (a command file's own, or config.boot's)."""
    text = path.read_text(encoding="utf-8")
    if not is_boot_text(text):
        return [line.strip() for line in text.splitlines() if line.strip().startswith("set ")]
    from ..config.bootfile import load_boot
    from ..config.render import set_lines as render
    from ..errors import NosError

    try:
        tree, _ = load_boot(text, str(path))
    except NosError as err:
        raise LabError(f"{path}: {err.summary}") from None
    return list(render(tree.root, tree.schema))


def settings(record: NodeState, directory: Path) -> dict[str, object]:
    """The router's apply.toml."""
    return {
        "live": True,
        "exec-prefix": record.prefix,
        "networkd-restart": [sys.executable, "-m", "nos_shell.lab.netd", "--dir", str(directory), "--bus"],
        "set-hostname": True,
        "netns": record.netns,
        "bird-socket": str(Path(record.root) / "run/bird.ctl"),
        "gobgp-api": "127.0.0.1:50051",
    }


def host_names(node: Node, lines: list[str]) -> list[str]:
    """The names the router goes by: its node name and its configured host name."""
    names = [node.name]
    for line in lines:
        found = re.fullmatch(r"set system host-name '?([A-Za-z0-9.-]+)'?", line.strip())
        if found and found[1] not in names:
            names.append(found[1])
    return names


def hosts_file(names: list[str]) -> str:
    """The router's own /etc/hosts: its names resolve without asking a name server (which a
    lab router may reach but never hear from: a lookup of its own name would hang)."""
    return (f"127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
            f"127.0.1.1\t{' '.join(names)}\n")


def prepare(state: LabState, node: Node, lines: list[str] | None = None) -> None:
    """The router's root and runtime directories, its anchor, D-Bus, host name and apply.toml."""
    import tomli_w

    record = state.nodes[node.name]
    root, directory = Path(record.root), state.node_dir(node.name)
    units, dropins = root / "etc/systemd/network", root / "etc/systemd/networkd.conf.d"
    rundir, dbusdir = directory / "run-systemd", directory / "run-dbus"
    for path in (root, directory, units, dropins, rundir, dbusdir, rundir / "networkd.conf.d"):
        path.mkdir(parents=True, exist_ok=True)
        path.chmod(0o755)
    hosts = directory / "hosts"
    hosts.write_text(hosts_file(host_names(node, lines or [])))
    hosts.chmod(0o644)
    mounts = [(units, "/etc/systemd/network"), (rundir, "/run/systemd"),
              (dropins, "/run/systemd/networkd.conf.d"), (dbusdir, "/run/dbus"), (hosts, "/etc/hosts")]
    record.anchor = namespaces.start_anchor(record.netns, directory, mounts)
    state.save()
    pid = namespaces.detach([*record.prefix, "dbus-daemon", "--system", "--nofork", "--nopidfile"],
                            directory / "dbus.log")
    record.pids.append(pid)
    state.save()

    def bus() -> bool:
        if not namespaces.alive(pid):
            raise LabError(f"dbus-daemon of {node.name} failed: "
                           f"{(directory / 'dbus.log').read_text(errors='replace').strip()}")
        return (dbusdir / "system_bus_socket").exists()

    namespaces.wait_for(f"the D-Bus of {node.name}", bus, 10)
    namespaces.run(*record.prefix, "hostname", node.name)
    target = root / "etc/nos-shell/apply.toml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(tomli_w.dumps(settings(record, directory)))


def script(node: Node, config: Path, lines: list[str], saved_dir: Path) -> tuple[list[str], list[str]]:
    """(lines run first, the script) that load and commit the router's configuration and
    its BGP backend. A command file is the script as it is, so an error names its own line
    (a file without ``configure`` has it run first, and commit, save and exit added)."""
    backend = ([f"set protocols bgp backend {node.bgp_backend}"]
               if node.bgp_backend and any(line.startswith("set protocols bgp ") for line in lines) else [])
    text = config.read_text(encoding="utf-8")
    if is_boot_text(text):
        saved_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(config, saved_dir / "lab.boot")
        return [], ["configure", "load lab.boot", *backend, "commit", "save", "exit"]
    own = text.split("\n")
    words = [line.split() for line in own if line.strip() and not line.lstrip().startswith("#")]
    if words and words[0] == ["configure"]:
        tail = ["configure", *backend, "commit", "save", "exit"] if backend else []
        return [], own + tail
    return ["configure"], [*own, *backend, "commit", "save", "exit"]


def commit(state: LabState, node: Node, config: Path, lines: list[str]) -> str:
    """Commit the router's configuration through the normal commit path; its output."""
    from ..errors import NosError, report
    from ..session import Session

    record = state.nodes[node.name]
    session = Session(Path(record.root), user="lab", via="file")
    first, body = script(node, config, lines, session.store.saved_path.parent)
    try:
        for line in first:
            session.execute(line)
    except NosError as err:
        session.close()
        raise LabError(f"router {node.name}: {err.summary}") from None
    result = session.run_script(body, str(config))
    session.close()
    if not result.ok:
        raise LabError(f"router {node.name}: {report(result.error)}")
    return result.output


def ssh_target(lines: list[str]) -> list[str]:
    """``[-p, PORT, USER@ADDRESS]`` of the router's SSH service, or [] when it runs none."""
    if not any(line.startswith("set service ssh") for line in lines):
        return []
    def value(pattern: str, default: str) -> str:
        for line in lines:
            found = re.match(pattern, line)
            if found:
                return found[1].strip("'\"")
        return default
    port = value(r"set service ssh port (\S+)", "22")
    address = value(r"set service ssh listen-address (\S+)", "127.0.0.1")
    user = value(r"set system login user (\S+)", "vyos")
    return ["-p", port, f"{user}@{address}"]


def start_ssh(state: LabState, node: Node, lines: list[str]) -> None:
    """Start the router's SSH service (``nos-shell ssh-server``) when its configuration has one."""
    record = state.nodes[node.name]
    target = ssh_target(lines)
    if not target:
        return
    root = Path(record.root)
    namespaces.run(*record.prefix, sys.executable, "-m", "nos_shell.live.daemon",
                   "--pidfile", str(root / SSH_PIDFILE), "--log", str(root / SSH_LOG), "--",
                   sys.executable, "-m", "nos_shell", "--root", str(root), "ssh-server")
    record.ssh = target
    state.save()
    log = root / SSH_LOG

    def listening() -> bool:
        text = log.read_text(errors="replace") if log.exists() else ""
        if "cannot listen" in text or "Traceback" in text:
            raise LabError(f"the SSH service of {node.name} did not start: {text.strip()[-500:]}")
        return "ssh-server: listening on" in text

    namespaces.wait_for(f"the SSH service of {node.name}", listening, 20)
