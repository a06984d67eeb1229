"""Completion, `?` help, highlighting, toolbar and history of the interactive shell,
without a terminal: prompt_toolkit Document objects against a real Session."""
from __future__ import annotations

import pytest

pytest.importorskip("prompt_toolkit")

from prompt_toolkit.completion import CompleteEvent  # noqa: E402
from prompt_toolkit.document import Document  # noqa: E402

from nos_shell import Session  # noqa: E402
from nos_shell.shell import interfaces  # noqa: E402
from nos_shell.shell.completer import build_completer, completions, threaded_completer  # noqa: E402
from nos_shell.shell.context import analyze  # noqa: E402
from nos_shell.shell.help import format_rows, help_rows, possible_completions  # noqa: E402
from nos_shell.shell.history import MASK, RedactingFileHistory, history_path, redact  # noqa: E402
from nos_shell.shell.lexer import CommandLexer, fragments  # noqa: E402
from nos_shell.shell.output import coloured  # noqa: E402
from nos_shell.shell.state import ShellState  # noqa: E402
from nos_shell.shell.toolbar import ChangeCounter, toolbar_text  # noqa: E402

KERNEL = ("br0", "eth0", "eth7", "lo", "wlan0")


@pytest.fixture(autouse=True)
def fake_kernel(monkeypatch):
    """The machine's interfaces vary; completion sees a fixed list."""
    monkeypatch.setattr(interfaces, "_from_netlink", lambda target=None: list(KERNEL))
    interfaces.forget()
    yield
    interfaces.forget()


@pytest.fixture
def state(tmp_path) -> ShellState:
    st = ShellState(Session(tmp_path, user="vyos"))
    assert st.run("configure").ok
    return st


def words(state: ShellState, text: str) -> list[str]:
    return [c.text for c in completions(build_completer(state), text)]


def metas(state: ShellState, text: str) -> dict[str, str]:
    return {c.text: c.display_meta_text for c in completions(build_completer(state), text)}


# -- command words ---------------------------------------------------------------------------
def test_operational_command_words(tmp_path):
    st = ShellState(Session(tmp_path))
    assert words(st, "") == ["clear", "compare", "configure", "exit", "generate", "monitor", "ping", "reset",
                             "restart", "set", "show", "stty", "traceroute"]
    assert words(st, "con") == ["configure"]
    assert words(st, "show ") == ["arp", "bgp", "configuration", "conntrack", "date", "dhcp", "firewall", "host",
                                  "interfaces", "ip", "ipv6", "lldp", "log", "nat", "ntp", "system", "users",
                                  "version"]
    assert words(st, "reset ") == ["firewall", "ip"]
    assert words(st, "sh conf") == ["configuration"]           # abbreviated keywords count
    assert metas(st, "conf")["configure"] == "Enter configuration mode"


def test_configuration_command_words(state):
    assert words(state, "comm") == ["comment", "commit", "commit-confirm"]
    assert words(state, "exit ") == ["discard"]
    assert words(state, "run sh") == ["show"]
    assert words(state, "run show int") == ["interfaces"]
    assert words(state, "show | ") == ["commands", "compare", "count", "except", "grep", "match", "more", "no-more",
                                       "strip-private"]


# -- configuration paths ----------------------------------------------------------------------
def test_partial_path_completes_to_schema_name(state):
    completion, = completions(build_completer(state), "set interfaces eth")
    assert completion.text == "ethernet"
    assert completion.start_position == -3
    assert completion.display_meta_text == "Ethernet interface"


def test_path_children_with_help(state):
    found = metas(state, "set interfaces ethernet eth0 ")
    assert {"address", "description", "disable", "mtu", "vif"} <= set(found)
    assert found["mtu"] == "Maximum Transmission Unit (MTU)"
    assert words(state, "set int ethernet eth0 d") == ["description", "dhcp-options", "disable"]


def test_edit_offers_no_leaves(state):
    assert "mtu" not in words(state, "edit interfaces ethernet eth0 ")
    assert "vif" in words(state, "edit interfaces ethernet eth0 ")


def test_completion_is_relative_to_the_edit_level(state):
    assert state.run("edit interfaces ethernet eth0").ok
    assert words(state, "set ad") == ["address"]
    assert words(state, "set vif 10 m") == ["mac", "mtu"]
    assert words(state, "delete dis") == ["disable"]


def test_values_enum_choices(state):
    found = metas(state, "set system login user vyos level ")
    assert found == {"admin": "May configure the system", "operator": "Operational commands only"}
    assert words(state, "set interfaces ethernet eth0 address d") == ["dhcp", "dhcpv6"]


