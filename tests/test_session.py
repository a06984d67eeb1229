"""Sessions: VyOS messages and semantics of the configuration-mode verbs."""
from __future__ import annotations

import pytest

from nos_shell.errors import NosError
from nos_shell.problems import Problem
from nos_shell.session import Session


@pytest.fixture
def s(tmp_path):
    session = Session(tmp_path)
    session.execute("configure")
    return session


def lines(session: Session, *commands: str) -> None:
    for command in commands:
        session.execute(command)


def test_prompts_and_edit_levels(s):
    assert s.prompt == "vyos@vyos# " and s.edit_line == "[edit]"
    s.execute("edit interfaces ethernet eth0")
    assert s.edit_line == "[edit interfaces ethernet eth0]"
    s.execute("set address 192.0.2.1/24")
    assert s.candidate.values("interfaces", "ethernet", "eth0", "address") == ["192.0.2.1/24"]
    s.execute("up")
    assert s.edit_line == "[edit interfaces]"
    s.execute("top")
    assert s.execute("top") == "Already at the top level\n"
    assert s.execute("up") == "Already at the top level\n"
    with pytest.raises(NosError, match="not a container"):
        s.execute("edit system host-name")


def test_commit_discard_and_their_messages(s):
    assert s.execute("commit") == "No configuration changes to commit\n"
    assert s.execute("discard") == "No changes have been discarded\n"
    s.execute("set system host-name r1")
    assert s.execute("discard") == "Changes have been discarded\n"
    assert s.execute("compare") == "No changes between working and active configurations.\n\n"
    s.execute("set system host-name r1")
    s.execute("commit")
    assert s.prompt == "vyos@r1# "
    assert s.execute("compare saved").startswith("+ interfaces {\n")  # nothing saved yet
    s.execute("save")
    assert s.execute("compare saved") == "No changes between working and saved configurations.\n\n"
    s.execute("set system host-name r2")
    assert s.execute("compare saved") == '[system]\n- host-name "r1"\n+ host-name "r2"\n'


def test_exit_refuses_with_changes_and_warns_when_unsaved(s):
    s.execute("set system host-name r1")
    result = s.run("exit")
    assert not result.ok
    assert result.output == ("\n  Cannot exit: configuration modified.\n"
                             "  Use 'exit discard' to discard the changes and exit.\n\n")
    s.execute("commit")
    assert s.execute("exit") == "Warning: configuration changes have not been saved.\n"
    assert s.mode == "op"
    s.execute("configure")
    s.execute("set system host-name r2")
    assert s.execute("exit discard") == "Warning: configuration changes have not been saved.\n"
    assert s.running.value("system", "host-name") == "r1"


def test_show_marks_changes(s):
    lines(s, "set interfaces ethernet eth0 address 192.0.2.1/24", "set interfaces ethernet eth0 mtu 1500",
          "set interfaces ethernet eth0 address 192.0.2.9/24", "commit",
          "delete interfaces ethernet eth0 address 192.0.2.9/24",
          "set interfaces ethernet eth0 address 198.51.100.1/24", "set interfaces ethernet eth0 mtu 9000",
          "delete interfaces loopback lo")
    assert s.execute("show interfaces") == (
        ' ethernet eth0 {\n'
        '     address "192.0.2.1/24"\n'
        '+    address "198.51.100.1/24"\n'
        '-    address "192.0.2.9/24"\n'
        '>    mtu "9000"\n'
        ' }\n'
        '-loopback lo {\n'
        '-}\n')
    assert s.execute("show interfaces ethernet eth0 mtu") == '>mtu "9000"\n'
    assert s.execute("show protocols") == "Configuration under specified path is empty\n"


