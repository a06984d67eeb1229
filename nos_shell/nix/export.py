"""`show configuration nix`: a configuration as the equivalent ``nix-nos`` attribute set.

What the nix-nos options can express goes into options; every other line goes, as
written by `show configuration commands`, into ``extraCommands``, so the module
(nos_shell/nix/generators.nix) generates exactly the lines of the configuration again.
To make that exact, each candidate (an interface, a VLAN, a route, BGP, masquerading) is
taken only when the lines the generators would write for it (:mod:`.mirror`) are all in
the configuration and not already claimed by another; the rest is ``extraCommands``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import mirror
from .nixlit import nix_name, nix_string

if TYPE_CHECKING:
    from ..config.tree import ConfigTree


def _claim(lines: set[str], taken: set[str], made: list[str]) -> bool:
    """Take the lines ``made`` if all exist and none is taken yet."""
    if not made or not set(made) <= lines or set(made) & taken or len(set(made)) != len(made):
        return False
    taken.update(made)
    return True


def options(tree: "ConfigTree") -> dict[str, Any]:
    """The nix-nos options of ``tree``: a dict of str, int, bool, list and dict values."""
    from ..config import render

    shown = render.to_commands(tree).splitlines()
    lines, taken = set(shown), set()
    data = render.to_data(tree.root, tree.schema)
    out: dict[str, Any] = {"enable": True}
    for group, builder in mirror.GROUPS:
        found: dict[str, Any] = {}
        for name, value in builder(data):
            if name in found or (group == "bgp" and name and "" not in found):
                continue        # one route per destination; peers only under a taken BGP
            if _claim(lines, taken, mirror.lines(group, name, value)):
                found[name] = value
        if found:
            mirror.place(out, group, found)
    out["extraCommands"] = [line for line in shown if line not in taken]
    return out


def _nix(value: Any, pad: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return nix_string(value)
    inner = pad + "  "
    if isinstance(value, list):
        if not value:
            return "[ ]"
        return "[\n" + "".join(f"{inner}{_nix(v, inner)}\n" for v in value) + pad + "]"
    if not value:
        return "{ }"
    return "{\n" + "".join(f"{inner}{nix_name(k)} = {_nix(v, inner)};\n" for k, v in value.items()) + pad + "}"


def to_nix(tree: "ConfigTree") -> str:
    """The text of `show configuration nix`: ``nix-nos = <this>;`` in a NixOS configuration."""
    return ("# nix-nos options of this configuration: nix-nos = import ./this-file.nix;\n"
            + _nix(options(tree), "") + "\n")
