"""`ping` and `traceroute` run bounded, only towards validated destinations (loopback here)."""
from __future__ import annotations

import shutil

import pytest

from lab import missing
from nos_shell.errors import NosError
from nos_shell.session import Session


@pytest.fixture
def s(tmp_path):
    return Session(tmp_path)


def test_ping_loopback_with_a_bounded_count(s):
    if shutil.which("ping") is None:
        missing("ping (iputils-ping) is not installed")
    out = s.execute("ping 127.0.0.1 count 2")
    assert "2 packets transmitted, 2 received" in out


def test_traceroute_loopback(s):
    if shutil.which("traceroute") is None:
        missing("traceroute is not installed")
    assert " 1  127.0.0.1" in s.execute("traceroute 127.0.0.1")


@pytest.mark.parametrize("line, message", [
    ("ping -f", "Invalid destination '-f'"),
    ("ping '127.0.0.1; reboot'", "Invalid destination"),
    ("ping 127.0.0.1 count 0", "Count must be between 1 and 100"),
    ("ping 127.0.0.1 count 101", "Count must be between 1 and 100"),
    ("ping 127.0.0.1 source-address -I", "Invalid source address"),
    ("traceroute --help", "Invalid destination"),
])
def test_hostile_arguments_are_refused(s, line, message):
    with pytest.raises(NosError, match=message):
        s.execute(line)
