"""Schema of `nat`: numbered source and destination rules."""
from __future__ import annotations

import ipaddress
import re

from .nodes import SchemaNode, container, flag, leaf, tag
from .types import DESCRIPTION, INTERFACE, IPV4, IPV4_PREFIX, Negatable, Number, Union, ValueType, word

RULE_NUMBER = Number(low=1, high=999999, what="Rule number", placeholder="<1-999999>", help="Rule number")


class IPv4Range(ValueType):
    """``first-last``: two IPv4 addresses, the first not above the last."""

    placeholder: str = "<x.x.x.x-x.x.x.x>"
    help: str = "IPv4 address range"

    def check(self, value: str) -> None:
        first, dash, last = value.partition("-")
        try:
            if not re.fullmatch(r"[0-9.]{7,15}-[0-9.]{7,15}", value, re.ASCII):
                raise ValueError
            low, high = ipaddress.IPv4Address(first), ipaddress.IPv4Address(last)
        except ValueError:
            raise ValueError("Invalid IPv4 address range (expected x.x.x.x-x.x.x.x)") from None
        if not dash or low > high:
            raise ValueError(f"Invalid IPv4 address range {value}: {first} is above {last}")


class PortSpec(ValueType):
    """A port, a range ``low-high`` or a comma list of both, every port 1-65535."""

    placeholder: str = "<1-65535>"
    help: str = "Port number, range or comma-separated list"

    def check(self, value: str) -> None:
        message = "Port must be a number 1-65535, a range such as 1000-2000, or a comma list"
        for item in value.split(","):
            m = re.fullmatch(r"([1-9][0-9]{0,4})(?:-([1-9][0-9]{0,4}))?", item)
            if not m:
                raise ValueError(message)
            low, high = int(m[1]), int(m[2] or m[1])
            if not 1 <= low <= high <= 65535:
                raise ValueError(message)


IPV4_RANGE = IPv4Range()
PORT_OR_RANGE = PortSpec()
MATCH_ADDRESS = Negatable(inner=Union(members=(IPV4, IPV4_PREFIX, IPV4_RANGE), placeholder="<x.x.x.x>",
                                      help="IPv4 address, prefix or range"))
PROTOCOL = Union(members=(
    word("tcp", "Transmission Control Protocol"), word("udp", "User Datagram Protocol"),
    word("tcp_udp", "Both TCP and UDP"), word("icmp", "Internet Control Message Protocol"),
    word("all", "All IP protocols"),
    Number(low=0, high=255, what="Protocol number", placeholder="<0-255>", help="IP protocol number")),
    placeholder="<protocol>", help="Protocol to match")


def _match(name: str, help: str) -> SchemaNode:
    return container(name, help,
                     leaf("address", MATCH_ADDRESS, "IPv4 address, prefix or range (! negates)"),
                     leaf("port", PORT_OR_RANGE, "Port number, range or list"))


def _rule(interface_node: str, help: str, translation_address) -> SchemaNode:
    return tag(
        "rule", RULE_NUMBER, help,
        leaf("description", DESCRIPTION, "Rule description"),
        flag("disable", "Disable this rule"),
        flag("exclude", "Exclude matching packets from address translation"),
        container(interface_node, "Interface to match",
                  leaf("name", INTERFACE, "Interface name")),
        leaf("protocol", PROTOCOL, "Protocol to match", default="all"),
        _match("source", "Source parameters"),
        _match("destination", "Destination parameters"),
        container("translation", "Translation parameters",
                  leaf("address", translation_address, "Translated address"),
                  leaf("port", PORT_OR_RANGE, "Translated port")),
    )


NAT = container(
    "nat", "Network Address Translation (NAT)",
    container("source", "Source NAT",
              _rule("outbound-interface", "Source NAT rule",
                    Union(members=(IPV4, IPV4_PREFIX, IPV4_RANGE,
                                   word("masquerade", "Use the outbound interface's address")),
                          placeholder="<x.x.x.x>", help="Translated address"))),
    container("destination", "Destination NAT",
              _rule("inbound-interface", "Destination NAT rule",
                    Union(members=(IPV4, IPV4_RANGE), placeholder="<x.x.x.x>", help="Translated address"))),
)
