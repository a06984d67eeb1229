"""Operational tables: exact VyOS text for clients, drawn to fit for people at a terminal."""
from __future__ import annotations

import re

from nos_shell.models.bgp_state import Peer
from nos_shell.ops.bgp.summary import summary_table
from nos_shell.ops.interfaces import Link, table
from nos_shell.session import Session
from nos_shell.shell.tables import render
from nos_shell.tables import TableText

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def interfaces() -> TableText:
    return table({"eth0": Link("eth0", True, True, ["192.0.2.1/24", "2001:db8::1/64"]),
                  "lo": Link("lo", True, True, ["127.0.0.1/8"])},
                 {"eth0": ("uplink to the provider, a rather long description", False)})


def test_table_text_is_the_vyos_layout():
    text = interfaces()
    assert text.splitlines()[1:4] == [
        "Interface        IP Address                        S/L  Description",
        "---------        ----------                        ---  -----------",
        "eth0             192.0.2.1/24                      u/u  uplink to the provider, a rather long description"]
    assert text.tables[0].rows[0] == ("eth0", "192.0.2.1/24\n2001:db8::1/64", "u/u",
                                      "uplink to the provider, a rather long description")


def test_drawn_table_fits_the_terminal_width():
    for width in (40, 60, 100):
        drawn = [ANSI.sub("", line) for line in render(interfaces(), width).splitlines()]
        assert max(len(line) for line in drawn) <= width
        assert any("─" in line for line in drawn)
        if width >= 60:
            assert "rather" in " ".join(drawn) and "192.0.2.1/24" in " ".join(drawn)


def test_bgp_summary_carries_one_table_per_family():
    peers = [Peer("192.0.2.2", remote_as=65002, state="Established", since=0.0, accepted={"ipv4-unicast": 3},
                  description="peer one"),
             Peer("2001:db8::2", remote_as=65003, state="Active", accepted={"ipv6-unicast": 0})]
    text = summary_table(peers, "192.0.2.1", 65001, now=3600.0)
    assert isinstance(text, TableText) and len(text.tables) == 2
    assert text.tables[0].rows[0] == ("192.0.2.2", "4", "65002", "0", "0", "0", "0", "0", "01:00:00", "3", "0",
                                      "peer one")
    assert text.tables[0].headers[8:10] == ("Up/Down", "State/PfxRcd")


def test_pipes_give_plain_text(tmp_path):
    out = Session(tmp_path).execute("show interfaces | match lo")
    assert not isinstance(out, TableText) and out.startswith("lo ")


def test_interactive_terminal_draws_the_table(tmp_path):
    from test_shell_interactive import OP_PROMPT, Terminal

    term = Terminal(tmp_path / "root")
    try:
        term.expect(OP_PROMPT)
        term.send("show interfaces\r")
        term.expect("─".encode())               # rich's rule under the header
        term.expect(OP_PROMPT)
        term.send("show interfaces | except zzz\r")   # a filter: the plain VyOS layout
        term.expect(rb"---------        ----------")
        term.expect(OP_PROMPT)
    finally:
        term.close()
