"""Interfaces by type, their counters, `clear interfaces counters` and `monitor interfaces`.

    show interfaces ethernet                 the summary table of `show interfaces`, ethernet only
    show interfaces ethernet eth0            one interface: addresses, flags, counters
    show interfaces ethernet eth0 brief      its summary row
    show interfaces [ethernet [eth0]] counters
                                             Interface  Rx Packets  Rx Bytes  Tx Packets ...
    clear interfaces [ethernet [eth0]] counters
    monitor interfaces [count N]             the counters table, refreshed once a second
                                             (streamed: each table as it is read; Ctrl-C stops)

An interface's type is its configured type (vifs such as ``eth0.100`` belong to their
parent's type, ``interfaces vlan 200 source-interface eth1`` is ``eth1.200``), else the
kernel's link kind, else its name (``eth*`` is ethernet, as in VyOS). Veth pairs in labs
named ``eth*`` therefore count as ethernet.

The kernel cannot reset a link's counters, so `clear interfaces counters` stores the
current values as a baseline in ``ROOT/var/lib/nos-shell/counters.json`` and every view
here shows the counters minus that baseline. A baseline belongs to one link (its name and
kernel index), so a link that was deleted and created again starts from its own zero.
The counters table lists links that are up (VyOS does the same); ``Rx Errors`` and
``Tx Errors`` are the kernel's rx_errors/tx_errors totals.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config.tree import natural_key
from ..errors import NosError
from ..tables import TableText
from .command import KeywordHelp, OpCommand
from .context import bounded, router, simple_table

if TYPE_CHECKING:
    from ..apply.target import Target
    from ..commands import Command
    from ..config.tree import ConfigTree
    from ..session import Session
    from ..streams import Stream

BASELINE = Path("var/lib/nos-shell/counters.json")
STATS = ("rx_packets", "rx_bytes", "rx_errors", "rx_dropped", "rx_over_errors", "multicast",
         "tx_packets", "tx_bytes", "tx_errors", "tx_dropped", "tx_carrier_errors", "collisions")
COUNTER_HEADERS = ("Interface", "Rx Packets", "Rx Bytes", "Tx Packets", "Tx Bytes", "Rx Dropped",
                   "Tx Dropped", "Rx Errors", "Tx Errors")
COUNTER_KEYS = ("rx_packets", "rx_bytes", "tx_packets", "tx_bytes", "rx_dropped", "tx_dropped",
                "rx_errors", "tx_errors")
KINDS = {"bridge": "bridge", "bond": "bonding", "dummy": "dummy", "vlan": "vlan", "wireguard": "wireguard",
         "macvlan": "pseudo-ethernet", "vxlan": "vxlan"}
PREFIXES = (("peth", "pseudo-ethernet"), ("eth", "ethernet"), ("en", "ethernet"), ("lan", "ethernet"),
            ("bond", "bonding"), ("br", "bridge"), ("dum", "dummy"), ("wg", "wireguard"),
            ("vxlan", "vxlan"), ("lo", "loopback"))
MAX_MONITOR = 600
IFF_UP, IFF_LOOPBACK, IFF_LOWER_UP = 0x1, 0x8, 0x10000


@dataclass
class LinkState:
    """One kernel link as these views need it."""

    name: str
    index: int
    kind: str | None
    flags: int
    operstate: str
    mtu: int
    mac: str
    addresses: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def up(self) -> bool:
        return self.operstate in ("UP", "UNKNOWN")


# -- reading -------------------------------------------------------------------------------

def read_links(target: "Target") -> list[LinkState]:
    """Every link of the router's namespace with addresses and 64-bit counters."""
    from ..host.netlink import read

    try:
        return read(target, _collect)
    except OSError as exc:
        raise NosError(f"Cannot read the interfaces: {exc.strerror or exc}") from None


def _collect(nl: Any) -> list[LinkState]:
    links: dict[int, LinkState] = {}
    for msg in nl.get_links():
        info = msg.get_attr("IFLA_LINKINFO")
        stats = msg.get_attr("IFLA_STATS64") or {}
        links[msg["index"]] = LinkState(
            msg.get_attr("IFLA_IFNAME"), msg["index"], info.get_attr("IFLA_INFO_KIND") if info else None,
            msg["flags"], msg.get_attr("IFLA_OPERSTATE") or "UNKNOWN", msg.get_attr("IFLA_MTU") or 0,
            msg.get_attr("IFLA_ADDRESS") or "", stats={k: int(stats.get(k, 0) or 0) for k in STATS})
    for msg in nl.get_addr():
        family = "inet6" if msg["family"] == 10 else "inet"
        text = msg.get_attr("IFA_ADDRESS") if family == "inet6" else msg.get_attr("IFA_LOCAL")
        if text and msg["index"] in links:
            links[msg["index"]].addresses.append(f"{family} {text}/{msg['prefixlen']}")
    return sorted(links.values(), key=lambda link: natural_key(link.name))


