"""Per-keystroke latency of the interactive shell's completion and highlighting.

A configuration with 4094 VLANs is loaded and committed (`set interfaces ethernet eth0
vif N address ...` and `set interfaces vlan N source-interface eth1` for N in 1..4094),
then typing is simulated character by character over a mix of commands that complete
against that large tree (vif numbers, vlan keys, interface names, ...). At every keystroke
the script times:

- completion: all completions for the text so far (what Tab, `?` and the completion menu
  compute), the full list materialised;
- highlighting: the lexer's fragments for the line (what every redraw computes).

Every typed line is different (random VLAN numbers and addresses), so the per-line caches
help only as they do when a person types. Usage:

    python bench/completion_latency.py [--lines 200] [--seed 1]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from prompt_toolkit.completion import CompleteEvent  # noqa: E402
from prompt_toolkit.document import Document  # noqa: E402

from nos_shell import Session  # noqa: E402
from nos_shell.shell.completer import build_completer  # noqa: E402
from nos_shell.shell.lexer import CommandLexer  # noqa: E402
from nos_shell.shell.state import ShellState, settle_garbage  # noqa: E402
from nos_shell.shell.toolbar import count_changes  # noqa: E402

VLANS = 4094


def config_lines() -> list[str]:
    lines = ["set interfaces ethernet eth1"]
    for n in range(1, VLANS + 1):
        lines.append(f"set interfaces ethernet eth0 vif {n} address 10.{n // 256}.{n % 256}.1/24")
        lines.append(f"set interfaces vlan {n} source-interface eth1")
    return lines


def typed_lines(count: int, rng: random.Random) -> list[str]:
    shapes = [
        lambda n: f"set interfaces ethernet eth0 vif {n} address 172.16.{n % 256}.1/24",
        lambda n: f"set interfaces ethernet eth0 vif {n} description 'customer {n}'",
        lambda n: f"delete interfaces vlan {n} source-interface eth1",
        lambda n: f"show interfaces ethernet eth0 vif {n}",
        lambda n: f"set interfaces vlan {n} source-interface eth0",
        lambda n: f"set interfaces vlan {n} mtu 1500",
        lambda n: "set protocols bgp neighbor 192.0.2.{} remote-as 6450{}".format(n % 250 + 1, n % 10),
        lambda n: f"edit interfaces ethernet eth0 vif {n}",
        lambda n: f"run show interfaces | match eth0.{n}",
        lambda n: "compare commands",
    ]
    return [rng.choice(shapes)(rng.randint(1, VLANS)) for _ in range(count)]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=200, help="typed lines to simulate (default 200)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show-slowest", type=int, default=0, metavar="N", help="list the N slowest keystrokes")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as root:
        session = Session(root)
        session.run("configure")
        started = time.perf_counter()
        result = session.run_script(config_lines(), "vlans")
        assert result.ok, result.error
        commit = session.run("commit")
        assert commit.ok, commit.output
        load_s = time.perf_counter() - started

        state = ShellState(session)
        settle_garbage()            # as the shell does after every command
        completer = build_completer(state)
        lexer = CommandLexer(state)
        event = CompleteEvent(completion_requested=True)
        complete_ms: list[float] = []
        lex_ms: list[float] = []
        biggest = 0
        slowest: list[tuple[float, str]] = []
        for line in typed_lines(args.lines, random.Random(args.seed)):
            for i in range(1, len(line) + 1):
                document = Document(line[:i])
                t0 = time.perf_counter()
                lexer.lex_document(document)(0)      # every redraw: first
                t1 = time.perf_counter()
                found = list(completer.get_completions(document, event))
                t2 = time.perf_counter()
                lex_ms.append((t1 - t0) * 1000)
                complete_ms.append((t2 - t1) * 1000)
                slowest.append(((t2 - t0) * 1000, line[:i]))
                biggest = max(biggest, len(found))

        session.run("set interfaces ethernet eth0 vif 7 description changed")
        state.changed()
        t0 = time.perf_counter()
        changes = count_changes(state)
        toolbar_ms = (time.perf_counter() - t0) * 1000

    total = [c + x for c, x in zip(complete_ms, lex_ms)]
    print(f"configuration: {VLANS} vif + {VLANS} vlan entries, loaded and committed in {load_s:.2f} s")
    print(f"keystrokes: {len(complete_ms)} over {args.lines} typed lines; largest completion list {biggest}")
    for name, values in (("completion", complete_ms), ("highlighting", lex_ms), ("both", total)):
        print(f"{name:>13}: median {statistics.median(values):.3f} ms, p95 {percentile(values, 0.95):.3f} ms, "
              f"max {max(values):.1f} ms")
    for ms, text in sorted(slowest, reverse=True)[:args.show_slowest]:
        print(f"  slow keystroke {ms:6.1f} ms: {text!r}")
    print(f"toolbar recount after a command ({changes} change): {toolbar_ms:.1f} ms (once per command, in a thread)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
