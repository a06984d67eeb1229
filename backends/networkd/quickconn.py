"""The connected-prefix index built from the address words, without an ``ipaddress`` object
per address: what an incremental compile asks of it is a few lookups.

:class:`QuickConnected` answers :meth:`holders` and :meth:`exact` exactly as
:class:`links.Connected` built from the same model does (same prefixes, same interface
order; tests/test_networkd_alone.py holds it to that). A plain IPv4 word (``a.b.c.d/len``,
the form the schema accepts) is read by one regular expression; every other word is parsed
by ``ipaddress`` as the model does. Prefix objects are made only for the answers.
"""
from __future__ import annotations

import ipaddress
import re

from nos_shell.models import shared

from .links import IPAddr, IPNet, prefix_keys

_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_PLAIN_V4 = re.compile(rf"{_OCTET}\.{_OCTET}\.{_OCTET}\.{_OCTET}/(3[0-2]|[12]?[0-9])\Z")
_PLAIN_ADDRESS = re.compile(rf"{_OCTET}\.{_OCTET}\.{_OCTET}\.{_OCTET}\Z")

_OCTETS = {str(n): n for n in range(256)}
"""The number of each decimal text the regular expressions let through (faster than int())."""
_MASKS = [~((1 << (32 - bits)) - 1) & 0xFFFFFFFF for bits in range(33)]

Entry = tuple[str, IPNet | None]
"""An interface name and its prefix (None until first asked for: made from the key)."""


SCANS = 4
"""The first lookups of IPv4 holders are answered by one pass over the address words each
(a few text comparisons per word); the index is built at the next one."""


class QuickConnected:
    """Connected prefixes indexed by (version, length) and network number, as
    :class:`links.Connected` is, read from the model's address words. The index is built
    at the first question a scan does not answer (:data:`SCANS`): an incremental compile
    that resolves one static route's next hop (an MTU change on its VLAN) reads each
    address word once, as text, and parses only those that may hold it."""

    def __init__(self, model: shared.Model):
        self.model = model
        self.scans = 0
        self._index: dict[tuple[int, int], dict[int, list[Entry]]] | None = None
        self._lengths: list[tuple[int, int]] = []

    def _indexed(self) -> dict[tuple[int, int], dict[int, list[Entry]]]:
        if self._index is None:
            self._build()
        return self._index         # type: ignore[return-value]

    def _build(self) -> None:
        model = self.model
        index: dict[tuple[int, int], dict[int, list[Entry]]] = {}
        match, octet = _PLAIN_V4.match, _OCTETS
        for _, iface, n, word in _words(model):
            found = match(word)
            if found is not None:
                a, b, c, d, length = found.groups()
                bits = octet[length]
                number, key, net = ((octet[a] << 24) | (octet[b] << 16) | (octet[c] << 8) | octet[d]) & _MASKS[bits], (4, bits), None
            else:
                net = model.addresses(iface)[n].network
                key, number = (net.version, net.prefixlen), int(net.network_address)
            bucket = index.get(key)
            if bucket is None:
                bucket = index[key] = {}
            entries = bucket.get(number)
            if entries is None:
                bucket[number] = [(iface.name, net)]
            else:
                entries.append((iface.name, net))
        self._index = index
        self._lengths = sorted(index, key=lambda vl: -vl[1])

    def _entries(self, key: tuple[int, int], number: int) -> list[tuple[IPNet, str]]:
        bucket = self._indexed()[key].get(number)
        if not bucket:
            return []
        version, length = key
        made = ipaddress.IPv4Network((number, length)) if version == 4 else ipaddress.IPv6Network((number, length))
        return [(net if net is not None else made, name) for name, net in bucket]

    def holders(self, address: IPAddr) -> list[tuple[IPNet, str]]:
        """Prefixes holding ``address``, longest first (interface order among equals)."""
        if self._index is None and address.version == 4 and self.scans < SCANS:
            self.scans += 1
            return self._scan(address)          # type: ignore[arg-type]
        self._indexed()
        out: list[tuple[IPNet, str]] = []
        for key, masked in prefix_keys(self._lengths, address):
            out.extend(self._entries(key, masked))
        return out

    def _scan(self, address: ipaddress.IPv4Address) -> list[tuple[IPNet, str]]:
        """:meth:`holders` of an IPv4 address by one pass over the address words. A plain
        IPv4 word (no leading zeros) can hold the address only if it starts with the
        address's first ``length // 8`` octets as text: the others are not parsed."""
        model, value, octet, match = self.model, int(address), _OCTETS, _PLAIN_V4.match
        text_of = str(address)
        heads = [leading_text(text_of, 8 * whole) for whole in range(5)]
        found: list[tuple[int, int, int, str, IPNet | None]] = []
        for order, iface, n, word in _words(model):
            if match(word) is not None:
                text, _, length = word.partition("/")
                bits = octet[length]
                if not text.startswith(heads[bits >> 3]):
                    continue
                w, x, y, z = text.split(".")
                mask = _MASKS[bits]
                if value & mask == ((octet[w] << 24) | (octet[x] << 16) | (octet[y] << 8) | octet[z]) & mask:
                    found.append((-bits, order, n, iface.name, None))
                continue
            net = model.addresses(iface)[n].network
            if net.version == 4 and address in net:
                found.append((-net.prefixlen, order, n, iface.name, net))
        found.sort(key=lambda item: item[:3])
        return [(net if net is not None else ipaddress.IPv4Network((value & _MASKS[-bits], -bits)), name)
                for bits, _, _, name, net in found]

    def exact(self, prefix: IPNet) -> str | None:
        """The first interface (in interface order) with an address in exactly ``prefix``."""
        key = (prefix.version, prefix.prefixlen)
        bucket = self._indexed().get(key, {}).get(int(prefix.network_address))
        return bucket[0][0] if bucket else None


def _words(model: shared.Model):
    """(interface order, interface, n, word) for each static address word, the n-th of its
    interface (what ``model.addresses(iface)[n]`` parses), in model order."""
    for order, (iface, node) in enumerate(model.unique_defined):
        words = node.leaf("address")
        if not words:
            continue
        n = -1
        for word in words:
            if word != "dhcp" and word != "dhcpv6":
                n += 1
                yield order, iface, n, word


def leading_text(address: str, bits: int) -> str:
    """The text every plain IPv4 address in the ``bits``-long prefix of the plain address
    ``address`` starts with: its first ``bits // 8`` octets, each with its dot (nothing
    under 8 bits, the whole address at 32)."""
    whole = bits // 8
    return address if whole >= 4 else "".join(part + "." for part in address.split(".")[:whole])


def is_plain_v4(text: str) -> bool:
    """Whether ``text`` is an IPv4 address written plainly (:func:`plain_v4` would read it)."""
    return _PLAIN_ADDRESS.match(text) is not None


def plain_v4(text: str) -> int | None:
    """The number of an IPv4 address written plainly (``a.b.c.d``, no leading zeros: what
    ``ipaddress`` reads), or None for any other text (then ask ``ipaddress``)."""
    found = _PLAIN_ADDRESS.match(text)
    if found is None:
        return None
    a, b, c, d = map(int, found.groups())
    return (a << 24) | (b << 16) | (c << 8) | d


def quick_connected(model: shared.Model) -> QuickConnected:
    """The model's :class:`QuickConnected`, built once per shared model."""
    return model.derived("networkd.quickconn", QuickConnected)
