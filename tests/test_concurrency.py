"""Concurrent sessions on one root: no lost update (optimistic concurrency, as JunOS
`configure private`), conflicts refused with their paths, `configure exclusive`, and
`show configuration sessions`. In-process sessions here; real processes in
tests/test_concurrency_processes.py, SSH in tests/test_ssh_concurrency.py."""
from __future__ import annotations

import tempfile

from hypothesis import given
from hypothesis import strategies as st

from nos_shell.config import render
from nos_shell.session import Session
from nos_shell.store import Store
from propsettings import examples


def conf(root, user="vyos", via="cli") -> Session:
    session = Session(root, user=user, via=via, apply=False)
    assert session.run("configure").ok
    return session


def ok(session: Session, *lines: str) -> str:
    out = ""
    for line in lines:
        result = session.run(line)
        assert result.ok, (line, result.output)
        out += result.output
    return out


def test_the_reported_lost_update_is_gone(tmp_path):
    a = conf(tmp_path, "alice")
    b = conf(tmp_path, "bob")
    ok(b, "set system host-name bee", "commit")
    ok(a, "set system domain-name example.com")
    compared = ok(a, "compare")
    # A's compare says the running configuration moved and shows only what A's commit does
    assert "changed" in compared and "bob" in compared
    assert "host-name" not in compared and "domain-name" in compared
    ok(a, "commit")
    running = Store(tmp_path).running()
    assert running.value("system", "host-name") == "bee"
    assert running.value("system", "domain-name") == "example.com"


def test_a_conflicting_commit_is_refused_with_its_paths_and_changes_nothing(tmp_path):
    a = conf(tmp_path, "alice")
    b = conf(tmp_path, "bob")
    ok(b, "set system host-name bee", "commit")
    ok(a, "set system host-name ant", "set system domain-name example.com")
    compared = ok(a, "compare")
    assert "[ system host-name ]" in compared and "refused" in compared
    revisions = len(Store(tmp_path).revisions())
    result = a.run("commit")
    assert not result.ok
    lines = result.output.splitlines()
    assert "  [ system host-name ]" in lines and lines[-2] == "  Commit failed"
    assert "by bob via cli" in result.output
    # nothing changed: the running configuration, the archive, A's candidate
    running = Store(tmp_path).running()
    assert running.value("system", "host-name") == "bee" and running.value("system", "domain-name") is None
    assert len(Store(tmp_path).revisions()) == revisions
    assert a.candidate.value("system", "host-name") == "ant"
    assert not a.run("exit").ok                      # still modified
    # `update` keeps the running configuration where they clash, A's other changes stay
    updated = ok(a, "update")
    assert "[ system host-name ]" in updated
    assert a.candidate.value("system", "host-name") == "bee"
    assert a.candidate.value("system", "domain-name") == "example.com"
    ok(a, "commit")
    running = Store(tmp_path).running()
    assert (running.value("system", "host-name"), running.value("system", "domain-name")) == ("bee", "example.com")


def test_deleting_what_another_session_changed_is_a_conflict(tmp_path):
    a = conf(tmp_path, "alice")
    ok(a, "set interfaces ethernet eth0 mtu 1500", "commit")
    b = conf(tmp_path, "bob")
    ok(a, "set interfaces ethernet eth0 description uplink", "commit")
    ok(b, "delete interfaces ethernet eth0")
    result = b.run("commit")
    assert not result.ok and "[ interfaces ethernet eth0 ]" in result.output
    assert Store(tmp_path).running().value("interfaces", "ethernet", "eth0", "description") == "uplink"


def test_after_a_commit_the_base_is_the_new_running_configuration(tmp_path):
    a = conf(tmp_path, "alice")
    b = conf(tmp_path, "bob")
    for n in range(3):
        ok(b, f"set system name-server 192.0.2.{n + 1}", "commit")
        ok(a, f"set interfaces dummy dum{n} description 'round {n}'", "commit")
        # A's base moved with its commit: its next compare is against what runs now
        assert ok(a, "compare") == "No changes between working and active configurations.\n\n"
    running = Store(tmp_path).running()
    assert running.values("system", "name-server") == ["192.0.2.1", "192.0.2.2", "192.0.2.3"]
    assert running.keys("interfaces", "dummy") == ["dum0", "dum1", "dum2"]


def test_a_session_without_changes_follows_the_running_configuration(tmp_path):
    a = conf(tmp_path, "alice")
    b = conf(tmp_path, "bob")
    ok(b, "set system host-name bee", "commit")
    # what Ansible's vyos_config looks for: the answer starts with "No changes"
    assert ok(a, "compare") == "No changes between working and active configurations.\n\n"
    assert ok(a, "discard") == "No changes have been discarded\n"
    assert ok(a, "show system host-name") == ' host-name "bee"\n'
    assert a.run("exit").ok and a.mode == "op"


