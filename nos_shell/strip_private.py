"""`| strip-private`: output safe to paste into a forum post or a ticket (VyOS's pipe).

What is hidden, in any output format (config.boot, `set` commands, JSON):

- secrets: the values of ``password``, ``encrypted-password``, ``plaintext-password``,
  ``private-key``, ``preshared-key`` and public-key ``key`` leaves become ``xxxxxx``, and
  public-key names ``xxxx@xxx.xxx`` (not in JSON, where they are object keys);
- host and domain names (``host-name``, ``domain-name``, ``domain-search``): ``xxxxxx``;
- IPv4 addresses lose their first two octets (``xxx.xxx.2.1/24``), IPv6 addresses their
  first two groups (``xxxx:xxxx::1``), MAC addresses their first three bytes
  (``XX:XX:XX:00:00:01``); prefix lengths stay. Candidates are checked with ``ipaddress``,
  so version numbers and times are left alone.

User names, AS numbers and descriptions are kept, as VyOS 1.4 keeps them.
"""
from __future__ import annotations

import ipaddress
import re

SECRETS = ("encrypted-password", "plaintext-password", "password", "private-key", "preshared-key", "key")
NAMES = ("host-name", "domain-name", "domain-search")
_VALUE = r"""("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|[^\s{;,]+)"""
# a leaf name as a word of its own (not the tail of `disable-password-authentication`),
# bare, or a JSON key; then its value
_LEAF = re.compile(r"""(?<![\w-])("?)(""" + "|".join(map(re.escape, SECRETS + NAMES)) + r""")\1(:?\s+)""" + _VALUE)
_KEY_NAME = re.compile(r"""(?<![\w-])("?)public-keys\1(:?\s+)""" + _VALUE)
_ADDRESS = re.compile(r"(?<![\w:.])[0-9A-Fa-f:.]*[:.][0-9A-Fa-f:.]*(?![\w:.])")
_MAC = re.compile(r"[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}")


def _quoted(original: str, text: str) -> str:
    """``text`` in the quotes ``original`` had (JSON needs them)."""
    return f"{original[0]}{text}{original[0]}" if original[:1] in "\"'" else text


def _hide_leaf(m: re.Match) -> str:
    return f"{m[1]}{m[2]}{m[1]}{m[3]}{_quoted(m[4], 'xxxxxx')}"


def _hide_key_name(m: re.Match) -> str:
    value = m[3]
    if value.startswith("{") or value.endswith(":"):
        return m[0]
    return f"{m[1]}public-keys{m[1]}{m[2]}{_quoted(value, 'xxxx@xxx.xxx')}"


def _hide_address(m: re.Match) -> str:
    text = m[0]
    if _MAC.fullmatch(text):
        return "XX:XX:XX:" + text[9:]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return text
    if address.version == 4:
        return "xxx.xxx." + ".".join(text.split(".")[2:])
    groups = text.split(":")
    return ":".join("xxxx" if g and i < 2 else g for i, g in enumerate(groups))


def strip_private(text: str) -> str:
    """``text`` with secrets, names and addresses hidden (see the module docstring)."""
    text = _LEAF.sub(_hide_leaf, text)
    text = _KEY_NAME.sub(_hide_key_name, text)
    return _ADDRESS.sub(_hide_address, text)
