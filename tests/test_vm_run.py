"""The VM runner against a real guest (nos_shell/lab/vm.py): one boot checks that the command
runs in another kernel, in the chosen directory, with its arguments and environment exactly
as given, that its status comes back, and that only the read-write directories keep what
it writes. A second boot checks the timeout. Under CI=true a missing QEMU or kernel is a
failure; elsewhere a skip."""
from __future__ import annotations

import os
import pathlib
import sys

import pytest

from lab import missing

from nos_shell.lab import vm, vmcache

GUEST = """
import os, pathlib, sys
print("kernel", os.uname().release)
print("cwd", os.getcwd())
print("args", sys.argv[1:])
print("env", sorted((k, v) for k, v in os.environ.items() if k in ("ODD", "NOS_SHELL_IN_VM", "LANG")))
rw, scratch = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
(rw / "kept").write_text("from the guest")
(scratch / "lost").write_text("from the guest")
sys.exit(7)
"""


@pytest.fixture(scope="module")
def ready() -> vmcache.Kernel:
    if os.environ.get(vm.IN_VM_MARKER):
        pytest.skip("already inside the VM")
    for problem in vmcache.missing_tools():
        missing(f"the VM runner needs it: {problem}")
    try:
        return vmcache.prepare()
    except vmcache.VmError as error:
        missing(f"no kernel for the VM: {error}")
        raise


def test_command_runs_in_the_guest_kernel(ready: vmcache.Kernel, tmp_path: pathlib.Path) -> None:
    rw, scratch, work = tmp_path / "rw", tmp_path / "scratch", tmp_path / "a dir"
    for d in (rw, scratch, work):
        d.mkdir()
    (work / "guest.py").write_text(GUEST)
    args = [str(rw), str(scratch), "two words", "$HOME", "'\"*", ""]
    result = vm.run([sys.executable, "guest.py", *args], rw_dirs=[rw], env={"ODD": "a;$(b) `c`"},
                    cwd=work, timeout=600)
    assert result.status == 7, result.output
    lines = result.output.splitlines()
    assert f"cwd {work}" in lines and f"args {args!r}" in lines, result.output
    assert "env [('LANG', 'C.UTF-8'), ('NOS_SHELL_IN_VM', '1'), ('ODD', 'a;$(b) `c`')]" in lines
    assert f"kernel {ready.version}" in lines, result.output
    assert (rw / "kept").read_text() == "from the guest"
    assert not (scratch / "lost").exists()


def test_timeout_stops_the_vm(ready: vmcache.Kernel) -> None:
    result = vm.run(["sleep", "600"], timeout=8)
    assert result.timed_out and result.status is None
