"""`nos-shell lab` for real: two routers (one from a command file, one from config.boot)
and two hosts in namespaces, veth only (this kernel has no 8021q).

One lab comes up in this process with every program it starts recorded (none is a shell);
the commands a user types (status, exec, down, a second lab, up killed half way) run as
`python -m nos_shell lab ...` with the state directory of this test.
"""
from __future__ import annotations

import json
import os
import pathlib
import signal
import subprocess
import sys
import uuid

import pytest

from lab import require_netns, require_networkd, require_tool

PY = sys.executable
R1 = """# r1: the pc's router
set system host-name r1
set interfaces ethernet eth1 address 10.0.12.1/30
set interfaces ethernet eth2 address 198.51.100.1/24
set protocols static route 203.0.113.0/24 next-hop 10.0.12.2
set interfaces ethernet eth3 address 192.0.2.1/24
set service dhcp-server shared-network-name LAB subnet 192.0.2.0/24 option default-router 192.0.2.1
set service dhcp-server shared-network-name LAB subnet 192.0.2.0/24 range 0 start 192.0.2.100
set service dhcp-server shared-network-name LAB subnet 192.0.2.0/24 range 0 stop 192.0.2.120
set service ssh port 2222
set system login user alice authentication public-keys alice@lab type ssh-ed25519
set system login user alice authentication public-keys alice@lab key KEY
"""
R2 = """interfaces {
    ethernet eth1 {
        address 10.0.12.2/30
    }
    ethernet eth2 {
        address 203.0.113.1/24
    }
}
protocols {
    static {
        route 198.51.100.0/24 {
            next-hop 10.0.12.1 {
            }
        }
        route 192.0.2.0/24 {
            next-hop 10.0.12.1 {
            }
        }
    }
}
system {
    host-name r2
}
"""
TOPOLOGY = """
[nodes.r1]
kind = "router"
config = "r1.cmds"
[nodes.r2]
kind = "router"
config = "r2.boot"
[nodes.pc]
kind = "host"
routes = [{ to = "default", via = "198.51.100.1" }]
[nodes.pc.interfaces.eth0]
addresses = ["198.51.100.10/24"]
[nodes.dh]
kind = "host"
[nodes.dh.interfaces.eth0]
dhcp = true
[nodes.srv]
kind = "host"
routes = [{ to = "default", via = "203.0.113.1" }]
services = [{ port = 80 }, { port = 53, protocol = "udp" }]
[nodes.srv.interfaces.eth0]
addresses = ["203.0.113.10/24"]
[[links]]
a = "r1:eth1"
b = "r2:eth1"
mtu = 1400
[[links]]
a = "r1:eth2"
b = "pc:eth0"
[[links]]
a = "r2:eth2"
b = "srv:eth0"
[[links]]
a = "r1:eth3"
b = "dh:eth0"
"""
CLIENT = r"""
import socket, sys
kind, port = sys.argv[1], int(sys.argv[3])
if kind == "tcp":
    with socket.create_connection((sys.argv[2], port), timeout=3) as c:
        print(c.recv(200).decode().strip())
else:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
        u.settimeout(3)
        u.sendto(b"?", (sys.argv[2], port))
        print(u.recv(200).decode().strip())
"""


def _require_lab() -> None:
    require_netns()
    require_networkd()
    for tool in ("dbus-daemon", "busctl", "networkctl", "nsenter", "unshare", "hostname", "nft", "ssh"):
        require_tool(tool)


def _tag() -> str:
    return "lc" + uuid.uuid4().hex[:6]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> pathlib.Path:
    """The topology and router files; r1 lets alice in by the key ``alice`` beside them."""
    _require_lab()
    require_tool("ssh-keygen")
    directory = tmp_path_factory.mktemp("labfiles")
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(directory / "alice")], check=True)
    blob = (directory / "alice.pub").read_text().split()[1]
    (directory / "lab.toml").write_text(TOPOLOGY)
    (directory / "r1.cmds").write_text(R1.replace("KEY", blob))
    (directory / "r2.boot").write_text(R2)
    return directory


@pytest.fixture(scope="module")
def state_dir(tmp_path_factory) -> pathlib.Path:
    return tmp_path_factory.mktemp("labstate")


