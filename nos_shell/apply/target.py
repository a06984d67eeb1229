"""Where and how a configuration is applied: the target.

A target is a root directory (generated files go below it, mirroring system paths) plus,
when ``live`` is on, how to reach the system that reads those files: a command prefix that
runs programs in the router's context (nothing for the host itself, ``ip netns exec NS`` or
``nsenter -t PID -n -m`` for a lab router in a namespace) and the daemons' control paths.

It is read from ``ROOT/etc/nos-shell/apply.toml``; without that file a sandbox root only
gets files, and the live root ``/`` gets the defaults below::

    live = true
    exec-prefix = ["nsenter", "-t", "4242", "-n", "-m"]
    bird-socket = "/run/bird/bird.ctl"   # a driver's own key (below)
    skip-reload = ["networkd"]      # e.g. a lab router without its own networkd
    networkd-restart = ["systemctl", "restart", "systemd-networkd.service"]
    set-hostname = false            # set the running host name (default: only for / without a prefix)
    netns = "/proc/4242/ns/net"     # where netlink readers (show interfaces, show ip route) look
    restart = { ntp = ["/usr/local/bin/lab-timesyncd-restart"] }   # `restart SERVICE` (below)

``networkd-restart`` is how to restart systemd-networkd in the router's context (run through
the exec prefix); networkd needs it when its networkd.conf drop-in changed or a .netdev that
still exists changed (docs/apply.md). ``set-hostname`` guards the one setting that is not
per network namespace: the UTS host name. With an exec prefix that has no UTS namespace
(``nsenter -u``) it would rename the machine running the lab, so it is off unless the root
is ``/`` without a prefix, or the target says so.

Drivers add keys of their own: each declares the keys it reads with their defaults (its
``settings``, backends/contract.py: ``bird-socket`` for BIRD, ``gobgp-api`` for GoBGP), a
value must have its default's type, and the driver reads it with :meth:`Target.setting`.
Only a file that uses such a key loads the drivers to check it.

``restart`` overrides how the operational command `restart networkd|bgp|ntp|ssh` restarts a
service in the router's context; by default networkd uses ``networkd-restart`` and the others
``systemctl restart UNIT`` (:data:`RESTART_UNITS`; `bgp` is the ``unit`` of the active BGP driver).
"""
from __future__ import annotations

from pathlib import Path, PurePath
from typing import NamedTuple, TypeVar

from ..errors import NosError

T = TypeVar("T")

SETTINGS = Path("etc/nos-shell/apply.toml")


class Target(NamedTuple):
    """Where a commit applies: the root directory, live or sandbox, how to reach the daemons."""

    root: Path
    live: bool = False
    exec_prefix: tuple[str, ...] = ()
    skip_reload: frozenset[str] = frozenset()   # backends whose files are written but not reloaded
    netns: str | None = None    # the router's network namespace for netlink readers (name or path)
    networkd_restart: tuple[str, ...] = ("systemctl", "restart", "systemd-networkd.service")
    set_hostname: bool | None = None            # None: only for root / without an exec prefix
    restart: tuple[tuple[str, tuple[str, ...]], ...] = ()   # service -> command (`restart SERVICE`)
    settings: tuple[tuple[str, object], ...] = ()   # keys the drivers declare (bird-socket, ...)

    def setting(self, key: str, default: T) -> T:
        """A driver's setting from apply.toml, else ``default`` (load_target checked its type)."""
        return dict(self.settings).get(key, default)  # type: ignore[return-value]

    def restart_command(self, service: str, unit: str) -> list[str]:
        """How `restart SERVICE` restarts ``service`` (its systemd ``unit`` by default)."""
        given = dict(self.restart).get(service)
        if given:
            return list(given)
        if service == "networkd":
            return list(self.networkd_restart)
        return ["systemctl", "restart", unit]

    @property
    def sets_hostname(self) -> bool:
        """Whether reloads may set the running host name (a UTS setting, not per netns)."""
        if self.set_hostname is not None:
            return self.set_hostname
        return self.root == Path("/") and not self.exec_prefix

    def argv(self, *argv: str) -> list[str]:
        """A command line run in the router's context (never through a shell)."""
        return [*self.exec_prefix, *argv]

    def path(self, relative: str | PurePath) -> Path:
        return self.root / relative


_KEYS = {"live": bool, "exec-prefix": list, "skip-reload": list,
         "networkd-restart": list, "set-hostname": bool, "netns": str, "restart": dict}
RESTART_UNITS = {"networkd": "systemd-networkd.service", "ntp": "systemd-timesyncd.service",
                 "ssh": "nos-shell-ssh.service"}
"""Units of the services `restart` knows by name; `bgp` is the unit of the area's active driver."""


def _driver_settings() -> dict[str, object]:
    """The apply.toml keys the registered drivers read, with their defaults."""
    from ..backends.registry import settings

    return settings()


def load_target(root: Path | str) -> Target:
    """The target of ``root``: its apply.toml if present, else live only for ``/``."""
    root = Path(root)
    target = Target(root=root, live=root == Path("/"))
    settings = root / SETTINGS
    if not settings.exists():
        return target
    import tomllib          # (only a root with settings pays for the import)

    try:
        data = tomllib.loads(settings.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise NosError(f"{settings}: {exc}") from None
    extra = {key: data[key] for key in data if key not in _KEYS}
    drivers = _driver_settings() if extra else {}
    for key, value in data.items():
        expected = _KEYS.get(key) or (type(drivers[key]) if key in drivers else None)
        if expected is None:
            known = ", ".join([*_KEYS, *drivers])
            raise NosError(f"{settings}: unknown setting '{key}' (known: {known})")
        if not isinstance(value, expected) or (expected is list and
                                               not all(isinstance(v, str) for v in value)):
            raise NosError(f"{settings}: '{key}' must be a {expected.__name__}")
        if key == "restart" and not all(name in ("networkd", "bgp", "ntp", "ssh") and isinstance(v, list)
                                        and v and all(isinstance(w, str) for w in v)
                                        for name, v in value.items()):
            raise NosError(f"{settings}: 'restart' maps networkd, bgp, ntp or ssh to a command (a list)")
    return target._replace(live=data.get("live", target.live),
                   exec_prefix=tuple(data.get("exec-prefix", ())),
                   skip_reload=frozenset(data.get("skip-reload", ())),
                   networkd_restart=tuple(data.get("networkd-restart", target.networkd_restart)),
                   set_hostname=data.get("set-hostname", target.set_hostname),
                   netns=data.get("netns"),
                   restart=tuple(sorted((k, tuple(v)) for k, v in data.get("restart", {}).items())),
                   settings=tuple(sorted(extra.items())))
