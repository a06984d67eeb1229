"""Concurrent sessions as real processes on one root: plain interactive `nos-shell --root R`
processes driven over pipes commit at the same time and no update is lost; a process in
`configure exclusive` that dies (kill -9) releases the lock and its registry entry."""
from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time

from nos_shell.session import Session
from nos_shell.store import Store

ROUNDS = 12


def shell(root, user: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "nos_shell", "--root", str(root), "--plain", "--user", user],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def read_until(process: subprocess.Popen, ending: bytes, limit: float = 60) -> bytes:
    """Output up to ``ending`` (a prompt); the limit only keeps a broken run from hanging."""
    data = b""
    deadline = time.monotonic() + limit
    fd = process.stdout.fileno()  # type: ignore[union-attr]
    while not data.endswith(ending):
        if time.monotonic() > deadline:
            raise AssertionError(f"no {ending!r} after {data[-500:]!r}")
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                raise AssertionError(f"the shell ended: {data[-500:]!r}")
            data += chunk
    return data


def send(process: subprocess.Popen, line: str, ending: bytes = b"# ") -> str:
    process.stdin.write(line.encode() + b"\n")     # type: ignore[union-attr]
    process.stdin.flush()                          # type: ignore[union-attr]
    return read_until(process, ending).decode()


def test_three_interactive_processes_committing_in_turn_lose_no_update(tmp_path):
    """The reported failure: 3 interactive sessions x N commits lost most of them. Here all
    three edit, then all three commit, round after round, so that every commit but the
    first of a round lands on a running configuration that moved under the session.
    Each process changes its own paths (one description, one new interface per round)."""
    Session(tmp_path).store.running()           # the initial revision, before the race
    processes = [shell(tmp_path, f"user{p}") for p in range(3)]
    try:
        for process in processes:
            read_until(process, b":~$ ")
            send(process, "configure")
        for i in range(ROUNDS):
            for p, process in enumerate(processes):
                send(process, f"set interfaces dummy dum{p} description 'round {i}'")
                send(process, f"set interfaces dummy dum{p}{i:02d} description 'from process {p}'")
            for process in processes:
                out = send(process, "commit")
                assert "Commit failed" not in out and "Internal error" not in out, out
        for process in processes:
            send(process, "exit", b":~$ ")
            process.stdin.close()                  # type: ignore[union-attr]
            assert process.wait(60) == 0
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait(30)
    running = Store(tmp_path).running()
    for p in range(3):
        assert running.value("interfaces", "dummy", f"dum{p}", "description") == f"round {ROUNDS - 1}"
        for i in range(ROUNDS):
            assert running.value("interfaces", "dummy", f"dum{p}{i:02d}", "description") == f"from process {p}"
    assert len(Store(tmp_path).revisions()) == 1 + 3 * ROUNDS


def test_three_processes_racing_freely_lose_no_update(tmp_path):
    """The same without turns: three `nos-shell` processes each given their whole session
    at once (as a pipe), committing whenever they get there."""
    Session(tmp_path).store.running()
    processes = []
    for p in range(3):
        lines = ["configure"]
        for i in range(ROUNDS):
            lines += [f"set interfaces dummy dum{p}{i:02d} description 'from process {p}'", "commit"]
        process = shell(tmp_path, f"user{p}")
        process.stdin.write("\n".join(lines + ["exit", "exit", ""]).encode())  # type: ignore[union-attr]
        process.stdin.flush()                     # type: ignore[union-attr]
        processes.append(process)
    for process in processes:
        output = process.communicate(timeout=300)[0].decode()
        assert process.returncode == 0 and "Commit failed" not in output, output
    running = Store(tmp_path).running()
    assert len(running.keys("interfaces", "dummy")) == 3 * ROUNDS


def test_a_killed_exclusive_session_releases_its_lock(tmp_path):
    Session(tmp_path).store.running()
    holder = shell(tmp_path, "alice")
    try:
        read_until(holder, b":~$ ")
        holder.stdin.write(b"configure exclusive\n")    # type: ignore[union-attr]
        holder.stdin.flush()                            # type: ignore[union-attr]
        read_until(holder, b"# ")
        other = Session(tmp_path, user="bob", apply=False)
        assert other.run("configure").output.startswith("Warning: other users are editing")
        assert other.run("set system host-name bee").ok
        refused = other.run("commit")
        assert not refused.ok and "locked by: alice via cli" in refused.output
        holder.send_signal(signal.SIGKILL)
        holder.wait(30)
        assert other.run("commit").ok
        table = other.run("run show configuration sessions").output
        assert "alice" not in table and "* bob" in table
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait(30)


def test_racing_command_files_keep_all_or_nothing_and_lose_no_update(tmp_path):
    """`nos-shell -f` files racing on one root: each either keeps all its commits or fails
    naming the other session and keeps nothing; no successful file's change is lost."""
    Session(tmp_path).store.running()
    processes = []
    for p in range(3):
        script = tmp_path / f"p{p}.cmds"
        lines = ["configure"]
        for i in range(5):
            lines += [f"set interfaces dummy dum{p}{i} description 'file {p}'", "commit"]
        script.write_text("\n".join(lines + ["exit", ""]))
        processes.append(subprocess.Popen([sys.executable, "-m", "nos_shell", "--root", str(tmp_path),
                                           "-f", str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    results = [(process.wait(120), process.stderr.read().decode()) for process in processes]  # type: ignore[union-attr]
    running = Store(tmp_path).running()
    kept = 0
    for p, (status, error) in enumerate(results):
        present = [running.exists("interfaces", "dummy", f"dum{p}{i}") for i in range(5)]
        if status == 0:
            kept += 1
            assert all(present), (p, error)
        else:
            assert "another session committed while the script ran; nothing was kept" in error, error
            assert not any(present)
    assert kept >= 1
    assert len(Store(tmp_path).revisions()) == 1 + 5 * kept
    assert not list((tmp_path / "var/lib/nos-shell/sessions").glob("*.json"))