def test_show_marks_and_discard_in_a_stale_session(tmp_path):
    a = conf(tmp_path, "alice")
    b = conf(tmp_path, "bob")
    ok(b, "set system host-name bee", "commit")
    ok(a, "set system domain-name example.com")
    shown = ok(a, "show system")
    assert shown.startswith("Warning: the running configuration changed")
    assert '\n+domain-name "example.com"\n host-name "bee"\n' in shown
    assert '>' not in "".join(line[:1] for line in shown.splitlines())   # no host-name change marked
    assert "host-name" not in ok(a, "show | compare")
    refused = a.run("exit")
    assert not refused.ok and "changed" in refused.output and "Cannot exit" in refused.output
    discarded = ok(a, "discard")
    assert discarded.startswith("Changes have been discarded\n") and "bob" in discarded
    assert a.candidate == Store(tmp_path).running()


# -- configure: who else is editing --------------------------------------------------------
def test_configure_warns_about_other_sessions_and_show_configuration_sessions(tmp_path):
    a = Session(tmp_path, user="alice", via="ssh", apply=False)
    assert a.run("configure").output == ""                     # alone: nothing printed
    ok(a, "set system host-name ant")
    b = Session(tmp_path, user="bob", apply=False)
    warning = ok(b, "configure")
    assert warning.startswith("Warning: other users are editing the configuration:\n")
    assert "alice via ssh" in warning and "uncommitted changes" in warning
    assert not set("#$>") & set(warning)                     # nothing a client takes for a prompt
    table = ok(b, "run show configuration sessions").splitlines()
    assert table[0].startswith("Users currently editing the configuration")
    assert table[1].split() == ["User", "Via", "PID", "Since", "Changes", "Exclusive"]
    assert [r.split()[-2:] for r in table[2:]] == [["yes", "no"], ["no", "no"]]
    assert table[3].startswith("* bob")
    ok(a, "commit")
    assert [r.split()[-2:] for r in ok(b, "run show configuration sessions").splitlines()[2:]] == \
        [["no", "no"], ["no", "no"]]
    ok(a, "exit")
    assert len(ok(b, "run show configuration sessions").splitlines()) == 3
    ok(b, "exit")
    assert ok(b, "show configuration sessions") == "No sessions are in configuration mode\n"


def test_entries_of_sessions_that_are_gone_are_ignored(tmp_path):
    a = conf(tmp_path, "alice")
    a._presence._handle.close()           # as when its process dies: the lock is gone
    b = Session(tmp_path, user="bob", apply=False)
    assert ok(b, "configure") == ""
    assert not list((tmp_path / "var/lib/nos-shell/sessions").glob("*alice*"))
    assert len(list((tmp_path / "var/lib/nos-shell/sessions").glob("*.json"))) == 1


# -- configure exclusive -------------------------------------------------------------------
def test_configure_exclusive_refuses_other_sessions_commits_until_exit(tmp_path):
    a = Session(tmp_path, user="alice", via="ssh", apply=False)
    b = conf(tmp_path, "bob")
    ok(a, "configure exclusive")
    warning = ok(Session(tmp_path, user="carol", apply=False), "configure")
    assert "alice via ssh" in warning and "(exclusive: your commits are refused until it exits)" in warning
    ok(b, "set system host-name bee")
    refused = b.run("commit")
    assert not refused.ok
    assert "Configuration database locked by: alice via ssh" in refused.output
    assert refused.output.rstrip().endswith("Commit failed")
    again = Session(tmp_path, user="dave", apply=False).run("configure exclusive")
    assert not again.ok and "locked by: alice" in again.output
    ok(a, "set system domain-name example.com", "commit")      # the holder commits
    ok(a, "exit")
    ok(b, "commit")
    running = Store(tmp_path).running()
    assert (running.value("system", "host-name"), running.value("system", "domain-name")) == ("bee", "example.com")


def test_configure_exclusive_is_refused_while_another_session_has_changes(tmp_path):
    b = conf(tmp_path, "bob")
    ok(b, "set system host-name bee")
    a = Session(tmp_path, user="alice", apply=False)
    refused = a.run("configure exclusive")
    assert not refused.ok and a.mode == "op"
    assert "Configuration database modified" in refused.output and "bob via cli" in refused.output
    ok(b, "discard")
    ok(a, "configure exclusive")
    assert a.mode == "conf"


def test_a_command_file_cannot_commit_past_an_exclusive_lock(tmp_path):
    holder = Session(tmp_path, user="alice", apply=False)
    ok(holder, "configure exclusive")
    script = Session(tmp_path, user="bob", via="file", apply=False)
    result = script.run_script(["configure", "set system host-name bee", "commit", "exit"], "x.cmds")
    assert not result.ok and "x.cmds:3" in result.error.summary and "alice" in result.error.summary
    assert Store(tmp_path).running().value("system", "host-name") == "vyos"


