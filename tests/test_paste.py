"""Pasting blocks of lines: one command per line, in order, as if typed; the first failed
pasted line stops the block. Through a real pseudo-terminal (the local shell), the SSH
server's plain mode (default) and its full-screen mode; plus the pieces on their own."""
from __future__ import annotations

import os
import select
import subprocess
import sys
import time

import pytest

from nos_shell import Session
from nos_shell.commands import CONF, Position, next_keywords
from test_shell_interactive import CONF_PROMPT, CSI, OP_PROMPT, TIMEOUT, Terminal

pytest.importorskip("prompt_toolkit")

from prompt_toolkit.key_binding import KeyPress  # noqa: E402
from prompt_toolkit.keys import Keys  # noqa: E402

from nos_shell.shell import context  # noqa: E402
from nos_shell.shell.paste import LineQueue, failure_message, paste_lines, take_lines  # noqa: E402

START, END = "\x1b[200~", "\x1b[201~"


def vif_lines(count: int) -> list[str]:
    return [f"set interfaces ethernet eth0 vif {n} address 2001:db8:{n:x}::1/64" for n in range(1, count + 1)]


def feed(term: Terminal, data: str, chunk: int = 1024) -> None:
    """Write ``data`` to the terminal a piece at a time, reading its output in between (a
    large write while nobody reads the shell's echo would block both sides)."""
    raw = data.encode()
    for start in range(0, len(raw), chunk):
        piece = raw[start:start + chunk]
        while piece:
            select.select([], [term.fd], [], TIMEOUT)
            written = os.write(term.fd, piece)
            piece = piece[written:]
            while term._read(0) and select.select([term.fd], [], [], 0)[0]:
                pass


def plain_output(term: Terminal) -> str:
    return CSI.sub(b"", term.raw).replace(b"\r", b"").decode(errors="replace")


