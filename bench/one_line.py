"""Benchmark: where a one-line commit on a committed root spends its time, per phase.

    python3 bench/one_line.py ROOT [--rounds 5]

Each round is a fresh process running the command file `configure / set interfaces
ethernet eth0 vif 5 description xN / commit` on ROOT (as `nos-shell --root ROOT -f FILE`
does; it commits into ROOT), with timers around the phases: imports (start-up), the
running tree's snapshot decode, verify, the archive proof (render and read-back),
the rest of the archive write (snapshot encode, files), the transaction (apply) and
everything else. Prints the median of each phase in ms of CPU time (user + system of
this process: steadier than wall time on a shared machine; the wall total too) and the
process's user CPU including interpreter start. Compare with `-c 'show version'` on an empty root measured the same
way (`--show`). docs/benchmarks.md records results.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PHASES = {
    "snapshot decode": ("nos_shell.config.snapshot", None, "decode"),
    "verify": ("nos_shell.engine.commit", "Engine", "refuse_problems"),
    "archive proof": ("nos_shell.store", "Store", "proven_text"),
    "archive write": ("nos_shell.store", "Store", "commit"),
    "apply (transaction)": ("nos_shell.engine.transaction", None, "run"),
}


def _timed(spent: dict[str, float], name: str, call: Callable, nested: list[str]) -> Callable:
    """``call`` adding its own time (less any nested timed phase) to ``spent[name]``."""
    def wrapper(*args, **kwargs):
        start, inner = time.process_time(), sum(spent.get(n, 0.0) for n in nested)
        try:
            return call(*args, **kwargs)
        finally:
            inside = sum(spent.get(n, 0.0) for n in nested) - inner
            spent[name] = spent.get(name, 0.0) + time.process_time() - start - inside
    return wrapper


def child(argv: list[str]) -> None:
    """One measured run in this process; prints the phases as JSON."""
    import importlib
    import resource

    began, wall = time.process_time(), time.perf_counter()
    from nos_shell import cli
    spent: dict[str, float] = {"imports (start-up)": time.process_time() - began}
    for name, (module, cls, attr) in PHASES.items():
        owner = importlib.import_module(module)
        owner = getattr(owner, cls) if cls else owner
        nested = ["archive proof"] if name == "archive write" else []
        setattr(owner, attr, _timed(spent, name, getattr(owner, attr), nested))
    with open(os.devnull, "w") as sink:
        stdout, sys.stdout = sys.stdout, sink
        try:
            cli.main(argv)
        finally:
            sys.stdout = stdout
    spent["total"] = time.process_time() - began
    spent["other"] = spent["total"] - sum(v for k, v in spent.items() if k != "total")
    spent["total (wall)"] = time.perf_counter() - wall
    spent["process user CPU"] = resource.getrusage(resource.RUSAGE_SELF).ru_utime
    print(json.dumps({k: round(v * 1000, 1) for k, v in spent.items()}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("root")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--show", action="store_true", help="`-c 'show version'` instead")
    args = parser.parse_args()
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", str(Path(tempfile.gettempdir()) / "nos-bench-pyc"))
    runs: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as scratch:
        for number in range(args.rounds + 1):        # the first one warms the caches
            script = Path(scratch) / "one.cmds"
            script.write_text("configure\nset interfaces ethernet eth0 vif 5 description "
                              f"b{os.getpid()}x{number}\ncommit\n")
            tail = ["-c", "show version"] if args.show else ["-f", str(script)]
            out = subprocess.run([sys.executable, __file__, "--child", "--root", args.root, *tail],
                                 env=env, check=True, capture_output=True, text=True).stdout
            if number:
                runs.append(json.loads(out.strip().splitlines()[-1]))
    for name in runs[0]:
        print(f"{name:24s} {statistics.median(r.get(name, 0.0) for r in runs):8.1f} ms")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2:])
    else:
        main()
