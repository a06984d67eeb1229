"""The driver live tests this kernel cannot run (VLAN, dummy, bond, WireGuard links), and the
example labs built on VLANs (datacenter-node, edge-router), run inside a real Debian kernel
under QEMU (nos_shell/lab/vm.py), in one boot.

On a host that lacks those drivers, tests/test_dataplane_live.py skips them with the
kernel's reason; here the same tests run in the VM with CI=true, where a skip of
``require_driver`` is a failure (tests/netlab.py), and the inner run's junit report must
show every one passed and none skipped. Under CI=true a missing QEMU or kernel is a
failure; elsewhere a skip. Inside the VM this test skips itself (no VM in a VM). About
3 minutes wall on this machine, started when the session begins (tests/vmearly.py) so
that it runs beside the rest of the suite (docs/lab.md, "Running in a VM")."""
from __future__ import annotations

import os
import pathlib
import xml.etree.ElementTree as ET

import pytest

from lab import missing, require_netns
from netlab import missing_drivers

from nos_shell.lab import vm, vmcache

from vmearly import DRIVER_TESTS, LAB_TESTS, start


def inner_results(report: pathlib.Path) -> dict[str, str]:
    """Test name -> outcome (passed, skipped, failed, error) from a junit XML report."""
    outcomes = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        kinds = [child.tag for child in case if child.tag in ("skipped", "failure", "error")]
        outcomes[case.get("name", "")] = {"skipped": "skipped", "failure": "failed",
                                          "error": "error"}.get(kinds[0] if kinds else "", "passed")
    return outcomes


def test_driver_live_tests_pass_in_vm(tmp_path: pathlib.Path) -> None:
    if os.environ.get(vm.IN_VM_MARKER):
        pytest.skip("already inside the VM")
    require_netns()
    lacking = sorted(set(DRIVER_TESTS.values()) & missing_drivers().keys())
    if not lacking:
        pytest.skip("this kernel has the drivers: tests/test_dataplane_live.py runs them on the host")
    for problem in vmcache.missing_tools():
        missing(f"the VM runner needs it: {problem}")
    try:
        vmcache.prepare()
    except vmcache.VmError as error:
        missing(f"no kernel for the VM: {error}")
    run = start()           # usually started when the session began (tests/vmearly.py)
    run.wait()
    if run.error is not None:
        raise run.error
    result, report = run.result, run.report
    assert result is not None, "the VM run did not finish"
    assert not result.timed_out, f"the VM run timed out:\n{result.output[-3000:]}"
    assert result.status == 0, f"inner pytest exited {result.status} (lacking here: {lacking}):\n{result.output[-3000:]}"
    assert inner_results(report) == dict.fromkeys([*DRIVER_TESTS, *LAB_TESTS], "passed"), result.output[-3000:]


def test_inner_results_tells_a_skip_or_failure_from_a_pass(tmp_path: pathlib.Path) -> None:
    """What the VM test compares: one skipped or failed inner test makes the outcomes differ."""
    report = tmp_path / "r.xml"
    report.write_text('<testsuites><testsuite name="pytest" tests="4">'
                      '<testcase classname="t" name="test_vlan_live" />'
                      '<testcase classname="t" name="test_dummy_live"><skipped message="no driver" /></testcase>'
                      '<testcase classname="t" name="test_bond_live"><failure message="boom" /></testcase>'
                      '<testcase classname="t" name="test_wireguard_live"><error message="setup" /></testcase>'
                      '</testsuite></testsuites>')
    outcomes = inner_results(report)
    assert outcomes == {"test_vlan_live": "passed", "test_dummy_live": "skipped", "test_bond_live": "failed",
                        "test_wireguard_live": "error"}
    assert outcomes != dict.fromkeys(DRIVER_TESTS, "passed")
