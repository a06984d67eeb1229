"""Benchmark: the pure core on a large configuration (no commit, no files).

    python3 bench/core_scale.py [--vlans N] [--routes N] [--repeat R]

The configuration is N `interfaces ethernet eth0 vif V address/description` pairs and N
static routes. Each step prints its best wall-clock and CPU time over R runs: loading the `set` lines into
a session (what `nos-shell -f` does before `commit`), config.boot out and back in,
`compare` / `compare commands` for a one-line change, and rebase of one session's
changes onto another's (one line each; and one side deleting every route while the other
edits every VLAN). Run it with PYTHONPATH=OTHER-CHECKOUT for a before/after comparison;
docs/benchmarks.md records results.
"""
from __future__ import annotations

import argparse
import time
from collections.abc import Callable


def scale_lines(vlans: int, routes: int) -> list[str]:
    lines = []
    for v in range(1, vlans + 1):
        lines.append(f"set interfaces ethernet eth0 vif {v} address '10.{v // 250}.{v % 250}.1/24'")
        lines.append(f"set interfaces ethernet eth0 vif {v} description 'customer {v}'")
    for r in range(routes):
        lines.append(f"set protocols static route 172.{16 + r // 250 % 16}.{r % 250}.0/24 "
                     f"next-hop 192.0.2.{r % 250 + 1}")
    return lines


def best(repeat: int, step: Callable[[], object]) -> tuple[float, float]:
    """The best wall-clock and the best CPU seconds of ``repeat`` runs (CPU time is the
    steadier figure on a shared machine)."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        step()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return min(wall), min(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vlans", type=int, default=4094)
    parser.add_argument("--routes", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import tempfile

    from nos_shell.config.bootfile import dump_boot, load_boot
    from nos_shell.config.diff import compare, compare_commands
    from nos_shell.config.rebase import rebase
    from nos_shell.config.render import to_commands
    from nos_shell.session import Session

    lines = scale_lines(args.vlans, args.routes)

    def load() -> Session:
        session = Session(tempfile.mkdtemp(prefix="core-scale-"), apply=False)
        session.running                     # the archive is set up outside the timed part
        for line in ["configure", *lines]:
            if not session.run(line).ok:
                raise SystemExit(f"line failed: {line}")
        return session

    tree = load().candidate.copy()
    text = dump_boot(tree)
    one = tree.copy()
    one.set(["interfaces", "ethernet", "eth0", "vif", "5", "mtu", "1400"])
    other = tree.copy()
    other.set(["system", "host-name", "edge"])
    no_routes = tree.copy()
    no_routes.delete(["protocols", "static"])
    all_vlans = tree.copy()
    for v in range(1, args.vlans + 1):
        all_vlans.set(["interfaces", "ethernet", "eth0", "vif", str(v), "description", f"moved {v}"])
    steps: list[tuple[str, Callable[[], object]]] = [
        (f"load {len(lines)} set lines into a session", load),
        ("tree copy", tree.copy),
        ("dump_boot (config.boot text)", lambda: dump_boot(tree)),
        ("load_boot (config.boot text -> tree)", lambda: load_boot(text)),
        ("show configuration commands", lambda: to_commands(tree)),
        ("compare, one line changed", lambda: compare(tree, one)),
        ("compare commands, one line changed", lambda: compare_commands(tree, one)),
        ("rebase, one line each side", lambda: rebase(tree, one, other)),
        ("rebase, routes deleted / every VLAN edited", lambda: rebase(tree, no_routes, all_vlans)),
    ]
    print(f"{args.vlans} VLANs, {args.routes} routes, {len(text.splitlines())} config.boot lines; "
          f"best of {args.repeat}")
    print(f"  {'step':<45} {'wall ms':>9} {'CPU ms':>9}")
    for name, step in steps:
        wall, cpu = best(args.repeat, step)
        print(f"  {name:<45} {wall * 1000:9.1f} {cpu * 1000:9.1f}", flush=True)


if __name__ == "__main__":
    main()
