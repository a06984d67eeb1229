"""How long `| match` / `| except` take on a large output, ordinary and hostile patterns.

The output is 200,000 `set` lines (about 10 MB, like `show configuration commands` of a
large configuration). Patterns that are exponential for a backtracking engine
(`(.|.)*!`) take the same one pass as ordinary ones on RE2 (nos_shell/pipes.py). Usage:

    python bench/pipes.py [--lines 200000]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nos_shell.pipes import apply_pipes  # noqa: E402

PATTERNS = [("match", "host-name"), ("match", "(?i)ETH[0-9]+ "), ("except", "^set interfaces"),
            ("match", "(.|.)*!"), ("match", "(x+x+)+y"), ("match", "(a|aa)*b")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=200_000)
    args = parser.parse_args()
    text = "".join(f"set interfaces ethernet eth{n % 64} vif {n % 4094} description "
                   f"'{'x' * 20} customer {n}'\n" for n in range(args.lines))
    print(f"{args.lines} lines, {len(text) / 1e6:.1f} MB")
    for name, pattern in PATTERNS:
        start = time.perf_counter()
        kept = apply_pipes(text, [(name, pattern), ("count_lines", None)])
        print(f"  | {name} '{pattern}': {time.perf_counter() - start:.3f} s ({kept.strip()})")


if __name__ == "__main__":
    main()