def test_session_close_releases_the_exclusive_lock(tmp_path):
    a = Session(tmp_path, user="alice", apply=False)
    ok(a, "configure exclusive")
    b = conf(tmp_path, "bob")
    ok(b, "set system host-name bee")
    assert not b.run("commit").ok
    a.close()
    ok(b, "commit")


# -- property: interleaved sessions lose no update -------------------------------------------
SETS = [f"set system host-name {h}" for h in ("h1", "h2", "h3")] \
    + [f"set system domain-name {d}.example" for d in ("d1", "d2")] \
    + [f"set system name-server 192.0.2.{n}" for n in (1, 2, 3)] \
    + [f"set interfaces dummy dum{i} description {d}" for i in (0, 1) for d in ("x", "y")] \
    + [f"set interfaces dummy dum{i} address 198.51.100.{2 * i + n}/32" for i in (0, 1) for n in (1, 2)]
DELETES = ["delete system domain-name", "delete system name-server"] \
    + [f"delete system name-server 192.0.2.{n}" for n in (1, 2, 3)] \
    + [f"delete interfaces dummy dum{i}" for i in (0, 1)]
STEP = st.tuples(st.integers(0, 2), st.one_of(st.sampled_from(SETS), st.sampled_from(DELETES),
                                              st.just("commit")))


def set_lines(tree) -> set[str]:
    return set(render.to_commands(tree).splitlines())


def unit(line: str) -> str:
    """The part of the configuration a `set` line belongs to: a system leaf, a dummy
    interface. Changes in different units can never conflict."""
    words = line.split()
    return " ".join(words[:4] if words[1] == "interfaces" else words[:3])


@examples(40)
@given(count=st.integers(2, 3), steps=st.lists(STEP, min_size=1, max_size=30))
def test_interleaved_sessions_lose_no_update(count, steps):
    """2-3 sessions interleave set/delete/commit on one root. After every successful
    commit the running configuration equals the previous one with that session's own
    changes (from its base to its candidate, as `set` lines) applied; a refused commit
    changes nothing and only happens when both sides changed the same part."""
    with tempfile.TemporaryDirectory() as root:
        sessions = [conf(root, f"user{i}") for i in range(count)]
        model = set_lines(Store(root).running())
        bases = [set(model) for _ in sessions]
        for index, line in steps:
            number = index % count
            session = sessions[number]
            if line != "commit":
                session.run(line)            # an invalid delete changes nothing: fine
                continue
            candidate = set_lines(session.candidate)
            added, removed = candidate - bases[number], bases[number] - candidate
            theirs = model ^ bases[number]
            revisions = len(Store(root).revisions())
            result = session.run("commit")
            running = set_lines(Store(root).running())
            if result.ok:
                model = (model - removed) | added
                assert running == model, "an update was lost"
                bases[number] = set(model)
            else:
                assert "Commit failed" in result.output
                assert running == model and len(Store(root).revisions()) == revisions
                assert set_lines(session.candidate) == candidate
                assert {unit(x) for x in added | removed} & {unit(x) for x in theirs}, result.output
            if not {unit(x) for x in added | removed} & {unit(x) for x in theirs}:
                assert result.ok, result.output
        for session in sessions:
            session.close()


# -- grammar: Tab completion and `?` help come from it ----------------------------------------
def test_new_commands_parse_complete_and_have_help(tmp_path):
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    from nos_shell.commands import parse
    from nos_shell.shell.completer import build_completer
    from nos_shell.shell.state import ShellState

    assert parse("conf excl", "op").opts == {"exclusive": True}
    assert parse("sh conf sess", "op").name == "show_configuration_sessions"
    assert parse("run show configuration sessions", "conf").opts["command"].name == "show_configuration_sessions"
    assert parse("update", "conf").name == "update"

    def complete(state: ShellState, text: str) -> dict[str, str]:
        found = build_completer(state).get_completions(Document(text), CompleteEvent(completion_requested=True))
        return {c.text: c.display_meta_text for c in found}

    op = ShellState(Session(tmp_path, apply=False))
    assert list(complete(op, "configure ")) == ["exclusive", "private"]
    assert "other sessions cannot commit" in complete(op, "configure ")["exclusive"]
    assert complete(op, "show configuration s") == {"sessions": "Show the sessions in configuration mode"}
    assert op.run("configure").ok
    assert "update" in complete(op, "up")


def test_compare_of_two_revisions_ignores_a_conflicting_candidate(tmp_path):
    """`compare N M` diffs two archived revisions: a stale session whose own changes
    conflict with another commit answered with only its conflict warning."""
    a = conf(tmp_path, "alice")
    b = conf(tmp_path, "bob")
    ok(b, "set system host-name bee", "commit")
    ok(a, "set system host-name ant")              # conflicts with bob's commit
    assert "conflict" in ok(a, "compare")
    out = ok(a, "compare 1 0")
    assert 'host-name "bee"' in out and "conflict" not in out
