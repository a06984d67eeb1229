"""`show interfaces`: the live links (pyroute2, imported only here and only when asked) with
their addresses and the configured descriptions, in VyOS's layout::

    Codes: S - State, L - Link, u - Up, D - Down, A - Admin Down
    Interface        IP Address                        S/L  Description
    ---------        ----------                        ---  -----------
    eth0             192.0.2.1/24                      u/u  uplink
    lo               127.0.0.1/8                       u/u
                     ::1/128

S is the administrative state (``u`` up, ``A`` administratively down), L the link (``u``
carrier, ``D`` none). IPv4 addresses come before IPv6 ones (napalm-vyos reads the first
line of each interface with a pattern that only accepts digits, dots, colons and ``-``);
link-local IPv6 addresses are left out. A configured interface that does not exist (yet)
is listed as ``-`` with ``D/D`` (``A/D`` when it is disabled), so tools that join the
configuration with this table find every configured name.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..config.tree import natural_key
from ..errors import NosError
from ..tables import TableData, TableText
from .command import KeywordHelp, OpCommand

if TYPE_CHECKING:
    from ..commands import Command
    from ..config.tree import ConfigTree
    from ..session import Session

IFF_UP = 0x1
IFF_LOWER_UP = 0x10000
ROW = "{:<16} {:<33} {:<4} {}"


@dataclass
class Link:
    name: str
    admin_up: bool = False
    carrier: bool = False
    addresses: list[str] = field(default_factory=list)
    present: bool = True


def configured(tree: "ConfigTree") -> dict[str, tuple[str, bool]]:
    """Kernel name -> (description, disabled) for every configured interface, named as the
    backends name its link (nos_shell/models/interfaces.py): vif as ``eth0.100``, QinQ as
    ``eth0.200.10``, `interfaces vlan 200 source-interface eth1` as ``eth1.200``."""
    from ..models import interfaces as ifmodel

    found: dict[str, tuple[str, bool]] = {}
    for iface in ifmodel.interfaces(tree):
        found.setdefault(iface.name, (tree.value(*iface.at("description"), default=False) or "",
                                      tree.exists(*iface.at("disable"))))
    return found


def live_links(target=None) -> dict[str, Link]:
    """The links of the router's network namespace with their addresses (IPv4 first)."""
    from ..host.netlink import read

    return read(target, _links)


def _links(ipr) -> dict[str, Link]:
    links: dict[int, Link] = {}
    addresses: dict[int, list[tuple[int, ipaddress._BaseAddress, str]]] = {}
    for msg in ipr.get_links():
        flags = msg["flags"]
        links[msg["index"]] = Link(msg.get_attr("IFLA_IFNAME"), bool(flags & IFF_UP),
                                   bool(flags & IFF_LOWER_UP))
    for msg in ipr.get_addr():
        text = msg.get_attr("IFA_LOCAL") or msg.get_attr("IFA_ADDRESS")
        if not text:
            continue
        address = ipaddress.ip_address(text)
        if address.version == 6 and address.is_link_local:
            continue
        addresses.setdefault(msg["index"], []).append(
            (address.version, address, f"{text}/{msg['prefixlen']}"))
    for index, found in addresses.items():
        if index in links:
            links[index].addresses = [shown for _, _, shown in sorted(found, key=lambda a: (a[0], a[1]))]
    return {link.name: link for link in links.values()}


def table(links: dict[str, Link], config: dict[str, tuple[str, bool]]) -> TableText:
    codes = "Codes: S - State, L - Link, u - Up, D - Down, A - Admin Down"
    lines = [codes,
             ROW.format("Interface", "IP Address", "S/L", "Description").rstrip(),
             ROW.format("---------", "----------", "---", "-----------").rstrip()]
    rows: list[tuple[str, ...]] = []
    everything = dict(links)
    for name, (_, disabled) in config.items():
        if name not in everything:
            everything[name] = Link(name, admin_up=not disabled, present=False)
    for name in sorted(everything, key=natural_key):
        link = everything[name]
        description = config.get(name, ("", False))[0]
        state = ("u" if link.admin_up else "A") if link.present else ("D" if link.admin_up else "A")
        flags = f"{state}/{'u' if link.carrier else 'D'}"
        first, *rest = link.addresses or ["-"]
        lines.append(ROW.format(name, first, flags, description).rstrip())
        lines.extend(ROW.format("", address, "", "").rstrip() for address in rest)
        rows.append((name, "\n".join(link.addresses or ["-"]), flags, description))
    headers = ("Interface", "IP Address", "S/L", "Description")
    return TableText("".join(line + "\n" for line in lines), [TableData(headers, tuple(rows), (codes,))])


_FLAG_NAMES = ((0x8, "LOOPBACK"), (0x2, "BROADCAST"), (0x10, "POINTOPOINT"), (0x80, "NOARP"),
               (0x1000, "MULTICAST"), (0x100, "PROMISC"), (IFF_UP, "UP"), (IFF_LOWER_UP, "LOWER_UP"))
_RX = ("rx_bytes", "rx_packets", "rx_errors", "rx_dropped", "rx_over_errors", "multicast")
_TX = ("tx_bytes", "tx_packets", "tx_errors", "tx_dropped", "tx_carrier_errors", "collisions")


