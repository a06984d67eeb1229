"""Value types of `firewall`: names, ports with service names, protocols, ICMP type names.

Every type here admits only ASCII words that cannot leave an nftables string or
identifier: no quotes, braces, semicolons, ``#`` or blanks. The tables of service and
protocol names are ours (IANA numbers); the compiler writes the numbers, never the names,
so the result does not depend on the router's /etc/services or /etc/protocols.
"""
from __future__ import annotations

import ipaddress
import re

from .types import (IPV4, IPV4_PREFIX, IPV6, IPV6_PREFIX, Enum, Negatable, Number, Pattern, Union,
                    ValueType, shown)

_NAME_RE = r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,62}"
FIREWALL_NAME = Pattern(regex=_NAME_RE, placeholder="<name>", help="Name of firewall chain",
                        message="Firewall name can only contain alphanumeric letters, hyphen, "
                                "underscores and dot (at most 63 characters)")
GROUP_NAME = Pattern(regex=_NAME_RE, placeholder="<name>", help="Name of firewall group",
                     message="Name of firewall group can only contain alphanumeric letters, hyphen, "
                             "underscores and dot (at most 63 characters)")
GROUP_REF = Negatable(inner=GROUP_NAME, help="Name of firewall group (prefix with ! to negate)")
# shorter than other names: a rule's comment names two zones, and nft takes 128 bytes
ZONE_NAME = Pattern(regex=r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}", placeholder="<name>", help="Zone name",
                    message="Zone name can only contain alphanumeric letters, hyphen, underscores and dot "
                            "(at most 32 characters)")
RULE_NUMBER = Number(low=1, high=999999, what="Firewall rule number", placeholder="<1-999999>",
                     help="Firewall rule number")

SERVICES: dict[str, int] = {
    "ftp-data": 20, "ftp": 21, "ssh": 22, "telnet": 23, "smtp": 25, "domain": 53, "dns": 53,
    "bootps": 67, "bootpc": 68, "tftp": 69, "http": 80, "kerberos": 88, "pop3": 110,
    "sunrpc": 111, "ntp": 123, "netbios-ns": 137, "netbios-dgm": 138, "netbios-ssn": 139,
    "imap": 143, "imap2": 143, "snmp": 161, "snmp-trap": 162, "bgp": 179, "ldap": 389,
    "https": 443, "microsoft-ds": 445, "isakmp": 500, "syslog": 514, "submission": 587,
    "ldaps": 636, "imaps": 993, "pop3s": 995, "openvpn": 1194, "radius": 1812,
    "radius-acct": 1813, "ipsec-nat-t": 4500, "bfd": 3784, "mysql": 3306, "rdp": 3389,
    "sip": 5060, "postgresql": 5432, "http-alt": 8080,
}
PROTOCOLS: dict[str, int] = {
    "icmp": 1, "igmp": 2, "ipencap": 4, "ipip": 4, "tcp": 6, "egp": 8, "udp": 17, "ipv6": 41,
    "rsvp": 46, "gre": 47, "esp": 50, "ah": 51, "ipv6-icmp": 58, "icmpv6": 58, "eigrp": 88,
    "ospf": 89, "pim": 103, "vrrp": 112, "l2tp": 115, "sctp": 132, "udplite": 136,
    "mpls-in-ip": 137,
}
ICMP_TYPES = ("echo-reply", "destination-unreachable", "source-quench", "redirect", "echo-request",
              "router-advertisement", "router-solicitation", "time-exceeded", "parameter-problem",
              "timestamp-request", "timestamp-reply", "info-request", "info-reply",
              "address-mask-request", "address-mask-reply")
ICMPV6_TYPES = ("destination-unreachable", "packet-too-big", "time-exceeded", "echo-request", "echo-reply",
                "mld-listener-query", "mld-listener-report", "mld-listener-reduction", "nd-router-solicit",
                "nd-router-advert", "nd-neighbor-solicit", "nd-neighbor-advert", "nd-redirect",
                "parameter-problem", "router-renumbering", "ind-neighbor-solicit", "ind-neighbor-advert",
                "mld2-listener-report")
_PORT_ITEM = re.compile(r"([1-9][0-9]{0,4})(?:-([1-9][0-9]{0,4}))?|([a-z][a-z0-9\-]{0,31})", re.ASCII)


def port_items(value: str) -> list[tuple[int, int]]:
    """(low, high) for each item of a port list; ValueError when one is not a port, a range
    ``low-high`` or a known service name."""
    out = []
    for item in value.split(","):
        m = _PORT_ITEM.fullmatch(item)
        if m is None:
            raise ValueError(f"Invalid port {shown(item)}")
        if m[3] is not None:
            if m[3] not in SERVICES:
                raise ValueError(f"Unknown service name {shown(m[3])} (use a port number)")
            out.append((SERVICES[m[3]], SERVICES[m[3]]))
            continue
        low, high = int(m[1]), int(m[2] or m[1])
        if not 1 <= low <= high <= 65535:
            raise ValueError(f"Invalid port {shown(item)} (1-65535, low-high)")
        out.append((low, high))
    return out


