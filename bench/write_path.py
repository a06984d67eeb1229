"""Benchmark: plan and write the generated files of 4094 VLANs (the commit's write path).

    python3 bench/write_path.py [--vlans N] [--repeat R] [--dir DIR] [--against CODE]

The configuration is `interfaces ethernet eth0 vif N address ...` for N in 1..4094 (8,198
generated files). Compiling is not timed; each run times, on a fresh root under DIR:

- ``full``: plan against an empty root, then write every file (the first commit);
  "plan" is what ``apply()`` does before writing: read the manifest's owners and plan, as
  a new process (nothing remembered of the manifest);
- ``one``: then a one-line change (`vif 7 mtu 1400`): plan, write the one changed file;
- ``none``: then the same files again: plan (nothing changes), write (only the manifest);
- ``flush``: the batched writer alone (``fsutil.write_many``, when the code has it) for 1
  and for all files with each way of flushing (fsync per file, one syncfs, os.sync).

With ``--against CODE`` (a checkout of another version, e.g. ``git archive main``), every
run measures both versions, alternating, each in a child process that imports only its
own code; the table shows the median of each and the ratio. docs/benchmarks.md records
results.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def commands(vlans: int, mtu: bool = False) -> str:
    lines = ["set interfaces ethernet eth0 address 192.0.2.1/24"]
    lines += [f"set interfaces ethernet eth0 vif {n} address 10.{n // 250}.{n % 250}.1/24"
              for n in range(1, vlans + 1)]
    if mtu:
        lines.append("set interfaces ethernet eth0 vif 7 mtu 1400")
    return "\n".join(lines) + "\n"


def once(vlans: int, directory: str) -> dict[str, float]:
    """One run of every scenario with the code on sys.path; seconds per step."""
    from nos_shell.api import tree_from_commands
    from nos_shell.apply import compile_by_backend, files

    wanted = compile_by_backend(tree_from_commands(commands(vlans)))
    changed = compile_by_backend(tree_from_commands(commands(vlans, mtu=True)))
    times: dict[str, float] = {}

    def step(name: str, new: dict) -> None:
        fresh()
        start = time.perf_counter()
        files.owned(root)                   # as apply() does, then the plan
        change = files.plan(root, new)
        planned = time.perf_counter()
        files.write(root, new, change)
        times[f"{name} plan"], times[f"{name} write"] = planned - start, time.perf_counter() - planned
        times[f"{name} files"] = len(change.touched)

    with tempfile.TemporaryDirectory(dir=directory) as scratch:
        root = Path(scratch)
        step("full", wanted)
        step("one", changed)
        step("none", changed)
        times.update(flush(root, changed))
    return times


def fresh() -> None:
    """Forget what this process remembers of the manifest, as a new process would."""
    try:
        from nos_shell.apply import manifest
    except ImportError:         # a version without it remembers nothing
        return
    manifest.forget()


def flush(root: Path, wanted: dict) -> dict[str, float]:
    """The batched writer alone, with each way of flushing (new code only)."""
    from nos_shell import fsutil

    if not hasattr(fsutil, "write_many"):
        return {}
    items = [(rel, bytes(data)) for backend in wanted.values() for rel, data in backend.items()]
    times = {}
    for count, label in ((1, "1 file"), (len(items), "all files")):
        for sync in ("fsync", "syncfs", "sync"):
            batch = [fsutil.NewFile(root / "flush" / sync / str(rel), data) for rel, data in items[:count]]
            start = time.perf_counter()
            fsutil.write_many(batch, sync=sync)
            times[f"flush {label}: {sync}"] = time.perf_counter() - start
    return times


def use_code(code: Path) -> None:
    """Import nos_shell from the source tree ``code``, with its packages where
    pyproject.toml's package-dir puts them (backends/, grammar/)."""
    import importlib.util

    sys.path.insert(0, str(code))
    import nos_shell

    if Path(nos_shell.__file__).parent != code / "nos_shell":
        raise SystemExit(f"nos_shell came from {nos_shell.__file__}, not {code}")
    for name, folder in (("nos_shell.backends", "backends"), ("nos_shell.grammar", "grammar")):
        init = code / folder / "__init__.py"
        spec = importlib.util.spec_from_file_location(name, init, submodule_search_locations=[str(code / folder)])
        if spec is None or spec.loader is None or not init.exists():
            continue
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)


def child(code: Path, vlans: int, directory: str) -> dict[str, float]:
    """One run in a fresh interpreter that imports nos_shell from ``code``."""
    out = subprocess.run([sys.executable, __file__, "--once", "--code", str(code), "--vlans", str(vlans),
                          "--dir", directory], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def table(runs: dict[str, list[dict[str, float]]]) -> str:
    labels = list(runs)
    keys = [k for k in runs[labels[-1]][0] if not k.endswith(" files")]
    head = "| step | " + " | ".join(f"{label} (median)" for label in labels)
    head += " | ratio |" if len(labels) == 2 else " |"
    lines = [head, "|" + " --- |" * (head.count("|") - 1)]
    for key in keys:
        medians = [statistics.median(r[key] for r in runs[label]) if key in runs[label][0] else None
                   for label in labels]
        cells = [f"{m * 1000:,.1f} ms" if m is not None else "-" for m in medians]
        ratio = (f" {medians[1] / medians[0]:.2f} |" if len(labels) == 2 and None not in medians
                 and medians[0] else (" - |" if len(labels) == 2 else ""))
        lines.append(f"| {key} | " + " | ".join(cells) + " |" + ratio)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vlans", type=int, default=4094)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--dir", default=tempfile.gettempdir(), help="where the scratch roots go")
    parser.add_argument("--against", type=Path, help="another version's code to measure alongside")
    parser.add_argument("--code", type=Path, default=HERE, help=argparse.SUPPRESS)
    parser.add_argument("--once", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.once:
        use_code(args.code.resolve())
        print(json.dumps(once(args.vlans, args.dir)))
        return
    versions = {**({"before": args.against} if args.against else {}), "this": HERE}
    runs: dict[str, list[dict[str, float]]] = {label: [] for label in versions}
    for run in range(args.repeat):
        for label, code in versions.items():
            result = child(code, args.vlans, args.dir)
            runs[label].append(result)
            print(f"run {run + 1} {label}: full {result['full plan'] + result['full write']:.2f} s, "
                  f"one {result['one plan'] + result['one write']:.3f} s ({result['one files']:.0f} file)",
                  file=sys.stderr)
    print(table(runs))


if __name__ == "__main__":
    main()
