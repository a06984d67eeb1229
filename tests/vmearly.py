"""The VM test's guest run (tests/test_vm_drivers.py), started as soon as the session has
collected that test, in a thread of its own: QEMU emulates one CPU, so its minutes pass on
one core while the rest of the suite runs on the other, and the test, near the end of the
run, mostly just reads the outcome. The session's end kills a run still going (an aborted
session leaves no QEMU behind).

What runs in the guest: the driver live tests of tests/test_dataplane_live.py and the
example labs built on VLANs (tests/test_example_traffic_live.py), with CI=true.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEST = "tests/test_vm_drivers.py::test_driver_live_tests_pass_in_vm"
#: test name in tests/test_dataplane_live.py -> the link kind it needs
DRIVER_TESTS = {"test_vlan_live": "vlan", "test_dummy_live": "dummy", "test_bond_live": "bond",
                "test_wireguard_live": "wireguard"}
#: the example labs that need VLAN links (tests/test_example_traffic_live.py)
LAB_TESTS = {"test_datacenter_node": "vlan", "test_edge_router": "vlan",
             "test_a_vm_lab_batch_runs_its_commands_and_leaves_nothing": "vlan"}
TIMEOUT = 1200.0


def inner_argv(report: Path) -> list[str]:
    """The pytest run in the guest, writing its junit report to ``report``."""
    return [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", f"--junitxml={report}",
            *(f"tests/test_dataplane_live.py::{name}" for name in DRIVER_TESTS),
            *(f"tests/test_example_traffic_live.py::{name}" for name in LAB_TESTS)]


class Run:
    """One guest run in a thread: its result or error, QEMU's process, the report path."""

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="nos-vm-run-"))
        self.report = self.directory / "inner.xml"
        self.result = None
        self.error: BaseException | None = None
        self.proc = None
        self.thread = threading.Thread(target=self._go, name="vm-early", daemon=True)

    def _go(self) -> None:
        from nos_shell.lab import vm

        try:
            self.result = vm.run(inner_argv(self.report), rw_dirs=[self.directory], env={"CI": "true"},
                                 cwd=REPO, timeout=TIMEOUT, started=self._started)
        except BaseException as error:         # handed to the test, which reports it
            self.error = error

    def _started(self, proc) -> None:
        self.proc = proc

    def wait(self) -> None:
        self.thread.join(TIMEOUT + 120)


_runs: list[Run] = []


def start() -> Run:
    """The session's guest run, started now unless it already was."""
    if not _runs:
        run = Run()
        _runs.append(run)
        run.thread.start()
    return _runs[0]


def worth_starting(nodeids: list[str]) -> bool:
    """Whether the collected session holds the VM test and this machine would run it (the
    test itself checks the same things again and says why when it does not run)."""
    if TEST not in nodeids or os.environ.get("NOS_SHELL_IN_VM") or os.geteuid() != 0:
        return False
    from nos_shell.lab import kernel, vmcache

    try:
        lacking = set(DRIVER_TESTS.values()) & kernel.missing_drivers().keys()
    except OSError:
        return False
    return bool(lacking) and not vmcache.missing_tools()


def stop() -> None:
    """Kill a guest run still going, and remove what it wrote."""
    for run in _runs:
        if run.proc is not None and run.proc.poll() is None:
            run.proc.kill()
        if not run.thread.is_alive():
            shutil.rmtree(run.directory, ignore_errors=True)
