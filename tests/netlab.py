"""A namespace lab for live applies: a router namespace that runs its own systemd-networkd
(with a private D-Bus, so ``networkctl`` works) and plain host namespaces wired to it.

The router is configured only through nos-shell: :class:`Router` writes the root's
``etc/nos-shell/apply.toml`` (live, an exec prefix into the router's namespaces, how to
restart its networkd, set-hostname on since the router has its own UTS namespace) and tests
commit with ``Session(router.root)``. The lab wiring — veth pairs, the far ends' addresses and
routes, a DHCP client's own networkd — is done here with ``ip``.

How the router namespace is built (lab-notes.md, "systemd-networkd without systemd as PID 1"),
with the product's own parts that ``nos-shell lab`` uses (nos_shell/lab/namespaces.py,
anchor.py, netd.py): an anchor process (``sleep infinity``) started by ``ip netns exec NS
unshare --uts``, so it has the network namespace, a private mount namespace and a private
UTS namespace. Before it execs it bind-mounts

    ROOT/etc/systemd/network          over /etc/systemd/network
    ROOT/etc/systemd/networkd.conf.d  over /run/systemd/networkd.conf.d   (a directory networkd reads)
    an empty directory                over /run/systemd, /run/dbus
    /sys read-only                    (else networkd waits for udev forever)

and nothing on the host's /etc changes. ``nsenter -t ANCHOR -n -m -u`` is the exec prefix:
``dbus-daemon --system``, ``networkctl``, ``nft``, ``ip`` and ``hostname`` run there. networkd
itself is started by the command named in ``networkd-restart`` (nos_shell/lab/netd.py), so the first
commit, which writes the networkd.conf drop-in that networkd reads only at start, starts it.

Everything is torn down even on failure: processes in the lab's namespaces are killed and the
namespaces deleted (tests/lab.py netns).

What the live tests share, so that each keeps only its own steps:

- :func:`require_router` skips (fails under CI=true) unless this machine can run a lab router
  and the test's own extra programs;
- :meth:`Lab.attach` makes a plain host wired to the router, with its addresses and routes;
- :func:`linked_pair` is two bare namespaces joined by one veth pair (two BGP speakers);
- :func:`address_events` records ``ip monitor address`` in a namespace around a block (a
  commit), to tell which links lost an address.

Also here: the detection of link kinds this kernel cannot create. Traffic through the lab
(ping, a "who is calling" TCP server and client) is in tests/labtraffic.py.
"""
from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import pathlib
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence

import tomli_w

from lab import missing, netns, require_netns, require_networkd, require_tool, run

PY = sys.executable
#: the programs a lab router runs besides systemd-networkd (its D-Bus, networkctl, its anchor, its name)
ROUTER_TOOLS = ("dbus-daemon", "busctl", "networkctl", "nsenter", "unshare", "hostname")


def require_router(*tools: str) -> None:
    """Skip (fail under CI=true) unless this machine can run a lab router: root for namespaces,
    systemd-networkd and its user, :data:`ROUTER_TOOLS`, and the test's own ``tools``."""
    require_netns()
    require_networkd()
    for tool in (*ROUTER_TOOLS, *tools):
        require_tool(tool)


def wait_for(what: str, check: Callable[[], object], timeout: float = 10.0, interval: float = 0.05):
    """The product's poll (nos_shell.lab.namespaces.wait_for), failing the test with ``what``
    after ``timeout``."""
    from nos_shell.lab.namespaces import wait_for as poll
    from nos_shell.lab.state import LabError

    try:
        return poll(what, check, timeout, interval)
    except LabError as err:
        raise AssertionError(str(err)) from None


# -- namespaces with an anchor process ------------------------------------------------------