# The classes below add no fields: plain subclasses of ValueType, given their placeholder
# and help where they are made.

class FirewallPort(ValueType):
    """A port, a range, a service name, or a comma list of them."""

    def check(self, value: str) -> None:
        port_items(value)


class AddressRange(ValueType):
    """``first-last`` of one IP version (the class's ``version``), first not above last."""

    version = 4

    def check(self, value: str) -> None:
        first, dash, last = value.partition("-")
        single = IPV4 if self.version == 4 else IPV6
        try:
            if not dash:
                raise ValueError
            single.check(first)
            single.check(last)
        except ValueError:
            raise ValueError(f"Invalid IPv{self.version} address range {shown(value)}") from None
        if ipaddress.ip_address(first) > ipaddress.ip_address(last):
            raise ValueError(f"Invalid IPv{self.version} address range {shown(value)}: {first} is above {last}")


class AddressRange6(AddressRange):
    """``first-last`` of two IPv6 addresses."""

    version = 6


class Protocol(ValueType):
    """A protocol name of :data:`PROTOCOLS`, a number 0-255, ``tcp_udp`` or ``all``."""

    def check(self, value: str) -> None:
        if value in PROTOCOLS or value in ("all", "tcp_udp"):
            return
        if re.fullmatch(r"0|[1-9][0-9]{0,2}", value, re.ASCII) and int(value) <= 255:
            return
        raise ValueError(f"Invalid protocol {shown(value)} (a name such as tcp, udp, icmp, gre, "
                         f"a number 0-255, tcp_udp or all)")

    def choices(self) -> tuple[str, ...]:
        return ("all", "tcp_udp", *sorted(PROTOCOLS))


class InterfaceMatch(ValueType):
    """An interface name (VyOS's trailing ``*`` wildcard is not taken yet)."""

    def check(self, value: str) -> None:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-@]{0,14}", value, re.ASCII):
            raise ValueError(f"Invalid interface name: {shown(value)} (1-15 letters, digits, . - _ @)")


IPV4_RANGE = AddressRange(placeholder="<x.x.x.x-x.x.x.x>", help="IPv4 address range")
IPV6_RANGE = AddressRange6(placeholder="<h:h:h:h:h:h:h:h-h:h:h:h:h:h:h:h>", help="IPv6 address range")
MATCH_V4 = Negatable(inner=Union(members=(IPV4, IPV4_PREFIX, IPV4_RANGE), placeholder="<x.x.x.x>",
                                 help="IPv4 address, prefix or range"))
MATCH_V6 = Negatable(inner=Union(members=(IPV6, IPV6_PREFIX, IPV6_RANGE), placeholder="<h:h:h:h:h:h:h:h>",
                                 help="IPv6 address, prefix or range"))
PORT = FirewallPort(placeholder="<1-65535>", help="Port number, range, service name or comma-separated list")
PROTOCOL = Negatable(inner=Protocol(placeholder="<protocol>", help="Protocol name or number, tcp_udp or all"))
STATE = Enum(values=("established", "invalid", "new", "related"), help="Connection state")
RULE_ACTION = Enum(values=("accept", "continue", "drop", "jump", "reject", "return"), help="Rule action")
BASE_DEFAULT = Enum(values=("accept", "drop", "reject"), help="Default action of the chain")
NAME_DEFAULT = Enum(values=("accept", "continue", "drop", "reject", "return"), help="Default action of the chain")
ZONE_DEFAULT = Enum(values=("drop", "reject"), help="Default action of the zone")
STATE_ACTION = Enum(values=("accept", "drop", "reject"), help="Action for packets in this state")
ENABLE = Enum(values=("enable", "disable"), help="Enable or disable")
VALIDATION = Enum(values=("strict", "loose", "disable"), help="Reverse-path source validation")
ICMP_TYPE_NAME = Enum(values=ICMP_TYPES, help="ICMP type name")
ICMPV6_TYPE_NAME = Enum(values=ICMPV6_TYPES, help="ICMPv6 type name")
ICMP_NUMBER = Number(low=0, high=255, what="ICMP type or code", placeholder="<0-255>", help="ICMP type or code")
NAT_STATUS = Enum(values=("destination", "source"), help="Packets translated by destination or source NAT")
RATE = Pattern(regex=r"[1-9][0-9]{0,8}/(?:second|minute|hour|day)", placeholder="<N/unit>",
               help="Rate: number/second|minute|hour|day",
               message="Rate must be a number (at least 1) per second, minute, hour or day, e.g. 10/minute")
BURST = Number(low=1, high=65535, what="Burst", placeholder="<1-65535>", help="Packets allowed above the rate")
INTERFACE_NAME = InterfaceMatch(placeholder="<interface>", help="Interface name")
INTERFACE_MATCH = Negatable(inner=INTERFACE_NAME)
SINGLE_ADDRESS_V4 = Union(members=(IPV4, IPV4_RANGE), placeholder="<x.x.x.x>", help="IPv4 address or range")
SINGLE_ADDRESS_V6 = Union(members=(IPV6, IPV6_RANGE), placeholder="<h:h:h:h:h:h:h:h>",
                          help="IPv6 address or range")