def test_compare_forms(s):
    lines(s, "set interfaces ethernet eth0 address 192.0.2.1/24", "set system host-name r1",
          "delete interfaces loopback lo")
    assert s.execute("compare") == (
        '[interfaces]\n'
        '+ ethernet eth0 {\n'
        '+     address "192.0.2.1/24"\n'
        '+ }\n'
        '- loopback lo {\n'
        '- }\n'
        '\n'
        '[system]\n'
        '- host-name "vyos"\n'
        '+ host-name "r1"\n')
    assert s.execute("compare commands") == (
        "delete interfaces loopback lo\n"
        "set interfaces ethernet eth0 address '192.0.2.1/24'\n"
        "set system host-name 'r1'\n")
    s.execute("commit")
    assert "host-name" in s.execute("compare 1")
    assert "host-name" in s.execute("compare 0 1")
    with pytest.raises(NosError, match="Invalid revision number 7"):
        s.execute("compare 7")


def test_show_commands_pipe_is_relative_to_the_path(s):
    lines(s, "set interfaces ethernet eth0 address 192.0.2.1/24", "set system host-name r1")
    assert s.execute("show interfaces ethernet | commands") == \
        "set interfaces ethernet eth0 address '192.0.2.1/24'\n"


def test_save_load_merge(s, tmp_path):
    s.execute("set system host-name r1")
    out = s.execute("save")
    assert out.startswith("Warning: you have uncommitted changes that will not be saved.\n")
    assert out.endswith(f"Saving configuration to '{tmp_path}/etc/nos-shell/config.boot'...\nDone\n")
    with pytest.raises(NosError, match="Cannot load: configuration modified."):
        s.execute("load config.boot")
    s.execute("commit")
    s.execute("save other.boot")
    s.execute("set system host-name r9")
    s.execute("commit")
    out = s.execute("load other.boot")
    assert out.endswith("Load complete. Use 'commit' to make changes effective.\n")
    assert s.candidate.value("system", "host-name") == "r1"
    (tmp_path / "etc/nos-shell/extra.cmds").write_text(
        "set interfaces ethernet eth5 address 192.0.2.5/24\nset system host-name r5\n")
    out = s.execute("merge extra.cmds interfaces")
    assert out.endswith("Merge complete. Use 'commit' to make changes effective.\n")
    assert s.candidate.exists("interfaces", "ethernet", "eth5")
    assert s.candidate.value("system", "host-name") == "r1"


def test_load_lists_every_unknown_path_and_loads_nothing(s, tmp_path):
    s.execute("commit")
    (tmp_path / "bad.boot").write_text(
        'interfaces {\n    ethernet eth0 {\n        offload {\n            gro\n        }\n'
        '        address "192.0.2.1/24"\n    }\n    pppoe pppoe0 {\n    }\n}\n'
        'system {\n    host-name "loaded"\n}\n')
    before = s.candidate.copy()
    result = s.run(f"load {tmp_path}/bad.boot")
    assert not result.ok
    assert "interfaces ethernet eth0 offload" in result.output
    assert "interfaces pppoe" in result.output
    assert s.candidate == before
    out = s.execute(f"load {tmp_path}/bad.boot ignore-unknown")
    assert out.count("Warning:") == 2
    assert s.candidate.value("system", "host-name") == "loaded"
    assert s.candidate.values("interfaces", "ethernet", "eth0", "address") == ["192.0.2.1/24"]


def test_rollback_loads_a_revision_into_the_candidate(s):
    with pytest.raises(NosError, match="must include a revision #"):
        s.execute("rollback")
    lines(s, "set system host-name r1", "commit", "set system host-name r2", "commit")
    with pytest.raises(NosError, match=r"Invalid revision number 3: must be 0 < rev < 3"):
        s.execute("rollback 3")
    s.execute("rollback 1")
    assert s.candidate.value("system", "host-name") == "r1"
    s.execute("commit")
    assert s.running.value("system", "host-name") == "r1"


def test_comment_copy_rename(s):
    lines(s, 'comment interfaces loopback lo "the loopback"',
          "set interfaces ethernet eth0 vif 10 address 192.0.2.1/24",
          "edit interfaces ethernet eth0", "copy vif 10 to vif 20", "rename vif 10 to vif 30", "top")
    assert s.candidate.keys("interfaces", "ethernet", "eth0", "vif") == ["20", "30"]
    assert "/* the loopback */" in s.execute("show interfaces")


