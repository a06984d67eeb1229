"""Schema of `service`: DHCP server, DNS forwarding, NTP and SSH."""
from __future__ import annotations

from .dns import DNS
from .nodes import container, flag, leaf, multi, tag
from .types import (DESCRIPTION, DOMAIN_NAME, IP, IPV4, IPV4_PREFIX, MAC, NAME, PORT, Number, Prefix, Union)

SUBNET_OPTIONS = container(
    "option", "DHCP options handed to clients",
    leaf("default-router", IPV4, "Default router (gateway) for clients"),
    multi("name-server", IPV4, "DNS server for clients"),
    leaf("domain-name", DOMAIN_NAME, "Client domain name"),
    multi("domain-search", DOMAIN_NAME, "Client domain search list"),
)

DHCP_SERVER = container(
    "dhcp-server", "Dynamic Host Configuration Protocol (DHCP) server",
    tag("shared-network-name", NAME, "Name of a DHCP shared network",
        leaf("description", DESCRIPTION, "Description"),
        flag("authoritative", "Authoritative DHCP server for this network"),
        flag("disable", "Disable this shared network"),
        tag("subnet", IPV4_PREFIX, "DHCP subnet",
            leaf("subnet-id", Number(low=1, high=4294967295, what="Subnet id", placeholder="<1-4294967295>",
                                     help="Subnet id"), "Unique subnet id"),
            leaf("description", DESCRIPTION, "Description"),
            SUBNET_OPTIONS,
            leaf("lease", Number(low=60, high=4294967295, what="Lease time", placeholder="<60-4294967295>",
                                 help="Seconds"), "Lease time in seconds", default="86400"),
            multi("exclude", IPV4, "Address not to hand out"),
            tag("range", NAME, "Address range handed out to clients",
                leaf("start", IPV4, "First address of the range"),
                leaf("stop", IPV4, "Last address of the range")),
            tag("static-mapping", NAME, "Fixed address for one client",
                leaf("ip-address", IPV4, "Address for the client"),
                leaf("mac", MAC, "MAC address of the client"),
                flag("disable", "Disable this mapping")))),
)

SSH = container(
    "ssh", "Secure Shell (SSH) server",
    multi("port", PORT, "Port the server listens on"),
    multi("listen-address", IP, "Local address the server listens on"),
    flag("disable-password-authentication", "Allow public-key logins only"),
    presence=True,
)

NTP = container(
    "ntp", "Network Time Protocol (NTP) client",
    tag("server", Union(members=(IP, DOMAIN_NAME), placeholder="<x.x.x.x|hostname>",
                        help="NTP server address or host name"),
        "NTP server to synchronise with",
        flag("pool", "The name is a pool of servers"),
        flag("prefer", "Ask this server before the others")),
    container("allow-client", "Clients allowed to ask this router for time (accepted; not served: "
              "systemd-timesyncd is a client only)",
              multi("address", Union(members=(IP, Prefix(version=0, help="IPv4 or IPv6 prefix"))),
                    "Address or prefix of allowed clients")),
)

SERVICE = container("service", "System services", DHCP_SERVER, DNS, NTP, SSH)
