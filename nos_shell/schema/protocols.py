"""Schema of `protocols`: static routes and BGP."""
from __future__ import annotations

from .nodes import SchemaNode, container, flag, leaf, tag
from .types import (ASN, DESCRIPTION, INTERFACE, IP, IPV4, IPV4_PREFIX, IPV6, IPV6_PREFIX, NAME,
                    PORT, Enum, Number, Text, Union, word)

DISTANCE = Number(low=1, high=255, what="Distance", placeholder="<1-255>", help="Distance for this route")


def _static_route(name: str, prefix, gateway, help: str) -> SchemaNode:
    return tag(
        name, prefix, help,
        leaf("description", DESCRIPTION, "Description"),
        tag("next-hop", gateway, "Next-hop router",
            leaf("distance", DISTANCE, "Distance for this route"),
            flag("disable", "Disable this next hop"),
            leaf("interface", INTERFACE, "Interface the next hop is reached through")),
        tag("interface", INTERFACE, "Route through an interface (no next hop)",
            leaf("distance", DISTANCE, "Distance for this route"),
            flag("disable", "Disable this interface route")),
        container("blackhole", "Silently discard packets for this prefix",
                  leaf("distance", DISTANCE, "Distance for this route"), presence=True),
    )


STATIC = container(
    "static", "Static routes",
    _static_route("route", IPV4_PREFIX, IPV4, "Static IPv4 route"),
    _static_route("route6", IPV6_PREFIX, IPV6, "Static IPv6 route"),
)

REMOTE_AS = Union(members=(ASN, word("external", "Any AS different from the local AS"),
                           word("internal", "The same AS as the local AS")),
                  placeholder="<1-4294967294>", help="Neighbor AS number")


class HoldTime(Number):
    """BGP hold time: 0 (no keepalives at all) or 3-65535 seconds (RFC 4271 4.2)."""

    def check(self, value: str) -> None:
        super().check(value)
        if 0 < int(value) < 3:
            raise ValueError("Hold time must be 0 (keepalives off) or between 3 and 65535")


HOLDTIME = HoldTime(low=0, high=65535, what="Hold time", placeholder="<0|3-65535>",
                    help="Seconds (0 turns keepalives off)")
KEEPALIVE = Number(low=1, high=65535, what="Keepalive interval", placeholder="<1-65535>", help="Seconds")
CONNECT = Number(low=1, high=65535, what="Connect retry interval", placeholder="<1-65535>", help="Seconds")
# Stored as typed (BGP needs the clear text for TCP MD5); verify refuses `"`, which
# cannot be written inside a BIRD string (BIRD strings have no escapes).
PASSWORD = Text(max_len=80, min_len=1, placeholder="<text>", help="TCP MD5 password")


MAX_PREFIX = Number(low=1, high=4294967295, what="Prefix limit", placeholder="<1-4294967295>",
                    help="Prefix limit")
ALLOWAS = Number(low=1, high=10, what="Number of occurrences of AS number", placeholder="<1-10>",
                 help="Number of occurrences of AS number")
STALEPATH = Number(low=1, high=3600, what="Stale path time", placeholder="<1-3600>", help="Hold time in seconds")
MED = Number(low=1, high=4294967295, what="Metric", placeholder="<1-4294967295>",
             help="Metric for redistributed routes")


def _peer_family(name: str, help: str) -> SchemaNode:
    """`neighbor A address-family ipv4-unicast|ipv6-unicast` and its per-family options (VyOS 1.4)."""
    return container(
        name, help,
        container("nexthop-self", "Disable the next hop calculation for this peer",
                  flag("force", "Set the next hop to self for reflected routes"), presence=True),
        container("soft-reconfiguration", "Soft reconfiguration for peer",
                  flag("inbound", "Enable inbound soft reconfiguration")),
        container("disable-send-community", "Disable sending community attributes to this peer",
                  flag("extended", "Disable sending extended community attributes to this peer"),
                  flag("standard", "Disable sending standard community attributes to this peer"),
                  presence=True),
        leaf("maximum-prefix", MAX_PREFIX, "Maximum number of prefixes to accept from this peer"),
        flag("as-override", "Override ASN in outbound updates to configured neighbor local-as"),
        container("allowas-in", "Accept route that contains the local-as in the as-path",
                  leaf("number", ALLOWAS, "Number of occurrences of AS number"), presence=True),
        container("remove-private-as", "Remove private AS numbers from AS path in outbound route updates",
                  flag("all", "Remove private AS numbers to all AS numbers in outbound route updates"),
                  presence=True),
        presence=True,
    )


