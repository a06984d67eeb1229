"""A lab host's services: ``python -m nos_shell.lab.responder NODE PROTO:PORT...``.

Answers each TCP connection and each UDP datagram, on every address of the host (IPv4 and
IPv6), with one line ``NODE PEER-ADDRESS`` so a test sees who it reached and from which
source address (a masquerade shows as the router's address). Runs until killed.
"""
from __future__ import annotations

import selectors
import socket
import sys


def listeners(specs: list[str]) -> list[socket.socket]:
    """One dual-stack socket per ``tcp:PORT`` / ``udp:PORT``."""
    out = []
    for spec in specs:
        protocol, _, port = spec.partition(":")
        kind = socket.SOCK_STREAM if protocol == "tcp" else socket.SOCK_DGRAM
        sock = socket.socket(socket.AF_INET6, kind)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        sock.bind(("::", int(port)))
        if kind == socket.SOCK_STREAM:
            sock.listen(16)
        sock.setblocking(False)
        out.append(sock)
    return out


def peer(address: str) -> str:
    """An IPv4 peer shows as itself, not as ::ffff:a.b.c.d."""
    return address[7:] if address.startswith("::ffff:") and "." in address else address


def serve(node: str, socks: list[socket.socket]) -> None:
    selector = selectors.DefaultSelector()
    for sock in socks:
        selector.register(sock, selectors.EVENT_READ)
    while True:
        for key, _ in selector.select():
            sock: socket.socket = key.fileobj          # type: ignore[assignment]
            try:
                if sock.type == socket.SOCK_STREAM:
                    conn, address = sock.accept()
                    with conn:
                        conn.settimeout(2)
                        conn.sendall(f"{node} {peer(address[0])}\n".encode())
                else:
                    _, address = sock.recvfrom(2048)
                    sock.sendto(f"{node} {peer(address[0])}\n".encode(), address)
            except OSError:
                continue


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) < 2:
        print("usage: python -m nos_shell.lab.responder NODE PROTO:PORT...", file=sys.stderr)
        return 2
    socks = listeners(args[1:])
    print("ready", flush=True)
    serve(args[0], socks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
