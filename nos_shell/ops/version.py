"""`show version` (the VyOS layout automation clients read) and `show version all` (the
versions of the components nos-shell runs and uses)."""
from __future__ import annotations

import platform
from typing import TYPE_CHECKING

from ..errors import NosError
from ..version import __version__
from .command import KeywordHelp, OpCommand
from .context import run

if TYPE_CHECKING:
    from ..commands import Command
    from ..session import Session

VYOS_COMPAT = "1.4"


def _uptime() -> str:
    try:
        with open("/proc/uptime") as handle:
            seconds = int(float(handle.read().split()[0]))
    except (OSError, ValueError, IndexError):
        return "unknown"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    return f"{days} days, {hours}:{rest // 60:02d}"


def show_version(session: "Session", command: "Command") -> str:
    rows = [
        # Ansible reads "VyOS N.N" from this line, napalm-vyos its last word
        ("Version", f"VyOS {VYOS_COMPAT} (compatible) nos-shell {__version__}"),
        ("Release train", "nos-shell"),
        ("Built by", "nos-shell project"),
        ("Architecture", platform.machine() or "unknown"),
        ("Hardware vendor", "generic"),
        ("Hardware model", f"Linux {platform.release()}"),
        ("Hardware S/N", "unknown"),
        ("Uptime", _uptime()),
    ]
    return "".join(f"{name + ':':<18}{value}\n" for name, value in rows)


PYTHON_PACKAGES = ("lark", "prompt_toolkit", "asyncssh", "pyroute2", "rich", "tomli_w", "google-re2")
PROGRAMS = (("systemd-networkd", ["networkctl", "--version"]), ("BIRD", ["bird", "--version"]),
            ("GoBGP", ["gobgpd", "--version"]), ("nftables", ["nft", "--version"]),
            ("iproute2", ["ip", "-V"]), ("tcpdump", ["tcpdump", "--version"]))


def _program_version(session: "Session", argv: list[str]) -> str:
    target = session.target
    try:
        result = run(target, argv, timeout=10, check=False)
    except NosError:
        return "not installed"
    text = (result.stdout or result.stderr).strip().splitlines()
    return text[0].strip() if text else "unknown"


def show_version_all(session: "Session", command: "Command") -> str:
    """`show version`, then the versions of the components nos-shell runs and uses."""
    from importlib import metadata

    lines = [show_version(session, command).rstrip("\n"), "", "Components:"]
    rows = [("Python", platform.python_version())]
    for name in PYTHON_PACKAGES:
        try:
            rows.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            rows.append((name, "not installed"))
    rows += [(name, _program_version(session, argv)) for name, argv in PROGRAMS]
    width = max(len(name) for name, _ in rows) + 2
    lines += [f"  {name + ':':<{width}}{value}" for name, value in rows]
    return "\n".join(lines) + "\n"


COMMANDS = (
    OpCommand("show_version", ("show version",), show_version, "The version, as VyOS prints it"),
    OpCommand("show_version_all", ("show version all",), show_version_all,
              "The version and the versions of every component"),
)

KEYWORDS: KeywordHelp = {
    ("show", "version"): "Show the version",
    "version": "Show the version",
    "all": "Show the versions of all components",
}