def configured_types(tree: "ConfigTree") -> dict[str, str]:
    """Kernel name -> interface type for every configured interface and its vifs."""
    found: dict[str, str] = {}
    for kind in tree.keys("interfaces"):
        for name in tree.keys("interfaces", kind):
            base = ("interfaces", kind, name)
            if kind == "vlan":
                parent = tree.value(*base, "source-interface")
                found[f"{parent}.{name}" if parent else name] = "vlan"
                continue
            found[name] = kind
            for vid in tree.keys(*base, "vif"):
                found[f"{name}.{vid}"] = kind
            for outer in tree.keys(*base, "vif-s"):
                found[f"{name}.{outer}"] = kind
                for inner in tree.keys(*base, "vif-s", outer, "vif-c"):
                    found[f"{name}.{outer}.{inner}"] = kind
    return found


def link_type(link: LinkState, config: dict[str, str]) -> str | None:
    """The interface type a link is shown under (see the module docstring)."""
    if link.name in config:
        return config[link.name]
    if link.flags & IFF_LOOPBACK:
        return "loopback"
    if link.kind in KINDS:
        parent = link.name.split(".")[0]
        if link.kind == "vlan" and parent in config:
            return config[parent]               # a vif the config does not name (yet)
        return KINDS[link.kind]
    return next((kind for prefix, kind in PREFIXES if link.name.startswith(prefix)), None)


def select(links: list[LinkState], config: dict[str, str], kind: str | None,
           name: str | None) -> list[LinkState]:
    """The links of ``kind`` (any when None), only ``name`` when given (an error if absent)."""
    chosen = [link for link in links if kind is None or link_type(link, config) == kind]
    if name is not None:
        chosen = [link for link in chosen if link.name == name]
        if not chosen:
            raise NosError(f"Interface {name} does not exist" + (f" (as {kind})" if kind else ""))
    return chosen


# -- the baseline of `clear interfaces counters` -----------------------------------------------

def load_baseline(root: Path) -> dict[str, Any]:
    path = root / BASELINE
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise NosError(f"{path}: unreadable counter baseline ({exc}); remove it to start again") from None
    return data if isinstance(data, dict) else {}


def since_clear(link: LinkState, baseline: dict[str, Any]) -> tuple[dict[str, int], float | None]:
    """The link's counters minus its baseline, and when it was taken (None: never)."""
    entry = baseline.get(link.name)
    if not isinstance(entry, dict) or entry.get("index") != link.index:
        return dict(link.stats), None
    base = entry.get("stats", {})
    out = {}
    for key, value in link.stats.items():
        before = base.get(key, 0)
        out[key] = value - before if isinstance(before, int) and value >= before else value
    return out, entry.get("time")


def clear(root: Path, links: list[LinkState]) -> None:
    """Store the links' counters now as their zero."""
    from ..fsutil import atomic_write

    baseline = load_baseline(root)
    now = time.time()
    for link in links:
        baseline[link.name] = {"index": link.index, "time": now, "stats": link.stats}
    path = root / BASELINE
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, (json.dumps(baseline, sort_keys=True, indent=1) + "\n").encode())


# -- layouts -------------------------------------------------------------------------------------

def counters_table(links: list[LinkState], baseline: dict[str, Any]) -> TableText:
    rows = []
    for link in links:
        if not link.up:
            continue
        stats, _ = since_clear(link, baseline)
        rows.append((link.name, *(str(stats[key]) for key in COUNTER_KEYS)))
    return simple_table(COUNTER_HEADERS, rows)


def _flags(link: LinkState) -> str:
    names = ((IFF_LOOPBACK, "LOOPBACK"), (0x2, "BROADCAST"), (0x10, "POINTOPOINT"), (0x80, "NOARP"),
             (0x1000, "MULTICAST"), (0x100, "PROMISC"), (IFF_UP, "UP"), (IFF_LOWER_UP, "LOWER_UP"))
    return ",".join(label for bit, label in names if link.flags & bit)


def detail_block(link: LinkState, description: str, baseline: dict[str, Any]) -> str:
    """One interface as VyOS shows it: `ip addr`-like lines, last clear, description, counters."""
    stats, cleared = since_clear(link, baseline)
    kind = "loopback" if link.flags & IFF_LOOPBACK else "ether"
    lines = [f"{link.name}: <{_flags(link)}> mtu {link.mtu} state {link.operstate}",
             f"    link/{kind} {link.mac}"]
    lines += [f"    {address}" for address in link.addresses]
    if cleared is not None:
        lines.append("    Last clear: " + time.strftime("%a %b %d %H:%M:%S %Z %Y", time.localtime(cleared)))
    if description:
        lines.append(f"    Description: {description}")
    heads = {"rx": ("RX:", "bytes", "packets", "errors", "dropped", "overrun", "mcast"),
             "tx": ("TX:", "bytes", "packets", "errors", "dropped", "carrier", "collisions")}
    keys = {"rx": ("rx_bytes", "rx_packets", "rx_errors", "rx_dropped", "rx_over_errors", "multicast"),
            "tx": ("tx_bytes", "tx_packets", "tx_errors", "tx_dropped", "tx_carrier_errors", "collisions")}
    grid = []
    for side in ("rx", "tx"):
        grid.append(heads[side])
        grid.append(("", *(str(stats[k]) for k in keys[side])))
    widths = [max(len(row[i]) for row in grid) for i in range(7)]
    lines.append("")
    lines += ["    " + "  ".join(cell.rjust(w) for cell, w in zip(row, widths)) for row in grid]
    return "\n".join(lines) + "\n"


