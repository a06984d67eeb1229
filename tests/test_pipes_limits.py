"""`| match` / `| except` / `| count` (nos_shell/pipes.py) and the plain line mode's line and
output limits (nos_shell/shell/limits.py), without a server (test_ssh_limits.py has one)."""
from __future__ import annotations

import pytest

from nos_shell import Session
from nos_shell.errors import NosError
from nos_shell.pipes import MAX_PATTERN, apply_pipes
from nos_shell.shell.limits import MAX_LINE, MAX_OUTPUT, output_cut
from nos_shell.shell.plain import LineProtocol

TEXT = "set system host-name 'r1'\nset system domain-name 'example.net'\nset interfaces ethernet eth0\n"


@pytest.mark.parametrize("pipes, expected", [
    ([("match", "system")], "set system host-name 'r1'\nset system domain-name 'example.net'\n"),
    ([("except", "system")], "set interfaces ethernet eth0\n"),
    ([("match", "(?i)HOST|eth0$")], "set system host-name 'r1'\nset interfaces ethernet eth0\n"),
    ([("match", "^set (system|interfaces) [a-z]+-name")], "set system host-name 'r1'\nset system domain-name 'example.net'\n"),
    ([("match", "system"), ("count_lines", None)], "Count: 2 lines\n"),
    ([("count_lines", None)], "Count: 3 lines\n"),
    ([("match", "(.|.)*!")], ""),
    ([("match", "")], TEXT),
])
def test_pipes_keep_grep_like_semantics(pipes, expected):
    assert apply_pipes(TEXT, pipes) == expected


@pytest.mark.parametrize("pattern, reason", [
    (r"(a)\1", "invalid escape sequence"), ("a(?=b)", "invalid perl operator"), ("(", "missing )"),
    ("x" * (MAX_PATTERN + 1), f"longer than {MAX_PATTERN} characters")])
def test_invalid_patterns_are_refused_clearly(pattern, reason):
    with pytest.raises(NosError) as info:
        apply_pipes(TEXT, [("match", pattern)])
    assert info.value.summary.startswith("Invalid regular expression") and reason in info.value.summary


def test_a_pipe_exponential_in_python_re_is_linear_here():
    line = "set system description '" + "x" * 5000 + "'\n"
    assert apply_pipes(line * 200, [("match", "(x|x)*!")]) == ""
    assert apply_pipes(line * 200, [("except", "(x+x+)+!")]) == line * 200


def test_an_over_long_typed_line_is_dropped_and_memory_stays_bounded(tmp_path):
    ran = []
    proto = LineProtocol(Session(tmp_path, apply=False), echo=True, newline="\n", banner=None,
                         runner=lambda line: (ran.append(line) or "done\n", True))
    echoed = len(proto.feed(b"y" * (MAX_LINE - 1)))
    for _ in range(40):
        echoed += len(proto.feed(b"z" * 65536))
        assert len(proto._line) <= MAX_LINE
    out = proto.feed(b"\nshow ok\n").decode()
    assert echoed == MAX_LINE                              # nothing echoed past the limit
    assert "Line too long" in out and ran == ["show ok"] and out.endswith("done\nvyos@vyos:~$ ")


def test_command_output_is_cut_at_the_limit(tmp_path):
    big = "0123456789abcde\n" * (MAX_OUTPUT // 16 + 10)
    proto = LineProtocol(Session(tmp_path, apply=False), echo=False, newline="\n", banner=None,
                         runner=lambda line: (big, True))
    out = proto.feed(b"show huge\n")
    assert len(out) < MAX_OUTPUT + 1000 and b"Output truncated: more than" in out
    assert output_cut("short\n") == "short\n"
