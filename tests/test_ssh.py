"""`nos-shell ssh-server` driven by raw paramiko (and OpenSSH's client where installed):
logins, levels, the plain session, commands, refusals, the host key and `service ssh`."""
from __future__ import annotations

import re
import shutil
import socket
import stat
import subprocess
import sys
import time

import pytest

from nos_shell import Session
from nos_shell.config.tree import ConfigTree
from nos_shell.shell.ssh import listen_pairs
from nos_shell.shell.sshsession import use_full_screen
from test_ssh_lab import (HOST, PASSWORDS, make_root, missing, require, running_server,  # noqa: F401
                          ssh_server, wait_for_port)

paramiko = require("paramiko")


def connect(server, user="vyos", password=None, key=None):
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    kwargs = {"pkey": key} if key is not None else {"password": password or PASSWORDS[user]}
    client.connect(HOST, port=server.port, username=user, look_for_keys=False, allow_agent=False,
                   timeout=10, auth_timeout=10, banner_timeout=10, **kwargs)
    return client


class Shell:
    """invoke_shell with paramiko's defaults (term vt100), reading up to the next prompt."""

    PROMPT = re.compile(rb"\S+@\S+(?::~\$|#) $")

    def __init__(self, client, **kwargs):
        self.channel = client.invoke_shell(**kwargs)
        self.channel.settimeout(10)
        self.greeting = self.read()

    def read(self) -> bytes:
        data = b""
        deadline = time.monotonic() + 10
        while not self.PROMPT.search(data):
            if time.monotonic() > deadline:
                raise AssertionError(f"no prompt after {data!r}")
            chunk = self.channel.recv(65536)
            if not chunk:
                break
            data += chunk
        return data

    def run(self, line: str, enter: str = "\r") -> bytes:
        self.channel.send(line + enter)
        return self.read()


def test_login_banner_prompt_and_plain_output(ssh_server):
    with connect(ssh_server) as client:
        shell = Shell(client)
        assert shell.greeting.startswith(b"Welcome to nos-shell")
        assert shell.greeting.endswith(b"\r\nvyos@r1:~$ ")
        banner = shell.greeting.split(b"\r\n")[0]
        assert not set(b"$#>") & set(banner)
        out = shell.run("show version")
        assert out.startswith(b"show version\r\nVersion:          VyOS 1.4 (compatible) nos-shell")
        assert b"\x1b" not in out and re.search(rb"(?<!\r)\n", out) is None
        out = shell.run("configure")
        assert out == b"configure\r\n[edit]\r\nvyos@r1# "
        out = shell.run("set interfaces ethernet eth0 mtu 99999")
        assert b"\r\n  Value validation failed\r\n" in out or b"Set failed" in out
        assert shell.run("exit discard").endswith(b"vyos@r1:~$ ")
        shell.channel.send(b"exit\r")
        assert shell.channel.recv_exit_status() == 0


def test_crlf_is_one_enter_over_ssh(ssh_server):
    with connect(ssh_server) as client:
        shell = Shell(client)
        shell.channel.send(b"show host name\r\nshow host name\r\n")
        data = b""
        while data.count(b"vyos@r1:~$ ") < 2:
            data += shell.channel.recv(65536)
        time.sleep(0.2)
        assert not shell.channel.recv_ready()
        assert data == b"show host name\r\nr1\r\nvyos@r1:~$ " * 2


@pytest.mark.parametrize("user, password", [("vyos", "wrong"), ("nobody", "vyos"), ("oper", "vyos")])
def test_wrong_password_is_refused(ssh_server, user, password):
    with pytest.raises(paramiko.AuthenticationException):
        connect(ssh_server, user, password)


def test_public_key_login_and_wrong_key_refused(ssh_server):
    key = paramiko.Ed25519Key.from_private_key_file(str(ssh_server.keyfile))
    with connect(ssh_server, "keyuser", key=key) as client:
        assert Shell(client).greeting.endswith(b"keyuser@r1:~$ ")
    with pytest.raises(paramiko.AuthenticationException):
        connect(ssh_server, "alice", key=key)       # alice has no such key
    with pytest.raises(paramiko.AuthenticationException):
        connect(ssh_server, "keyuser", "anything")  # and keyuser no password


def test_operator_runs_operational_commands_only(ssh_server):
    with connect(ssh_server, "oper") as client:
        shell = Shell(client)
        assert b"\r\nr1\r\n" in shell.run("show host name")
        out = shell.run("configure")
        assert b"Permission denied" in out and out.endswith(b"oper@r1:~$ ")
        assert b"[edit]" not in out


def test_each_ssh_session_has_its_own_candidate_and_commits_via_ssh(ssh_server):
    with connect(ssh_server, "alice") as one, connect(ssh_server) as two:
        a, b = Shell(one), Shell(two)
        a.run("configure")
        b.run("configure")
        a.run("set system domain-name example.net")
        assert b"No changes between working and active" in b.run("compare")
        assert b"domain-name" in a.run("compare")
        a.run("commit comment 'over ssh'")
        a.run("exit")
        out = a.run("show system commit")
        assert re.search(rb"0   \S+ \S+ by alice via ssh\r\n    over ssh\r\n", out), out
        b.run("exit discard")
        # the other session sees the commit the next time it enters configuration mode
        b.run("configure")
        assert b"example.net" in b.run("show system domain-name")
        b.run("exit")


