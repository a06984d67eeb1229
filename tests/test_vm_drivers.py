"""The driver live tests this kernel cannot run (VLAN, dummy, bond, WireGuard links), and the
example labs built on VLANs (datacenter-node, edge-router), run inside a real Debian kernel
under QEMU (nos_shell/lab/vm.py), in one boot.

On a host that lacks those drivers, tests/test_dataplane_live.py skips them with the
kernel's reason; here the same tests run in the VM with CI=true, where a skip of
``require_driver`` is a failure (tests/netlab.py), and the inner run's junit report must
show every one passed and none skipped. Under CI=true a missing QEMU or kernel is a
failure; elsewhere a skip. Inside the VM this test skips itself (no VM in a VM). About
3 minutes wall on this machine (docs/lab.md, "Running in a VM")."""
from __future__ import annotations

import os
import pathlib
import sys
import xml.etree.ElementTree as ET

import pytest

from lab import missing, require_netns
from netlab import missing_drivers

from nos_shell.lab import vm, vmcache

REPO = pathlib.Path(__file__).resolve().parent.parent
#: test name in tests/test_dataplane_live.py -> the link kind it needs
DRIVER_TESTS = {"test_vlan_live": "vlan", "test_dummy_live": "dummy", "test_bond_live": "bond",
                "test_wireguard_live": "wireguard"}
#: the example labs that need VLAN links (tests/test_example_traffic_live.py), run in the same boot
LAB_TESTS = {"test_datacenter_node": "vlan", "test_edge_router": "vlan"}


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
    report = tmp_path / "inner.xml"
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", f"--junitxml={report}",
            *(f"tests/test_dataplane_live.py::{name}" for name in DRIVER_TESTS),
            *(f"tests/test_example_traffic_live.py::{name}" for name in LAB_TESTS)]
    result = vm.run(argv, rw_dirs=[tmp_path], env={"CI": "true"}, cwd=REPO, timeout=1200)
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