def test_tag_keys_already_in_the_tree(state):
    for n in (10, 2, 100):
        assert state.run(f"set interfaces ethernet eth0 vif {n} description v{n}").ok
    assert words(state, "show interfaces ethernet eth0 vif ") == ["2", "10", "100"]
    assert words(state, "delete interfaces ethernet eth0 vif 1") == ["10", "100"]


def test_current_values_offered_for_delete_not_set(state):
    assert state.run("set interfaces ethernet eth0 address 192.0.2.1/24").ok
    assert "192.0.2.1/24" in words(state, "delete interfaces ethernet eth0 address ")
    assert "192.0.2.1/24" not in words(state, "set interfaces ethernet eth0 address ")


def test_values_with_blanks_are_quoted(state):
    assert state.run("set interfaces ethernet eth0 description 'uplink to core'").ok
    completion, = completions(build_completer(state), "delete interfaces ethernet eth0 description ")
    assert completion.text == "'uplink to core'"
    assert completion.display_text == "uplink to core"


def test_interface_names_from_the_kernel(state):
    found = metas(state, "set interfaces ethernet ")
    assert found == {"eth0": "kernel interface", "eth7": "kernel interface"}   # not br0, lo, wlan0
    assert state.run("set interfaces ethernet eth0").ok
    found = metas(state, "set interfaces ethernet ")
    assert found == {"eth0": "existing ethernet", "eth7": "kernel interface"}
    assert set(words(state, "set interfaces vlan 5 source-interface ")) == set(KERNEL)
    assert words(state, "set interfaces bridge ") == ["br0"]


def test_interface_names_are_cached(monkeypatch):
    calls = []
    monkeypatch.setattr(interfaces, "_from_netlink", lambda target=None: calls.append(1) or ["eth0"])
    interfaces.forget()
    assert interfaces.kernel_interfaces(now=100.0) == ("eth0",)
    assert interfaces.kernel_interfaces(now=101.0) == ("eth0",)
    assert len(calls) == 1
    interfaces.kernel_interfaces(now=100.0 + interfaces.TTL + 1)
    assert len(calls) == 2


def test_revision_numbers(state):
    for name in ("r1", "r2"):
        assert state.run(f"set system host-name {name}").ok
        assert state.run("commit").ok
    assert len(state.session.store.revisions()) == 3
    assert words(state, "rollback ") == ["1", "2"]             # 0 is what is running
    assert words(state, "compare ") == ["commands", "json", "saved", "0", "1", "2"]
    assert "by vyos via cli" in metas(state, "rollback ")["1"]
    assert words(state, "run show system commit ") == ["diff", "0", "1", "2"]
    assert words(state, "run show system commit diff ") == ["0", "1", "2"]


def test_nothing_after_a_refused_word(state):
    assert words(state, "set interfaces foo ") == []
    assert words(state, "frobnicate ") == []
    assert words(state, "set interfaces ethernet eth0 disable ") == []


def test_threaded_completer_gives_the_same_answers(state):
    completer = threaded_completer(state)
    document = Document("set interfaces eth")
    found = list(completer.get_completions(document, CompleteEvent(completion_requested=True)))
    assert [c.text for c in found] == ["ethernet"]


def test_tree_keys_cached_until_the_next_command(state):
    assert state.run("set interfaces ethernet eth0 vif 1").ok
    assert words(state, "set interfaces ethernet eth0 vif ") == ["1"]
    state.session.candidate.set(["interfaces", "ethernet", "eth0", "vif", "2"])   # behind the shell's back
    assert words(state, "set interfaces ethernet eth0 vif ") == ["1"]
    state.changed()
    assert words(state, "set interfaces ethernet eth0 vif ") == ["1", "2"]


# -- `?` help ---------------------------------------------------------------------------------
def test_help_lists_enter_placeholders_and_choices(state):
    text = possible_completions(state, "set interfaces ethernet eth0 address ")
    assert text == (
        "Possible completions:\n"
        "   <x.x.x.x/x>          IPv4 address and prefix length\n"
        "   <h:h:h:h:h:h:h:h/x>  IPv6 address and prefix length\n"
        "   dhcp                 Dynamic Host Configuration Protocol\n"
        "   dhcpv6               Dynamic Host Configuration Protocol for IPv6\n")


def test_help_offers_enter_when_the_command_is_complete(state):
    rows = help_rows(state, "set interfaces ethernet eth0 ")
    assert rows[0] == ("<Enter>", "Execute the current command")
    assert ("mtu", "Maximum Transmission Unit (MTU)") in rows
    assert help_rows(state, "set interfaces ethernet eth0 disable ") == [("<Enter>", "Execute the current command")]
    assert help_rows(state, "set interfaces ethernet ")[0] == ("<ethN>", "Ethernet interface name")
    assert ("<Enter>", "Execute the current command") not in help_rows(state, "set interfaces ethernet eth0 mtu ")
    assert ("<Enter>", "Execute the current command") in help_rows(state, "commit ")