def _family_flags() -> SchemaNode:
    return container(
        "address-family", "Address families of this session",
        _peer_family("ipv4-unicast", "IPv4 unicast"),
        _peer_family("ipv6-unicast", "IPv6 unicast"),
    )


def _peer_options() -> list[SchemaNode]:
    return [
        leaf("remote-as", REMOTE_AS, "Neighbor BGP AS number"),
        leaf("description", DESCRIPTION, "Description"),
        leaf("update-source", Union(members=(IPV4, IPV6, INTERFACE), placeholder="<x.x.x.x>",
                                    help="Source address or interface"),
             "Source address or interface of the BGP session"),
        leaf("ebgp-multihop", Number(low=1, high=255, what="Hop count", placeholder="<1-255>",
                                     help="Maximum hops"), "Allow eBGP neighbors several hops away"),
        leaf("password", PASSWORD, "BGP MD5 password"),
        flag("shutdown", "Administratively shut down the session"),
        leaf("port", PORT, "Neighbor BGP port"),
        container("timers", "Neighbor timers",
                  leaf("holdtime", HOLDTIME, "Hold time (default 180)"),
                  leaf("keepalive", KEEPALIVE, "Keepalive interval (default a third of the hold time)"),
                  leaf("connect", CONNECT, "Connect retry interval (default 120)")),
        tag("local-as", ASN, "Specify alternate ASN for this BGP process",
            container("no-prepend", "Disable prepending local-as from/to updates for eBGP peers",
                      flag("replace-as", "Prepend only local-as from/to updates for eBGP peers"),
                      presence=True)),
        _family_flags(),
    ]


def _announce(name: str, prefix, help: str) -> SchemaNode:
    return container(
        name, help,
        tag("network", prefix, "Prefix to announce"),
        container("redistribute", "Redistribute routes from other sources",
                  container("connected", "Connected routes",
                            leaf("metric", MED, "Metric for redistributed routes"), presence=True),
                  container("static", "Static routes",
                            leaf("metric", MED, "Metric for redistributed routes"), presence=True)),
    )


BGP = container(
    "bgp", "Border Gateway Protocol (BGP)",
    leaf("system-as", ASN, "Autonomous System number of this router"),
    leaf("backend", Enum(values=("bird", "gobgp"), helps=("BIRD 2", "GoBGP")),
         "BGP daemon that runs this configuration", default="bird"),
    container("parameters", "BGP parameters",
              leaf("router-id", IPV4, "BGP router id"),
              container("distance", "Administratives distances for BGP routes",
                        container("global", "Global administratives distances for BGP routes",
                                  leaf("external", DISTANCE, "Administrative distance for external BGP routes"),
                                  leaf("internal", DISTANCE, "Administrative distance for internal BGP routes"),
                                  leaf("local", DISTANCE, "Administrative distance for local BGP routes"))),
              container("graceful-restart", "Graceful restart capability parameters",
                        leaf("stalepath-time", STALEPATH,
                             "Maximum time to hold onto restarting neighbors stale paths"),
                        presence=True),
              flag("log-neighbor-changes", "Log neighbor up/down changes and reset reason")),
    tag("neighbor", IP, "BGP neighbor",
        leaf("peer-group", NAME, "Peer group this neighbor belongs to"),
        *_peer_options()),
    tag("peer-group", NAME, "BGP peer group", *_peer_options()),
    container("address-family", "BGP address families",
              _announce("ipv4-unicast", IPV4_PREFIX, "IPv4 unicast"),
              _announce("ipv6-unicast", IPV6_PREFIX, "IPv6 unicast")),
)

PROTOCOLS = container("protocols", "Routing protocols", STATIC, BGP)
