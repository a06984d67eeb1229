"""`#` comments in command lines, as VyOS's bash-based CLI reads them: an unquoted `#` that
starts a word begins a comment to the end of the line; inside quotes or within a word it is
text. Checked against bash itself, and through every way a line comes in (parser, session,
`-f` command file, `load` of a command file, the SSH session)."""
from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nos_shell import Session
from nos_shell.api import tree_from_commands
from nos_shell.commands import CONF, OP, code, comment_start, grammar_parse, is_blank, next_keywords, parse, \
    split_words
from nos_shell.errors import ParseError
from propsettings import examples


@pytest.mark.parametrize("line, words", [
    ("set system name-server 2001:db8::53 # upstream DNS", ["system", "name-server", "2001:db8::53"]),
    ("set system name-server 192.0.2.53 #upstream", ["system", "name-server", "192.0.2.53"]),
    ("set system name-server 192.0.2.53\t# tab before", ["system", "name-server", "192.0.2.53"]),
    ("set interfaces ethernet eth0 description 'a # b'", ["interfaces", "ethernet", "eth0", "description", "a # b"]),
    ('set interfaces ethernet eth0 description "a # b" # c', ["interfaces", "ethernet", "eth0", "description",
                                                             "a # b"]),
    ("set interfaces ethernet eth0 description foo#bar", ["interfaces", "ethernet", "eth0", "description",
                                                          "foo#bar"]),
    ("set interfaces ethernet eth0 description x# # y", ["interfaces", "ethernet", "eth0", "description", "x#"]),
])
def test_a_comment_ends_the_line_and_quoted_or_inner_hashes_stay(line, words):
    for parsed in (parse(line, CONF), grammar_parse(line, CONF)):
        assert (parsed.name, parsed.words) == ("set", words)


def test_a_comment_after_other_commands_and_pipes():
    assert parse("commit # done", CONF).name == "commit"
    assert parse("commit comment 'ticket #42' # done", CONF).opts == {"comment": "ticket #42"}
    assert parse("exit discard # throw it away", CONF).opts == {"discard": True}
    cmd = parse("show configuration commands | match eth0 # only eth0", OP)
    assert cmd.pipes == [("match", "eth0")]
    assert parse("show configuration | match '#x'", OP).pipes == [("match", "#x")]
    with pytest.raises(ParseError, match="Incomplete command"):     # `|#x`: the comment leaves `|`
        parse("show configuration |#x", OP)
    assert split_words("set a 'b # c' d # e") == ["set", "a", "b # c", "d"]
    assert next_keywords("commit # ", CONF)[2]                        # may end: the comment is not a word


def test_a_whole_line_comment_holds_no_command():
    for line in ("#", "# note", "   # indented note", "\t#", "#set system host-name x", ""):
        assert is_blank(line), line
    for line in ("set a # b", "foo#bar", "'#'", '"# quoted"', "x #"):
        assert not is_blank(line), line
    assert comment_start("no comment here") == len("no comment here")
    assert code("set a 'b # c' # d") == "set a 'b # c' "


def test_an_unterminated_quote_is_still_refused_when_it_holds_a_hash():
    with pytest.raises(ParseError, match="Unterminated quote"):
        parse("set system host-name 'r1 # not a comment", CONF)


# -- bash is the reference ------------------------------------------------------------------------
_BASH_TEXT = st.text(alphabet="ab#'\" \t", max_size=24)
_PROBE = "set --{line}\nprintf '%s\\0' \"$#\" \"$@\"\n"


def _bash_words(line: str) -> list[str] | None:
    """The words bash reads from ``line`` (None: bash refuses it, e.g. an open quote)."""
    done = subprocess.run(["bash", "--norc", "--noprofile", "-c", _PROBE.format(line=" " + line)],
                          capture_output=True, timeout=30)
    if done.returncode != 0:
        return None
    count, *words = done.stdout.split(b"\0")[:-1]
    assert int(count) == len(words)
    return [word.decode() for word in words]


@examples(150)
@given(_BASH_TEXT)
def test_the_comment_is_where_bash_puts_it(line):
    """Cutting at :func:`comment_start` changes nothing bash reads (it was a comment), and
    what is left holds no comment (a word appended after it is still read)."""
    words = _bash_words(line)
    if words is None:
        return
    kept = code(line)
    assert _bash_words(kept) == words
    assert _bash_words(kept + " z") == words + ["z"]
    assert code(kept) == kept


# -- every way in ------------------------------------------------------------------------------------
def test_a_session_runs_comment_lines_as_nothing_in_both_modes(tmp_path):
    session = Session(tmp_path / "root", user="vyos")
    for line in ("# note", "  # note", "show version | match Version # see"):
        result = session.run(line)
        assert result.ok, result.output
    assert session.run("# note").output == ""
    assert session.run("configure # now").ok
    for line in ("# note", "set system name-server 2001:db8::53 # upstream DNS",
                 "set interfaces ethernet eth0 description 'a # b'"):
        result = session.run(line)
        assert result.ok and result.output == "", (line, result.output)
    assert session.candidate.values("system", "name-server") == ["2001:db8::53"]
    assert session.candidate.value("interfaces", "ethernet", "eth0", "description") == "a # b"


def test_a_command_file_with_inline_comments_runs_and_loads(tmp_path):
    lines = ["# a router's settings, with notes as VyOS users write them",
             "set system name-server 2001:db8::53 # upstream DNS",
             "set interfaces ethernet eth0 description 'uplink # 1'   # quoted hash stays",
             "set interfaces ethernet eth0 address 192.0.2.1/24 #no space after the hash",
             "    # an indented note"]
    config = tmp_path / "router.cmds"
    config.write_text("\n".join(lines) + "\n")
    script = tmp_path / "script"
    script.write_text(f"configure\n# load the file\nload {config} # all of it\ncommit # go\nexit\n")
    root = tmp_path / "root"
    done = subprocess.run([sys.executable, "-m", "nos_shell", "--root", str(root), "-f", str(script)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    shown = subprocess.run([sys.executable, "-m", "nos_shell", "--root", str(root), "-c",
                            "show configuration commands"], capture_output=True, text=True, timeout=60).stdout
    assert "set system name-server '2001:db8::53'" in shown
    assert "set interfaces ethernet eth0 description 'uplink # 1'" in shown
    assert "set interfaces ethernet eth0 address '192.0.2.1/24'" in shown
    assert "#no" not in shown and "upstream" not in shown
    direct = tmp_path / "direct"
    direct.write_text("configure\n" + "\n".join(lines) + "\ncommit\n")
    done = subprocess.run([sys.executable, "-m", "nos_shell", "--root", str(tmp_path / "root2"), "-f", str(direct)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    tree = tree_from_commands("\n".join(lines))
    assert tree.value("interfaces", "ethernet", "eth0", "description") == "uplink # 1"
