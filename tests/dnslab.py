"""DNS for the namespace lab (tests/netlab.py), standard library only: a tiny authoritative
server that answers A queries from a fixed table, and a one-query client.

Both run in a namespace with the Python running the tests (``ip netns exec NS python -c``).
The server listens on several UDP ports of one address; each port has its own table, so a
test sees which upstream a forwarder asked. Names it does not know get an empty NOERROR
answer. The client sends one query from a chosen source address and prints the first A
record of the answer, ``REFUSED``/``SERVFAIL``/... for an error code, or ``TIMEOUT``.
"""
from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import Iterator

from lab import run

PY = sys.executable

_SERVER = r"""
import json, select, socket, struct, sys
address, tables = sys.argv[1], {int(p): t for p, t in json.loads(sys.argv[2]).items()}
family = socket.AF_INET6 if ":" in address else socket.AF_INET
socks = {}
for port in tables:
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.bind((address, port))
    socks[s] = port
print("ready", flush=True)
while True:
    for s in select.select(list(socks), [], [])[0]:
        data, peer = s.recvfrom(4096)
        if len(data) < 12:
            continue
        ident, flags, qd = struct.unpack("!HHH", data[:6])
        i, labels = 12, []
        while i < len(data) and data[i]:
            labels.append(data[i + 1:i + 1 + data[i]].decode("ascii", "replace"))
            i += 1 + data[i]
        question = data[12:i + 5]
        qtype = struct.unpack("!H", data[i + 1:i + 3])[0]
        name = ".".join(labels).lower()
        found = tables[socks[s]].get(name)
        answer = b""
        if found and qtype == 1:
            answer = struct.pack("!HHHIH", 0xC00C, 1, 1, 60, 4) + socket.inet_aton(found)
        head = struct.pack("!HHHHHH", ident, 0x8400 | (flags & 0x0100), 1, 1 if answer else 0, 0, 0)
        s.sendto(head + question + answer, peer)
"""

_CLIENT = r"""
import random, socket, struct, sys
source, server, name, wait = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
family = socket.AF_INET6 if ":" in server else socket.AF_INET
s = socket.socket(family, socket.SOCK_DGRAM)
s.bind((source, 0))
s.settimeout(wait)
ident = random.randrange(65536)
query = struct.pack("!HHHHHH", ident, 0x0100, 1, 0, 0, 0)
query += b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0" + struct.pack("!HH", 1, 1)
s.sendto(query, (server, 53))
try:
    while True:
        data = s.recv(4096)
        if struct.unpack("!H", data[:2])[0] == ident:
            break
except socket.timeout:
    print("TIMEOUT")
    sys.exit(0)
rcode = data[3] & 0x0f
if rcode:
    print({2: "SERVFAIL", 3: "NXDOMAIN", 5: "REFUSED"}.get(rcode, f"RCODE{rcode}"))
    sys.exit(0)
count, i = struct.unpack("!H", data[6:8])[0], 12
while data[i]:
    i += 1 + data[i] if data[i] < 0xC0 else 1
i += 5
for _ in range(count):
    i += 2 if data[i] >= 0xC0 else len(data[i:].split(b"\0", 1)[0]) + 1
    rtype, _, _, length = struct.unpack("!HHIH", data[i:i + 10])
    if rtype == 1:
        print(socket.inet_ntoa(data[i + 10:i + 14]))
        sys.exit(0)
    i += 10 + length
print("NODATA")
"""


@contextlib.contextmanager
def authoritative(ns: str, address: str, tables: dict[int, dict[str, str]]) -> Iterator[None]:
    """The tiny server in ``ns`` on ``address``: port -> {name: IPv4 address}."""
    proc = subprocess.Popen(["ip", "netns", "exec", ns, PY, "-c", _SERVER, address, json.dumps(tables)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        if proc.stdout.readline().strip() != "ready":       # type: ignore[union-attr]
            raise AssertionError(f"DNS server in {ns} did not start: {proc.stderr.read()}")  # type: ignore[union-attr]
        yield
    finally:
        proc.kill()
        proc.wait(timeout=10)


def ask(ns: str, source: str, server: str, name: str, wait: float = 3.0) -> str:
    """One A query from ``source`` in ``ns`` to ``server``:53; the answer as the client prints it."""
    return run("ip", "netns", "exec", ns, PY, "-c", _CLIENT, source, server, name, str(wait),
               timeout=wait + 20).stdout.strip()