class Node:
    """A network namespace with an anchor process holding private mount and UTS namespaces."""

    def __init__(self, ns: str, directory: pathlib.Path):
        self.ns = ns
        self.dir = directory
        self.anchor = 0
        self.procs: list[subprocess.Popen] = []     # stopped by stop(), before the namespace goes

    def start_anchor(self, mounts: list[tuple[pathlib.Path, str]]) -> None:
        """Start the anchor (the product's, nos_shell/lab/namespaces.py); ``mounts`` are
        (source, target) bind mounts made in its namespace, /sys is made read-only."""
        from nos_shell.lab.namespaces import start_anchor
        from nos_shell.lab.state import LabError

        try:
            self.anchor = start_anchor(self.ns, self.dir, mounts)
        except LabError as err:
            raise AssertionError(str(err)) from None

    @property
    def prefix(self) -> list[str]:
        """How to run a program in this node: its anchor's namespaces, or just the netns."""
        if self.anchor:
            return ["nsenter", "-t", str(self.anchor), "-n", "-m", "-u"]
        return ["ip", "netns", "exec", self.ns]

    def stop(self) -> None:
        """Kill the processes this node started (their own sessions) and reap them."""
        if getattr(self, "anchor", 0):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.anchor, 9)
        for proc in getattr(self, "procs", []):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, 9)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=5)

    def run(self, *argv: str, check: bool = True, timeout: float = 30) -> subprocess.CompletedProcess:
        """Run a command inside this node (its network, mount and UTS namespaces)."""
        return run(*self.prefix, *argv, check=check, timeout=timeout)

    def ip(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return run("ip", "-n", self.ns, *args, check=check)

    def addresses(self, link: str) -> set[str]:
        out = self.ip("-j", "addr", "show", "dev", link, check=False).stdout
        return {f"{a['local']}/{a['prefixlen']}" for entry in json.loads(out or "[]")
                for a in entry.get("addr_info", [])}

    def has_link(self, name: str) -> bool:
        return self.ip("link", "show", "dev", name, check=False).returncode == 0

    def ifindex(self) -> dict[str, int]:
        """Link name -> ifindex of every link here (a link made again gets a new one)."""
        return {link["ifname"]: link["ifindex"] for link in json.loads(self.ip("-j", "link", "show").stdout)}

    def route(self, spec: str) -> None:
        """Lab wiring: add a route given as words, e.g. ``"default via 192.0.2.1"`` (IPv6 when
        the words hold an IPv6 address)."""
        words = spec.split()
        family = ["-6"] if any(":" in word for word in words) else []
        self.ip(*family, "route", "add", *words)


class NetworkdNode(Node):
    """A node running its own systemd-networkd over a unit directory of its own."""

    def __init__(self, ns: str, directory: pathlib.Path, units: pathlib.Path,
                 dropins: pathlib.Path | None = None, dbus: bool = False):
        super().__init__(ns, directory)
        self.units = units
        self.rundir = directory / "run-systemd"
        self.dbusdir = directory / "run-dbus"
        self.dbus = dbus
        mounts = [(units, "/etc/systemd/network"), (self.rundir, "/run/systemd")]
        for d in (units, self.rundir, self.dbusdir):
            d.mkdir(parents=True, exist_ok=True)
            d.chmod(0o755)
        if dropins is not None:
            dropins.mkdir(parents=True, exist_ok=True)
            dropins.chmod(0o755)
            (self.rundir / "networkd.conf.d").mkdir()
            mounts.append((dropins, "/run/systemd/networkd.conf.d"))
        if dbus:
            mounts.append((self.dbusdir, "/run/dbus"))
        self.start_anchor(mounts)
        if dbus:
            self._start_dbus()
        self.restart_command = self._restart_command()

    def _start_dbus(self) -> None:
        require_tool("dbus-daemon")
        with open(self.dir / "dbus.log", "wb") as log:
            proc = subprocess.Popen([*self.prefix, "dbus-daemon", "--system", "--nofork", "--nopidfile"],
                                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)

        def up():
            if proc.poll() is not None:
                raise AssertionError(f"dbus-daemon failed: {(self.dir / 'dbus.log').read_text()}")
            return (self.dbusdir / "system_bus_socket").exists()

        wait_for("the lab's dbus-daemon", up, 5)

    def _restart_command(self) -> list[str]:
        """How to (re)start this node's networkd, run inside the node: the product's
        nos_shell/lab/netd.py (waits until it is up: on the bus when there is one, else
        until it has enumerated the links)."""
        require_networkd()
        return [PY, "-m", "nos_shell.lab.netd", "--dir", str(self.dir), *(["--bus"] if self.dbus else [])]

    def start_networkd(self) -> None:
        result = self.run(*self.restart_command, check=False)
        assert result.returncode == 0, f"networkd in {self.ns} did not start: {result.stderr}"

    @property
    def log(self) -> str:
        path = self.dir / "networkd.log"
        return path.read_text(errors="replace") if path.exists() else ""


class Router(NetworkdNode):
    """The router under test: a nos-shell root whose live target is this namespace."""

    def __init__(self, ns: str, directory: pathlib.Path):
        self.root = directory / "root"
        units = self.root / "etc/systemd/network"
        dropins = self.root / "etc/systemd/networkd.conf.d"
        super().__init__(ns, directory, units, dropins, dbus=True)
        self.hostname_before = self.run("hostname").stdout.strip()
        self.run("hostname", "nos-lab")      # its own UTS namespace: the host's name is untouched
        settings = self.root / "etc/nos-shell/apply.toml"
        settings.parent.mkdir(parents=True, exist_ok=True)
        settings.write_text(tomli_w.dumps({
            "live": True,
            "exec-prefix": self.prefix,
            "networkd-restart": self.restart_command,
            "set-hostname": True,
            "netns": ns,                     # where show interfaces / show ip route look
        }))

    def session(self):
        from nos_shell.session import Session

        return Session(self.root)

    def commit(self, *lines: str) -> str:
        """Enter configuration mode, run the lines, commit; returns the commit output."""
        s = self.session()
        s.execute("configure")
        for line in lines:
            s.execute(line)
        out = s.execute("commit")
        s.execute("exit")
        return out

    def commit_with_cli(self, *lines: str) -> str:
        """The same through ``nos-shell --root ROOT -f FILE`` (a separate process); its output."""
        script = self.dir / f"commands-{time.monotonic_ns()}"
        script.write_text("\n".join(["configure", *lines, "commit", "exit"]) + "\n")
        result = run(PY, "-m", "nos_shell", "--root", str(self.root), "-f", str(script), check=False, timeout=120)
        assert result.returncode == 0, f"nos-shell -f failed:\n{result.stdout}{result.stderr}"
        return result.stdout

    def sysctl(self, key: str) -> str:
        """A sysctl of the router's network namespace (read from its /proc/sys)."""
        return self.run("cat", "/proc/sys/" + key.replace(".", "/")).stdout.strip()


# -- the lab ---------------------------------------------------------------------------------

class Lab:
    """Namespaces of one test module; everything goes away when the context ends."""

    def __init__(self, stack: contextlib.ExitStack, directory: pathlib.Path):
        self.stack = stack
        self.dir = directory

    def namespace(self, prefix: str) -> str:
        return self.stack.enter_context(netns(prefix))

    def router(self, prefix: str = "ndr") -> Router:
        ns = self.namespace(prefix)
        return self._started(Router, ns, self._dir(ns))

    def host(self, prefix: str = "ndh") -> Node:
        """A plain namespace (no anchor): the far end of a wire."""
        ns = self.namespace(prefix)
        return Node(ns, self._dir(ns))

    def _started(self, cls, *args):
        """Build a node; whatever it started is stopped before its namespace is deleted, also
        when building it fails half way."""
        holder: list[Node] = []
        self.stack.callback(lambda: [node.stop() for node in holder])
        node = cls.__new__(cls)
        holder.append(node)
        node.__init__(*args)
        return node

    def networkd_host(self, prefix: str, units: dict[str, str]) -> NetworkdNode:
        """A host running its own networkd over ``units`` (file name -> text); not started yet."""
        ns = self.namespace(prefix)
        directory = self._dir(ns)
        unitdir = directory / "units"
        unitdir.mkdir()
        unitdir.chmod(0o755)
        for name, text in units.items():
            (unitdir / name).write_text(text)
            (unitdir / name).chmod(0o644)
        return self._started(NetworkdNode, ns, directory, unitdir)

    def _dir(self, ns: str) -> pathlib.Path:
        d = self.dir / ns
        d.mkdir()
        d.chmod(0o755)
        return d

    def wire(self, a: Node, a_if: str, b: Node, b_if: str) -> None:
        """A veth pair between two nodes, both ends up."""
        run("ip", "-n", a.ns, "link", "add", a_if, "type", "veth", "peer", "name", b_if, "netns", b.ns)
        a.ip("link", "set", a_if, "up")
        b.ip("link", "set", b_if, "up")

    def attach(self, router: Node, router_if: str, prefix: str, host_if: str, *cidrs: str,
               routes: Sequence[str] = ()) -> Node:
        """A plain host whose ``host_if`` is wired to the router's ``router_if``, with static
        ``cidrs`` on its end and ``routes`` (:meth:`Node.route` words) in its table."""
        host = self.host(prefix)
        self.wire(router, router_if, host, host_if)
        ipaddr(host.ns, host_if, *cidrs)
        for spec in routes:
            host.route(spec)
        return host


@contextlib.contextmanager
def lab(directory: pathlib.Path) -> Iterator[Lab]:
    """A lab whose namespaces (and every process in them) are removed afterwards."""
    require_tool("nsenter")
    require_tool("unshare")
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o755)
    with contextlib.ExitStack() as stack:
        yield Lab(stack, directory)