def show_commands(root) -> str:
    done = subprocess.run([sys.executable, "-m", "nos_shell", "--root", str(root), "-c",
                           "show configuration commands"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def term(tmp_path):
    t = Terminal(tmp_path / "root")
    t.expect(OP_PROMPT)
    t.send("configure\r")
    t.expect(CONF_PROMPT)
    yield t
    t.close()


# -- through the local shell on a pseudo-terminal --------------------------------------------
def test_a_bracketed_paste_of_500_lines_runs_every_line_in_order(term, tmp_path):
    lines = ["# a comment first: shown, not run", "set system host-name first", *vif_lines(496),
             "set system host-name last", "commit"]
    feed(term, START + "\r".join(lines) + "\r" + END)
    term.expect(rb"vyos@last#", timeout=120)       # the commit ran, after every line before it
    shown = show_commands(tmp_path / "root")
    for line in vif_lines(496):
        assert line.replace("address ", "address '").rstrip() + "'" in shown
    assert "set system host-name 'last'" in shown
    # each line was echoed after its prompt, as if typed, in the order of the paste
    text = plain_output(term)
    positions = [text.find("# " + line + "\n") for line in lines]
    assert -1 not in positions and positions == sorted(positions)
    assert "Pasted line" not in text


def test_the_first_failed_pasted_line_stops_the_block(term, tmp_path):
    lines = ["set system host-name one", "set system name-server 192.0.2.53",
             "set interfaces ethernet eth0 mtu 99999",          # line 3 fails
             "set system host-name four", "commit"]
    feed(term, START + "\n".join(lines) + "\n" + END)
    term.expect_text("Pasted line 3 of 5 failed; the remaining 2 lines were not run")
    term.expect(CONF_PROMPT)
    term.send("compare commands\r")
    term.expect_text("set system host-name 'one'\nset system name-server '192.0.2.53'\n")
    term.expect(CONF_PROMPT)
    text = plain_output(term)
    assert "host-name four" not in text and "host-name 'four'" not in text
    assert "vyos@one#" not in text                      # `commit` (line 5) never ran
    assert "host-name" not in show_commands(tmp_path / "root").split("system")[-1]


def test_a_paste_without_a_final_line_end_leaves_its_last_line_to_edit(term):
    feed(term, START + "set system host-name pasted\nset system name-server" + END)
    term.expect(rb"set system name-server")
    term.send(" 192.0.2.53\r")                                   # the user finishes the line
    term.expect(CONF_PROMPT)
    term.send("compare commands\r")
    term.expect_text("set system host-name 'pasted'\nset system name-server '192.0.2.53'\n")


def test_typing_ahead_without_paste_markers_runs_every_line(term, tmp_path):
    lines = vif_lines(300) + ["commit", "set system host-name done"]
    feed(term, "\r".join(lines) + "\r")
    term.expect_text("vyos@vyos# set system host-name done\n", timeout=120)
    term.expect(CONF_PROMPT)
    shown = show_commands(tmp_path / "root")
    assert all(line.split(" address ")[0] in shown for line in vif_lines(300))


def docs_ssh_lines() -> list[str]:
    """The configuration examples of docs/ssh.md (their `set` blocks), with their comments."""
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "docs" / "ssh.md").read_text()
    blocks = [b for b in re.findall(r"^```[a-z]*\n(.*?)^```", text, re.S | re.M) if b.startswith("set ")]
    lines = [line for block in blocks for line in block.splitlines()]
    assert len(blocks) >= 2 and any(" # " in line for line in lines)
    return lines


def test_the_examples_of_docs_ssh_paste_with_their_comments(term, tmp_path):
    """VyOS users paste examples with trailing `# notes`; each line is accepted and the
    result commits (it failed at the first comment before)."""
    lines = docs_ssh_lines() + ["set system host-name pasted", "commit"]
    feed(term, START + "\n".join(lines) + "\n" + END)
    term.expect(rb"vyos@pasted#", timeout=120)
    assert "Pasted line" not in plain_output(term)
    shown = show_commands(tmp_path / "root")
    assert "set service ssh port '22'" in shown and "set service ssh listen-address '192.0.2.1'" in shown
    assert "set system login user noc level 'operator'" in shown
    assert "several allowed" not in shown and "stored hashed" not in shown


# -- SSH ---------------------------------------------------------------------------------------
def test_ssh_plain_mode_strips_paste_markers_and_runs_500_lines(tmp_path):
    from test_ssh import Shell, connect
    from test_ssh_lab import make_root, running_server

    root = tmp_path / "root"
    keyfile = make_root(root)
    lines = vif_lines(499) + ["commit"]
    with running_server(root, keyfile) as server, connect(server) as client:
        shell = Shell(client)                            # paramiko's vt100: the plain mode
        seen = shell.run("configure")[-len("vyos@r1# "):]     # the prompt the paste lands on
        data = (START + "\r".join(lines) + "\r" + END).encode()
        for start in range(0, len(data), 4096):
            shell.channel.sendall(data[start:start + 4096])
            while shell.channel.recv_ready():
                seen += shell.channel.recv(65536)
        deadline = time.monotonic() + 120
        while seen.count(b"vyos@r1# ") < len(lines) + 1 and time.monotonic() < deadline:
            seen += shell.channel.recv(65536)
    assert b"\x1b" not in seen and b"200~" not in seen and b"201~" not in seen
    text = seen.decode()
    positions = [text.find("vyos@r1# " + line + "\r\n") for line in lines]
    assert -1 not in positions and positions == sorted(positions)
    assert Session(root, user="check").running.node("interfaces", "ethernet", "eth0", "vif", "499") is not None


def test_ssh_plain_mode_takes_the_docs_examples_with_comments(tmp_path):
    from test_ssh import Shell, connect
    from test_ssh_lab import make_root, running_server

    root = tmp_path / "root"
    keyfile = make_root(root)
    with running_server(root, keyfile) as server, connect(server) as client:
        shell = Shell(client)
        assert shell.run("# a note in operational mode").endswith(b"\r\nvyos@r1:~$ ")
        shell.run("configure")
        for line in docs_ssh_lines():
            out = shell.run(line)
            assert out == line.encode() + b"\r\n[edit]\r\nvyos@r1# ", out
        assert shell.run("  # an indented note") == b"  # an indented note\r\n[edit]\r\nvyos@r1# "
        out = shell.run("compare commands # what changed").decode()
    assert "set service ssh listen-address '192.0.2.1'" in out
    assert "set system login user alice authentication public-keys alice@laptop type 'ssh-ed25519'" in out
    assert "stored hashed" not in out


def test_ssh_full_screen_mode_runs_a_paste_line_by_line(tmp_path):
    from test_ssh import connect
    from test_ssh_lab import make_root, running_server

    root = tmp_path / "root"
    keyfile = make_root(root)
    lines = ["configure"] + vif_lines(60) + ["set system host-name bad value", "commit"]
    with running_server(root, keyfile, "--full-screen") as server, connect(server) as client:
        channel = client.invoke_shell(term="xterm")
        channel.settimeout(10)
        seen = b""
        deadline = time.monotonic() + TIMEOUT
        while b"vyos@r1:~$" not in seen and time.monotonic() < deadline:
            seen += channel.recv(65536)
        channel.sendall((START + "\r".join(lines) + "\r" + END).encode())
        while b"not run" not in seen and time.monotonic() < deadline + 60:
            seen += channel.recv(65536)
    text = CSI.sub(b"", seen).replace(b"\r", b"").decode(errors="replace")
    assert "Welcome to nos-shell" in text and "type '?' for help, Tab to complete" in text
    assert f"Pasted line 62 of {len(lines)} failed; the remaining 1 line was not run" in text
    candidate = text.split("Pasted line")[0]
    assert all(line in candidate for line in vif_lines(60))
    assert Session(root, user="check").running.node("interfaces", "ethernet", "eth0", "vif") is None


# -- the pieces --------------------------------------------------------------------------------
def test_paste_lines_splits_on_every_line_end():
    assert paste_lines("a\r\nb\rc\nd") == ["a", "b", "c", "d"]
    assert paste_lines("a\n") == ["a", ""]
    assert paste_lines("no line end") == ["no line end"]


def _keys(text: str) -> list[KeyPress]:
    special = {"\r": Keys.ControlM, "\n": Keys.ControlJ, "\t": Keys.ControlI}
    return [KeyPress(special.get(c, c), c) for c in text]


def test_take_lines_takes_complete_plain_lines_only():
    lines, rest = take_lines(_keys("show version\r\nconfigure\rset sys\tx\r"))
    assert lines == ["show version", "configure"]               # CRLF is one Enter
    assert "".join(k.data for k in rest) == "set sys\tx\r"      # Tab: the editor's job
    lines, rest = take_lines(_keys("exit\rsho"))
    assert lines == ["exit"] and [k.data for k in rest] == ["s", "h", "o"]
    lines, rest = take_lines(_keys("show ?\r"))
    assert lines == [] and len(rest) == 7


def test_line_queue_numbers_the_block_and_drops_it_at_a_failure():
    queue = LineQueue()
    assert queue.paste("no line end", " typed", "") is None
    assert queue.paste("set sys", "tem host-name a\nb\nc\nd", " x") == "set system host-name a x"
    assert queue.done(True) == ""
    assert queue.next() == "b"
    assert queue.done(False) == failure_message(2, 3)
    assert queue.next() is None and queue.take_tail() == ""
    assert failure_message(2, 3) == "Pasted line 2 of 3 failed; the remaining 1 line was not run\n"
    assert failure_message(3, 3) == "Pasted line 3 of 3 failed\n"


def test_a_long_line_is_walked_in_linear_steps(monkeypatch):
    """The grammar walk used for highlighting, completion and history takes one step per
    word: a paste of many words on one line cannot make every key press quadratic."""
    steps = []
    original = Position.after

    def counted(self, raw):
        steps.append(raw)
        return original(self, raw)

    monkeypatch.setattr(Position, "after", counted)
    context._POSITIONS.clear()
    line = " ".join(vif_lines(40))                       # 320 words on one line
    context.analyze.cache_clear()
    context.analyze(line, CONF, ())
    assert len(steps) <= len(line.split()) + 1
    steps.clear()
    context.analyze(line + " x", CONF, ())               # one more word: no walk from the start
    assert len(steps) <= 2


@pytest.mark.parametrize("line", ["set interfaces ethernet eth0 vif 5 address ", "sh int", "show | ",
                                  "set system host-name 'a b' ", "set system host-name 'open ",
                                  "compare 3 ", "run show ver", "commit comment \"x y\" "])
def test_the_walk_agrees_with_parsing_the_whole_prefix_again(line):
    """The one-step walk gives what feeding the whole prefix to a fresh parser gives."""
    from lark import Token
    from lark.exceptions import LarkError

    from nos_shell import commands
    from nos_shell.errors import ParseError

    def from_scratch(text: str) -> tuple[tuple[str, ...], bool, bool]:
        ip = commands.parser().parse_interactive("", start=CONF)
        seen: list[str] = []
        try:
            for raw in commands._raw_pieces(text):
                kind, word = commands._classify(raw, set(ip.accepts()), seen)
                ip.feed_token(Token(kind, word))
                seen.append(word)
        except (LarkError, ParseError):
            return (), False, False
        accepts = set(ip.accepts())
        names = commands._keywords()
        return (tuple(sorted(names[t] for t in accepts if t in names)),
                bool(accepts & {"WORD", "DQ", "SQ", "INT"}), "$END" in accepts)

    fed = tuple(raw for _, _, raw in context.pieces(line))
    expected = from_scratch(" ".join(fed))
    assert context.grammar_step(fed, CONF) == expected
    keywords, free, may_end = next_keywords(line if line.endswith(" ") else " ".join(fed), CONF)
    assert (tuple(keywords), free, may_end) == expected
