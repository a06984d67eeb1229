"""Security review: each test demonstrates one problem found (and now fixed)."""
from __future__ import annotations

from nos_shell import Session
from nos_shell.store import Store


def _conf(root, **kwargs) -> Session:
    s = Session(root, apply=False, **kwargs)
    assert s.run("configure").ok
    return s


# -- comments cannot break out of /* ... */ -------------------------------------------------
def test_comment_cannot_close_itself_and_corrupt_the_archive(tmp_path):
    s = _conf(tmp_path)
    assert s.run("set interfaces ethernet eth0 address 192.0.2.1/24").ok
    evil = 'comment interfaces ethernet eth0 "x */ } system { host-name evil } interfaces { /* y"'
    result = s.run(evil)
    assert not result.ok
    assert "*/" in result.error.summary and "interfaces ethernet eth0" in result.error.summary
    assert s.candidate.node("interfaces", "ethernet", "eth0").comment is None
    assert s.run("commit").ok
    # the archive (the running configuration) is still readable by a fresh store
    assert Store(tmp_path).running().value("interfaces", "ethernet", "eth0", "address") == "192.0.2.1/24"


def test_comment_with_newline_and_slashes_round_trips(tmp_path):
    s = _conf(tmp_path)
    assert s.run(r'comment interfaces loopback lo "line1\nline2 // /* x"').ok
    assert s.run("commit").ok
    assert Store(tmp_path).running().node("interfaces", "loopback", "lo").comment == "line1\nline2 // /* x"


# -- SSH sessions: files only in the configuration folder ----------------------------------
def test_ssh_session_cannot_read_files_outside_the_config_folder(tmp_path):
    secret = tmp_path / "shadow"
    secret.write_text("root:$6$secret$hash:19000:0:99999:7:::\n")
    root = tmp_path / "root"
    s = _conf(root, via="ssh")
    for line in (f"load {secret}", f"merge {secret}", "load ../../../shadow", "merge ../../../shadow"):
        result = s.run(line)
        assert not result.ok, line
        assert "$6$secret" not in result.output and "Permission denied" in result.output, line
    assert not s.modified


def test_ssh_session_cannot_write_files_outside_the_config_folder(tmp_path):
    root = tmp_path / "root"
    s = _conf(root, via="ssh")
    target = tmp_path / "profile.sh"
    for line in (f"save {target}", "save ../../../profile.sh", "save ."):
        result = s.run(line)
        assert not result.ok and "Permission denied" in result.output, line
    assert not target.exists()
    (root / "etc/nos-shell").mkdir(parents=True, exist_ok=True)
    (root / "etc/nos-shell/escape").symlink_to(tmp_path)
    assert not s.run("save escape/profile.sh").ok
    assert not target.exists()


def test_ssh_session_keeps_files_in_the_config_folder(tmp_path):
    s = _conf(tmp_path, via="ssh")
    assert s.run("save backup.boot").ok
    assert s.run(f"save {tmp_path}/etc/nos-shell/backup2.boot").ok
    assert s.run("save").ok
    assert s.run("load backup.boot").ok
    assert s.run("merge backup2.boot").ok
    assert (tmp_path / "etc/nos-shell/backup.boot").exists()


def test_local_cli_session_may_use_any_path(tmp_path):
    s = _conf(tmp_path / "root", via="cli")
    assert s.run(f"save {tmp_path}/elsewhere.boot").ok
    assert s.run(f"load {tmp_path}/elsewhere.boot").ok


def test_ssh_file_completion_offers_no_absolute_paths(tmp_path):
    from nos_shell.shell.completer import build_completer, completions
    from nos_shell.shell.state import ShellState

    s = _conf(tmp_path, via="ssh")
    assert s.run("save mine.boot").ok
    completer = build_completer(ShellState(s))
    assert [c.text for c in completions(completer, "load /") if c.text.startswith("/")] == []
    assert "mine.boot" in [c.text for c in completions(completer, "load m")]


def test_operator_cannot_save_load_or_merge(tmp_path):
    s = Session(tmp_path, apply=False, via="ssh", level="operator")
    for line in ("configure", "save /tmp/x", "load /etc/passwd", "merge /etc/passwd"):
        result = s.run(line)
        assert not result.ok, line
    assert s.mode == "op" and not (tmp_path / "etc/nos-shell/config.boot").exists()


