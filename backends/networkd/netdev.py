"""The .netdev units of the networkd compiler: one per virtual interface.

A WireGuard netdev holds key material: it is a :class:`GeneratedFile` written 0640
root:systemd-network, since networkd refuses a world-readable one.
"""
from __future__ import annotations

import ipaddress

from nos_shell.config.tree import ConfigTree, Node
from nos_shell.models.interfaces import Interface

from ..common.unitfile import Unit, check_value, comment
from ..contract import GeneratedFile

BOND_MODES = {
    "802.3ad": "802.3ad", "active-backup": "active-backup", "broadcast": "broadcast",
    "round-robin": "balance-rr", "transmit-load-balance": "balance-tlb",
    "adaptive-load-balance": "balance-alb", "xor-hash": "balance-xor",
}


HASH_POLICY_MODES = ("802.3ad", "xor-hash", "transmit-load-balance")


NETDEV_KINDS = {"vlan": "vlan", "bridge": "bridge", "bonding": "bond", "dummy": "dummy",
                "pseudo-ethernet": "macvlan", "vxlan": "vxlan", "wireguard": "wireguard"}


KEY_GROUP = "systemd-network"



def _template() -> str:
    """What :func:`netdev` renders for a VLAN with nothing but its id, with ``%s`` for the
    name and the id (made by the same Unit, so the two cannot drift apart)."""
    unit = Unit()
    unit.add("NetDev", "Name", "%s")
    unit.add("NetDev", "Kind", NETDEV_KINDS["vlan"])
    unit.add("VLAN", "Id", "%s")
    return unit.render().decode()


_PLAIN_VLAN = _template()


def _plain_vlan(iface: Interface) -> bytes:
    """The .netdev of a VLAN with only its id (most of a big configuration's), from the
    template; the values are checked as every unit's are."""
    return (_PLAIN_VLAN % (check_value("Name", iface.name), check_value("Id", str(iface.vlan_id)))).encode()


def netdev(tree: ConfigTree, iface: Interface, own: Node | None = None) -> bytes:
    """The .netdev of a virtual interface; ``own``: its node in ``tree`` when the caller has it."""
    unit = Unit()
    unit.add("NetDev", "Name", iface.name)
    unit.add("NetDev", "Kind", NETDEV_KINDS[iface.kind])
    if own is None:
        own = tree.node(*iface.path)      # (mac has no default: read from the node directly)
    mac_node = own.children.get("mac") if own is not None else None
    mac = mac_node.values[0] if mac_node is not None and mac_node.values else None
    if mac:
        unit.add("NetDev", "MACAddress", mac.lower())
    if iface.kind == "vlan" and not iface.protocol and not mac:
        return _plain_vlan(iface)
    at = iface.at
    if iface.kind == "vlan":
        unit.add("VLAN", "Id", iface.vlan_id)
        if iface.protocol:
            unit.add("VLAN", "Protocol", iface.protocol)
    elif iface.kind == "bridge":
        unit.add("Bridge", "STP", "yes" if tree.exists(*at("stp")) else "no")
        priority = tree.value(*at("priority"), default=False)
        if priority is not None:
            unit.add("Bridge", "Priority", priority)
        aging = tree.value(*at("aging"), default=False)
        if aging is not None:
            unit.add("Bridge", "AgeingTimeSec", aging)
    elif iface.kind == "bonding":
        mode = tree.value(*at("mode"))
        unit.add("Bond", "Mode", BOND_MODES[mode])
        if mode in HASH_POLICY_MODES:
            unit.add("Bond", "TransmitHashPolicy", tree.value(*at("hash-policy")))
        unit.add("Bond", "MIIMonitorSec", "100ms")   # VyOS's default mii-mon-interval
    elif iface.kind == "pseudo-ethernet":
        unit.add("MACVLAN", "Mode", tree.value(*at("mode")))
    elif iface.kind == "vxlan":
        vni = tree.value(*at("vni"))
        if vni:
            unit.add("VXLAN", "VNI", vni)
        for opt, key in (("remote", "Remote"), ("source-address", "Local"), ("group", "Group")):
            value = tree.value(*at(opt))
            if value:
                unit.add("VXLAN", key, ipaddress.ip_address(value))
        unit.add("VXLAN", "DestinationPort", tree.value(*at("port")))
        if not tree.value(*at("source-interface")):
            unit.add("VXLAN", "Independent", "yes")
    elif iface.kind == "wireguard":
        return wireguard(tree, iface, unit)
    return unit.render()



def wireguard(tree: ConfigTree, iface: Interface, unit: Unit) -> bytes:
    at = iface.at
    key = tree.value(*at("private-key"))
    if key:
        unit.add("WireGuard", "PrivateKey", key)
    port = tree.value(*at("port"))
    if port:
        unit.add("WireGuard", "ListenPort", port)
    mark = tree.value(*at("fwmark"))
    if mark:
        unit.add("WireGuard", "FirewallMark", mark)
    for peer in tree.keys(*at("peer")):
        p = at("peer", peer)
        if tree.exists(*p, "disable"):
            continue
        lines = unit.new("WireGuardPeer")
        lines.append(comment(f"peer {peer}"))
        for opt, name in (("public-key", "PublicKey"), ("preshared-key", "PresharedKey")):
            value = tree.value(*p, opt)
            if value:
                Unit.add_line(lines, name, value)
        for prefix in tree.values(*p, "allowed-ips"):
            Unit.add_line(lines, "AllowedIPs", ipaddress.ip_network(prefix))
        address, port = tree.value(*p, "address"), tree.value(*p, "port")
        if address and port:
            ip = ipaddress.ip_address(address)
            Unit.add_line(lines, "Endpoint", f"[{ip}]:{port}" if ip.version == 6 else f"{ip}:{port}")
        keepalive = tree.value(*p, "persistent-keepalive")
        if keepalive:
            Unit.add_line(lines, "PersistentKeepalive", keepalive)
    return GeneratedFile(unit.render(), mode=0o640, owner="root", group=KEY_GROUP)

