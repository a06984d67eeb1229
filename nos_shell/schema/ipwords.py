"""IP addresses and prefixes as the value types (types.py) read them.

ASCII shapes first (the ipaddress module alone would accept a zone id with any text after
``%``, and a netmask instead of a prefix length), then the address: a dotted IPv4 address
by one match and integer arithmetic (the common case: every address, prefix and neighbor
of a big configuration), anything else by the ipaddress module.
"""
from __future__ import annotations

import ipaddress
import re
from functools import lru_cache

# the ASCII shapes the ipaddress module is asked about
V4 = r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}"
V6 = r"[0-9A-Fa-f:.]{2,45}"
LEN = r"/(?:0|[1-9][0-9]{0,2})"


@lru_cache(maxsize=None)
def _compiled(regex: str) -> re.Pattern[str]:
    return re.compile(regex, re.ASCII)


def shaped(regex: str, value: str) -> bool:
    """True when ``value`` is exactly ``regex`` in ASCII (no Unicode digits, no zone id)."""
    return _compiled(regex).fullmatch(value) is not None


_ADDRESSES = {4: ipaddress.IPv4Address, 6: ipaddress.IPv6Address, 0: ipaddress.ip_address}
_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
DOTTED = re.compile(r"\.".join([_OCTET] * 4), re.ASCII)
"""An IPv4 address exactly as ipaddress.IPv4Address accepts it (four decimal octets, none
above 255, no leading zeros): the common case, read without the ipaddress parser."""
DOTTED_PREFIX = re.compile(r"\.".join([_OCTET] * 4) + r"/(0|[1-9][0-9]?)", re.ASCII)


def dotted(match: re.Match[str]) -> int:
    """The address a match of :data:`DOTTED` or :data:`DOTTED_PREFIX` spells, as an integer."""
    a, b, c, d = match.group(1, 2, 3, 4)
    return int(a) << 24 | int(b) << 16 | int(c) << 8 | int(d)


def address_and_length(value: str, version: int) -> tuple[int, int, int]:
    """(IP version, address as an integer, prefix length) of ``ADDRESS/LENGTH`` (one parse,
    no network object); ValueError when it is not that shape or the length is too long for
    the address. ``version``: 4 or 6 to read only that version, 0 for either."""
    if version != 6:
        match = DOTTED_PREFIX.fullmatch(value)
        if match is not None:
            length = int(match.group(5))
            if length > 32:
                raise ValueError
            return 4, dotted(match), length
    if not shaped(f"(?:{V4}|{V6}){LEN}", value):
        raise ValueError
    text, _, bits = value.partition("/")
    address = _ADDRESSES[version](text)
    length = int(bits)
    if length > address.max_prefixlen:
        raise ValueError
    return address.version, int(address), length


def host_bits(version: int, address: int, length: int) -> tuple[int, int]:
    """(the host part of ``address`` under a prefix of ``length``, the all-ones host part)."""
    ones = (1 << ((32 if version == 4 else 128) - length)) - 1
    return address & ones, ones
