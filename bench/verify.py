"""Benchmark: verify of the scale configuration, whole tree and after one-line changes (ms).

    python3 bench/verify.py [--repeat 7]

The scale configuration of bench/scale.py (4094 VLANs with addresses, 1000 static routes,
1000 BGP neighbors). Each figure is the median of ``--repeat`` runs, each in a fresh
sharing block (nos_shell/models/shared.py) so the model is built inside the timing, as a
commit builds it in verify, and with the process-wide cache of parsed addresses emptied:

- full: ``registry.verify_all(tree)`` of the whole tree;
- for each one-line change: full verify of the changed tree, and the incremental verify a
  commit runs on a verified running configuration (``verify_all(new, since=old)``).

Prints milliseconds of this process's CPU time (the machine may be shared, so wall time
wanders); nothing here is asserted by tests (docs/benchmarks.md records it).
"""
from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

ONE_LINERS = {
    "vif 5 description": ["interfaces", "ethernet", "eth0", "vif", "5", "description", "x9"],
    "vif 7 mtu 1400": ["interfaces", "ethernet", "eth0", "vif", "7", "mtu", "1400"],
    "vif 9 second address": ["interfaces", "ethernet", "eth0", "vif", "9", "address", "10.200.0.1/24"],
    "one more static route": ["protocols", "static", "route", "172.31.0.0/24", "next-hop", "10.0.5.2"],
    "one more BGP neighbor": ["protocols", "bgp", "neighbor", "10.0.9.77", "remote-as", "65001"],
}


def _median_ms(run: Callable[[], object], repeat: int) -> float:
    from nos_shell.models.shared import sharing

    from nos_shell.models.interfaces import parse_interface

    times = []
    for _ in range(repeat):
        parse_interface.cache_clear()       # cold, as in a commit's process
        with sharing():
            start = time.process_time()
            run()
            times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    from scale_config import Scale, set_lines

    from nos_shell.api import tree_from_commands
    from nos_shell.backends import registry

    old = tree_from_commands("\n".join(set_lines(Scale(vlans=4094, routes=1000, neighbors=1000))))
    gc.freeze()     # as the shell does between commands
    incremental = "since" in registry.verify_all.__code__.co_varnames
    print(f"{'what':48} {'ms':>9}")
    print(f"{'full verify, scale tree':48} {_median_ms(lambda: registry.verify_all(old), args.repeat):9.1f}")
    for label, words in ONE_LINERS.items():
        new = old.copy()
        new.set(words)
        assert not registry.verify_all(new), label
        print(f"{'full verify, ' + label:48} {_median_ms(lambda: registry.verify_all(new), args.repeat):9.1f}")
        if incremental:
            ms = _median_ms(lambda: registry.verify_all(new, since=old), args.repeat)
            print(f"{'incremental verify, ' + label:48} {ms:9.1f}")


if __name__ == "__main__":
    main()
