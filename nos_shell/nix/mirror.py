"""The generators' lines in Python, for `show configuration nix` (see :mod:`.export`).

For each option group: the candidates a configuration offers (``builder(data)`` over
:func:`nos_shell.config.render.to_data`'s dict), and the `set` lines
nos_shell/nix/generators.nix writes for one of them. Tests evaluate the module on the
exported options and compare, so the two stay in step.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from ..config.quoting import key_command as key
from ..config.quoting import quote_single as value

Candidate = tuple[str, Any]


def iface_type(name: str) -> str:
    """The nos-shell type nix-nos infers from an interface name (generators.nix ifaceType)."""
    if re.fullmatch(r"lo[0-9]*", name):
        return "loopback"
    if re.fullmatch(r"br[0-9]+", name):
        return "bridge"
    return "ethernet"


def _common(entry: dict) -> dict[str, Any]:
    out: dict[str, Any] = {}
    addresses = [a for a in entry.get("address", []) if "/" in a]
    if addresses:
        out["addresses"] = addresses
    if "description" in entry:
        out["description"] = entry["description"]
    if entry.get("mtu", "").isdigit():
        out["mtu"] = int(entry["mtu"])
    return out


def _interfaces(data: dict) -> Iterator[Candidate]:
    for kind, entries in data.get("interfaces", {}).items():
        if kind == "vlan" or not isinstance(entries, dict):
            continue                # (VLANs: nix-nos.vlans)
        for name, entry in entries.items():
            found = _common(entry)
            if "dhcp" in entry.get("address", []):
                found["dhcp"] = True
            if bool(found.get("dhcp")) == ("addresses" in found):
                continue            # the module asks for one of them
            if iface_type(name) != kind:
                found["type"] = kind
            yield name, found


def _vlans(data: dict) -> Iterator[Candidate]:
    for vid, entry in data.get("interfaces", {}).get("vlan", {}).items():
        if vid.isdigit() and 1 <= int(vid) <= 4094 and "source-interface" in entry:
            yield f"vlan{vid}", {"id": int(vid), "interface": entry["source-interface"], **_common(entry)}


def _routes(data: dict) -> Iterator[Candidate]:
    static = data.get("protocols", {}).get("static", {})
    for node in ("route", "route6"):
        for dest, entry in static.get(node, {}).items():
            for via, hop in entry.get("next-hop", {}).items():
                yield dest, _distance({"via": via}, hop)
            if "blackhole" in entry:
                yield dest, _distance({"blackhole": True}, entry["blackhole"])


def _distance(route: dict, entry: dict) -> dict:
    if entry.get("distance", "").isdigit():
        route["distance"] = int(entry["distance"])
    return route


def _bgp(data: dict) -> Iterator[Candidate]:
    bgp = data.get("protocols", {}).get("bgp", {})
    if not bgp.get("system-as", "").isdigit():
        return
    core: dict[str, Any] = {"enable": True, "asn": int(bgp["system-as"])}
    if "router-id" in bgp.get("parameters", {}):
        core["routerId"] = bgp["parameters"]["router-id"]
    if "backend" in bgp:
        core["backend"] = bgp["backend"]
    yield "", core
    for address, peer in bgp.get("neighbor", {}).items():
        if peer.get("remote-as", "").isdigit():
            yield f"peers/{address}", {"asn": int(peer["remote-as"]),
                                       **({"description": peer["description"]} if "description" in peer else {})}
    for family in ("ipv4-unicast", "ipv6-unicast"):
        for prefix in bgp.get("address-family", {}).get(family, {}).get("network", {}):
            yield f"announce/{prefix}", prefix


def _nat(data: dict) -> Iterator[Candidate]:
    rules = {int(n): rule for n, rule in data.get("nat", {}).get("source", {}).get("rule", {}).items()
             if n.isdigit() and str(int(n)) == n}
    numbers = sorted(rules)
    masq = [n for n in numbers if rules[n].get("translation", {}).get("address") == "masquerade"
            and "name" in rules[n].get("outbound-interface", {})]
    if not masq:
        return
    first = masq[0]
    out = rules[first]["outbound-interface"]["name"]
    nets: list[str] = []
    number = first
    while number in masq and rules[number]["outbound-interface"]["name"] == out \
            and "address" in rules[number].get("source", {}):
        nets.append(rules[number]["source"]["address"])
        number += 1
    found: dict[str, Any] = {"enable": True, "externalInterface": out, "internalNetworks": nets}
    if first != 100:
        found["firstRule"] = first
    yield "", found


GROUPS: tuple[tuple[str, Callable[[dict], Iterator[Candidate]]], ...] = (
    ("interfaces", _interfaces), ("vlans", _vlans), ("routing.static", _routes), ("bgp", _bgp), ("nat", _nat))


def _iface_lines(at: str, i: dict) -> list[str]:
    return ([f"{at} address {value(a)}" for a in i.get("addresses", [])]
            + ([f"{at} address 'dhcp'"] if i.get("dhcp") else [])
            + ([f"{at} description {value(i['description'])}"] if "description" in i else [])
            + ([f"{at} mtu {value(str(i['mtu']))}"] if "mtu" in i else []))


def _route_lines(dest: str, r: dict) -> list[str]:
    at = f"set protocols static {'route6' if ':' in dest else 'route'} {key(dest)}"
    end = (lambda p: [f"{p} distance {value(str(r['distance']))}"]) if "distance" in r else (lambda p: [p])
    return (end(f"{at} next-hop {key(r['via'])}") if "via" in r else []) + \
        (end(f"{at} blackhole") if r.get("blackhole") else [])


def _bgp_lines(name: str, v: Any) -> list[str]:
    at = "set protocols bgp"
    if name.startswith("peers/"):
        n = f"{at} neighbor {key(name[6:])}"
        return [f"{n} remote-as {value(str(v['asn']))}"] + \
            ([f"{n} description {value(v['description'])}"] if "description" in v else [])
    if name.startswith("announce/"):
        return [f"{at} address-family {'ipv6' if ':' in v else 'ipv4'}-unicast network {key(v)}"]
    return ([f"{at} backend {value(v['backend'])}"] if "backend" in v else []) + \
        [f"{at} system-as {value(str(v['asn']))}"] + \
        ([f"{at} parameters router-id {value(v['routerId'])}"] if "routerId" in v else [])


def _nat_lines(v: dict) -> list[str]:
    first, out = v.get("firstRule", 100), []
    for index, net in enumerate(v["internalNetworks"] or [None]):
        at = f"set nat source rule {first + index}"
        out += [f"{at} outbound-interface name {value(v['externalInterface'])}"]
        out += [f"{at} source address {value(net)}"] if net is not None else []
        out += [f"{at} translation address 'masquerade'"]
    return out


def lines(group: str, name: str, v: Any) -> list[str]:
    """The `set` lines generators.nix writes for candidate ``name`` of ``group``."""
    if group == "interfaces":
        return _iface_lines(f"set interfaces {v.get('type') or iface_type(name)} {key(name)}", v)
    if group == "vlans":
        at = f"set interfaces vlan {v['id']}"
        return [f"{at} source-interface {value(v['interface'])}"] + _iface_lines(at, v)
    if group == "routing.static":
        return _route_lines(name, v)
    if group == "bgp":
        return _bgp_lines(name, v)
    return _nat_lines(v)


def place(out: dict, group: str, found: dict[str, Any]) -> None:
    """Put the candidates taken from ``group`` where the options have them."""
    if group == "routing.static":
        out["routing"] = {"static": found}
    elif group == "bgp":
        bgp = dict(found.get("", {}))
        peers = {n[6:]: v for n, v in found.items() if n.startswith("peers/")}
        announce = [v for n, v in found.items() if n.startswith("announce/")]
        if bgp:
            out["bgp"] = {**bgp, **({"peers": peers} if peers else {}),
                          **({"announcements": announce} if announce else {})}
    elif group == "nat":
        out["nat"] = found[""]
    else:
        out[group] = found