@contextlib.contextmanager
def linked_pair(prefix_a: str, prefix_b: str, cidr_a: str, cidr_b: str,
                link: str = "eth0") -> Iterator[tuple[str, str]]:
    """Two fresh namespaces (unique names) joined by a veth pair called ``link`` at both ends,
    up, with ``cidr_a`` and ``cidr_b``; both removed afterwards with every process in them,
    also on failure. The pair is made inside the first namespace: the host's never sees it."""
    with netns(prefix_a) as a, netns(prefix_b) as b:
        run("ip", "-n", a, "link", "add", link, "type", "veth", "peer", "name", link, "netns", b)
        for ns, cidr in ((a, cidr_a), (b, cidr_b)):
            ipaddr(ns, link, cidr)
            run("ip", "-n", ns, "link", "set", link, "up")
        yield a, b


def ipaddr(ns: str, link: str, *cidrs: str) -> None:
    """Lab wiring: static addresses on a far end (IPv6 without duplicate address detection)."""
    for cidr in cidrs:
        extra = ["nodad"] if ipaddress.ip_interface(cidr).version == 6 else []
        run("ip", "-n", ns, "addr", "add", cidr, "dev", link, *extra)


# -- watching addresses ------------------------------------------------------------------------

def _mark(n: int) -> str:
    """The n-th marker address: put on lo and taken off again until the monitor reports it."""
    return f"127.0.0.{200 + n}/32"


