"""Test helpers for real components: tool lookup and throwaway network namespaces.

Under CI=true a missing real component fails the test; elsewhere it is skipped with the reason.
"""
from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import pathlib
import pwd
import re
import shlex
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def missing(reason: str) -> None:
    """Fail under CI, skip elsewhere."""
    if IN_CI:
        pytest.fail(f"required component missing under CI: {reason}")
    pytest.skip(reason)


def require_tool(name: str) -> str:
    path = shutil.which(name) or next(
        (p for p in (f"/usr/sbin/{name}", f"/sbin/{name}", f"/lib/systemd/{name}") if os.path.exists(p)), None)
    if path is None:
        missing(f"{name} is not installed (run ./run-tests as root to install it)")
    return path  # type: ignore[return-value]


def require_netns() -> None:
    if os.geteuid() != 0:
        missing("network namespaces need root")
    require_tool("ip")


def unique_name(prefix: str) -> str:
    """A namespace or link name no other test run will pick (at most 15 characters)."""
    return f"{prefix}{uuid.uuid4().hex[:8]}"[:15]


def run(*argv: str, check: bool = True, timeout: float = 30, **kw) -> subprocess.CompletedProcess:
    """Run a command (argv list, never a shell) and capture text output."""
    return subprocess.run(argv, check=check, capture_output=True, text=True, timeout=timeout, **kw)


@contextlib.contextmanager
def netns(prefix: str = "nost") -> Iterator[str]:
    """A fresh network namespace with lo up, deleted afterwards even on failure."""
    require_netns()
    name = unique_name(prefix)
    run("ip", "netns", "add", name)
    try:
        run("ip", "-n", name, "link", "set", "lo", "up")
        yield name
    finally:
        for pid in run("ip", "netns", "pids", name, check=False).stdout.split():
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pid), 9)
        run("ip", "netns", "del", name, check=False)


# -- systemd-networkd as an offline checker ------------------------------------------------

NETWORKD_LOG_ENV = {"SYSTEMD_LOG_TARGET": "console", "SYSTEMD_LOG_LEVEL": "info", "SYSTEMD_LOG_COLOR": "0"}
# Log lines that are not about the files: progress, and netdev kinds whose kernel driver
# this machine lacks (lab-notes: vlan, dummy, bond, wireguard fail with EOPNOTSUPP).
_BENIGN = re.compile(r": (Configuring with /|netdev ready|Link UP|Link DOWN|Gained carrier|Lost carrier|"
                     r"Gained IPv6LL|DHCPv6 lease lost|netdev could not be created: Operation not supported|"
                     r"Could not create stacked netdev: Unknown device type\. Operation not supported)"
                     r"|^Enumeration completed$")
_NO_DRIVER_PARENT = re.compile(r"^(\S+): Could not create stacked netdev: Unknown device type\. "
                               r"Operation not supported")
_DIAGNOSTIC = re.compile(r"/etc/systemd/network/|Unknown |[Ii]gnor|[Ii]nvalid|[Ff]ailed|[Ee]rror|"
                         r"could not|too permissive|not supported|[Ww]arning")


@dataclasses.dataclass
class NetworkdRun:
    """What one throwaway networkd said about a unit directory, and the links it made."""

    log: list[str]
    addresses: dict[str, set[str]]      # link name -> "ADDR/LEN" (after the run)

    @property
    def diagnostics(self) -> list[str]:
        """Lines that name a unit file or complain (empty for correct units)."""
        # A link whose stacked netdev (e.g. a VLAN) lacks a driver here then logs "IF: Failed".
        failed_parents = {m[1] for line in self.log if (m := _NO_DRIVER_PARENT.match(line))}
        return [line for line in self.log if _DIAGNOSTIC.search(line) and not _BENIGN.search(line)
                and line not in {f"{p}: Failed" for p in failed_parents}]


def require_networkd() -> str:
    path = require_tool("systemd-networkd")
    try:
        pwd.getpwnam("systemd-network")
    except KeyError:
        missing("the systemd-network user does not exist (systemd-networkd drops privileges to it)")
    return path


def _addresses(ns: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for link in json.loads(run("ip", "-n", ns, "-j", "addr", "show").stdout or "[]"):
        out[link["ifname"]] = {f"{a['local']}/{a['prefixlen']}" for a in link.get("addr_info", [])}
    return out


def run_networkd(unit_dirs: dict[str, pathlib.Path], expect: dict[str, dict[str, set[str]]] | None = None,
                 confs: dict[str, pathlib.Path] | None = None,
                 timeout: float = 8.0, settle: float = 0.3) -> dict[str, NetworkdRun]:
    """Start one systemd-networkd per unit directory, all at once, each in its own scratch
    namespace (recipe in lab-notes.md), until each has finished enumerating links and, for
    ``expect`` (key -> link -> addresses), configured those addresses; then stop them all.
    ``confs`` (key -> file) is bind-mounted over /etc/systemd/networkd.conf in that run's
    private mount namespace (the host's file is not touched).

    Files keep their modes; the directories are made traversable for systemd-network.
    Only namespaces and processes created here are touched; all are removed on return.
    """
    networkd = require_networkd()
    expect = expect or {}
    results: dict[str, NetworkdRun] = {}
    with contextlib.ExitStack() as stack:
        scratch = pathlib.Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="nos-nd-")))
        procs: dict[str, tuple[str, subprocess.Popen, pathlib.Path]] = {}
        for key, units in unit_dirs.items():
            ns = stack.enter_context(netns("nd"))
            rundir = scratch / f"run-{len(procs)}"
            rundir.mkdir()
            for d in (rundir, units):
                d.chmod(0o755)
            logfile = scratch / f"log-{len(procs)}"
            conf = (confs or {}).get(key)
            if conf is not None:
                conf.chmod(0o644)
            script = ((f"mount --bind {shlex.quote(str(conf))} /etc/systemd/networkd.conf && " if conf else "") +
                      f"mount --bind {shlex.quote(str(units))} /etc/systemd/network && "
                      f"mount --bind {shlex.quote(str(rundir))} /run/systemd && "
                      f"mount -o remount,ro /sys && exec {shlex.quote(networkd)}")
            with open(logfile, "wb") as log:
                proc = subprocess.Popen(["ip", "netns", "exec", ns, "sh", "-c", script], stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True,
                                        env={**os.environ, **NETWORKD_LOG_ENV})
            stack.callback(_stop, proc)
            procs[key] = (ns, proc, logfile)

        def done(key: str) -> bool:
            ns, proc, logfile = procs[key]
            if proc.poll() is not None:
                return True
            if "Enumeration completed" not in logfile.read_text(errors="replace"):
                return False
            have = _addresses(ns)
            return all(want <= have.get(link, set()) for link, want in expect.get(key, {}).items())

        deadline = time.monotonic() + timeout
        pending = set(procs)
        while pending and time.monotonic() < deadline:
            pending = {key for key in pending if not done(key)}
            time.sleep(0.05)
        time.sleep(settle)   # late lines (netdev creation) arrive just after enumeration
        for key, (ns, proc, logfile) in procs.items():
            results[key] = NetworkdRun(logfile.read_text(errors="replace").splitlines(), _addresses(ns))
    return results


def terminate(proc: subprocess.Popen, wait: float = 10) -> None:
    """SIGTERM a process and reap it; SIGKILL when it has not ended within ``wait`` s."""
    proc.terminate()
    try:
        proc.wait(wait)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(wait)


def _stop(proc: subprocess.Popen) -> None:
    """Stop a process group this module started (its own session), then reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, 9)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)
