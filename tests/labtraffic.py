"""Traffic inside the namespace lab (tests/netlab.py), sent by the Python running the tests
(no ping binary needed): one ICMP echo, and a TCP server that answers every connection with
the caller's address, so a test sees whether a path is open and whether it is translated.
"""
from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator

from lab import run
from netlab import PY, wait_for

_PING = r"""
import os, select, socket, struct, sys, time
addr, wait = sys.argv[1], float(sys.argv[2])
v6 = ":" in addr
sock = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_RAW,
                     socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP)
ident, payload = os.getpid() & 0xffff, b"nos-shell lab ping"
def csum(data):
    data += b"\0" * (len(data) % 2)
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    s = (s >> 16) + (s & 0xffff); s += s >> 16
    return ~s & 0xffff
head = struct.pack("!BBHHH", 128 if v6 else 8, 0, 0, ident, 1)
if not v6:
    head = struct.pack("!BBHHH", 8, 0, csum(head + payload), ident, 1)
sock.sendto(head + payload, (addr, 0))
deadline = time.monotonic() + wait
while (left := deadline - time.monotonic()) > 0:
    if not select.select([sock], [], [], left)[0]:
        break
    data, src = sock.recvfrom(2048)
    if not v6:
        data = data[(data[0] & 0x0f) * 4:]
    kind, _, _, rid, _ = struct.unpack("!BBHHH", data[:8])
    if kind == (129 if v6 else 0) and rid == ident and src[0] == addr:
        sys.exit(0)
sys.exit(1)
"""


def ping(ns: str, address: str, wait: float = 0.5) -> bool:
    """One ICMP echo from namespace ``ns``; True when the reply came back in time."""
    return run("ip", "netns", "exec", ns, PY, "-c", _PING, address, str(wait), check=False).returncode == 0


def wait_ping(ns: str, address: str, timeout: float = 8.0) -> None:
    wait_for(f"a ping reply from {address} in {ns}", lambda: ping(ns, address), timeout, 0)


_SERVER = r"""
import socket, sys
family = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
srv = socket.socket(family, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((sys.argv[1], int(sys.argv[2])))
srv.listen(8)
print("ready", flush=True)
while True:
    conn, peer = srv.accept()
    with conn:
        conn.sendall(f"{peer[0]}\n".encode())
"""

_CLIENT = r"""
import socket, sys
with socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=float(sys.argv[3])) as c:
    c.settimeout(float(sys.argv[3]))
    print(c.recv(200).decode().strip())
"""


@contextlib.contextmanager
def peer_server(ns: str, address: str, port: int) -> Iterator[None]:
    """A TCP server in ``ns`` that answers every connection with the caller's address."""
    proc = subprocess.Popen(["ip", "netns", "exec", ns, PY, "-c", _SERVER, address, str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        line = proc.stdout.readline()   # type: ignore[union-attr]
        if line.strip() != "ready":
            raise AssertionError(f"server in {ns} did not start: {proc.stderr.read()}")  # type: ignore[union-attr]
        yield
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 9)
        proc.wait(timeout=5)


def who_am_i(ns: str, address: str, port: int, timeout: float = 1.0) -> str | None:
    """Connect from ``ns``; the address the server saw us coming from, or None."""
    result = run("ip", "netns", "exec", ns, PY, "-c", _CLIENT, address, str(port), str(timeout),
                 check=False, timeout=timeout + 10)
    return result.stdout.strip() or None if result.returncode == 0 else None


__all__ = ["peer_server", "ping", "wait_ping", "who_am_i"]
