"""The command grammar: parsing, keyword abbreviation, errors, completion hints."""
from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from nos_shell.commands import CONF, OP, _FAST, _to_command, code, next_keywords, parse, parser, split_words
from nos_shell.errors import NosError, ParseError
from propsettings import examples


def test_set_line_words_are_unquoted():
    cmd = parse("set interfaces ethernet eth0 description 'it\\'s \"quoted\"'", CONF)
    assert cmd.name == "set"
    assert cmd.words == ["interfaces", "ethernet", "eth0", "description", "it's \"quoted\""]


def test_double_quotes_and_escapes():
    cmd = parse('set system host-name "r1"', CONF)
    assert cmd.words == ["system", "host-name", "r1"]
    assert parse(r'comment system "a \"b\" c"', CONF).words == ["system", 'a "b" c']


@pytest.mark.parametrize("line, name", [
    ("sh int", "show_interfaces"),
    ("sh conf comm", "show_configuration"),
    ("conf", "configure"),
    ("show ver", "show_version"),
    ("sho sys comm", "show_system_commit"),
])
def test_unique_prefixes_expand_in_operational_mode(line, name):
    assert parse(line, OP).name == name


def test_prefixes_expand_in_configuration_mode():
    assert parse("ex dis", CONF).opts == {"discard": True}
    assert parse("run sh ver", CONF).opts["command"].name == "show_version"
    assert parse("disc", CONF).name == "discard"


def test_ambiguous_prefix_names_the_candidates():
    with pytest.raises(ParseError) as exc:
        parse("com", CONF)
    assert exc.value.lines[0] == "Ambiguous command: [com]"
    assert "commit" in exc.value.lines[1] and "compare" in exc.value.lines[1]


def test_invalid_and_incomplete_commands():
    with pytest.raises(ParseError, match=r"Invalid command: \[frobnicate\]"):
        parse("frobnicate", OP)
    with pytest.raises(ParseError, match=r"Invalid command: show \[bogus\]"):
        parse("show bogus", OP)
    with pytest.raises(ParseError, match="Incomplete command: set"):
        parse("set", CONF)
    with pytest.raises(ParseError, match="Unterminated quote"):
        parse("set system host-name 'r1", CONF)


def test_pipes_with_and_without_space():
    cmd = parse("show configuration commands |match eth0 | no-more", OP)
    assert cmd.opts == {"format": "commands"}
    assert cmd.pipes == [("match", "eth0"), ("no_more", None)]
    assert parse("show | commands", CONF).pipes == [("as_commands", None)]
    assert parse('show configuration | except "a|b"', OP).pipes == [("except", "a|b")]


def test_compare_forms():
    assert parse("compare", CONF).opts == {}
    assert parse("compare saved", CONF).opts == {"saved": True}
    assert parse("compare 1 3 commands", CONF).opts == {"revisions": [1, 3], "format": "commands"}


def test_copy_rename_and_merge_structure():
    cmd = parse("copy interfaces ethernet eth0 vif 100 to vif 200", CONF)
    assert cmd.opts["path"] == ["interfaces", "ethernet", "eth0", "vif", "100"]
    assert cmd.words == ["vif", "200"]
    merge = parse("merge extra.boot ignore-unknown interfaces", CONF)
    assert merge.words == ["extra.boot"]
    assert merge.opts == {"ignore_unknown": True, "path": ["interfaces"]}


def test_terminal_settings_are_operational_commands():
    assert parse("set terminal length 0", OP).name == "set_terminal"
    assert parse("stty cols 200", OP).name == "set_terminal"


def test_next_keywords_for_completion():
    words, free, can_end = next_keywords("show ", OP)
    assert {"configuration", "interfaces", "version"} <= set(words)
    assert not free and not can_end
    words, free, can_end = next_keywords("set ", CONF)
    assert free and not can_end
    words, free, can_end = next_keywords("commit", CONF)
    assert can_end and "comment" in words


def test_split_words():
    assert split_words("set a 'b c' \"d\" | match x") == ["set", "a", "b c", "d", "|", "match", "x"]


# -- properties ------------------------------------------------------------------------------
_WORD = st.text(alphabet="abcxyz019-./:_'\" \\|#", min_size=1, max_size=8)


@examples(300)
@given(st.lists(_WORD, min_size=1, max_size=6), st.sampled_from(["set", "delete"]))
def test_fast_path_agrees_with_the_grammar(words, verb):
    """Also with `#` in words: both read the line without its comment (commands.code)."""
    line = verb + " " + " ".join(words)
    if _FAST.fullmatch(code(line).strip()) is None:
        return
    fast = parse(line, CONF)
    full = _to_command(parser().parse(code(line), start=CONF))
    assert (fast.name, fast.words) == (full.name, full.words)


@examples(300)
@given(st.text(max_size=60), st.sampled_from([OP, CONF]))
def test_any_text_parses_or_raises_parse_error(text, mode):
    try:
        parse(text, mode)
    except NosError:
        pass


@examples(300)
@given(st.text(alphabet="abc '\"\\|#é\t", max_size=12), st.sampled_from(["", "  ", "\t"]))
@example("bench", "")
@example("", " ")
def test_a_commit_comment_parses_as_the_grammar_says(comment, pad):
    """`commit comment 'TEXT'`, read without Lark when it is a plain single-quoted text,
    is the command the grammar gives (or, when the grammar refuses it, is refused too)."""
    from nos_shell.commands import grammar_parse

    line = f"{pad}commit comment '{comment}'{pad}"
    try:
        full = grammar_parse(line, CONF)
    except NosError:
        with pytest.raises(NosError):
            parse(line, CONF)
        return
    assert parse(line, CONF) == full


def test_each_bare_verb_parses_as_the_grammar_says():
    """The lookup of whole-verb lines (no Lark) answers exactly what the grammar does,
    with blanks around the verb too."""
    from nos_shell.commands import BARE, grammar_parse

    assert BARE[OP] and BARE[CONF]
    for mode, verbs in BARE.items():
        for verb in verbs:
            for line in (verb, f"  {verb} "):
                assert parse(line, mode) == grammar_parse(line, mode), (mode, line)


def test_a_command_file_of_set_lines_and_bare_verbs_does_not_load_lark(tmp_path):
    """`configure` / `set ...` / `commit` (also with a comment) / `exit` never import the
    grammar's parser."""
    import subprocess
    import sys

    script = tmp_path / "one"
    script.write_text("configure\nset system host-name fast\ncommit\nset system host-name r2\n"
                      "commit comment 'second one'\nexit\n")
    probe = ("import sys; from nos_shell.cli import main\n"
             "assert main(['--root', sys.argv[1], '-f', sys.argv[2]]) == 0\n"
             "print('lark' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "root"), str(script)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False", result.stdout
