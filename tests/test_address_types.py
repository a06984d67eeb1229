"""The address-with-length types (HostPrefix, Prefix) parse each value once, without a
network object; they accept and refuse exactly what the ipaddress module's interface and
network classes say, with the same messages."""
from __future__ import annotations

import ipaddress
import re

from hypothesis import example, given
from hypothesis import strategies as st

from nos_shell.schema import types as t
from propsettings import examples

LENGTHS = st.one_of(st.integers(0, 140).map(str), st.sampled_from(["", "08", "1e1", "-1", "٣"]))
ADDRESSES = st.one_of(st.ip_addresses().map(str), st.sampled_from(["1.2.3", "01.2.3.4", "::g", "1.2.3.4%x"]))
# the ASCII shape the types ask ipaddress about (no zone id, no netmask, no Unicode digits)
SHAPE = re.compile(r"(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9A-Fa-f:.]{2,45})/(?:0|[1-9][0-9]{0,2})", re.ASCII)


def _edge(base: int, length: int, host: str, v6: bool) -> str:
    """An address at the start, end or middle of a prefix of ``length`` bits."""
    width = 128 if v6 else 32
    length = min(length, width)
    ones = (1 << (width - length)) - 1
    net = base & ~ones & ((1 << width) - 1)
    address = net | {"network": 0, "broadcast": ones, "next": min(1, ones)}[host]
    return f"{ipaddress.ip_address(address) if v6 else ipaddress.IPv4Address(address)}/{length}"


EDGES = st.builds(_edge, st.integers(0, 2**128 - 1), st.one_of(st.integers(28, 32), st.integers(0, 128)),
                  st.sampled_from(["network", "broadcast", "next"]), st.booleans())
VALUES = st.one_of(st.builds(lambda a, n: f"{a}/{n}", ADDRESSES, LENGTHS), EDGES, st.text(max_size=12))


def outcome(vt: t.ValueType, value: str) -> str:
    try:
        vt.check(value)
    except ValueError as exc:
        return str(exc)
    return "ok"


def refused_before_parsing(value: str, misshapen: str) -> str | None:
    """What the reference checks said before parsing: "control" for characters no value
    takes, ``misshapen`` for what is not address-shaped, else None."""
    try:
        t.ValueType().check(value)
    except ValueError:
        return "control"
    return None if SHAPE.fullmatch(value) else misshapen


def reference_host_prefix(version: int, value: str) -> str:
    """What HostPrefix.check said when it built an interface object."""
    refused = refused_before_parsing(value, "shape")
    if refused:
        return refused
    try:
        iface = {4: ipaddress.IPv4Interface, 6: ipaddress.IPv6Interface}.get(version, ipaddress.ip_interface)(value)
    except ValueError:
        return "invalid"
    if iface.version == 4 and iface.network.prefixlen < 31 and \
            iface.ip in (iface.network.network_address, iface.network.broadcast_address):
        return "edge"
    return "ok"


def reference_prefix(value: str) -> str:
    refused = refused_before_parsing(value, "invalid")
    if refused:
        return refused
    try:
        ipaddress.ip_network(value, strict=True)
    except ValueError:
        return "invalid"
    return "ok"


@examples(500)
@given(st.sampled_from([0, 4, 6]), VALUES)
@example(4, "192.0.2.0/24")
@example(4, "192.0.2.255/24")
@example(0, "0.0.0.0/0")
@example(4, "192.0.2.1/33")
@example(6, "2001:db8::/64")
def test_host_prefix_agrees_with_the_interface_classes(version, value):
    got = outcome(t.HostPrefix(version=version), value)
    want = reference_host_prefix(version, value)
    if want == "ok":
        assert got == "ok"
    elif want == "edge":
        assert got.endswith("is the network or broadcast address of its subnet")
    else:
        assert got != "ok" and "network or broadcast" not in got


@examples(500)
@given(st.sampled_from([0, 4, 6]), VALUES)
@example(4, "192.0.2.0/24")
@example(4, "192.0.2.1/24")
@example(6, "2001:db8::1/64")
@example(0, "::/0")
def test_prefix_agrees_with_the_network_class(version, value):
    got, want = outcome(t.Prefix(version=version), value), reference_prefix(value)
    if want == "control":
        assert got.startswith("Value must not contain control characters")
    elif want == "invalid":
        assert got.startswith("Invalid prefix: ")
    elif version and ipaddress.ip_network(value).version != version:
        assert got.startswith(f"Invalid IPv{version} prefix: ")
    else:
        assert got == "ok"
