"""Benchmark: verify and compile of the scale configuration, full and after a one-line change.

    python3 bench/compile.py [--repeat 5] [--python OTHER/.venv/bin/python] [--no-commits]

The scale configuration: 4094 `interfaces ethernet eth0 vif N address`, 1000 `protocols
static route` (next hops in the VLANs' prefixes) and 1000 `protocols bgp neighbor`
(private and documentation ranges). Two parts, medians of ``--repeat`` runs:

- in this process (this checkout): verify, a full compile of every driver, and the
  drivers' deltas for two one-line changes (`vif 5 description x`, `vif 7 mtu 1400`), each
  on one shared model per tree as a commit does;
- end to end, `nos-shell --root R -f FILE` in a fresh process: the full commit of the
  scale configuration on an empty sandbox root, then a one-line commit on it. With
  ``--python`` the same commands also run with another checkout's interpreter (its
  editable install), e.g. main's, for a before/after table in one run.

docs/benchmarks.md records the results. Nothing here is asserted by tests.
"""
from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

VLANS, ROUTES, NEIGHBORS = 4094, 1000, 1000
ONE_LINERS = {"vif 5 description": ["interfaces", "ethernet", "eth0", "vif", "5", "description", "x"],
              "vif 7 mtu 1400": ["interfaces", "ethernet", "eth0", "vif", "7", "mtu", "1400"]}


def _vlan_address(n: int, host: int) -> str:
    return f"10.{n // 256}.{n % 256}.{host}"


def scale_lines() -> list[str]:
    """The scale configuration as `set` lines."""
    lines = [f"set interfaces ethernet eth0 vif {n} address '{_vlan_address(n, 1)}/24'"
             for n in range(1, VLANS + 1)]
    lines += [f"set protocols static route 172.16.{i // 256}.{i % 256}/32 next-hop '{_vlan_address(i + 1, 2)}'"
              for i in range(ROUTES)]
    lines += ["set protocols bgp system-as 64512", "set protocols bgp parameters router-id 192.0.2.1"]
    lines += [f"set protocols bgp neighbor {_vlan_address(i + 1001, 2)} remote-as {65000 + i % 100}"
              for i in range(NEIGHBORS)]
    return lines


def in_process(repeat: int) -> list[tuple[str, float]]:
    """Medians of: verify, full compile, and the deltas of each one-line change (verify
    done first in the same sharing block, as a commit does, but not counted)."""
    from nos_shell.api import tree_from_commands
    from nos_shell.apply.drivers import deltas
    from nos_shell.backends import registry
    from nos_shell.models.shared import sharing

    old = tree_from_commands("\n".join(scale_lines()))
    gc.freeze()         # as the shell does between commands: collections skip the big tree
    owned = {str(path): name for name, files in registry.compile_each(old).items() for path in files}
    times: dict[str, list[float]] = {}

    def timed(label: str, run: Callable[[], object]) -> None:
        start = time.perf_counter()
        run()
        times.setdefault(label, []).append(time.perf_counter() - start)

    for _ in range(repeat):
        tree = old.copy()
        with sharing():
            timed("verify (every driver)", lambda: registry.verify_all(tree))
            timed("full compile (every driver), after verify", lambda: registry.compile_each(tree))
        for label, words in ONE_LINERS.items():
            new = old.copy()
            new.set(words)
            with sharing():
                registry.verify_all(new)
                timed(f"incremental compile, {label}, after verify",
                      lambda: deltas(old, new, owned))
    return [(label, statistics.median(values)) for label, values in times.items()]


def end_to_end(python: str, repeat: int) -> list[tuple[str, float]]:
    with tempfile.TemporaryDirectory(prefix="nos-bench-compile-") as scratch:
        base = Path(scratch)
        full = base / "scale.cmds"
        full.write_text("\n".join(["configure", *scale_lines(), "commit"]) + "\n")
        one = base / "one.cmds"
        fulls, ones = [], []
        for run in range(repeat):
            root = base / f"root{run}"
            root.mkdir()
            fulls.append(_timed(python, root, full))
            for n, (label, words) in enumerate(ONE_LINERS.items()):
                one.write_text(f"configure\nset {' '.join(words[:-1])} '{words[-1]}'\ncommit\n")
                ones.append(_timed(python, root, one))
        return [("full commit, empty root -> scale", statistics.median(fulls)),
                ("one-line commit on the scale root", statistics.median(ones))]


def _timed(python: str, root: Path, script: Path) -> float:
    start = time.perf_counter()
    # run from the scratch directory: `-m` puts the working directory first on sys.path,
    # which must not shadow the other checkout's installed package with this one
    result = subprocess.run([python, "-m", "nos_shell", "--root", str(root), "-f", str(script)],
                            capture_output=True, text=True, cwd=script.parent)
    if result.returncode != 0:
        raise SystemExit(f"{python} -f {script} failed:\n{result.stdout}{result.stderr}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--python", action="append", default=[],
                        help="another checkout's interpreter to run the end-to-end part with")
    parser.add_argument("--no-commits", action="store_true", help="only the in-process part")
    args = parser.parse_args()
    print(f"scale: {VLANS} VLANs with addresses, {ROUTES} static routes, {NEIGHBORS} BGP neighbors; "
          f"medians of {args.repeat}")
    print(f"{'what':58} {'seconds':>8}")
    for label, seconds in in_process(args.repeat):
        print(f"{label:58} {seconds:8.3f}")
    for python in [] if args.no_commits else [sys.executable, *args.python]:
        for label, seconds in end_to_end(python, args.repeat):
            print(f"{label + ' [' + python + ']':58} {seconds:8.3f}")


if __name__ == "__main__":
    main()