def test_help_for_a_partial_word_and_a_refused_line(state):
    assert possible_completions(state, "set interfaces eth") == \
        "Possible completions:\n+> ethernet  Ethernet interface\n"
    assert possible_completions(state, "set interfaces foo ") == \
        "\n  Configuration path: [interfaces foo] is not valid\n\n"
    assert possible_completions(state, "frob ") == "\n  Invalid command: [frob]\n\n"


def test_help_marks_node_kinds_like_vyos(state):
    """Configuration path words get VyOS's column: `+>` tag node, ` >` node with settings
    below (a container, a key of a tag node), `+ ` multi-value leaf, blank otherwise."""
    text = possible_completions(state, "set interfaces ethernet eth0 ")
    assert text.startswith("Possible completions:\n   <Enter>       Execute the current command\n")
    for row in ("+  address       IP address", "   description   Description",
                " > dhcp-options  DHCP client settings", "   disable       Administratively disable interface",
                "+> vif           Virtual Local Area Network (VLAN) ID"):
        assert "\n" + row + "\n" in text
    assert possible_completions(state, "set interfaces ethernet ").splitlines()[1:] == \
        [" > <ethN>  Ethernet interface name", " > eth0    kernel interface", " > eth7    kernel interface"]
    assert "\n > system      System parameters\n" in possible_completions(state, "set ")
    # command words and operational mode: VyOS has no column there
    assert possible_completions(state, "com").splitlines()[1].startswith("  comment ")
    assert possible_completions(ShellState(Session(state.session.store.root)), "show ").splitlines()[1] \
        .startswith("  arp ")


def test_help_rows_are_aligned():
    assert format_rows([("<Enter>", "Execute the current command"), ("discard", "Discard")]) == \
        "  <Enter>  Execute the current command\n  discard  Discard\n"


def test_operational_help(tmp_path):
    st = ShellState(Session(tmp_path))
    text = possible_completions(st, "show ")
    assert text.startswith("Possible completions:\n  arp ")
    assert "  version        Show the version\n" in text
    assert possible_completions(st, "show version ") == \
        "Possible completions:\n  <Enter>  Execute the current command\n  all      Show the versions of all components\n" \
        "  |        Pipe the output through a filter\n"


# -- highlighting -----------------------------------------------------------------------------
def styles(state: ShellState, line: str) -> list[tuple[str, str]]:
    return [(style, text) for style, text in CommandLexer(state).lex_document(Document(line))(0) if text.strip()]


def test_lexer_marks_refused_words(state):
    assert styles(state, "set interfaces foo bar") == [
        ("class:keyword", "set"), ("class:name", "interfaces"), ("class:invalid", "foo"), ("class:invalid", "bar")]
    assert ("class:invalid", "5") in styles(state, "set interfaces ethernet eth0 mtu 5 ")
    assert ("class:invalid", "frobnicate") in styles(state, "frobnicate")
    assert ("class:invalid", "eth0") in styles(state, "set interfaces bridge eth0 ")   # wrong key for a bridge


def test_lexer_leaves_valid_and_unfinished_words_alone(state):
    line = "set interfaces ethernet eth0 vif 10 address 192.0.2.1/24"
    assert not [s for s, _ in styles(state, line) if s == "class:invalid"]
    assert not [s for s, _ in styles(state, "set interfaces eth") if s == "class:invalid"]   # still typing
    assert not [s for s, _ in styles(state, "set interfaces ethernet eth0 mtu 15") if s == "class:invalid"]
    assert not [s for s, _ in styles(state, "sh") if s == "class:invalid"]


def test_lexer_keeps_the_text(state):
    line = "set  interfaces   'x y' |"
    assert "".join(text for _, text in fragments(analyze(line, "conf", ()), line)) == line


# -- toolbar, output, history -------------------------------------------------------------------
def test_toolbar_counts_uncommitted_changes(state):
    counter = ChangeCounter(state, background=False)
    assert toolbar_text(state, counter) == "[edit]  no uncommitted changes"
    state.run("set system host-name r2")
    state.run("set interfaces ethernet eth0 address 192.0.2.1/24")
    state.run("edit interfaces")
    assert toolbar_text(state, counter) == "[edit interfaces]  2 uncommitted changes"
    state.run("top")
    state.run("commit")
    assert toolbar_text(state, counter) == "[edit]  no uncommitted changes"