def cli(state_dir: pathlib.Path, *args: str, env: dict[str, str] | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([PY, "-m", "nos_shell", "lab", *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "NOS_SHELL_LAB_STATE": str(state_dir), **(env or {})})


def namespaces() -> set[str]:
    return {line.split()[0] for line in subprocess.run(["ip", "netns", "list"], capture_output=True,
                                                       text=True).stdout.splitlines() if line.strip()}


def running(pid: int) -> bool:
    try:
        return pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def host_links() -> set[str]:
    out = subprocess.run(["ip", "-j", "link", "show"], capture_output=True, text=True).stdout
    return {link["ifname"] for link in json.loads(out)}


def lab_mounts(*paths: pathlib.Path) -> list[str]:
    text = pathlib.Path("/proc/self/mountinfo").read_text()
    return [line for line in text.splitlines() if any(str(p) in line for p in paths)]


def gone(state, before_links: set[str], pids: list[int], *dirs: pathlib.Path) -> list[str]:
    """What of a lab is still there after `lab down` (empty when nothing)."""
    left = [f"namespace {ns}" for ns in namespaces() & {n.netns for n in state.nodes.values()}]
    left += [f"process {pid}" for pid in pids if running(pid)]
    ends = {word.split(":")[1] for link in state.links for word in link.split()}
    # (other programs on this machine may add host links meanwhile: only ours count)
    left += [f"link {name}" for name in host_links() - before_links if name in ends or state.name in name]
    left += [f"mount {line}" for line in lab_mounts(*dirs)]
    left += [f"directory {d}" for d in dirs if d.exists()]
    return left


class Recorder:
    """Every program subprocess.Popen starts in this process, as given."""

    def __init__(self):
        self.calls: list[tuple[object, object]] = []

    def wrap(self, real):
        recorder = self

        class Recording(real):
            def __init__(self, args, *rest, **kw):
                recorder.calls.append((args, kw.get("shell", False)))
                super().__init__(args, *rest, **kw)

        return Recording


@pytest.fixture(scope="module")
def lab(files, state_dir, tmp_path_factory):
    """The lab of TOPOLOGY, up (in this process, programs recorded); down afterwards."""
    _require_lab()
    from nos_shell.lab.down import down
    from nos_shell.lab.up import up

    recorder = Recorder()
    real = subprocess.Popen
    subprocess.Popen = recorder.wrap(real)          # type: ignore[misc]
    name = _tag()
    roots = tmp_path_factory.mktemp("labroots") / "roots"
    links_before = host_links()
    try:
        state = up(files / "lab.toml", name, roots, state_dir)
    finally:
        subprocess.Popen = real                     # type: ignore[misc]
    try:
        yield state, recorder, roots, links_before
    finally:
        from nos_shell.lab import state as lab_state

        if name in lab_state.names(state_dir):
            down(lab_state.load(name, state_dir))


def test_the_runtime_starts_programs_only_as_argv_lists(lab):
    _, recorder, _, _ = lab
    assert len(recorder.calls) > 20
    shells = [(args, shell) for args, shell in recorder.calls
              if shell or not isinstance(args, (list, tuple)) or
              any(os.path.basename(str(word)) in ("sh", "bash", "dash") for word in args)]
    assert shells == []
    argvs = [list(map(str, args)) for args, _ in recorder.calls]
    assert any(argv[:3] == ["ip", "netns", "exec"] and "nos_shell.lab.anchor" in argv for argv in argvs)
    assert any("dbus-daemon" in argv for argv in argvs)


def test_traffic_crosses_both_routers(lab):
    state, *_ = lab
    pc = state.nodes["pc"]
    for kind, port in (("tcp", "80"), ("udp", "53")):
        result = subprocess.run([*pc.prefix, PY, "-c", CLIENT, kind, "203.0.113.10", port],
                                capture_output=True, text=True, timeout=30)
        assert result.stdout.strip() == "srv 198.51.100.10", result.stderr
    ping = subprocess.run([*pc.prefix, "ping", "-c", "1", "-W", "3", "10.0.12.2"], capture_output=True, text=True)
    assert ping.returncode == 0, ping.stdout + ping.stderr


def test_a_dhcp_host_has_its_lease_when_lab_up_returns(lab):
    """lab up waited for the lease r1's DHCP server gave; the host reaches srv from it."""
    state, *_ = lab
    dh = state.nodes["dh"]
    addresses = subprocess.run(["ip", "-n", dh.netns, "-4", "-j", "addr", "show", "dev", "eth0"],
                               capture_output=True, text=True).stdout
    leased = [a["local"] for link in json.loads(addresses) for a in link["addr_info"] if a.get("dynamic")]
    assert len(leased) == 1 and 100 <= int(leased[0].rsplit(".", 1)[1]) <= 120, addresses
    result = subprocess.run([*dh.prefix, PY, "-c", CLIENT, "tcp", "203.0.113.10", "80"],
                            capture_output=True, text=True, timeout=30)
    assert result.stdout == f"srv {leased[0]}\n", result.stderr


def test_routers_took_their_configuration_live(lab, state_dir):
    state, *_ = lab
    assert cli(state_dir, "exec", f"{state.name}:r1", "--", "hostname").stdout == "r1\n"
    assert cli(state_dir, "exec", f"{state.name}:r2", "--", "hostname").stdout == "r2\n"
    route = cli(state_dir, "exec", f"{state.name}:r2", "--", "ip", "route", "show", "198.51.100.0/24").stdout
    assert "via 10.0.12.1 dev eth1" in route
    mtu = cli(state_dir, "exec", f"{state.name}:r1", "--", "cat", "/sys/class/net/eth1/mtu").stdout
    assert mtu == "1400\n"
    host_hosts = pathlib.Path("/etc/hosts").read_text()
    hosts = cli(state_dir, "exec", f"{state.name}:r1", "--", "cat", "/etc/hosts").stdout
    assert "127.0.1.1\tr1\n" in hosts and pathlib.Path("/etc/hosts").read_text() == host_hosts
    here = cli(state_dir, "exec", f"{state.name}:r1", "--", "pwd").stdout
    assert here == os.getcwd() + "\n"          # the caller's working directory, not the anchor's
    failing = cli(state_dir, "exec", f"{state.name}:pc", "--", PY, "-c", "raise SystemExit(3)")
    assert failing.returncode == 3
    show = cli(state_dir, "exec", f"{state.name}:r1", "--", PY, "-m", "nos_shell", "--root",
               state.nodes["r1"].root, "-c", "show configuration commands")
    assert "set protocols static route 203.0.113.0/24 next-hop 10.0.12.2" in show.stdout.replace("'", "")


def test_shell_and_ssh_reach_the_router(lab, files, state_dir):
    state, *_ = lab
    shell = subprocess.run([PY, "-m", "nos_shell", "lab", "shell", f"{state.name}:r1"], input="show interfaces\n",
                           capture_output=True, text=True, timeout=60,
                           env={**os.environ, "NOS_SHELL_LAB_STATE": str(state_dir)})
    assert shell.returncode == 0, shell.stderr
    assert "@r1:~$" in shell.stdout and "10.0.12.1/30" in shell.stdout
    ssh = subprocess.run([PY, "-m", "nos_shell", "lab", "ssh", f"{state.name}:r1", "--", "-i", str(files / "alice"),
                          "-o", "BatchMode=yes", "-o", "LogLevel=ERROR"], input="show configuration commands\nexit\n",
                         capture_output=True, text=True, timeout=60,
                         env={**os.environ, "NOS_SHELL_LAB_STATE": str(state_dir)})
    assert "set service ssh port '2222'" in ssh.stdout, ssh.stderr
    none = cli(state_dir, "ssh", f"{state.name}:r2")
    assert none.returncode == 1 and "r2 runs no SSH service" in none.stderr
    host = cli(state_dir, "shell", f"{state.name}:pc")
    assert host.returncode == 1 and "pc is a host, not a router" in host.stderr


def _pty_read_until(fd: int, pattern: bytes, seen: bytearray, timeout: float = 20) -> None:
    """Read the terminal until ``pattern`` shows (escape sequences removed); answer cursor queries."""
    import re
    import select
    import time

    deadline = time.monotonic() + timeout
    while not re.search(pattern, re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]|\r", b"", bytes(seen))):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise AssertionError(f"{pattern!r} not seen; output ends {bytes(seen)[-800:]!r}")
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b""
        if not data:
            raise AssertionError(f"the shell ended before {pattern!r}: {bytes(seen)[-800:]!r}")
        seen += data
        for _ in range(data.count(b"\x1b[6n")):
            os.write(fd, b"\x1b[1;1R")


def test_lab_shell_on_a_terminal_completes_and_helps(lab, state_dir):
    """`lab shell` is the normal full-screen shell, in the router: Tab completes, ? helps."""
    import fcntl
    import pty
    import struct
    import termios

    state, *_ = lab
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "PROMPT_TOOLKIT_NO_CPR")}
    env.update(TERM="xterm", NOS_SHELL_LAB_STATE=str(state_dir))
    proc = subprocess.Popen([PY, "-m", "nos_shell", "lab", "shell", f"{state.name}:r1"], stdin=slave,
                            stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    seen = bytearray()
    try:
        _pty_read_until(master, rb"root@r1:~\$", seen)
        os.write(master, b"show interf\t")
        _pty_read_until(master, rb"show interfaces", seen)
        os.write(master, b"?")
        _pty_read_until(master, rb"ethernet", seen)
        os.write(master, b"\r")                   # the line is still "show interfaces "
        _pty_read_until(master, rb"10\.0\.12\.1/30", seen)
        os.write(master, b"exit\r")
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)


