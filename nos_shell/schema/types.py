"""Value types: each checks one word of a configuration path and says what it expects.

A type's ``check`` returns nothing and raises :class:`ValueError` with a VyOS-style
message when the value is not acceptable. Every value that can reach a generated
file passes through one of these, so none of them admits control characters (C0, DEL,
C1 such as U+0085), the Unicode line and paragraph separators U+2028/U+2029 or lone
surrogates; structured types (addresses, numbers, names) admit only ASCII and say
exactly what they accept: an IPv6 address has no zone id (``%eth0``), a prefix length
is decimal digits (no netmask form).
"""
from __future__ import annotations

import ipaddress
import re
from typing import ClassVar

from .ipwords import DOTTED, V4, V6, address_and_length, host_bits, shaped


# C0, DEL, C1 (U+0080-U+009F, NEL among them), line/paragraph separators, lone surrogates
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _no_control(value: str) -> None:
    if _CONTROL.search(value):
        raise ValueError("Value must not contain control characters or line separators "
                         "(newline, tab, U+0085, U+2028, ...)")


def shown(value: str, limit: int = 64) -> str:
    """``value`` for an error message: control characters escaped, long text cut short."""
    text = _CONTROL.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode(), value)
    return text if len(text) <= limit else text[:limit] + f"... ({len(value)} characters)"