def test_exec_runs_one_operational_command(ssh_server):
    with connect(ssh_server) as client:
        def run(command):
            _, stdout, stderr = client.exec_command(command, timeout=10)
            return stdout.channel.recv_exit_status(), stdout.read(), stderr.read()

        assert run("show host name") == (0, b"r1\n", b"")
        assert run("show configuration commands | match host-name") == (0, b"set system host-name 'r1'\n", b"")
        status, out, err = run("cat /proc/uptime")
        assert status == 0 and float(out.split()[0]) > 0
        for command in ("/bin/sh -c id", "id", "bash", "ls /"):
            status, out, err = run(command)
            assert status == 1 and out == b"" and b"Invalid command" in err, command
        status, _, err = run("configure")
        assert status == 1 and b"interactive" in err
        assert run("set terminal length 0") == (0, b"", b"")


def test_subsystems_and_forwarding_are_refused(ssh_server):
    with connect(ssh_server) as client:
        with pytest.raises(Exception):
            client.open_sftp()
        with pytest.raises(paramiko.ChannelException):
            client.get_transport().open_channel("direct-tcpip", ("127.0.0.1", 22), ("127.0.0.1", 0))


def test_openssh_client(ssh_server, tmp_path):
    ssh = shutil.which("ssh")
    if ssh is None:
        missing("OpenSSH's client (ssh) is not installed")
    base = [ssh, "-p", str(ssh_server.port), "-i", str(ssh_server.keyfile), "-o", "BatchMode=yes",
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
            "-F", "/dev/null", f"keyuser@{HOST}"]
    result = subprocess.run(base + ["show host name"], capture_output=True, timeout=30)
    assert (result.returncode, result.stdout) == (0, b"r1\n"), result.stderr
    # an interactive session with a PTY and TERM=xterm still gets the plain mode by default
    result = subprocess.run(base[:1] + ["-tt"] + base[1:], input=b"show host name\rexit\r",
                            capture_output=True, timeout=30, env={"TERM": "xterm-256color", "PATH": "/usr/bin:/bin"})
    assert b"\x1b" not in result.stdout
    assert b"show host name\r\nr1\r\nkeyuser@r1:~$ " in result.stdout


def test_host_key_is_kept_private_and_reused(ssh_server):
    key = ssh_server.root / "var/lib/nos-shell/ssh/ssh_host_ed25519_key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    offered = paramiko.Transport((HOST, ssh_server.port))
    try:
        offered.start_client(timeout=10)
        served = offered.get_remote_server_key().get_base64()
    finally:
        offered.close()
    assert (key.parent / (key.name + ".pub")).read_text().split()[1] == served


def test_listen_pairs_follow_service_ssh():
    tree = ConfigTree()
    assert listen_pairs(tree) == []
    assert listen_pairs(tree, [0], ["127.0.0.1"]) == [("127.0.0.1", 0)]
    tree.set(["service", "ssh"])
    assert listen_pairs(tree) == [("", 22)]
    tree.set(["service", "ssh", "port", "2222"])
    tree.set(["service", "ssh", "listen-address", "192.0.2.1"])
    tree.set(["service", "ssh", "listen-address", "2001:db8::1"])
    assert listen_pairs(tree) == [("192.0.2.1", 2222), ("2001:db8::1", 2222)]
    assert listen_pairs(tree, [2022]) == [("192.0.2.1", 2022), ("2001:db8::1", 2022)]


@pytest.mark.parametrize("term, allowed, expected", [
    (None, True, False), ("vt100", True, False), ("dumb", True, False), ("xterm", False, False),
    ("xterm-256color", False, False)])
def test_full_screen_only_when_allowed_and_capable(term, allowed, expected):
    assert use_full_screen(term, allowed) is expected


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def test_server_follows_committed_service_ssh(tmp_path):
    """Without --port/--listen the server listens where `service ssh` says and rebinds after
    a commit that changes it."""
    root = tmp_path / "root"
    make_root(root)
    first, second = free_port(), free_port()
    session = Session(root, user="setup")
    for line in ("configure", f"set service ssh port {first}", f"set service ssh listen-address {HOST}",
                 "commit"):
        assert session.run(line).ok
    log = tmp_path / "server.log"
    with open(log, "wb") as handle:
        process = subprocess.Popen([sys.executable, "-m", "nos_shell", "--root", str(root), "ssh-server"],
                                   stdout=handle, stderr=subprocess.STDOUT)
    try:
        assert wait_for_port(log, process) == first
        for line in ("delete service ssh port", f"set service ssh port {second}", "commit"):
            assert session.run(line).ok
        deadline = time.monotonic() + 15
        while f"127.0.0.1:{second}" not in log.read_text():
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        with socket.create_connection((HOST, second), timeout=5) as sock:
            assert sock.recv(64).startswith(b"SSH-2.0-")
        with pytest.raises(OSError):
            socket.create_connection((HOST, first), timeout=2).close()
    finally:
        process.terminate()
        process.wait(10)


def test_full_screen_setting_serves_the_editor_to_xterm_only(tmp_path):
    if not use_full_screen("xterm", True):
        pytest.skip("the full-screen app (nos_shell/shell/app.py) is not installed")
    root = tmp_path / "root"
    keyfile = make_root(root)
    with running_server(root, keyfile, "--full-screen") as server:
        with connect(server) as client:
            assert b"\x1b" not in Shell(client, term="vt100").greeting
        with connect(server) as client:
            channel = client.invoke_shell(term="xterm-256color")
            channel.settimeout(10)
            data = b""
            deadline = time.monotonic() + 10
            while b"vyos@r1" not in data and time.monotonic() < deadline:
                data += channel.recv(65536)
            assert b"\x1b[" in data and b"vyos@r1" in data
        assert "full-screen session (TERM=xterm-256color)" in server.log_text()