# -- commands ------------------------------------------------------------------------------------

def _chosen(session: "Session", command: "Command") -> tuple["Target", list[LinkState]]:
    target = router(session, "interfaces")
    config = configured_types(session.running)
    name = command.words[0] if command.words else None
    return target, select(read_links(target), config, command.opts.get("type"), name)


def show_interfaces_counters(session: "Session", command: "Command") -> str:
    _, links = _chosen(session, command)
    return counters_table(links, load_baseline(session.store.root))


def show_interfaces_type(session: "Session", command: "Command") -> str:
    """`show interfaces TYPE [NAME] [brief|counters]`."""
    view = command.opts.get("view")
    if view == "counters":
        return show_interfaces_counters(session, command)
    target, links = _chosen(session, command)
    if command.words and view != "brief":
        from .interfaces import configured

        descriptions = configured(session.running)
        baseline = load_baseline(session.store.root)
        return "".join(detail_block(link, descriptions.get(link.name, ("", False))[0], baseline)
                       for link in links)
    from .interfaces import Link, configured, table

    wanted = {link.name for link in links}
    rows = {link.name: Link(link.name, bool(link.flags & IFF_UP), bool(link.flags & IFF_LOWER_UP),
                            _summary_addresses(link)) for link in links}
    config = configured(session.running)
    kinds = configured_types(session.running)
    kind = command.opts.get("type")
    shown_config = {name: entry for name, entry in config.items()
                    if name in wanted or (not command.words and kinds.get(name) == kind)}
    return table(rows, shown_config)


def _summary_addresses(link: LinkState) -> list[str]:
    import ipaddress

    found = []
    for entry in link.addresses:
        family, text = entry.split(" ", 1)
        address = ipaddress.ip_interface(text)
        if address.version == 6 and address.ip.is_link_local:
            continue
        found.append((address.version, address.ip, text))
    return [text for _, _, text in sorted(found)]


def clear_interfaces_counters(session: "Session", command: "Command") -> str:
    _, links = _chosen(session, command)
    clear(session.store.root, links)
    return ""


def monitor_interfaces(session: "Session", command: "Command") -> "Stream":
    """The counters table, then the same table again every second, ``count`` times in all
    (default 10), each headed by the time it was read and streamed as it is read."""
    import itertools

    from ..streams import every

    count = bounded(command.opts.get("count"), 10, MAX_MONITOR, "Count")
    target = router(session, "interfaces")
    config = configured_types(session.running)
    numbers = itertools.count()

    def render() -> str:
        gap = "\n" if next(numbers) else ""
        baseline = load_baseline(session.store.root)
        table = counters_table(select(read_links(target), config, None, None), baseline)
        return f"{gap}{time.strftime('%H:%M:%S')}\n{table}"

    return every(1, render, count=count)


COMMANDS = (
    OpCommand("show_interfaces_counters", ("show interfaces counters",), show_interfaces_counters,
              "Packet, byte, drop and error counters of the links that are up"),
    OpCommand("show_interfaces_type", ("show interfaces",), show_interfaces_type,
              "Interfaces of one type; one interface in detail, or its summary row, or counters"),
    OpCommand("clear_interfaces_counters", ("clear interfaces",), clear_interfaces_counters,
              "Counters start again from zero (a baseline; the kernel's stay)", admin_only="clear counters"),
    OpCommand("monitor_interfaces", ("monitor interfaces",), monitor_interfaces,
              "The counters table once a second, N times"),
)

KEYWORDS: KeywordHelp = {
    (None, "clear"): "Clear counters and tables",
    (None, "monitor"): "Monitor system information as it changes",
    ("interfaces", "counters"): "Show interface counters",
    ("monitor", "interfaces"): "Monitor interface counters",
    ("clear", "interfaces"): "Clear interface information",
    "bonding": "Bonding interfaces",
    "brief": "Show a summary",
    "bridge": "Bridge interfaces",
    "counters": "Show interface counters",
    "dummy": "Dummy interfaces",
    "ethernet": "Ethernet interfaces",
    "loopback": "Loopback interface",
    "pseudo-ethernet": "Pseudo-ethernet (macvlan) interfaces",
    "vlan": "VLAN interfaces",
    "vxlan": "VXLAN interfaces",
    "wireguard": "WireGuard interfaces",
}
