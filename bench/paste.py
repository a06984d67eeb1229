"""How long a paste of N `set` lines (then `commit`) takes to apply, by way of entry.

- `-f`: `nos-shell -f FILE` with the same lines (the reference);
- local shell, bracketed paste: `nos-shell` on a pseudo-terminal (TERM=xterm), the lines
  sent between ESC[200~ and ESC[201~ as a terminal sends a paste;
- local shell, no markers: the same bytes without the markers (a terminal without
  bracketed paste, or typing faster than the shell runs lines);
- SSH plain mode, bracketed paste: `nos-shell ssh-server` (default mode) through paramiko
  with a PTY, markers included.

Each time runs from the first byte sent until the prompt after `commit` (local shells:
the new host name the last line sets; SSH: the N+1-th prompt). Usage:

    python bench/paste.py [--lines 500] [--repeat 3]
"""
from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from pathlib import Path

START, END = "\x1b[200~", "\x1b[201~"
ENV = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "PROMPT_TOOLKIT_NO_CPR")}


def script(count: int) -> list[str]:
    lines = [f"set interfaces ethernet eth0 vif {n} address 2001:db8:{n:x}::1/64" for n in range(1, count - 1)]
    return lines + ["set system host-name pasted", "commit"]


def nos_shell(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "nos_shell", "--root", str(root), *args]


def by_file(root: Path, lines: list[str]) -> float:
    data = "configure\n" + "\n".join(lines) + "\n"
    start = time.perf_counter()
    subprocess.run(nos_shell(root, "-f", "-"), input=data, text=True, check=True, capture_output=True)
    return time.perf_counter() - start


def by_terminal(root: Path, lines: list[str], markers: bool) -> float:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    proc = subprocess.Popen(nos_shell(root, "--user", "vyos"), stdin=slave, stdout=slave, stderr=slave,
                            env={**ENV, "TERM": "xterm", "HOME": str(root)}, start_new_session=True)
    os.close(slave)
    seen = bytearray()

    def read(timeout: float) -> None:
        if select.select([master], [], [], timeout)[0]:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                chunk = b""
            seen.extend(chunk)
            for _ in range(chunk.count(b"\x1b[6n")):
                os.write(master, b"\x1b[1;1R")

    def wait_for(pattern: bytes) -> None:
        deadline = time.monotonic() + 600
        while not re.search(pattern, seen) and time.monotonic() < deadline:
            read(0.5)

    try:
        wait_for(rb"vyos@vyos:~\$")
        os.write(master, b"configure\r")
        wait_for(rb"vyos@vyos#")
        body = "\r".join(lines) + "\r"
        data = ((START + body + END) if markers else body).encode()
        start = time.perf_counter()
        for offset in range(0, len(data), 1024):
            piece = data[offset:offset + 1024]
            while piece:
                select.select([], [master], [], 10)
                piece = piece[os.write(master, piece):]
                read(0)
        wait_for(rb"vyos@pasted#")
        return time.perf_counter() - start
    finally:
        proc.kill()
        proc.wait()
        os.close(master)


def by_ssh(root: Path, lines: list[str]) -> float:
    import paramiko

    log = root.parent / (root.name + "-ssh.log")
    with open(log, "wb") as handle:
        server = subprocess.Popen(nos_shell(root, "ssh-server", "--listen", "127.0.0.1", "--port", "0"),
                                  stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        port = None
        while port is None:
            found = re.search(r"listening on 127\.0\.0\.1:(\d+)", log.read_text())
            port = int(found.group(1)) if found else time.sleep(0.05)
        client = paramiko.SSHClient()
        client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        client.connect("127.0.0.1", port=port, username="vyos", password="vyos",
                       look_for_keys=False, allow_agent=False)
        channel = client.invoke_shell()
        seen = b""
        while not seen.endswith(b":~$ "):
            seen += channel.recv(65536)
        channel.sendall(b"configure\r")
        while not seen.endswith(b"# "):
            seen += channel.recv(65536)
        seen = b""
        data = (START + "\r".join(lines) + "\r" + END).encode()
        start = time.perf_counter()
        for offset in range(0, len(data), 4096):
            channel.sendall(data[offset:offset + 4096])
            while channel.recv_ready():
                seen += channel.recv(65536)
        while seen.count(b"@pasted# ") < 1:
            seen += channel.recv(65536)
        elapsed = time.perf_counter() - start
        client.close()
        return elapsed
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    lines = script(args.lines)
    ways: list[tuple[str, Callable[[Path], float]]] = [
        ("-f FILE", lambda root: by_file(root, lines)),
        ("local shell, bracketed paste", lambda root: by_terminal(root, lines, True)),
        ("local shell, no paste markers", lambda root: by_terminal(root, lines, False)),
        ("SSH plain mode, bracketed paste", lambda root: by_ssh(root, lines)),
    ]
    print(f"{len(lines)} lines ({args.lines - 2} `set ... vif N address`, a host name, `commit`)")
    with tempfile.TemporaryDirectory() as tmp:
        for number, (name, way) in enumerate(ways):
            times = []
            for run in range(args.repeat):
                root = Path(tmp) / f"way{number}-run{run}"      # a fresh root each time
                try:
                    times.append(way(root))
                except ImportError as exc:
                    print(f"{name:34s} skipped: {exc}")
                    break
            if times:
                print(f"{name:34s} median {statistics.median(times):6.2f} s  "
                      f"(min {min(times):.2f}, max {max(times):.2f}, {len(times)} runs)")


if __name__ == "__main__":
    main()
