"""Benchmark: the store's parts of a one-line change on a committed root, in one process.

    python3 bench/store_parts.py ROOT [--rounds 7]

Loads the running tree of ROOT (its snapshot), makes the one-line change
`set interfaces ethernet eth0 vif 5 description zz` on a copy, and prints the best of
``--rounds`` timings (ms) of: loading the running tree, copying it, rendering config.boot
and `set` lines, the archive proof (with the running tree as its proven base when the
store has one) and encoding the snapshot. Nothing is written. Run it with each version's
interpreter on the same root to compare; docs/benchmarks.md records results.
"""
from __future__ import annotations

import argparse
import time
from collections.abc import Callable


def best(call: Callable[[], object], rounds: int) -> float:
    """The fastest of ``rounds`` calls, in milliseconds."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("root")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    from nos_shell import store as store_module
    from nos_shell.config import snapshot
    from nos_shell.config.bootfile import dump_boot
    from nos_shell.config.render import to_commands

    store = store_module.Store(args.root)
    running = store.running()
    new = running.copy()
    new.set(["interfaces", "ethernet", "eth0", "vif", "5", "description", "zz"])
    text = dump_boot(new).encode()
    proven = getattr(store, "proven_text", None)
    proof = (lambda: proven(new)) if proven else (lambda: store_module.archive_text(new))
    parts = {
        "load running": lambda: store_module.Store(args.root).running(),
        "tree.copy": running.copy,
        "dump_boot": lambda: dump_boot(new),
        "to_commands": lambda: to_commands(new),
        "archive proof (with dump_boot)": proof,
        "snapshot.encode": lambda: snapshot.encode(new, text, 1),
    }
    for name, call in parts.items():
        print(f"{name:32s} {best(call, args.rounds):8.1f} ms")


if __name__ == "__main__":
    main()
