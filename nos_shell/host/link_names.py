"""The names of the links in the router's network namespace: a host fact for verify
(nos_shell/models/host_facts.py), read only for a live target."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..apply.target import Target


def link_names(target: "Target | None") -> frozenset[str]:
    """Link names of ``target``'s namespace; none for no target or a sandbox root."""
    if target is None or not target.live:
        return frozenset()
    from .netlink import read

    try:
        return frozenset(read(target, lambda nl: [msg.get_attr("IFLA_IFNAME") for msg in nl.get_links()]))
    except (OSError, ImportError):
        return frozenset()
