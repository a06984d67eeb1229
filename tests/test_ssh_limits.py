"""Issue 8, failure 6: no SSH user can freeze the server. Each test reproduces one attack
against the real `nos-shell ssh-server` (on 127.0.0.1) and shows it now fails."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time

import pytest

from nos_shell import Session
from nos_shell.crypthash import MAX_ROUNDS
from nos_shell.shell.limits import MAX_LINE
from lab import require_tool
from test_ssh_lab import HOST, PASSWORDS, make_root, require, running_server, ssh_server  # noqa: F401

paramiko = require("paramiko")


def connect(server, user="vyos", password=None, key=None, source="127.0.0.1"):
    """A paramiko client, its TCP connection made from ``source`` (any 127/8 address)."""
    sock = socket.create_connection((HOST, server.port), timeout=10, source_address=(source, 0))
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    kwargs = {"pkey": key} if key is not None else {"password": password or PASSWORDS[user]}
    client.connect(HOST, port=server.port, username=user, look_for_keys=False, allow_agent=False,
                   timeout=10, auth_timeout=30, banner_timeout=10, sock=sock, **kwargs)
    return client


def run(client, command: str) -> tuple[int, bytes, bytes]:
    _, stdout, stderr = client.exec_command(command, timeout=60)
    return stdout.channel.recv_exit_status(), stdout.read(), stderr.read()


def banner(server) -> bytes:
    with socket.create_connection((HOST, server.port), timeout=10) as sock:
        return sock.recv(64)


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as handle:
        return next(int(line.split()[1]) for line in handle if line.startswith("VmRSS:"))


# -- patterns ------------------------------------------------------------------------------
def test_catastrophic_pattern_from_an_operator_does_not_hold_the_server(ssh_server):
    """Was: `| match '(.|.)*!'` (exponential in Python's re) held the event loop: no banner
    for new clients for 40 s and more. Now RE2 answers in one pass."""
    with connect(ssh_server, "oper") as client:
        results = {}
        worker = threading.Thread(target=lambda: results.update(
            hostile=run(client, "show configuration commands | match '(.|.)*!'")))
        worker.start()
        assert banner(ssh_server).startswith(b"SSH-2.0-")   # the loop still answers
        worker.join(120)
        assert results["hostile"] == (0, b"", b"")
        status, out, _ = run(client, "show configuration commands | match '(.|.)*name'")
        assert status == 0 and out == b"set system host-name 'r1'\n"
        status, out, _ = run(client, "show configuration commands | except '^set (system|service)'")
        assert status == 0 and b"set interfaces ethernet eth0 description 'uplink'\n" in out
        assert b"host-name" not in out
        status, out, err = run(client, r"show configuration commands | match '(a)\1'")
        assert status == 1 and out == b"" and err.startswith(b"Invalid regular expression '(a)\\1': ")


# -- lines and output ----------------------------------------------------------------------
def test_an_unfinished_20mb_line_is_dropped_with_bounded_memory(ssh_server):
    """Was: an unfinished 20 MB line took the server from 81 to 694 MB."""
    before = rss_kib(ssh_server.process.pid)
    with connect(ssh_server) as client:
        channel = client.invoke_shell()
        channel.settimeout(60)
        received = bytearray()

        def reader() -> None:
            while not channel.closed:
                try:
                    chunk = channel.recv(65536)
                except socket.timeout:
                    return
                if not chunk:
                    return
                received.extend(chunk)

        thread = threading.Thread(target=reader)
        thread.start()
        block = b"x" * (1 << 20)
        for _ in range(20):
            channel.sendall(block)
        grown = rss_kib(ssh_server.process.pid) - before
        channel.sendall(b"\rshow host name\r")
        deadline = time.monotonic() + 60
        while received.count(b"vyos@r1:~$ ") < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        channel.sendall(b"exit\r")
        thread.join(60)
    text = bytes(received)
    assert b"Line too long: more than %d characters; it was discarded" % MAX_LINE in text
    assert text.count(b"x") <= MAX_LINE + 100          # no more echoed than one line's worth
    assert b"show host name\r\nr1\r\nvyos@r1:~$ " in text
    assert grown < 64 * 1024, f"the server grew by {grown} KiB"


def test_exec_command_line_is_limited(ssh_server):
    with connect(ssh_server) as client:
        status, out, err = run(client, "show host name " + "y" * (MAX_LINE + 1))
        assert status == 1 and out == b"" and err.startswith(b"Line too long")


# -- logins -----------------------------------------------------------------------------------
def test_a_hash_with_huge_rounds_is_refused_at_set_and_never_computed(tmp_path):
    """Was: an admin-set `rounds=20000000` hash made each wrong attempt block every login
    for 12.7 s. Now refused at `set`; one already in a configuration matches nothing."""
    s = Session(tmp_path, apply=False)
    assert s.run("configure").ok
    salt_hash = "abcdefgh$" + "a" * 86
    result = s.run(f"set system login user bob authentication encrypted-password '$6$rounds=20000000${salt_hash}'")
    assert not result.ok and f"more than {MAX_ROUNDS}" in result.output
    assert s.run(f"set system login user bob authentication encrypted-password '$6$rounds={MAX_ROUNDS}${salt_hash}'").ok
    assert not s.run("set system login user bob authentication encrypted-password '$y$j9T$salt$hash'").ok
    # a hash from before the cap, in the running configuration (written as an old archive
    # holds it): the configuration still loads, and even the right password is refused,
    # because the hash is never computed
    from nos_shell.crypthash import hash_problem
    from nos_shell.secrets import check_password, crypt_hash
    from nos_shell.shell.auth import Authenticator
    from nos_shell.store import Store

    old = crypt_hash("right", f"$6$rounds={MAX_ROUNDS + 1}$abcdefgh")
    assert hash_problem(old) is not None and not check_password("right", old)
    assert not s.run(f"set system login user bob authentication encrypted-password '{old}'").ok
    tree = s.candidate.deep_copy()      # (a node changed directly)
    tree.node("system", "login", "user", "bob", "authentication").children["encrypted-password"].values = [old]
    s.store.commit(tree, user="t", via="test")
    assert Store(tmp_path).running().value("system", "login", "user", "bob", "authentication",
                                           "encrypted-password") == old
    assert not Authenticator(tmp_path).check_password("bob", "right")


def test_password_checks_run_off_the_event_loop(tmp_path):
    """Was: crypt ran on the event loop, so one slow check stopped every other login.
    Now, while two slow checks (at the rounds cap) are being computed, a public-key login
    and its command complete before either check returns."""
    root = tmp_path / "root"
    keyfile = make_root(root)
    s = Session(root, user="setup")
    from nos_shell.secrets import crypt_hash

    slow = crypt_hash("alice-secret", f"$6$rounds={MAX_ROUNDS}$capsalt1")
    assert s.run("configure").ok
    assert s.run(f"set system login user alice authentication encrypted-password '{slow}'").ok
    assert s.run("commit").ok
    with running_server(root, keyfile, "--log-level", "debug") as server:
        finished: list[str] = []

        def guess(n: int) -> None:
            with pytest.raises(paramiko.AuthenticationException):
                connect(server, "alice", f"wrong-{n}", source=f"127.0.0.{10 + n}")
            finished.append("guess")

        guesses = [threading.Thread(target=guess, args=(n,)) for n in range(6)]
        for thread in guesses:
            thread.start()
        deadline = time.monotonic() + 60
        while server.log_text().count("checking password for alice") < 2:
            assert time.monotonic() < deadline, server.log_text()
            time.sleep(0.01)
        key = paramiko.Ed25519Key.from_private_key_file(str(keyfile))
        with connect(server, "keyuser", key=key) as client:
            assert run(client, "show host name") == (0, b"r1\n", b"")
        finished.append("key")
        for thread in guesses:
            thread.join(120)
        assert finished[0] == "key" and finished.count("guess") == 6, finished


def test_guesses_are_limited_per_source_address(tmp_path):
    """Was: one client made 121 wrong guesses a second over parallel connections. Now a
    source that failed too often is refused, even with the right password, while other
    sources log in as before."""
    root = tmp_path / "root"
    keyfile = make_root(root)
    with running_server(root, keyfile, "--login-burst", "10", "--login-refill", "3600") as server:
        refused = []

        def guess(n: int) -> None:
            try:
                connect(server, "alice", f"wrong-{n}", source="127.0.0.2").close()
            except paramiko.AuthenticationException:
                refused.append(n)

        threads = [threading.Thread(target=guess, args=(n,)) for n in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert len(refused) == 12
        with pytest.raises(paramiko.AuthenticationException):
            connect(server, "alice", source="127.0.0.2")          # right password, blocked source
        with connect(server, "alice", source="127.0.0.3") as client:   # another source
            assert run(client, "show host name")[1] == b"r1\n"
        log = server.log_text()
        throttled = log.count("too many failed logins")
        assert throttled == 3 and log.count("refused password for alice") - throttled == 10, log


# -- server-owned files --------------------------------------------------------------------
@pytest.mark.parametrize("name", ["apply.toml", "live", "ssh_host_ed25519_key", ".config.boot.tmp",
                                  "sub/x.boot", "."])
def test_server_owned_files_cannot_be_named_over_ssh(tmp_path, name):
    """Was: an admin could `save` over the host key or apply.toml in the configuration folder."""
    folder = tmp_path / "etc/nos-shell"
    folder.mkdir(parents=True)
    (folder / "sub").mkdir()
    (folder / "apply.toml").write_text("live = false\n")
    s = Session(tmp_path, apply=False, via="ssh")
    assert s.run("configure").ok
    for verb in ("save", "load", "merge"):
        result = s.run(f"{verb} {name}")
        assert not result.ok and "Permission denied" in result.output, (verb, result.output)
    assert (folder / "apply.toml").read_text() == "live = false\n"
    assert not (folder / "live").exists() and not (folder / "ssh_host_ed25519_key").exists()


def test_symlink_to_a_server_file_is_refused_and_configuration_files_still_work(tmp_path):
    folder = tmp_path / "etc/nos-shell"
    folder.mkdir(parents=True)
    (folder / "apply.toml").write_text("live = false\n")
    (folder / "innocent.boot").symlink_to(folder / "apply.toml")
    (folder / "fifo.boot").mkdir()
    s = Session(tmp_path, apply=False, via="ssh")
    assert s.run("configure").ok
    assert not s.run("save innocent.boot").ok and not s.run("load fifo.boot").ok
    assert (folder / "apply.toml").read_text() == "live = false\n"
    assert s.run("save backup.boot").ok and s.run("load backup.boot").ok
    assert s.run(f"save {folder}/backup-2.boot").ok


def test_host_key_lives_outside_the_config_folder_and_an_old_one_is_kept(tmp_path):
    import asyncssh

    root = tmp_path / "root"
    keyfile = make_root(root)
    old = root / "etc/nos-shell/ssh_host_ed25519_key"
    key = asyncssh.generate_private_key("ssh-ed25519")
    old.write_bytes(key.export_private_key())
    old.chmod(0o600)
    expected = key.export_public_key().decode().split()[1]
    with running_server(root, keyfile) as server:
        transport = paramiko.Transport((HOST, server.port))
        try:
            transport.start_client(timeout=10)
            served = transport.get_remote_server_key().get_base64()
        finally:
            transport.close()
    assert served == expected
    assert not old.exists() and (root / "var/lib/nos-shell/ssh/ssh_host_ed25519_key").exists()


# -- stopping ----------------------------------------------------------------------------------
def test_sigterm_stops_the_server_while_a_command_runs(tmp_path):
    """Was: SIGTERM was ignored while a command held the server. A command that runs for
    100 s (ping) no longer keeps the server alive past its grace period."""
    require_tool("ping")
    root = tmp_path / "root"
    keyfile = make_root(root)
    with running_server(root, keyfile) as server:
        with connect(server) as client:
            channel = client.get_transport().open_session()
            channel.exec_command("ping 127.0.0.1 count 100")
            deadline = time.monotonic() + 60
            while not (pings := _children_named(server.process.pid, b"ping")):
                assert time.monotonic() < deadline, "ping did not start"
                time.sleep(0.05)
            os.kill(server.process.pid, signal.SIGTERM)
            try:
                status = server.process.wait(60)
            except subprocess.TimeoutExpired:
                pytest.fail("ssh-server ignored SIGTERM while a command ran")
            assert status == 0
        # the session's end stopped the streaming command (nos_shell/shell/relay.py)
        deadline = time.monotonic() + 60
        while any(os.path.exists(f"/proc/{pid}") for pid in pings):
            assert time.monotonic() < deadline, "ping outlived the server"
            time.sleep(0.05)


def _children_named(pid: int, name: bytes) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            with open(f"/proc/{entry}/comm", "rb") as handle:
                comm = handle.read().strip()
        except OSError:
            continue
        if int(fields[1]) == pid and comm == name:
            found.append(int(entry))
    return found


def test_completion_over_ssh_offers_only_configuration_files(tmp_path):
    from nos_shell.shell.completer import build_completer, completions
    from nos_shell.shell.state import ShellState

    folder = tmp_path / "etc/nos-shell"
    folder.mkdir(parents=True)
    for name in ("apply.toml", "live", "ssh_host_ed25519_key", "a.boot"):
        (folder / name).write_text("")
    (folder / "archive-dir").mkdir()
    s = Session(tmp_path, apply=False, via="ssh")
    assert s.run("configure").ok
    offered = [c.text for c in completions(build_completer(ShellState(s)), "load ")]
    assert offered == ["a.boot"]
