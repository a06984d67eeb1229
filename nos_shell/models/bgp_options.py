"""The BGP options a neighbor carries per address family, and the `protocols bgp parameters`
and redistribution settings beyond the router id: read from the tree into plain values.

:mod:`nos_shell.models.bgp` folds these into its resolved view; pure, no I/O.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nos_shell.config.tree import ConfigTree

ALLOWAS_DEFAULT = 3
"""Occurrences of our AS `allowas-in` accepts without a `number` (FRR's default, as VyOS)."""
SOURCES = ("connected", "static")


@dataclass(frozen=True)
class FamilyOptions:
    """A neighbor's options under `address-family ipv4-unicast|ipv6-unicast` (peer group folded in)."""

    nexthop_self: bool = False
    nexthop_self_force: bool = False
    soft_inbound: bool = False
    no_send_community: frozenset[str] = frozenset()   # "standard", "extended" (both when bare)
    maximum_prefix: int | None = None
    as_override: bool = False
    allowas_in: int | None = None
    remove_private_as: str | None = None                # "private" (only-private paths) or "all"


NONE = FamilyOptions()


@dataclass(frozen=True)
class LocalAs:
    """`neighbor A local-as N [no-prepend [replace-as]]`."""

    asn: int
    no_prepend: bool = False
    replace_as: bool = False

    @property
    def replaces(self) -> bool:
        """Whether the session speaks AS N alone, the only form BIRD and GoBGP have."""
        return self.no_prepend and self.replace_as


@dataclass(frozen=True)
class Parameters:
    """`protocols bgp parameters` (router id aside) and `redistribute ... metric`."""

    distance: tuple[int, int, int] | None = None       # external, internal, local (all three set)
    graceful_restart: bool = False
    stalepath_time: int | None = None
    log_neighbor_changes: bool = False
    metric: tuple[tuple[str, str, int], ...] = ()       # (family, source, MED)

    def med(self, family: str, source: str) -> int | None:
        for f, s, value in self.metric:
            if (f, s) == (family, source):
                return value
        return None


Get = Callable[..., "str | None"]
Has = Callable[..., bool]
Keys = Callable[..., "list[str]"]


def family_options(get: Get, has: Has, family: str) -> FamilyOptions:
    """One family's options, through the neighbor's lookups (own value, else its group's)."""
    at = ("address-family", family)
    if not has(*at):
        return NONE
    communities = frozenset(c for c in ("standard", "extended") if has(*at, "disable-send-community", c))
    if not communities and has(*at, "disable-send-community"):
        communities = frozenset({"standard", "extended"})
    allowas = None
    if has(*at, "allowas-in"):
        number = get(*at, "allowas-in", "number")
        allowas = int(number) if number is not None and number.isdigit() else ALLOWAS_DEFAULT
    remove = None
    if has(*at, "remove-private-as"):
        remove = "all" if has(*at, "remove-private-as", "all") else "private"
    maximum = get(*at, "maximum-prefix")
    return FamilyOptions(
        nexthop_self=has(*at, "nexthop-self"),
        nexthop_self_force=has(*at, "nexthop-self", "force"),
        soft_inbound=has(*at, "soft-reconfiguration", "inbound"),
        no_send_community=communities,
        maximum_prefix=int(maximum) if maximum is not None and maximum.isdigit() else None,
        as_override=has(*at, "as-override"),
        allowas_in=allowas,
        remove_private_as=remove,
    )


def local_as(keys: Keys, has: Has) -> LocalAs | None:
    """The neighbor's `local-as` (the lowest when several are set; verify refuses that)."""
    numbers = sorted((k for k in keys("local-as") if k.isdigit()), key=int)
    if not numbers:
        return None
    asn = numbers[0]
    return LocalAs(int(asn), has("local-as", asn, "no-prepend"),
                   has("local-as", asn, "no-prepend", "replace-as"))


def parameters(tree: ConfigTree, bgp: tuple[str, ...], families: tuple[str, ...]) -> Parameters:
    """`parameters distance global`, `graceful-restart`, `log-neighbor-changes` and the
    redistribution metrics under ``bgp`` (the `protocols bgp` path)."""
    at = bgp + ("parameters",)
    values = [tree.value(*at, "distance", "global", k, default=False) for k in ("external", "internal", "local")]
    distance = None
    if all(v is not None and v.isdigit() for v in values):
        distance = (int(values[0]), int(values[1]), int(values[2]))
    stale = tree.value(*at, "graceful-restart", "stalepath-time", default=False)
    metric = []
    for family in families:
        for source in SOURCES:
            med = tree.value(*bgp, "address-family", family, "redistribute", source, "metric", default=False)
            if med is not None and med.isdigit():
                metric.append((family, source, int(med)))
    return Parameters(
        distance=distance,
        graceful_restart=tree.exists(*at, "graceful-restart"),
        stalepath_time=int(stale) if stale is not None and stale.isdigit() else None,
        log_neighbor_changes=tree.exists(*at, "log-neighbor-changes"),
        metric=tuple(metric),
    )