def test_status_names_nodes_links_and_daemons(lab, state_dir):
    state, *_ = lab
    text = cli(state_dir, "status", state.name)
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith(f"lab {state.name}: up ")
    assert f"router r1              namespace {state.name}_r1 anchor up  networkd up, ssh up\n" in text.stdout
    assert f"host   srv             namespace {state.name}_srv\n" in text.stdout
    assert "link   r1:eth2 <-> pc:eth0" in text.stdout
    data = json.loads(cli(state_dir, "status", state.name, "--json").stdout)
    assert data["phase"] == "up" and all(node["present"] for node in data["nodes"].values())
    assert data["nodes"]["r2"]["daemons"] == {"networkd": True}
    assert data["nodes"]["dh"]["daemons"] == {"networkd": True} and data["nodes"]["pc"]["daemons"] == {}
    missing_lab = cli(state_dir, "status", "nosuchlab")
    assert missing_lab.returncode == 1 and "no lab named 'nosuchlab' is running" in missing_lab.stderr


def test_a_second_lab_runs_beside_the_first(lab, files, state_dir, tmp_path):
    state, *_ = lab
    again = cli(state_dir, "up", str(files / "lab.toml"), "--name", state.name, "--dir", str(tmp_path / "x"))
    assert again.returncode == 1 and f"lab '{state.name}' is already running" in again.stderr
    other = _tag()
    made = cli(state_dir, "up", str(files / "lab.toml"), "--name", other, "--dir", str(tmp_path / "other"))
    try:
        assert made.returncode == 0, made.stderr
        assert f"lab {other}: router r2: commit r2.boot" in made.stderr
        mine = {f"{lab_name}_{node}" for lab_name in (state.name, other) for node in ("r1", "r2", "pc", "srv", "dh")}
        assert mine <= namespaces()
        ambiguous = cli(state_dir, "exec", "r1", "--", "true")
        assert ambiguous.returncode == 1 and "name it as LAB:r1" in ambiguous.stderr
        for lab_name in (state.name, other):
            reply = cli(state_dir, "exec", f"{lab_name}:pc", "--", PY, "-c", CLIENT, "tcp", "203.0.113.10", "80")
            assert reply.stdout == "srv 198.51.100.10\n"
    finally:
        down = cli(state_dir, "down", other)
    assert down.returncode == 0 and down.stdout.endswith(f"lab {other} is down\n")
    assert not any(ns.startswith(f"{other}_") for ns in namespaces())
    assert {f"{state.name}_{node}" for node in ("r1", "r2", "pc", "srv")} <= namespaces()


