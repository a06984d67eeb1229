"""Streams (nos_shell/streams.py) with real programs: output as it comes, Ctrl-C that keeps
what the program prints on its way out, bounds that always end a program, pipes line by
line, and the plain line protocol running what was typed meanwhile afterwards.

No timed assertions: each test waits for content (a reply) and then asserts on order and
content, e.g. a ping of 100 packets interrupted after its second reply reports fewer
than 100 sent, which it can only do if the replies were seen while it ran."""
from __future__ import annotations

import os
import re
import shutil
import signal
import sys

import pytest

from lab import missing
from nos_shell.errors import NosError
from nos_shell.session import Session
from nos_shell.shell.plain import LineProtocol
from nos_shell.streams import ProcessStream, Stream, every, program

PING = "ping 127.0.0.1 count 100 interval 0.2"


@pytest.fixture
def s(tmp_path):
    if shutil.which("ping") is None:
        missing("ping (iputils-ping) is not installed")
    return Session(tmp_path)


def read_until(stream: Stream, text: str) -> str:
    """Chunks of ``stream`` up to the one that completes ``text``."""
    seen = ""
    for chunk in stream:
        seen += chunk
        if text in seen:
            return seen
    raise AssertionError(f"{text!r} never came; the stream gave {seen!r}")


def transmitted(text: str) -> int:
    found = re.search(r"(\d+) packets transmitted", text)
    assert found, text
    return int(found.group(1))