def test_toolbar_counts_once_per_command(state, monkeypatch):
    from nos_shell.shell import toolbar

    calls = []
    monkeypatch.setattr(toolbar, "count_changes", lambda st: calls.append(1) or 7)
    counter = ChangeCounter(state, background=False)
    for _ in range(5):
        assert toolbar_text(state, counter) == "[edit]  7 uncommitted changes"
    assert len(calls) == 1
    state.run("show")
    toolbar_text(state, counter)
    assert len(calls) == 2


def test_which_outputs_are_coloured():
    from nos_shell.shell.output import shows_differences

    assert shows_differences("conf", ("compare",))
    assert shows_differences("op", ("compare",))
    assert shows_differences("conf", ("show",), ("match",))
    assert not shows_differences("conf", ("show",), ("commands",))
    assert not shows_differences("op", ("show", "configuration"))


def test_compare_output_is_coloured():
    text = "[system]\n- host-name \"vyos\"\n+ host-name \"r2\"\n>    mtu 1400\n     other\n"
    assert [style for style, _ in coloured(text)] == [
        "class:diff.header", "class:diff.removed", "class:diff.added", "class:diff.changed", ""]
    assert "".join(t for _, t in coloured(text)) == text


def test_history_file_per_user_under_the_root(tmp_path):
    assert history_path(tmp_path, "vyos") == tmp_path / "var/lib/nos-shell/history/vyos"
    assert history_path(tmp_path, "../evil").parent == tmp_path / "var/lib/nos-shell/history"
    history = RedactingFileHistory(history_path(tmp_path, "vyos"), lambda: ("conf", ()))
    history.append_string("set system login user bob authentication plaintext-password s3cret")
    history.append_string("commit")
    text = history_path(tmp_path, "vyos").read_text()
    assert "s3cret" not in text and MASK in text and "+commit" in text
    assert history_path(tmp_path, "vyos").stat().st_mode & 0o077 == 0
    assert list(history.load_history_strings())[0] == "commit"


def test_redaction_follows_abbreviations_and_edit_level():
    assert redact("se sys log us bob auth plain 'a b'") == f"se sys log us bob auth plain {MASK}"
    assert redact("set authentication plaintext-password x", "conf", ("system", "login", "user", "bob")) == \
        f"set authentication plaintext-password {MASK}"
    assert redact("set interfaces wireguard wg0 private-key abc") == f"set interfaces wireguard wg0 private-key {MASK}"
    assert redact("set system host-name password") == "set system host-name password"


@pytest.mark.parametrize("lines", [
    ["set system host-name r2"],
    ["set interfaces ethernet eth0 address 192.0.2.1/24", "set interfaces ethernet eth0 address 2001:db8::1/64",
     "set interfaces ethernet eth0 disable", "set interfaces ethernet eth0 vif 5 description 'a b'"],
    ["delete interfaces loopback lo", "set system name-server 192.0.2.53"],
    ["set interfaces ethernet eth1 address 198.51.100.1/24", "delete system login user vyos level"],
])
def test_change_count_matches_compare_commands(state, lines):
    from nos_shell.config.diff import compare_commands
    from nos_shell.shell.toolbar import count_changes

    for line in ["set interfaces ethernet eth1 address 203.0.113.1/24", "set system name-server 192.0.2.1",
                 "commit"] + lines:
        assert state.run(line).ok, line
    expected = len(compare_commands(state.session.running, state.session.candidate).splitlines())
    assert count_changes(state) == expected > 0


def test_file_names_complete_for_load_save_and_merge(tmp_path):
    st = ShellState(Session(tmp_path))
    st.session.execute("configure")
    folder = tmp_path / "etc/nos-shell"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lab.boot").write_text("")
    (folder / "lab-old.boot").write_text("")
    assert words(st, "load la") == ["lab-old.boot", "lab.boot"]
    assert "lab.boot" in words(st, "merge ")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "r1.cmds").write_text("")
    assert words(st, f"save {tmp_path}/else") == [f"{tmp_path}/elsewhere/"]
    assert words(st, f"load {tmp_path}/elsewhere/") == [f"{tmp_path}/elsewhere/r1.cmds"]


def test_the_shell_reads_quoted_words_as_the_parser_does():
    from nos_shell.commands import split_words
    from nos_shell.shell.context import unquote

    for raw in ("'a\\d'", '"x\\"y"', "'it\\'s'", "plain", "'tab\\there'"):
        assert unquote(raw) == split_words(raw)[0]
    assert unquote("'still typing") == "still typing"
    assert unquote("'ends in quote\\'") == "ends in quote'"