@pytest.mark.parametrize("step", ["namespace:pc", "link:1", "commit:r2", "host:srv", "up"])
def test_down_cleans_up_after_lab_up_was_killed(files, state_dir, tmp_path, step):
    _require_lab()
    from nos_shell.lab import state as lab_state

    name, roots = _tag(), tmp_path / "roots"
    for config in ("r1.cmds", "r2.boot"):
        (tmp_path / config).write_text((files / config).read_text())
    (tmp_path / "lab.toml").write_text(f'name = "{name}"\n' + TOPOLOGY)     # `lab down FILE` finds it
    links_before = host_links()
    try:
        killed = cli(state_dir, "up", str(tmp_path / "lab.toml"), "--dir", str(roots),
                     env={"NOS_SHELL_LAB_FAULT": step})
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        state = lab_state.load(name, state_dir)
        assert state.phase == "starting" and roots.exists() == (step in ("commit:r2", "host:srv", "up"))
        pids = [pid for node in state.nodes.values() for pid in (node.anchor, *node.pids) if pid]
        pids += [int(p) for node in state.nodes.values() for p in
                 subprocess.run(["ip", "netns", "pids", node.netns], capture_output=True, text=True).stdout.split()]
        assert {n.netns for n in state.nodes.values()} <= namespaces()
        if step in ("commit:r2", "host:srv", "up"):
            assert state.nodes["r1"].anchor and running(state.nodes["r1"].anchor) and len(pids) >= 4
        status = cli(state_dir, "status", name)
        assert "has ended: remove it with nos-shell lab down" in status.stdout
        down = cli(state_dir, "down", str(tmp_path / "lab.toml"))
        assert down.returncode == 0, down.stderr
        assert gone(state, links_before, pids, roots, pathlib.Path(state.directory)) == []
    finally:      # whatever failed above, nothing of this lab stays
        if name in lab_state.names(state_dir):
            from nos_shell.lab.down import down as take_down

            take_down(lab_state.load(name, state_dir))