@contextlib.contextmanager
def address_events(ns: str, settle: float = 1.0) -> Iterator[list[str]]:
    """``ip monitor address`` in ``ns`` around the block; the list it yields is filled with the
    event lines when the block ends, ``settle`` seconds after it (networkd finishes what a
    reload started). The monitor is known to be listening before the block starts."""
    proc = subprocess.Popen(["ip", "-n", ns, "monitor", "address"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, bufsize=0, start_new_session=True)
    events: list[str] = []
    try:
        early = _listening(proc, ns)
        yield events
        time.sleep(settle)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 15)
        out = proc.communicate(timeout=10)[0]
    marks = tuple(f" {_mark(n)} " for n in range(_ROUNDS))
    events.extend(line for line in (early + out).decode(errors="replace").splitlines()
                  if not any(mark in line for mark in marks))


_ROUNDS = 40


def _listening(proc: subprocess.Popen, ns: str) -> bytes:
    """Until the monitor reports one: add and delete a marker address on lo (the monitor may
    not have subscribed yet). What it printed after the first marker deletion it reported."""
    import select

    seen = b""
    for n in range(_ROUNDS):
        run("ip", "-n", ns, "addr", "add", _mark(n), "dev", "lo")
        run("ip", "-n", ns, "addr", "del", _mark(n), "dev", "lo")
        deadline = time.monotonic() + 0.25
        while select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))[0]:
            chunk = os.read(proc.stdout.fileno(), 65536)     # type: ignore[union-attr]
            if not chunk:
                raise AssertionError(f"ip monitor address in {ns} ended: {seen!r}")
            seen += chunk
            lines = seen.split(b"\n")
            for i, line in enumerate(lines[:-1]):
                if line.startswith(b"Deleted") and b" 127.0.0." in line and b" lo" in line:
                    return b"\n".join(lines[i + 1:])
    raise AssertionError(f"ip monitor address in {ns} reported no marker address: {seen!r}")


def deleted(events: list[str], link: str | None = None) -> list[str]:
    """The events in which ``link`` (any link when None) lost an address."""
    return [e for e in events if e.startswith("Deleted") and (link is None or f" {link} " in e)]


# -- kernel drivers ----------------------------------------------------------------------------

def missing_drivers() -> dict[str, str]:
    """Link kind -> why this kernel cannot create it (the product's own probe)."""
    from nos_shell.lab.kernel import missing_drivers as probe

    return probe()


def require_driver(kind: str) -> None:
    """Skip (also under CI: a kernel without the driver is not a missing component; the test
    then runs in the VM, tests/test_vm_drivers.py) when the kernel lacks the driver for
    ``kind``. Inside that VM a missing driver is a failure."""
    import pytest

    from nos_shell.lab.vm import IN_VM_MARKER

    reason = missing_drivers().get(kind)
    if reason and os.environ.get(IN_VM_MARKER):
        pytest.fail(f"the VM's kernel should have the {kind} driver: {reason}")
    if reason:
        pytest.skip(f"{reason} (runs in the VM: tests/test_vm_drivers.py)")


__all__ = ["Lab", "Node", "NetworkdNode", "ROUTER_TOOLS", "Router", "address_events", "deleted", "ipaddr", "lab",
           "linked_pair", "missing", "missing_drivers", "require_driver", "require_router", "wait_for"]
