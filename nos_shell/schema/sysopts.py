"""Schema of `system sysctl`, `system syslog` and `system option` (VyOS 1.4's paths)."""
from __future__ import annotations

import re

from .nodes import SchemaNode, container, flag, leaf, tag
from .types import DOMAIN_NAME, IP, PORT, Enum, Number, Pattern, Text, Union

SYSCTL_ROOTS = ("abi", "crypto", "debug", "dev", "fs", "kernel", "net", "sunrpc", "user", "vm")
"""The directories of /proc/sys: a key starts with one of them."""

SYSCTL_KEY = Pattern(
    regex=rf"(?:{'|'.join(SYSCTL_ROOTS)})(?:\.[A-Za-z0-9_][A-Za-z0-9_@+:\-]{{0,63}}){{1,12}}",
    placeholder="<key>", help="Kernel parameter, e.g. net.ipv4.tcp_syncookies",
    message="Sysctl key must be a dotted name under /proc/sys (abi, crypto, debug, dev, fs, kernel, "
            "net, sunrpc, user or vm, then words of letters, digits, _ - @ + :), e.g. net.ipv4.ip_forward")
_SYSCTL_WORDS = re.compile(r"[A-Za-z0-9_.:/@+,!=\-]+(?: [A-Za-z0-9_.:/@+,!=\-]+)*", re.ASCII)


class SysctlValue(Text):
    """A sysctl value: words of letters, digits and ``_ . : / @ + , ! = -`` separated by
    single blanks (``4 4 1 7``), so sysctl.d reads it as written: no comment character,
    no blank it would strip, nothing of a second line. Free text for the schema's checks
    (it may hold blanks), but a narrow one."""

    def check(self, value: str) -> None:
        super().check(value)
        if not _SYSCTL_WORDS.fullmatch(value):
            raise ValueError("Sysctl value must be words of letters, digits and _ . : / @ + , ! = - "
                             "separated by single blanks, e.g. 1 or '4 4 1 7'")


SYSCTL_VALUE = SysctlValue(max_len=255, min_len=1, placeholder="<value>",
                           help="Value of the parameter, e.g. 1 or '4 4 1 7'")

SYSCTL = container(
    "sysctl", "Kernel parameters set at run time",
    tag("parameter", SYSCTL_KEY, "Kernel parameter (sysctl key)",
        leaf("value", SYSCTL_VALUE, "Value of the kernel parameter")),
)

FACILITIES = ("all", "auth", "authpriv", "cron", "daemon", "kern", "lpr", "mail", "mark", "news",
              "syslog", "user", "uucp", *(f"local{n}" for n in range(8)))
LEVELS = ("emerg", "alert", "crit", "err", "warning", "notice", "info", "debug", "all")
FACILITY = Enum(values=FACILITIES, placeholder="<facility>", help="Facility (all: every facility)")


def _facility() -> SchemaNode:
    return tag("facility", FACILITY, "Facility of the messages",
               leaf("level", Enum(values=LEVELS, placeholder="<level>",
                                  help="Lowest severity sent (all: every severity)"),
                    "Lowest severity of the messages (default err)"))


SYSLOG = container(
    "syslog", "System logging (rsyslog)",
    container("global", "Logging to /var/log/messages",
              _facility(),
              container("marker", "Mark messages written at an interval",
                        leaf("interval", Number(low=1, high=86400, what="Interval", placeholder="<1-86400>",
                                                help="Seconds"), "Seconds between mark messages (default 1200)"),
                        presence=True),
              flag("preserve-fqdn", "Log the fully qualified host name")),
    tag("host", Union(members=(IP, DOMAIN_NAME), placeholder="<x.x.x.x|hostname>",
                      help="Remote syslog server address or host name"),
        "Forward messages to a remote host",
        leaf("port", PORT, "Port of the remote host (default 514)"),
        leaf("protocol", Enum(values=("udp", "tcp")), "Transport protocol (default udp)"),
        _facility(),
        container("format", "Message format",
                  flag("octet-counted", "RFC 5424 format, octet-counted framing over TCP"))),
    container("console", "Logging to the console", _facility()),
)

OPTION = container(
    "option", "System options",
    leaf("ctrl-alt-delete", Enum(values=("ignore", "reboot", "poweroff")),
         "Action on Ctrl-Alt-Delete (accepted, ignored)"),
    container("kernel", "Kernel boot parameters (accepted, ignored)",
              flag("disable-mitigations", "Disable optional CPU mitigations (ignored)"),
              flag("disable-power-saving", "Disable CPU power saving (ignored)")),
    leaf("keyboard-layout", Enum(values=("us", "uk", "fr", "de", "es", "fi", "jp106", "no", "dk",
                                         "se-latin1", "dvorak")),
         "Console keyboard layout (accepted, ignored)"),
    leaf("performance", Enum(values=("throughput", "latency")), "Performance profile (accepted, ignored)"),
    flag("reboot-on-panic", "Reboot 60 seconds after a kernel panic (kernel.panic)"),
    flag("root-partition-auto-resize", "Grow the root partition at boot (accepted, ignored)"),
    flag("startup-beep", "Beep when the login prompt is ready (accepted, ignored)"),
    leaf("time-format", Enum(values=("12-hour", "24-hour")), "Time format of the prompt (accepted, ignored)"),
)

IGNORED_OPTIONS = ("ctrl-alt-delete", "kernel", "keyboard-layout", "performance",
                   "root-partition-auto-resize", "startup-beep", "time-format")
"""`system option` children accepted for VyOS configurations that have no effect here."""