def test_down_leaves_nothing_behind(files, state_dir, tmp_path):
    """A lab of its own (the module's stays up for the other tests, in any order) goes, with
    everything it had."""
    from nos_shell.lab.up import up

    _require_lab()
    roots, links_before = tmp_path / "roots", host_links()
    state = up(files / "lab.toml", _tag(), roots, state_dir)
    try:
        pids = [pid for node in state.nodes.values() for pid in (node.anchor, *node.pids) if pid]
        pids += [int(p) for node in state.nodes.values() for p in
                 subprocess.run(["ip", "netns", "pids", node.netns], capture_output=True, text=True).stdout.split()]
        assert len(pids) >= 8 and all(running(pid) for pid in pids)
        assert lab_mounts(roots) == []          # the bind mounts are only in the nodes' mount namespaces
        down = cli(state_dir, "down", state.name)
        assert down.returncode == 0, down.stderr
        assert gone(state, links_before, pids, roots, pathlib.Path(state.directory)) == []
        again = cli(state_dir, "down", state.name)
        assert again.returncode == 1 and f"no lab named '{state.name}' is running" in again.stderr
    finally:
        from nos_shell.lab import state as lab_state
        from nos_shell.lab.down import down as take_down

        if state.name in lab_state.names(state_dir):      # a failure above: leave nothing running
            take_down(lab_state.load(state.name, state_dir))


def test_a_lab_needing_vlan_fails_before_starting(tmp_path, state_dir):
    _require_lab()
    from nos_shell.lab.kernel import missing_drivers

    if "vlan" not in missing_drivers():
        pytest.skip("this kernel has 8021q: the refusal is not reachable here (tests/test_lab_plan.py covers it)")
    (tmp_path / "lab.toml").write_text(TOPOLOGY.replace('config = "r2.boot"', 'config = "r2.cmds"'))
    (tmp_path / "r1.cmds").write_text(R1)
    (tmp_path / "r2.cmds").write_text("set interfaces ethernet eth2 vif 10 address 203.0.113.1/24\n")
    name = _tag()
    result = cli(state_dir, "up", str(tmp_path / "lab.toml"), "--name", name, "--dir", str(tmp_path / "roots"))
    assert result.returncode == 1
    assert result.stderr == (f"nos-shell lab: lab {name} needs vlan links (kernel module 8021q, for router r2), "
                             "which this kernel cannot create; run it in a VM with --vm\n")
    assert not any(ns.startswith(f"{name}_") for ns in namespaces())
    assert not (state_dir / name).exists() and not (tmp_path / "roots").exists()


def test_a_router_configuration_that_does_not_commit_takes_the_lab_down(files, state_dir, tmp_path):
    """lab up says which router and line failed, and removes what it had made."""
    _require_lab()
    (tmp_path / "lab.toml").write_text(TOPOLOGY)
    (tmp_path / "r1.cmds").write_text(R1.replace("set interfaces ethernet eth1 address 10.0.12.1/30",
                                                 "set interfaces ethernet eth1 address 10.0.12.1/33"))
    (tmp_path / "r2.boot").write_text(R2)
    name, roots = _tag(), tmp_path / "roots"
    result = cli(state_dir, "up", str(tmp_path / "lab.toml"), "--name", name, "--dir", str(roots))
    assert result.returncode == 1
    # line 3 of r1.cmds (a comment and the host name come first)
    assert result.stderr.splitlines()[-1].startswith(f"nos-shell lab: router r1: {tmp_path / 'r1.cmds'}:3: ")
    assert "10.0.12.1/33" in result.stderr
    assert not any(ns.startswith(f"{name}_") for ns in namespaces())
    assert not (state_dir / name).exists() and not roots.exists()
