"""`nos-shell lab up --vm FILE`: a lab in a Debian kernel under QEMU (vm.py), for the link
kinds this kernel cannot create.

The VM runs one command and powers off when it ends, so a VM lab is a batch: in one boot
the lab comes up, each ``--then`` command runs (``exec NODE -- COMMAND...`` or ``status``),
the lab's status is printed and the lab goes down. Everything the guest writes is lost with
it; the output is the record. The exit status is the first failure's (the lab not coming
up, a command that failed), else 0.

    nos-shell lab up --vm examples/edge-router/lab.toml \\
        --then 'exec cust -- ping -c 1 203.0.113.70' --then 'exec edge1 -- ip route'

Inside the guest this module runs as ``python -m nos_shell.lab.vmlab FILE [--name N]
[--then C]...``; a ``--then`` is split into words as a shell would split them, but no shell
ever runs it.
"""
from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
from pathlib import Path

from .state import LabError


def up_in_vm(file: Path, name: str | None, then: list[str]) -> int:
    """Boot the VM and run the lab's batch in it; its exit status."""
    from . import vm

    argv = [sys.executable, "-m", "nos_shell.lab.vmlab", str(Path(file).resolve())]
    if name:
        argv += ["--name", name]
    for command in then:
        argv += ["--then", command]
    try:
        result = vm.run(argv, echo=sys.stdout.buffer, timeout=1800)
    except (ValueError, vm.VmError) as err:
        raise LabError(f"--vm: {err}") from None
    if result.timed_out:
        raise LabError("--vm: the VM did not finish within 30 minutes")
    return 1 if result.status is None else result.status


def batch(file: Path, name: str | None, then: list[str]) -> int:
    """Inside the VM: up, the commands, status, down."""
    from . import state as lab_state
    from .down import down
    from .status import report
    from .up import up

    state = up(file, name)
    failed = 0
    try:
        for command in then:
            words = shlex.split(command)
            print(f"--- lab {command}", flush=True)
            status = _one(state.name, words)
            if status != 0:
                print(f"--- exit status {status}", flush=True)
                failed = failed or status
        sys.stdout.write(report(lab_state.load(state.name)))
    finally:
        for line in down(lab_state.load(state.name)):
            print(line)
    return failed


def _one(lab: str, words: list[str]) -> int:
    from . import state as lab_state
    from .status import report

    if words == ["status"]:
        sys.stdout.write(report(lab_state.load(lab)))
        return 0
    if len(words) >= 4 and words[0] == "exec" and words[2] == "--":
        _, node = lab_state.find_node(words[1] if ":" in words[1] else f"{lab}:{words[1]}")
        sys.stdout.flush()
        return subprocess.run([*node.prefix, *words[3:]], stdin=subprocess.DEVNULL).returncode
    raise LabError(f"--then {shlex.join(words)!r}: use 'exec NODE -- COMMAND...' or 'status'")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nos_shell.lab.vmlab")
    parser.add_argument("file", type=Path)
    parser.add_argument("--name")
    parser.add_argument("--then", action="append", default=[])
    args = parser.parse_args(argv)
    try:
        return batch(args.file, args.name, args.then)
    except (LabError, ValueError) as err:
        print(f"nos-shell lab: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
