"""Which `set interfaces` command would define an interface of a given name.

VyOS ties each interface type to its names (`ethN`, `brN`, `bondN`, `tunN`, ...); the
hint verify gives for an interface that is not configured names the right type, and
says so when the type is one nos-shell does not configure.
"""
from __future__ import annotations

import re

# (name pattern, VyOS interface type, nos-shell configures it); the first full match wins
_KINDS: tuple[tuple[str, str, bool], ...] = (
    (r"(?:eth|lan)[0-9]+|(?:eno|ens|enp|enx)[A-Za-z0-9_\-]+", "ethernet", True),
    (r"br[0-9]+", "bridge", True),
    (r"bond[0-9]+", "bonding", True),
    (r"dum[0-9]+", "dummy", True),
    (r"lo", "loopback", True),
    (r"peth[0-9]+", "pseudo-ethernet", True),
    (r"vxlan[0-9]+", "vxlan", True),
    (r"wg[0-9]+", "wireguard", True),
    (r"tun[0-9]+", "tunnel", False),
    (r"vtun[0-9]+", "openvpn", False),
    (r"wlan[0-9]+", "wireless", False),
    (r"wwan[0-9]+", "wwan", False),
    (r"pppoe[0-9]+", "pppoe", False),
    (r"l2tpeth[0-9]+", "l2tpv3", False),
    (r"gnv[0-9]+", "geneve", False),
    (r"macsec[0-9]+", "macsec", False),
    (r"sstpc[0-9]+", "sstpc-client", False),
    (r"ipoe[0-9]+", "ipoe", False),
)
_VLAN = re.compile(r"(.+?)\.([0-9]+)(?:\.([0-9]+))?")


def kind_of(name: str) -> tuple[str, bool] | None:
    """(VyOS interface type, whether nos-shell configures it) for ``name``; None: no type
    has such names."""
    for pattern, kind, ours in _KINDS:
        if re.fullmatch(pattern, name):
            return kind, ours
    return None


def define_hint(name: str) -> str:
    """How to define ``name``: "add it first, e.g. 'set interfaces bridge br1'", or why
    nos-shell cannot."""
    vlan = _VLAN.fullmatch(name)
    parent = vlan.group(1) if vlan else name
    found = kind_of(parent)
    if found is None:
        return f"add it first with 'set interfaces <type> {name}'"
    kind, ours = found
    if not ours:
        return f"{parent} is a VyOS {kind} interface, which nos-shell does not configure"
    if vlan and vlan.group(3):
        words = f"{parent} vif-s {vlan.group(2)} vif-c {vlan.group(3)}"
    elif vlan:
        words = f"{parent} vif {vlan.group(2)}"
    else:
        words = name
    return f"add it first, e.g. 'set interfaces {kind} {words}'"