def detail(target, config: dict[str, tuple[str, bool]]) -> str:
    """`show interfaces detail`: iproute2-like blocks with counters (napalm-vyos parses them)."""
    from ..host.netlink import read

    return read(target, lambda nl: _detail(nl, config))


def _detail(nl, config: dict[str, tuple[str, bool]]) -> str:
    blocks = []
    addresses: dict[int, list[str]] = {}
    for msg in nl.get_addr():
        text = msg.get_attr("IFA_ADDRESS") if msg["family"] == 10 else msg.get_attr("IFA_LOCAL")
        kind = "inet6" if msg["family"] == 10 else "inet"
        if text:
            addresses.setdefault(msg["index"], []).append(f"{kind} {text}/{msg['prefixlen']}")
    links = sorted(nl.get_links(), key=lambda m: natural_key(m.get_attr("IFLA_IFNAME")))
    for msg in links:
        name = msg.get_attr("IFLA_IFNAME")
        flags = ",".join(label for bit, label in _FLAG_NAMES if msg["flags"] & bit)
        stats = msg.get_attr("IFLA_STATS64") or {}
        lines = [f"{name}: <{flags}> mtu {msg.get_attr('IFLA_MTU')} state {msg.get_attr('IFLA_OPERSTATE')}",
                 f"    link/{'loopback' if msg['flags'] & 0x8 else 'ether'} {msg.get_attr('IFLA_ADDRESS') or ''}"]
        lines += [f"    {entry}" for entry in addresses.get(msg["index"], [])]
        description = config.get(name, ("", False))[0]
        if description:
            lines.append(f"    Description: {description}")
        lines += ["",
                  "    RX:  bytes    packets     errors    dropped    overrun      mcast",
                  "    " + " ".join(f"{stats.get(k, 0):>10}" for k in _RX),
                  "    TX:  bytes    packets     errors    dropped    carrier collisions",
                  "    " + " ".join(f"{stats.get(k, 0):>10}" for k in _TX)]
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def configured_links(tree: "ConfigTree") -> "dict[str, Link]":
    """Kernel name -> Link for every configured interface: its static addresses (IPv4
    first), admin state from `disable`, no carrier."""
    from ..models import interfaces as ifmodel

    links: dict[str, Link] = {}
    for iface in ifmodel.interfaces(tree):
        if iface.name in links:
            continue
        addresses = sorted(ifmodel.static_addresses(tree, iface), key=lambda a: (a.version, a.ip))
        links[iface.name] = Link(iface.name, admin_up=not tree.exists(*iface.at("disable")),
                                 carrier=False, addresses=[str(a) for a in addresses])
    return links



def configured_detail(tree: "ConfigTree") -> str:
    """`show interfaces detail` of the configuration: one block per interface in the live
    view's layout (napalm-vyos parses it), no link (state NOTPRESENT), zero counters."""
    from ..models import interfaces as ifmodel

    described, defined = configured(tree), ifmodel.by_name(tree)
    links = configured_links(tree)
    blocks = []
    for name in sorted(links, key=natural_key):
        link, iface = links[name], defined[name]
        mtu = tree.value(*iface.at("mtu"), default=False) or ("65536" if iface.kind == "loopback" else "1500")
        kind = "loopback" if iface.kind == "loopback" else "ether"
        lines = [f"{name}: <{'UP' if link.admin_up else ''}> mtu {mtu} state NOTPRESENT",
                 f"    link/{kind} {tree.value(*iface.at('mac'), default=False) or ''}".rstrip()]
        lines += [f"    {'inet6' if ':' in a else 'inet'} {a}" for a in link.addresses]
        if described[name][0]:
            lines.append(f"    Description: {described[name][0]}")
        zeros = "    " + " ".join(f"{0:>10}" for _ in range(6))
        lines += ["", "    RX:  bytes    packets     errors    dropped    overrun      mcast", zeros,
                  "    TX:  bytes    packets     errors    dropped    carrier collisions", zeros]
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def show_interfaces(session: "Session", command: "Command") -> str:
    from .sandbox import sandboxed, with_note

    target = session.target
    if sandboxed(target):     # a sandbox: the configured view (nos_shell/ops/sandbox.py)
        if command.opts.get("detail"):
            return with_note(target.root, configured_detail(session.running))
        return with_note(target.root, table(configured_links(session.running), configured(session.running)))
    if command.opts.get("detail"):
        try:
            return detail(target, configured(session.running))
        except OSError as exc:
            raise NosError(f"Cannot read the interfaces: {exc.strerror or exc}") from None
    try:
        links = live_links(target)
    except ImportError as exc:
        raise NosError(f"show interfaces needs pyroute2: {exc}") from None
    except OSError as exc:
        raise NosError(f"Cannot read the interfaces: {exc.strerror or exc}") from None
    return table(links, configured(session.running))


COMMANDS = (
    OpCommand("show_interfaces", ("show interfaces",), show_interfaces,
              "Interfaces, addresses, state and descriptions (`detail`: with counters)"),
)

KEYWORDS: KeywordHelp = {
    "interfaces": "Show network interfaces",
    "detail": "Show detailed information",
}