# -- commit-confirm: a confirming commit cannot be reverted by the timer --------------------
def test_commit_confirms_before_the_timer_can_take_the_lock(tmp_path, monkeypatch):
    import json

    from nos_shell.engine import confirm, timer
    from nos_shell.fsutil import atomic_write

    monkeypatch.setattr(timer.subprocess, "Popen", lambda *a, **k: None)   # no timer process
    first = _conf(tmp_path)
    assert first.run("set system host-name trial").ok
    assert first.run("commit-confirm 5").ok
    second = _conf(tmp_path)
    assert second.run("set system domain-name example.net").ok
    original = second.commit

    def commit_then_timer(comment="", **kwargs):
        out = original(comment, **kwargs)
        # the deadline passes while the commit finishes, and the timer process gets the
        # lock right after the commit released it
        record = confirm.pending(tmp_path)
        if record is not None:
            atomic_write(tmp_path / confirm.PENDING,
                         json.dumps({**record.__dict__, "deadline": 0}).encode())
            confirm.revert_if_due(tmp_path)
        return out

    monkeypatch.setattr(second, "commit", commit_then_timer)
    result = second.run("commit")
    assert result.ok
    running = Store(tmp_path).running()
    # the plain commit confirmed the pending one: neither change is reverted
    assert running.value("system", "domain-name") == "example.net"
    assert running.value("system", "host-name") == "trial"
    assert "Reload timer stopped" in result.output


# -- a command file and a concurrent commit --------------------------------------------------
def test_command_file_does_not_overwrite_a_concurrent_commit(tmp_path):
    other = _conf(tmp_path)

    def lines():
        yield "configure"
        yield "set system host-name from-script"
        yield "commit"
        # meanwhile another session commits
        assert other.run("set system domain-name other.example").ok
        assert other.run("commit").ok
        yield "exit"

    script = Session(tmp_path, apply=False)
    result = script.run_script(lines(), "script.cmds")
    running = Store(tmp_path).running()
    # the other session's commit is never lost: the script fails and keeps nothing
    assert running.value("system", "domain-name") == "other.example"
    assert not result.ok
    assert "script.cmds" in result.error.summary and "another session" in result.error.summary
    assert running.value("system", "host-name") == "vyos"
    assert len(Store(tmp_path).revisions()) == 2


def test_read_only_command_file_is_not_failed_by_a_concurrent_commit(tmp_path):
    other = _conf(tmp_path)

    def lines():
        yield "show version"
        assert other.run("set system domain-name other.example").ok
        assert other.run("commit").ok
        yield "show host name"

    assert Session(tmp_path, apply=False).run_script(lines(), "show.cmds").ok


# -- bad input: one clear error, nothing changed -----------------------------------------------
def test_loading_a_binary_file_is_a_clear_error(tmp_path):
    s = _conf(tmp_path)
    (tmp_path / "etc/nos-shell").mkdir(parents=True, exist_ok=True)
    (tmp_path / "etc/nos-shell/binary.boot").write_bytes(b"system {\n\xd0\xff\x00\n}\n")
    for verb in ("load", "merge"):
        result = s.run(f"{verb} binary.boot")
        assert not result.ok
        assert "Internal error" not in result.output
        assert "binary.boot:2: not a configuration file" in result.error.summary
    assert not s.modified


# -- operators do not read secrets ---------------------------------------------------------------
WG_KEY = "YG4GfMbPz0NeIY4VpK2uRGnC4Gkdi6PHMtc1D2Cq3F0="


def test_operator_does_not_see_secrets(tmp_path):
    admin = _conf(tmp_path)
    for line in (f"set interfaces wireguard wg0 private-key {WG_KEY}",
                 "set interfaces wireguard wg0 address 10.9.0.1/24",
                 f"set interfaces wireguard wg0 peer p1 preshared-key {WG_KEY}",
                 "set interfaces wireguard wg0 peer p1 public-key " + "B" * 42 + "A=",
                 "set interfaces wireguard wg0 peer p1 allowed-ips 10.9.0.2/32",
                 "set protocols bgp system-as 65001",
                 "set protocols bgp parameters router-id 192.0.2.1",
                 "set protocols bgp neighbor 192.0.2.2 remote-as 65002",
                 "set protocols bgp neighbor 192.0.2.2 password md5-secret",
                 "commit"):
        assert admin.run(line).ok, (line, admin.run(line).output)
    hashed = Store(tmp_path).running().value("system", "login", "user", "vyos", "authentication",
                                             "encrypted-password")
    operator = Session(tmp_path, apply=False, level="operator")
    for line in ("show configuration", "show configuration commands", "show configuration json",
                 "show system commit 0", "compare 1 0"):
        out = operator.run(line).output
        assert "md5-secret" not in out and hashed not in out and "YG4GfMbP" not in out, line
        assert "****************" in out, line
    # admins see everything, as before
    assert "md5-secret" in Session(tmp_path, apply=False).run("show configuration").output


# -- file permissions ---------------------------------------------------------------------------
def test_existing_history_file_and_folder_are_made_private(tmp_path):
    import stat

    from nos_shell.shell.history import RedactingFileHistory

    folder = tmp_path / "history"
    folder.mkdir(mode=0o755)
    path = folder / "vyos"
    path.write_text("")
    path.chmod(0o644)
    folder.chmod(0o755)
    RedactingFileHistory(path, lambda: ("op", ()))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
