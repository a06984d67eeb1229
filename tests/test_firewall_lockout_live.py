"""A firewall commit that cuts off the SSH session committing it (issue 12, safety): the
commit still applies, the session cannot confirm, and commit-confirm's timer restores the
previous revision, after which the router answers again.

A router namespace (tests/netlab.py) runs nos-shell's real SSH server on 192.0.2.1:22; an
admin logs in from a client namespace (paramiko, run inside that namespace), commits an input
filter whose default action drops everything with `commit-confirm 10`, and tries to
`confirm` over the now filtered connection. The test then moves the pending deadline to
now (tests/confirm_lab.py) instead of waiting ten minutes.
"""
from __future__ import annotations

import contextlib
import re
import socket
import subprocess
import sys
import time

from confirm_lab import kill_timers, move_deadline, running, wait_for
from lab import run, terminate
from labtraffic import wait_ping
from netlab import lab, require_router
from nos_shell.engine import confirm
from test_ssh_lab import make_root, require

ROUTER, CLIENT = "192.0.2.1", "192.0.2.10"

# the admin's session, run in the client namespace: commit the lock-out, then try to confirm
_SESSION = r"""
import socket, sys, time
import paramiko
sock = socket.create_connection((sys.argv[1], 22), timeout=10)
client = paramiko.SSHClient()
client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
client.connect(sys.argv[1], port=22, username="vyos", password="vyos", look_for_keys=False,
               allow_agent=False, timeout=10, auth_timeout=30, banner_timeout=10, sock=sock)
shell = client.invoke_shell()
shell.settimeout(1)
def read_until(marker, seconds):
    got, deadline = b"", time.monotonic() + seconds
    while marker not in got and time.monotonic() < deadline:
        try:
            chunk = shell.recv(4096)
        except socket.timeout:
            continue
        if not chunk:
            break
        got += chunk
    return got.decode(errors="replace")
read_until(b"$ ", 30)
shell.send(b"configure\n")
read_until(b"# ", 30)
shell.send(b"set firewall ipv4 input filter default-action drop\n")
read_until(b"# ", 30)
shell.send(b"commit-confirm 10\n")
print("COMMIT:" + repr(read_until(b"# ", 90)), flush=True)
shell.send(b"confirm\n")
print("CONFIRM:" + repr(read_until(b"# ", 8)), flush=True)
"""


def reachable(ns: str) -> bool:
    """Whether a new TCP connection from ``ns`` to the router's port 22 gets the SSH banner."""
    code = ("import socket, sys\ns = socket.create_connection((sys.argv[1], 22), timeout=2)\n"
            "s.settimeout(2)\nsys.stdout.write(s.recv(64).decode(errors='replace'))")
    result = run("ip", "netns", "exec", ns, sys.executable, "-c", code, ROUTER, check=False, timeout=20)
    return result.returncode == 0 and result.stdout.startswith("SSH-2.0-")


@contextlib.contextmanager
def ssh_server(router) -> object:
    log = router.dir / "ssh-server.log"
    with open(log, "wb") as handle:
        process = subprocess.Popen(["ip", "netns", "exec", router.ns, sys.executable, "-m", "nos_shell",
                                    "--root", str(router.root), "ssh-server", "--listen", ROUTER, "--port", "22"],
                                   stdin=subprocess.DEVNULL, stdout=handle, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: "listening on" in log.read_text(errors="replace") or process.poll() is not None,
                 60, "the SSH server to listen")
        assert process.poll() is None, log.read_text()
        yield process
    finally:
        terminate(process)
        kill_timers(router.root)


def test_a_lockout_applies_and_commit_confirm_reverts_it(tmp_path) -> None:
    require_router("nft")
    require("paramiko")
    require("asyncssh")
    with lab(tmp_path / "lab") as L:
        router = L.router("fas")
        client = L.attach(router, "eth0", "fac", "c0", f"{CLIENT}/24")
        make_root(router.root)
        out = router.commit(f"set interfaces ethernet eth0 address {ROUTER}/24")
        assert "rror" not in out, out
        wait_ping(client.ns, ROUTER)
        with ssh_server(router):
            wait_for(lambda: reachable(client.ns), 30, "the SSH banner from the client")
            session = run("ip", "netns", "exec", client.ns, sys.executable, "-c", _SESSION, ROUTER,
                          check=False, timeout=240)
            assert session.returncode == 0, session.stderr
            committed = re.search(r"^COMMIT:(.*)$", session.stdout, re.M).group(1)
            assert "commit-confirm 10" in committed and "rror" not in committed, session.stdout
            # the commit applied: the running configuration and the live ruleset drop the session
            assert running(router.root).value("firewall", "ipv4", "input", "filter", "default-action") == "drop"
            rules = router.run("nft", "list", "chain", "inet", "nos_shell_filter", "ipv4-input").stdout
            assert 'drop comment "ipv4 input filter default-action drop"' in rules
            # the session could not confirm, and nobody else can come in
            assert "Reload timer stopped" not in session.stdout, session.stdout
            assert (router.root / confirm.PENDING).exists()
            assert not reachable(client.ns)
            # the deadline passes: the timer restores the previous revision and applies it
            move_deadline(router.root, 0)
            wait_for(lambda: not (router.root / confirm.PENDING).exists(), 120, "the timer to revert")
            assert not running(router.root).exists("firewall")
            wait_for(lambda: reachable(client.ns), 60, "the router to answer again")
            listing = router.run("nft", "list", "tables").stdout
            assert "nos_shell_filter" not in listing
