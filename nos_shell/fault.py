"""Fault injection for crash tests: die by SIGKILL at a chosen step of a commit.

Two environment variables, read once per process; without them :func:`point` costs one
dictionary look-up:

- ``NOS_SHELL_FAULT=N`` (or ``KIND:N``): at the N-th step (counting only steps of KIND when
  given: ``fsync``, ``syncfs`` (or ``sync``), ``rename``, ``reload``, ``snapshot``) the process
  sends itself SIGKILL, as a power cut or ``kill -9`` would;
- ``NOS_SHELL_FAULT_LOG=FILE``: append one line per step (its kind) to FILE, so a test can
  count the steps of a commit before killing it at each one.

The steps are the file-system operations of atomic writes (``fsutil``: each fsync, the one
flush of a batch of generated files and each rename), the start of every program a reload
runs (``apply.Context.run``), and the write of the running snapshot after its archive file
(``store.Store``).
"""
from __future__ import annotations

import os
import signal

_state: dict[str, object] = {}


def _setup() -> dict[str, object]:
    spec = os.environ.get("NOS_SHELL_FAULT", "")
    kind, _, number = spec.rpartition(":")
    _state.update(kind=kind or None, at=int(number) if number.isdigit() else 0, seen=0,
                  log=os.environ.get("NOS_SHELL_FAULT_LOG") or None)
    return _state


def point(kind: str) -> None:
    """One step of kind ``kind`` is about to happen; die here when the test asked for it."""
    state = _state or _setup()
    if not state["at"] and not state["log"]:
        return
    if state["log"]:
        with open(str(state["log"]), "a") as log:
            log.write(kind + "\n")
    if state["kind"] in (None, kind):
        state["seen"] = int(state["seen"]) + 1     # type: ignore[call-overload]
        if state["seen"] == state["at"]:
            os.kill(os.getpid(), signal.SIGKILL)
