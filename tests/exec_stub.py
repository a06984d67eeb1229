"""A stub exec prefix for sandbox roots made "live": programs a reload would run are
logged instead of run (nothing on this machine is touched), and ``nft -f`` can be made to
hang while a switch file exists, as a reload that does not return.

The stub reads ``STUB_LOG`` and ``STUB_HANG`` from its environment, so processes started
later (the commit-confirm timer) find them too.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import tomli_w

SCRIPT = r"""
import json, os, sys, time
log, hang = os.environ["STUB_LOG"], os.environ["STUB_HANG"]
argv = sys.argv[1:]
with open(log, "a") as out:
    out.write(json.dumps(argv) + "\n")
if argv[:2] == ["nft", "-f"] and os.path.exists(hang):
    with open(log, "a") as out:
        out.write(json.dumps(["hanging"]) + "\n")
    deadline = time.monotonic() + 600
    while os.path.exists(hang) and time.monotonic() < deadline:
        time.sleep(0.05)
if argv[:3] == ["ip", "-j", "link"]:
    print("[]")
"""


@dataclass(frozen=True)
class ExecStub:
    """The stub's files: the script, its command log and the hang switch."""

    script: Path
    log: Path
    hang: Path

    @property
    def env(self) -> dict[str, str]:
        """The variables the stub reads."""
        return {"STUB_LOG": str(self.log), "STUB_HANG": str(self.hang)}

    def commands(self) -> list[list[str]]:
        """Every command the stub was asked to run, in order."""
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]


def install(scratch: Path, root: Path) -> ExecStub:
    """Write the stub under ``scratch`` and make ``root`` live with the stub as exec prefix."""
    stub = ExecStub(scratch / "stub.py", scratch / "commands.log", scratch / "hang")
    stub.script.write_text(SCRIPT)
    settings = root / "etc/nos-shell/apply.toml"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(tomli_w.dumps({"live": True, "exec-prefix": [sys.executable, str(stub.script)]}))
    return stub
