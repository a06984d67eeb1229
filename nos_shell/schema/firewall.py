"""Schema of `firewall` (VyOS 1.4 syntax): base and named chains, groups, global options, zones."""
from __future__ import annotations

from .fwtypes import (BASE_DEFAULT, BURST, ENABLE, FIREWALL_NAME, GROUP_NAME, GROUP_REF, ICMP_NUMBER,
                      ICMP_TYPE_NAME, ICMPV6_TYPE_NAME, INTERFACE_MATCH, MATCH_V4, MATCH_V6, NAME_DEFAULT,
                      NAT_STATUS, PORT, PROTOCOL, RATE, RULE_ACTION, RULE_NUMBER, SINGLE_ADDRESS_V4,
                      SINGLE_ADDRESS_V6, STATE, STATE_ACTION, VALIDATION, ZONE_DEFAULT, ZONE_NAME,
                      INTERFACE_NAME)
from .nodes import SchemaNode, container, flag, leaf, multi, tag
from .types import DESCRIPTION, IPV4_PREFIX, IPV6_PREFIX, ValueType

TCP_FLAGS = ("syn", "ack", "fin", "rst", "urg", "psh", "ecn", "cwr")


def _side(name: str, help: str, address: ValueType) -> SchemaNode:
    return container(
        name, help,
        leaf("address", address, "IP address, prefix or range (! negates)"),
        leaf("port", PORT, "Port number, range, service name or list"),
        container("group", "Group",
                  leaf("address-group", GROUP_REF, "Address group"),
                  leaf("network-group", GROUP_REF, "Network group"),
                  leaf("port-group", GROUP_REF, "Port group")))


def _interface(name: str, help: str) -> SchemaNode:
    return container(name, help,
                     leaf("name", INTERFACE_MATCH, "Interface name (! negates)"),
                     leaf("group", GROUP_REF, "Interface group"))


def _icmp(family: int) -> SchemaNode:
    if family == 4:
        return container("icmp", "ICMP type and code",
                         leaf("type-name", ICMP_TYPE_NAME, "ICMP type name"),
                         leaf("type", ICMP_NUMBER, "ICMP type"), leaf("code", ICMP_NUMBER, "ICMP code"))
    return container("icmpv6", "ICMPv6 type and code",
                     leaf("type-name", ICMPV6_TYPE_NAME, "ICMPv6 type name"),
                     leaf("type", ICMP_NUMBER, "ICMPv6 type"), leaf("code", ICMP_NUMBER, "ICMPv6 code"))


def _rule(family: int) -> SchemaNode:
    address = MATCH_V4 if family == 4 else MATCH_V6
    return tag(
        "rule", RULE_NUMBER, "Firewall rule",
        leaf("action", RULE_ACTION, "Rule action"),
        leaf("jump-target", FIREWALL_NAME, "Name of the chain to jump to (action jump)"),
        leaf("description", DESCRIPTION, "Rule description"),
        flag("disable", "Disable this rule"),
        flag("log", "Log packets hitting this rule"),
        leaf("protocol", PROTOCOL, "Protocol to match (name, number, tcp_udp or all; ! negates)"),
        multi("state", STATE, "Connection state to match"),
        _side("source", "Source parameters", address),
        _side("destination", "Destination parameters", address),
        _interface("inbound-interface", "Match the interface a packet came in on"),
        _interface("outbound-interface", "Match the interface a packet goes out on"),
        _icmp(family),
        container("tcp", "TCP options",
                  container("flags", "TCP flags to match",
                            *(flag(f, f"Flag {f.upper()} set") for f in TCP_FLAGS),
                            container("not", "Flags that must not be set",
                                      *(flag(f, f"Flag {f.upper()} not set") for f in TCP_FLAGS)))),
        container("connection-status", "Connection status",
                  leaf("nat", NAT_STATUS, "Packets translated by NAT")),
        container("limit", "Rate limit",
                  leaf("rate", RATE, "Packets per unit of time"),
                  leaf("burst", BURST, "Packets allowed above the rate")),
    )


def _base(hook: str, family: int) -> SchemaNode:
    return container(hook, f"IPv{family} {hook} hook",
                     container("filter", f"IPv{family} {hook} filter",
                               leaf("default-action", BASE_DEFAULT, "Default action", default="accept"),
                               leaf("description", DESCRIPTION, "Description"),
                               flag("default-log", "Log packets the default action decides"),
                               _rule(family)))


def _family(family: int) -> SchemaNode:
    return container(
        f"ipv{family}", f"IPv{family} firewall",
        _base("input", family), _base("forward", family), _base("output", family),
        tag("name", FIREWALL_NAME, f"IPv{family} named firewall chain",
            leaf("default-action", NAME_DEFAULT, "Default action", default="drop"),
            flag("default-log", "Log packets the default action decides"),
            leaf("description", DESCRIPTION, "Description"),
            _rule(family)))


def _group(name: str, help: str, member: str, type: ValueType, member_help: str) -> SchemaNode:
    return tag(name, GROUP_NAME, help,
               multi(member, type, member_help),
               multi("include", GROUP_NAME, "Include the members of another group of this kind"),
               leaf("description", DESCRIPTION, "Description"))


_GROUPS = container(
    "group", "Firewall groups",
    _group("address-group", "IPv4 address group", "address", SINGLE_ADDRESS_V4, "IPv4 address or range"),
    _group("ipv6-address-group", "IPv6 address group", "address", SINGLE_ADDRESS_V6, "IPv6 address or range"),
    _group("network-group", "IPv4 network group", "network", IPV4_PREFIX, "IPv4 prefix"),
    _group("ipv6-network-group", "IPv6 network group", "network", IPV6_PREFIX, "IPv6 prefix"),
    _group("port-group", "Port group", "port", PORT, "Port number, range or service name"),
    _group("interface-group", "Interface group", "interface", INTERFACE_NAME, "Interface name"),
)

SYSCTL_OPTIONS = ("all-ping", "broadcast-ping", "ip-src-route", "ipv6-receive-redirects", "ipv6-src-route",
                  "log-martians", "receive-redirects", "send-redirects", "syn-cookies",
                  "twa-hazards-protection")

_GLOBAL = container(
    "global-options", "Global firewall options",
    *(leaf(name, ENABLE, f"{name.replace('-', ' ').capitalize()}") for name in SYSCTL_OPTIONS),
    leaf("source-validation", VALIDATION, "Reverse-path source validation (rp_filter)"),
    container("state-policy", "Global policy for connection states, before every base chain",
              *(container(state, f"Policy for {state} connections",
                          leaf("action", STATE_ACTION, "Action"),
                          flag("log", "Log packets this policy decides"))
                for state in ("established", "invalid", "related"))),
)

_ZONE = tag(
    "zone", ZONE_NAME, "Zone-based firewall policy",
    leaf("description", DESCRIPTION, "Description"),
    leaf("default-action", ZONE_DEFAULT, "Action for traffic no from-rule decides", default="drop"),
    flag("default-log", "Log packets the default action decides"),
    flag("local-zone", "This zone is the router itself"),
    multi("interface", INTERFACE_NAME, "Interface in this zone"),
    tag("from", ZONE_NAME, "Traffic coming from another zone",
        container("firewall", "Firewall chains for this zone pair",
                  leaf("name", FIREWALL_NAME, "IPv4 named chain"),
                  leaf("ipv6-name", FIREWALL_NAME, "IPv6 named chain"))),
)

FIREWALL = container("firewall", "Firewall", _family(4), _family(6), _GROUPS, _GLOBAL, _ZONE)