def processes_with(marker: str) -> list[int]:
    """Processes whose command line contains ``marker`` (arguments joined by blanks)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as handle:
                    line = handle.read().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if marker in line:
                found.append(int(entry))
    return found


def test_ping_streams_and_ctrl_c_shows_its_statistics(s):
    result = s.run(PING, stream=True)
    assert result.ok and result.output == "" and result.stream is not None
    with result.stream as stream:
        head = read_until(stream, "icmp_seq=2 ")
        stream.cancel()
        tail = "".join(stream)
    assert head.startswith("PING 127.0.0.1") and "statistics" not in head
    assert "\n--- 127.0.0.1 ping statistics ---\n" in tail
    assert transmitted(tail) < 100 and stream.cancelled


def test_without_streaming_the_output_is_collected_as_before(s):
    result = s.run("ping 127.0.0.1 count 2 interval 0.2", stream=False)
    assert result.stream is None and isinstance(result.output, str)
    assert result.output.startswith("PING 127.0.0.1") and "2 packets transmitted, 2 received" in result.output
    collected = s.execute("ping 127.0.0.1 count 2 interval 0.2")
    assert isinstance(collected, str) and "2 packets transmitted" in collected


def test_a_program_that_ignores_sigint_is_killed_after_the_bound():
    code = ("import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); "
            "print('ready', flush=True); time.sleep(600)")
    stream = ProcessStream([sys.executable, "-c", code], kill_after=0.5)
    with stream:
        read_until(stream, "ready\n")
        stream.cancel()
        assert "".join(stream) == ""
    assert stream.returncode == -signal.SIGKILL


def test_the_time_limit_stops_a_program_and_says_so():
    code = "import time; print('started', flush=True); time.sleep(600)"
    stream = ProcessStream([sys.executable, "-c", code], limit=0.5, name="sleeper")
    with pytest.raises(NosError, match="sleeper was stopped after 0.5 seconds"):
        stream.collect()
    assert stream.returncode == -signal.SIGINT


def test_closing_an_abandoned_stream_stops_and_reaps_the_program(s):
    result = s.run("ping 127.0.0.1 count 99 interval 0.2", stream=True)
    stream = result.stream
    read_until(stream, "icmp_seq=1 ")
    assert processes_with("-c 99 -i 0.2")
    stream.close()
    assert not processes_with("-c 99 -i 0.2")


def test_a_bad_pattern_stops_the_program_before_any_output(s):
    with pytest.raises(NosError, match="Invalid regular expression"):
        s.execute("ping 127.0.0.1 count 98 interval 0.2 | match '(a'", stream=True)
    assert not processes_with("-c 98 -i 0.2")


def test_a_missing_program_is_an_ordinary_error(s):
    with pytest.raises(NosError, match="no-such-tool-4f2a is not installed on this system"):
        program(s, ["no-such-tool-4f2a", "--version"])


def test_match_passes_whole_lines_as_they_come(s):
    stream = s.execute(PING + " | match 'icmp_seq=[0-9]*[02468] '", stream=True)
    with stream:
        first = next(stream)
        stream.cancel()
        rest = "".join(stream)
    assert re.fullmatch(r"64 bytes from 127\.0\.0\.1: icmp_seq=2 ttl=\d+ time=\S+ ms\n", first)
    assert "statistics" not in rest and all("icmp_seq" in line for line in rest.splitlines())


def test_count_and_except_work_after_ctrl_c(s):
    stream = s.execute(PING + " | except icmp_seq | count", stream=True)
    stream.cancel()
    assert re.fullmatch(r"Count: \d+ lines\n", stream.collect())
    stream = s.execute(PING + " | except icmp_seq", stream=True)
    with stream:
        assert next(stream).startswith("PING 127.0.0.1")
        stream.cancel()
        rest = "".join(stream)
    assert "ping statistics" in rest and "icmp_seq" not in rest


@pytest.mark.parametrize("value", ["0.1", "61", "nan", "1e400", "x"])
def test_interval_is_bounded(s, value):
    with pytest.raises(NosError, match=f"Invalid interval '{value}': must be 0.2 to 60 seconds"):
        s.execute(f"ping 127.0.0.1 interval {value}")


def test_line_protocol_streams_then_runs_what_was_typed_meanwhile(s):
    proto = LineProtocol(Session(s.store.root, user="vyos", via="ssh"), streams=True)
    out = proto.feed((PING + "\rshow host name\r").encode())
    assert out == (PING + "\r\n").encode() and proto.stream is not None
    stream, sent = proto.stream, b""
    for chunk in stream:
        sent += proto.render(chunk)
        if b"icmp_seq=2 " in sent:
            break
    assert proto.feed(b"show version | count\r") == b""     # held: a command is running
    proto.interrupt()
    with stream:
        for chunk in stream:
            sent += proto.render(chunk)
    sent += proto.finish_stream(None)
    text = sent.decode()
    assert re.search(r"icmp_seq=2 .*\r\n^C\r\n--- 127\.0\.0\.1 ping statistics ---\r\n".replace("^", r"\^"),
                     text, re.S), text
    assert transmitted(text) < 100
    assert text.endswith("vyos@vyos:~$ show host name\r\nvyos\r\nvyos@vyos:~$ "
                         "show version | count\r\nCount: 8 lines\r\nvyos@vyos:~$ ")
    assert re.search(r"(?<!\r)\n", text) is None and proto.stream is None


def test_every_repeats_until_cancelled_and_stops_at_its_limit():
    calls = []
    stream = every(0.05, lambda: calls.append(1) or f"round {len(calls)}\n")
    assert [next(stream), next(stream)] == ["round 1\n", "round 2\n"]
    stream.cancel()
    assert list(stream) == [] and len(calls) == 2
    assert every(0.01, lambda: "x\n", limit=0.2).collect().count("x\n") >= 1


def test_every_stops_after_count_and_cancel_cuts_a_wait_short():
    import threading

    calls = []
    assert every(0.01, lambda: calls.append(1) or "t\n", count=3).collect() == "t\n" * 3 and len(calls) == 3
    stream = every(600, lambda: "table\n")                # the next one would be ten minutes away
    assert next(stream) == "table\n"
    threading.Thread(target=stream.cancel).start()        # Ctrl-C from another thread
    assert list(stream) == [] and stream.cancelled        # ends during the wait, not after it


def test_head_keeps_n_lines_then_stops_the_program():
    code = "import sys\nfor n in range(100000):\n    sys.stdout.write(f'{n}\\n')\nsys.stdout.flush()\nimport time; time.sleep(600)"
    program_stream = ProcessStream([sys.executable, "-c", code], limit=60)
    assert program_stream.head(3).collect() == "0\n1\n2\n"      # lines cut out of one big chunk
    assert program_stream.returncode == -signal.SIGINT                 # stopped at the count
    assert Stream(iter(["a\nb", "\nc\n", "d\n"])).head(2).collect() == "a\nb\n"


def test_a_quiet_limit_ends_the_stream_without_an_error():
    code = ("import signal, sys, time; signal.signal(signal.SIGINT, lambda *_: sys.exit(print('bye') or 5)); "
            "print('started', flush=True); time.sleep(600)")
    stream = ProcessStream([sys.executable, "-c", code], limit=0.5, quiet_limit=True)
    assert stream.collect() == "started\nbye\n"                    # its last words, no error
    assert stream.returncode == 5 and not stream.cancelled         # a bound, not a Ctrl-C


def test_relay_sends_every_chunk_in_order_and_reports_the_error():
    import asyncio

    from nos_shell.shell.relay import relay

    code = "import sys\nfor n in range(300):\n    print(n, flush=True)\nsys.exit(3)"
    stream = ProcessStream([sys.executable, "-c", code], limit=60)
    got: list[str] = []

    async def send(chunk: str) -> None:
        got.append(chunk)
        await asyncio.sleep(0)          # a slow reader: the worker waits for room

    async def main():
        loop = asyncio.get_running_loop()
        return await relay(stream, send, lambda work: loop.run_in_executor(None, work))

    assert asyncio.run(main()) is None
    assert "".join(got) == "".join(f"{n}\n" for n in range(300)) and stream.returncode == 3
    failing = ProcessStream([sys.executable, "-c", "import time; time.sleep(600)"])

    async def refused(work):
        raise RuntimeError("cannot schedule new futures after shutdown")

    async def main2():
        return await relay(failing, send, refused)

    assert isinstance(asyncio.run(main2()), RuntimeError)
    assert failing.cancelled             # the program was told to stop, not left running
    failing.close()
    assert failing.returncode is not None
