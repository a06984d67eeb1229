"""Which link kinds this kernel can create: tried once, in a scratch network namespace of
its own, so the machine's own links are never touched.

The lab asks before it starts anything, so a topology that needs a missing driver fails
at once with the driver's name (and the suggestion of ``--vm``) instead of half-way."""
from __future__ import annotations

import functools
import os
import subprocess

#: link kind -> the ``ip`` arguments that create one (``probe0`` is a veth made first)
PROBES: dict[str, list[str]] = {
    "vlan": ["link", "add", "link", "probe0", "name", "probe0.5", "type", "vlan", "id", "5"],
    "dummy": ["link", "add", "probe1", "type", "dummy"],
    "bond": ["link", "add", "probe2", "type", "bond"],
    "wireguard": ["link", "add", "probe3", "type", "wireguard"],
    "vrf": ["link", "add", "probe4", "type", "vrf", "table", "100"],
}
#: the kernel module behind each kind, for messages
MODULES = {"vlan": "8021q", "dummy": "dummy", "bond": "bonding", "wireguard": "wireguard",
           "vrf": "vrf", "veth": "veth"}


def _ip(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["ip", *args], capture_output=True, text=True, stdin=subprocess.DEVNULL)


@functools.cache
def missing_drivers() -> dict[str, str]:
    """Link kind -> why this kernel cannot create it. Needs root (a scratch namespace)."""
    scratch = f"nos-probe-{os.getpid()}"
    made = _ip("netns", "add", scratch)
    if made.returncode != 0:
        raise OSError(f"cannot make a scratch network namespace: {made.stderr.strip()}")
    try:
        out: dict[str, str] = {}
        veth = _ip("-n", scratch, "link", "add", "probe0", "type", "veth", "peer", "name", "probe0p")
        if veth.returncode != 0:
            out["veth"] = f"this kernel cannot create veth links: {veth.stderr.strip()}"
        for kind, args in PROBES.items():
            result = _ip("-n", scratch, *args)
            if result.returncode != 0:
                out[kind] = f"this kernel cannot create {kind} links: {result.stderr.strip()}"
        return out
    finally:
        _ip("netns", "del", scratch)
