"""Schema of `interfaces`: one builder per kind, sharing the common options."""
from __future__ import annotations

from .nodes import SchemaNode, container, flag, leaf, multi, tag
from .types import (DESCRIPTION, HOSTNAME, INTERFACE, INTERFACE_ADDRESS, IP, BASE64_KEY, IP_HOST_PREFIX,
                    IP_PREFIX, MAC, MTU, NAME, PORT, VLAN_ID, VNI, Enum, InterfaceName, Number)


def _common(*, addresses: bool = True, mtu: bool = True, dhcp: bool = False) -> list[SchemaNode]:
    nodes = [
        leaf("description", DESCRIPTION, "Description"),
        flag("disable", "Administratively disable interface"),
    ]
    if addresses:
        nodes.append(multi("address", INTERFACE_ADDRESS if dhcp else IP_HOST_PREFIX, "IP address"))
    if mtu:
        nodes.append(leaf("mtu", MTU, "Maximum Transmission Unit (MTU)"))
    if dhcp:
        nodes.append(container(
            "dhcp-options", "DHCP client settings",
            leaf("default-route-distance", Number(low=1, high=255, what="Distance",
                                                  placeholder="<1-255>", help="Distance"),
                 "Distance for the default route from the DHCP server"),
            flag("no-default-route", "Do not install a default route from the DHCP server"),
            leaf("host-name", HOSTNAME, "Host name sent to the DHCP server"),
        ))
    return nodes


def _vif() -> SchemaNode:
    return tag("vif", VLAN_ID, "Virtual Local Area Network (VLAN) ID",
               *_common(dhcp=True), leaf("mac", MAC, "Media Access Control (MAC) address"))


def _vif_s() -> SchemaNode:
    return tag("vif-s", VLAN_ID, "QinQ service VLAN ID (outer tag)",
               *_common(dhcp=True), leaf("mac", MAC, "Media Access Control (MAC) address"),
               leaf("protocol", Enum(values=("802.1ad", "802.1q"), helps=(
                   "Outer tag with EtherType 0x88A8 (IEEE 802.1ad)", "Outer tag with EtherType 0x8100")),
                   "Protocol of the outer tag", default="802.1ad"),
               tag("vif-c", VLAN_ID, "QinQ customer VLAN ID (inner tag)", *_common(dhcp=True)))


def _member() -> SchemaNode:
    return container("member", "Member interfaces",
                     multi("interface", INTERFACE, "Member interface name"))


def _named(kind: str, placeholder: str, help: str, pattern: str, message: str) -> InterfaceName:
    """The name type of one interface kind: VyOS's regex for it and VyOS's refusal."""
    return InterfaceName(placeholder=placeholder, help=help, pattern=pattern,
                         message=message or f"{kind} interface must be named {placeholder.strip('<>')}")


# VyOS: ((eth|lan)[0-9]+|(eno|ens|enp|enx).+); the rest of a name keeps to InterfaceName's letters
ETH = _named("Ethernet", "<ethN>", "Ethernet interface name",
             r"(?:eth|lan)[0-9]+|(?:eno|ens|enp|enx)[A-Za-z0-9_.\-@]+", "Invalid Ethernet interface name")

ethernet = tag(
    "ethernet", ETH, "Ethernet interface",
    *_common(dhcp=True),
    leaf("hw-id", MAC, "Match the interface by its factory MAC address"),
    leaf("mac", MAC, "Media Access Control (MAC) address to use"),
    _vif(),
    _vif_s(),
)

vlan = tag(
    "vlan", VLAN_ID, "VLAN interface (the short form of an ethernet vif)",
    leaf("source-interface", INTERFACE, "Parent interface carrying the VLAN"),
    *_common(dhcp=True),
)

bridge = tag(
    "bridge", _named("Bridge", "<brN>", "Bridge interface name", r"br[0-9]+", ""),
    "Bridge interface",
    *_common(dhcp=True),
    leaf("mac", MAC, "Media Access Control (MAC) address"),
    container("member", "Bridge members",
              tag("interface", INTERFACE, "Member interface",
                  leaf("cost", Number(low=1, high=65535, what="Path cost", placeholder="<1-65535>",
                                      help="Path cost"), "Bridge port path cost"),
                  leaf("priority", Number(low=0, high=63, what="Port priority", placeholder="<0-63>",
                                          help="Port priority"), "Bridge port priority"))),
    flag("stp", "Enable spanning tree protocol"),
    leaf("priority", Number(low=0, high=65535, what="Bridge priority", placeholder="<0-65535>",
                            help="Bridge priority"), "Spanning tree bridge priority", default="32768"),
    leaf("aging", Number(low=0, high=1000000, what="Aging time", placeholder="<0-1000000>",
                         help="Seconds"), "MAC address aging interval", default="300"),
    _vif(),
)