class ValueType:
    """Base type. ``placeholder`` is shown in completion lists, ``help`` beside it.

    Types are frozen values made with keyword arguments, compared and hashed by their
    fields: what ``@dataclass(frozen=True)`` gives, without the half millisecond of code
    generation per class at every start (two dozen types are on the start-up path). A
    field is a class attribute with an annotation; its value there is the default."""

    placeholder: str = "<text>"
    help: str = "Text"
    _fields: ClassVar[tuple[str, ...]] = ("placeholder", "help")

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        own = tuple(name for name in cls.__dict__.get("__annotations__", {}) if not name.startswith("_"))
        cls._fields = tuple(dict.fromkeys(cls._fields + own))

    def __init__(self, **values: object) -> None:
        for name, value in values.items():
            if name not in self._fields:
                raise TypeError(f"{type(self).__name__}() got an unexpected keyword argument {name!r}")
            object.__setattr__(self, name, value)
        self.__post_init__()

    def __post_init__(self) -> None:
        """What a type derives from its fields once made (none here)."""

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r} of a frozen {type(self).__name__}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r} of a frozen {type(self).__name__}")

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        return other.__class__ is self.__class__ and self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((self.__class__, self._values()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{name}={getattr(self, name)!r}' for name in self._fields)})"

    def check(self, value: str) -> None:
        _no_control(value)

    def choices(self) -> tuple[str, ...]:
        """Literal words this type accepts, offered by completion."""
        return ()

    def describe(self) -> list[tuple[str, str]]:
        """Rows for `?` help and the command reference: (placeholder or word, help)."""
        return [(self.placeholder, self.help)]


class Text(ValueType):
    """Free text of bounded length; no control characters. ``max_bytes`` (when set) bounds
    its UTF-8 length too, for text a library takes in bytes (crypt(3): 511)."""

    max_len: int = 255
    min_len: int = 0
    max_bytes: int = 0

    def check(self, value: str) -> None:
        _no_control(value)
        if not self.min_len <= len(value) <= self.max_len:
            raise ValueError(f"Value must be {self.min_len} to {self.max_len} characters long")
        if self.max_bytes and len(value.encode()) > self.max_bytes:
            raise ValueError(f"Value must be at most {self.max_bytes} bytes long in UTF-8")


class Pattern(ValueType):
    """A word matched by a regular expression; ``message`` says what is expected."""

    regex: str = r".*"
    message: str = "Invalid value"

    def check(self, value: str) -> None:
        _no_control(value)
        if not re.fullmatch(self.regex, value, re.ASCII):
            raise ValueError(self.message)


class Number(ValueType):
    """An integer in [low, high], in decimal without leading zeros (so `vif 010` cannot
    stand beside `vif 10`); ``what`` names it in the range message."""

    low: int = 0
    high: int = 4294967295
    what: str = "Value"

    def check(self, value: str) -> None:
        if not shaped(r"0|[1-9][0-9]{0,9}", value) or not self.low <= int(value) <= self.high:
            raise ValueError(f"{self.what} must be between {self.low} and {self.high}")


class Enum(ValueType):
    """One of a fixed set of words."""

    values: tuple[str, ...] = ()
    helps: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.placeholder == "<text>":
            object.__setattr__(self, "placeholder", "<" + "|".join(self.values) + ">"
                               if len(self.values) <= 4 else "<value>")
        if self.help == "Text":     # words without their own help are listed bare
            object.__setattr__(self, "help", "")

    def check(self, value: str) -> None:
        if value not in self.values:
            raise ValueError(f"Value must be one of: {', '.join(self.values)}")

    def choices(self) -> tuple[str, ...]:
        return self.values

    def describe(self) -> list[tuple[str, str]]:
        helps = self.helps or (self.help,) * len(self.values)
        return list(zip(self.values, helps))


class IPv4(ValueType):
    placeholder: str = "<x.x.x.x>"
    help: str = "IPv4 address"

    def check(self, value: str) -> None:
        if DOTTED.fullmatch(value):
            return
        _no_control(value)
        try:
            if not shaped(V4, value):
                raise ValueError
            ipaddress.IPv4Address(value)
        except ValueError:
            raise ValueError(f"Invalid IPv4 address: {shown(value)}") from None


class IPv6(ValueType):
    placeholder: str = "<h:h:h:h:h:h:h:h>"
    help: str = "IPv6 address"

    def check(self, value: str) -> None:
        _no_control(value)
        try:
            if not shaped(V6, value):
                raise ValueError
            ipaddress.IPv6Address(value)
        except ValueError:
            zone = " (a zone id such as %eth0 is not accepted here)" if "%" in value else ""
            raise ValueError(f"Invalid IPv6 address: {shown(value)}{zone}") from None


class Prefix(ValueType):
    """A network prefix (host bits zero) of the given IP version (0 = either)."""

    version: int = 4
    placeholder: str = "<x.x.x.x/x>"
    help: str = "IPv4 prefix"

    def check(self, value: str) -> None:
        _no_control(value)
        try:
            version, address, length = address_and_length(value, 0)
            if host_bits(version, address, length)[0]:
                raise ValueError          # host bits set: not a network
        except ValueError:
            raise ValueError(f"Invalid prefix: {shown(value)} (expected a network such as "
                             f"{'192.0.2.0/24' if self.version != 6 else '2001:db8::/32'})") from None
        if self.version and version != self.version:
            raise ValueError(f"Invalid IPv{self.version or ''} prefix: {shown(value)}")


class HostPrefix(ValueType):
    """An interface address with prefix length, e.g. 192.0.2.1/24."""

    version: int = 0
    placeholder: str = "<x.x.x.x/x>"
    help: str = "IPv4 address and prefix length"

    def check(self, value: str) -> None:
        _no_control(value)
        if "/" not in value and shaped(f"{V4}|{V6}", value):
            raise ValueError(f"Address {shown(value)} needs a prefix length, e.g. {shown(value)}/24")
        try:
            version, address, length = address_and_length(value, self.version)
        except ValueError:
            raise ValueError(f"Invalid IP address/prefix: {shown(value)}") from None
        if self.version and version != self.version:
            raise ValueError(f"Invalid IPv{self.version} address/prefix: {shown(value)}")
        host, ones = host_bits(version, address, length)
        if version == 4 and length < 31 and host in (0, ones):
            raise ValueError(f"{shown(value)} is the network or broadcast address of its subnet")


class Mac(ValueType):
    placeholder: str = "<h:h:h:h:h:h>"
    help: str = "MAC address"

    def check(self, value: str) -> None:
        if not shaped(r"(?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}", value):
            raise ValueError(f"Invalid MAC address: {shown(value)}")
        if int(value[:2], 16) & 1:
            raise ValueError(f"{shown(value)} is a multicast MAC address")


class InterfaceName(ValueType):
    """A Linux interface name, optionally restricted to a kind's names: ``pattern`` (a full
    match, VyOS's regex for the kind, refused with VyOS's ``message``) or ``prefixes``."""

    prefixes: tuple[str, ...] = ()
    placeholder: str = "<txt>"
    help: str = "Interface name"
    pattern: str = ""
    message: str = ""

    def check(self, value: str) -> None:
        if not shaped(r"[A-Za-z0-9][A-Za-z0-9_.\-@]{0,14}", value):
            raise ValueError(f"Invalid interface name: {shown(value)} (1-15 letters, digits, . - _ @)")
        if self.pattern and not shaped(self.pattern, value):
            raise ValueError(self.message or f"Invalid interface name: {shown(value)}")
        if self.prefixes and not any(shaped(re.escape(p) + r"[0-9A-Za-z_.\-]*", value)
                                     for p in self.prefixes):
            raise ValueError(f"Interface name {shown(value)} must start with "
                             f"{' or '.join(self.prefixes)}")


class HostName(ValueType):
    placeholder: str = "<hostname>"
    help: str = "Host name"

    def check(self, value: str) -> None:
        label = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
        if len(value) > 253 or not shaped(rf"{label}(?:\.{label})*", value):
            raise ValueError("Host name may contain letters, digits, '-' and '.', "
                             "and starts and ends with a letter or digit")


class Union(ValueType):
    """Any of several types; the message lists what each expects."""

    members: tuple[ValueType, ...] = ()

    def __post_init__(self) -> None:
        if self.placeholder == "<text>" and self.members:
            object.__setattr__(self, "placeholder", self.members[0].placeholder)

    def check(self, value: str) -> None:
        errors: list[str] = []
        for member in self.members:
            try:
                member.check(value)
                return
            except ValueError as exc:
                if not isinstance(member, Enum):
                    errors.append(str(exc))
        words = self.choices()
        message = "; ".join(dict.fromkeys(errors)) if errors else ""
        if words:
            listed = ", ".join(words)
            message = f"{message} (or one of: {listed})" if message else f"Value must be one of: {listed}"
        raise ValueError(message)

    def choices(self) -> tuple[str, ...]:
        return tuple(c for m in self.members for c in m.choices())

    def describe(self) -> list[tuple[str, str]]:
        return [row for m in self.members for row in m.describe()]


class Negatable(ValueType):
    """A value of ``inner``, or ``!`` followed by one (match everything but it)."""

    inner: ValueType = ValueType()

    def __post_init__(self) -> None:
        if self.placeholder == "<text>":
            object.__setattr__(self, "placeholder", self.inner.placeholder)
        if self.help == "Text":
            object.__setattr__(self, "help", self.inner.help + " (prefix with ! to negate)")

    def check(self, value: str) -> None:
        self.inner.check(value[1:] if value.startswith("!") else value)

    def describe(self) -> list[tuple[str, str]]:
        return self.inner.describe() + [("!" + self.inner.placeholder, "Match everything except this")]


def word(value: str, help: str) -> Enum:
    """A single literal word such as ``dhcp``."""
    return Enum(values=(value,), helps=(help,), help=help)


# Shared instances used by the schema modules.
TEXT = Text()
DESCRIPTION = Text(max_len=255, help="Description")
IPV4 = IPv4()
IPV6 = IPv6()
IP = Union(members=(IPV4, IPV6), placeholder="<x.x.x.x>", help="IP address")
IPV4_PREFIX = Prefix(version=4)
IPV6_PREFIX = Prefix(version=6, placeholder="<h:h:h:h:h:h:h:h/x>", help="IPv6 prefix")
IP_PREFIX = Union(members=(IPV4_PREFIX, IPV6_PREFIX))
IPV4_HOST_PREFIX = HostPrefix(version=4)
IPV6_HOST_PREFIX = HostPrefix(version=6, placeholder="<h:h:h:h:h:h:h:h/x>",
                              help="IPv6 address and prefix length")
IP_HOST_PREFIX = Union(members=(IPV4_HOST_PREFIX, IPV6_HOST_PREFIX))
IP_OR_PREFIX = Union(members=(IPV4, IPV4_PREFIX, IPV6, IPV6_PREFIX))
INTERFACE_ADDRESS = Union(members=(IPV4_HOST_PREFIX, IPV6_HOST_PREFIX,
                                   word("dhcp", "Dynamic Host Configuration Protocol"),
                                   word("dhcpv6", "Dynamic Host Configuration Protocol for IPv6")))
MAC = Mac()
MTU = Number(low=68, high=16000, what="MTU", placeholder="<68-16000>", help="Maximum Transmission Unit")
VLAN_ID = Number(low=0, high=4094, what="VLAN ID", placeholder="<0-4094>", help="Virtual Local Area Network ID")
VNI = Number(low=1, high=16777214, what="VXLAN network identifier", placeholder="<1-16777214>",
             help="Virtual Network Identifier")
PORT = Number(low=1, high=65535, what="Port number", placeholder="<1-65535>", help="Port number")
PORT_OR_RANGE = Pattern(regex=r"(?:[1-9][0-9]{0,4}(?:-[1-9][0-9]{0,4})?)(?:,[1-9][0-9]{0,4}(?:-[1-9][0-9]{0,4})?)*",
                        message="Port must be a number 1-65535, a range such as 1000-2000, or a comma list",
                        placeholder="<1-65535>", help="Port number, range or comma-separated list")
ASN = Number(low=1, high=4294967294, what="AS number", placeholder="<1-4294967294>",
             help="Autonomous System Number")
INTERFACE = InterfaceName()
HOSTNAME = HostName()
DOMAIN_NAME = HostName(placeholder="<domain>", help="Domain name")
USER_NAME = Pattern(regex=r"[a-z_][a-z0-9_.\-]{0,31}", message="User name must be 1-32 characters: "
                    "lowercase letters, digits, '_', '-', '.', not starting with a digit",
                    placeholder="<username>", help="User name")
NAME = Pattern(regex=r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}", placeholder="<txt>", help="Name",
               message="Name must be 1-64 letters, digits, '_', '-' or '.', starting with a letter or digit")
BASE64_KEY = Pattern(regex=r"[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=", placeholder="<base64>",
                     help="WireGuard key (base64, 32 bytes)", message="Key must be 32 bytes of base64 (44 characters)")
SSH_KEY = Pattern(regex=r"[A-Za-z0-9+/]{1,8192}={0,3}", placeholder="<base64>", help="Public key (base64)",
                  message="Public key must be base64 without the type prefix or comment")


from ..crypthash import EXAMPLE_FORMS, hash_problem  # noqa: E402 - kept beside its one user


class CryptHash(Pattern):
    """A crypt(3) hash. Loading a file accepts any hash-like word, so configurations from
    before the cost cap still load (such a hash matches no password: nos_shell/secrets.py);
    a value being set must have a known form and a bounded cost (nos_shell/crypthash.py).
    ``regex`` is what value generators draw from: the accepted forms."""

    loadable: str = r"[A-Za-z0-9$./=]*"

    def check(self, value: str) -> None:
        if not re.fullmatch(self.loadable, value):
            raise ValueError(self.message)

    def check_set(self, value: str) -> None:
        problem = hash_problem(value)
        if problem is not None:
            raise ValueError(problem)


CRYPT_HASH = CryptHash(regex=EXAMPLE_FORMS, placeholder="<hash>", help="Encrypted password (crypt(3) hash)",
                       message="Encrypted password must be a crypt(3) hash such as $6$salt$hash")
