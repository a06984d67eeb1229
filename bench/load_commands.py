"""Benchmark: load a 50,000-line command file into a session (lines per second).

    python3 bench/load_commands.py [--lines N] [--repeat R] [--no-commit]

The timed part is every line before the final `commit` (parse, schema checks, tree
changes). The commit (verify, compile, write the generated files to a scratch root) is
timed separately. Prints one line per run and the best figure; docs/benchmarks.md records
results.
The file mixes the shapes a large router has: VLAN interfaces with addresses and
descriptions, static routes, NAT rules and BGP neighbors.
"""
from __future__ import annotations

import argparse
import tempfile
import time


def command_lines(count: int) -> list[str]:
    lines = ["configure", "set interfaces ethernet eth99 address '192.0.2.254/24'",
             "set interfaces ethernet eth98 address '198.51.0.254/16'",
             "set protocols bgp system-as '64500'", "set protocols bgp parameters router-id '192.0.2.254'"]
    i = 0
    while len(lines) < count - 1:
        vid = i % 4094 + 1
        eth = f"eth{i // 4094}"
        third, fourth = divmod(i, 250)
        shape = i % 5
        if shape == 0:
            lines.append(f"set interfaces ethernet {eth} vif {vid} address '10.{third % 250}.{fourth}.1/24'")
        elif shape == 1:
            lines.append(f"set interfaces ethernet {eth} vif {vid} description 'customer {i}'")
        elif shape == 2:
            lines.append(f"set protocols static route 10.{third % 250}.{fourth}.0/24 next-hop 192.0.2.{i % 250 + 1}")
        elif shape == 3:
            lines.append(f"set nat source rule {i % 999999 + 1} translation address 'masquerade'")
        else:
            lines.append(f"set protocols bgp neighbor 198.51.{third % 250}.{fourth + 1} remote-as '{64512 + i % 1000}'")
        i += 1
    lines.append("commit")
    return lines[:count]


def run_once(lines: list[str], commit: bool = True) -> tuple[float, float]:
    """(seconds for the lines before commit, seconds for the commit or 0.0 without it)."""
    from nos_shell.session import Session

    with tempfile.TemporaryDirectory() as root:
        session = Session(root)
        session.running  # initialise the archive outside the timed part
        start = time.perf_counter()
        for line in lines[:-1]:
            _run(session, line)
        loaded = time.perf_counter()
        if not commit:
            return loaded - start, 0.0
        _run(session, lines[-1])
        return loaded - start, time.perf_counter() - loaded


def _run(session, line: str) -> None:
    result = session.run(line)
    if not result.ok:
        raise SystemExit(f"benchmark line failed: {line}\n{result.output[:2000]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-commit", action="store_true", help="time the loading only")
    args = parser.parse_args()
    lines = command_lines(args.lines)
    best = 0.0
    for run in range(args.repeat):
        seconds, commit = run_once(lines, not args.no_commit)
        rate = (len(lines) - 1) / seconds
        best = max(best, rate)
        print(f"run {run + 1}: {len(lines) - 1} lines in {seconds:.2f} s = {rate:,.0f} lines/s; "
              f"commit {commit:.2f} s")
    print(f"best: {best:,.0f} lines/s")


if __name__ == "__main__":
    main()