BOND_MODES = ("802.3ad", "active-backup", "broadcast", "round-robin", "transmit-load-balance",
              "adaptive-load-balance", "xor-hash")

bonding = tag(
    "bonding", _named("Bonding", "<bondN>", "Bonding interface name", r"bond[0-9]+", ""),
    "Bonding (link aggregation) interface",
    *_common(dhcp=True),
    leaf("mac", MAC, "Media Access Control (MAC) address"),
    leaf("mode", Enum(values=BOND_MODES, helps=(
        "IEEE 802.3ad dynamic link aggregation (LACP)", "Fault tolerant: one active member",
        "Transmit on all members", "Load balance in member order", "Adaptive transmit load balancing",
        "Adaptive load balancing", "Distribute by the transmit hash policy")),
        "Bonding mode", default="802.3ad"),
    leaf("hash-policy", Enum(values=("layer2", "layer2+3", "layer3+4"), helps=(
        "MAC addresses", "MAC and IP addresses", "IP addresses and ports")),
        "Transmit hash policy", default="layer2"),
    _member(),
    _vif(),
    _vif_s(),
)

dummy = tag(
    "dummy", _named("Dummy", "<dumN>", "Dummy interface name", r"dum[0-9]+", ""),
    "Dummy interface", *_common(mtu=False),
)

loopback = tag(
    "loopback", _named("Loopback", "lo", "Loopback interface", r"lo", ""),
    "Loopback interface",
    multi("address", IP_HOST_PREFIX, "IP address"),
    leaf("description", DESCRIPTION, "Description"),
)

pseudo_ethernet = tag(
    "pseudo-ethernet", _named("Pseudo Ethernet", "<pethN>", "Pseudo-ethernet interface name",
                                              r"peth[0-9]+", ""),
    "Pseudo Ethernet interface (macvlan)",
    *_common(dhcp=True),
    leaf("source-interface", INTERFACE, "Physical interface the pseudo-ethernet sits on"),
    leaf("mode", Enum(values=("private", "vepa", "bridge", "passthru"), helps=(
        "No communication with other macvlans on the parent", "Traffic hairpins through the switch",
        "Direct communication between macvlans on the parent", "One macvlan takes the parent over")),
        "Receive mode", default="private"),
    leaf("mac", MAC, "Media Access Control (MAC) address"),
    _vif(),
)

vxlan = tag(
    "vxlan", _named("VXLAN", "<vxlanN>", "VXLAN interface name", r"vxlan[0-9]+", ""),
    "Virtual Extensible LAN (VXLAN) interface",
    *_common(),
    leaf("vni", VNI, "Virtual Network Identifier"),
    leaf("remote", IP, "Tunnel remote address"),
    leaf("source-address", IP, "Tunnel source address"),
    leaf("source-interface", INTERFACE, "Interface the tunnel uses"),
    leaf("group", IP, "Multicast group address"),
    leaf("port", PORT, "Destination UDP port", default="4789"),
    leaf("mac", MAC, "Media Access Control (MAC) address"),
)

wireguard = tag(
    "wireguard", _named("WireGuard", "<wgN>", "WireGuard interface name", r"wg[0-9]+", ""),
    "WireGuard interface",
    *_common(),
    leaf("port", PORT, "Port number used for the connection"),
    leaf("private-key", BASE64_KEY, "Base64 encoded private key"),
    leaf("fwmark", Number(low=0, high=4294967295, placeholder="<0-4294967295>", help="Firewall mark"),
         "Firewall mark for outgoing packets"),
    tag("peer", NAME, "Peer",
        leaf("public-key", BASE64_KEY, "Base64 encoded public key"),
        leaf("preshared-key", BASE64_KEY, "Base64 encoded preshared key"),
        multi("allowed-ips", IP_PREFIX, "IP addresses allowed to traverse the peer"),
        leaf("address", IP, "IP address of the tunnel endpoint"),
        leaf("port", PORT, "Port of the tunnel endpoint"),
        leaf("persistent-keepalive", Number(low=1, high=65535, what="Interval",
                                            placeholder="<1-65535>", help="Seconds"),
             "Interval to send keepalive messages"),
        leaf("description", DESCRIPTION, "Description"),
        flag("disable", "Disable the peer")),
)

INTERFACES = container(
    "interfaces", "Network interfaces",
    ethernet, vlan, bridge, bonding, dummy, loopback, pseudo_ethernet, vxlan, wireguard,
)

# Used by verify and by completion of interface-name values.
INTERFACE_KINDS = tuple(INTERFACES.children)