def test_running_configuration_persists_across_sessions(tmp_path):
    first = Session(tmp_path)
    lines(first, "configure", "set system host-name persisted", "commit", "exit")
    second = Session(tmp_path, user="bob")
    assert second.execute("show host name") == "persisted\n"
    history = second.execute("show system commit").splitlines()
    assert history[0].startswith("0   ") and history[0].endswith("by vyos via cli")
    assert history[-2].startswith("1   ") and history[-1] == "    initial configuration"


def test_commit_revisions_limit_prunes_the_archive(s):
    s.execute("set system config-management commit-revisions 3")
    for n in range(5):
        s.execute(f"set system host-name r{n}")
        s.execute("commit")
    assert len(s.store.revisions()) == 3


def test_verifier_problems_fail_the_commit_and_change_nothing(s):
    s.verifiers.append(lambda tree: [Problem(("interfaces", "ethernet", "eth9"), "eth9 does not exist")]
                       if tree.exists("interfaces", "ethernet", "eth9") else [])
    s.execute("set interfaces ethernet eth9 disable")
    result = s.run("commit")
    assert not result.ok
    assert result.output == "\n  [ interfaces ethernet eth9 ]\n  eth9 does not exist\n  Commit failed\n\n"
    assert not s.running.exists("interfaces", "ethernet", "eth9")


def test_operator_cannot_configure(tmp_path):
    s = Session(tmp_path, level="operator")
    assert not s.run("configure").ok
    assert s.mode == "op"


def test_pipes_filter_output(tmp_path):
    s = Session(tmp_path)
    assert s.execute("show configuration commands | match host-name") == "set system host-name 'vyos'\n"
    assert "host-name" not in s.execute("show configuration commands | except host")
    assert s.execute("show configuration commands | count").startswith("Count: ")
    assert not s.run("show configuration | match (").ok


def test_garbage_never_escapes_as_an_exception(s):
    for line in ["set", "set ''", "delete", "edit", "copy a to b c", "comment", "rollback x",
                 "set interfaces ethernet eth0 vif", "show interfaces ethernet eth0 vif 99999",
                 "load /nonexistent/file", "run", "run foo", "| match", "set 'a", "\x00", "merge"]:
        result = s.run(line)
        assert isinstance(result.ok, bool)


def test_a_bug_in_a_command_is_reported_not_raised(tmp_path, monkeypatch):

    from nos_shell.ops.registry import table

    def broken(session, command):
        raise RuntimeError("boom")

    monkeypatch.setitem(table(), "show_version", table()["show_version"]._replace(handler=broken))
    s = Session(tmp_path)
    result = s.run("show version")
    assert not result.ok and "Internal error: RuntimeError: boom" in result.output
    assert s.run("show host name").ok          # the session goes on


def test_saved_and_archived_configurations_are_private(tmp_path):
    s = Session(tmp_path)
    for line in ("configure", "set interfaces wireguard wg0 private-key "
                 "'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk='", "commit", "save"):
        s.execute(line)
    files = [tmp_path / "etc/nos-shell/config.boot", *(tmp_path / "var/lib/nos-shell/archive").glob("r*.boot")]
    assert len(files) >= 3
    for path in files:
        assert path.stat().st_mode & 0o077 == 0, path
    assert (tmp_path / "var/lib/nos-shell/archive").stat().st_mode & 0o077 == 0
    # a revision left readable by an older version is made private by the next commit
    old = files[1]
    old.chmod(0o644)
    s.execute("set system host-name private")
    s.execute("commit")
    assert old.stat().st_mode & 0o077 == 0


def test_show_pipe_compare_is_compare(tmp_path):
    s = Session(tmp_path)
    s.execute("configure")
    s.execute("set system host-name r5")
    assert s.execute("show | compare") == s.execute("compare") == '[system]\n- host-name "vyos"\n+ host-name "r5"\n'
