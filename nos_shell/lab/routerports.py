"""The interfaces a lab's router configurations define, for ``lab graph``.

A router's file is read without committing anything: as config.boot when it is one (a
``.boot`` name, or a line that opens a block with ``{``), else as a command file, of which
only the ``set`` and ``delete`` lines count, in order (edit levels are not followed: the
lab's command files use none). A file that cannot
be read leaves its router out, with one message naming the file.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .graph import Port, Ports

if TYPE_CHECKING:
    from nos_shell.config.tree import ConfigTree

    from .topology import Topology


def is_boot_text(path: Path, text: str) -> bool:
    """config.boot (blocks in braces) rather than a command file (lines of words)."""
    if path.suffix == ".boot":
        return True
    return any(line.rstrip().endswith("{") for line in text.splitlines()
               if line.strip() and not line.lstrip().startswith(("#", "//", "/*")))


def read_tree(path: Path) -> ConfigTree:
    """A router's configuration file as a tree (ValueError/OSError/NosError when it cannot be)."""
    text = path.read_text(encoding="utf-8")
    if is_boot_text(path, text):
        from nos_shell.config.bootfile import load_boot

        return load_boot(text, str(path), ignore_unknown=True)[0]
    from nos_shell.api import tree_from_commands
    from nos_shell.commands import is_blank, split_words

    lines = [line for line in text.splitlines()
             if not is_blank(line) and split_words(line)[0] in ("set", "delete")]
    return tree_from_commands("\n".join(lines))


def ports_of(tree: ConfigTree) -> list[Port]:
    """Every interface the tree defines, with its addresses (``dhcp`` as written)."""
    from nos_shell.models.interfaces import interfaces

    out = []
    for iface in interfaces(tree):
        members: tuple[str, ...] = ()
        if iface.kind == "bridge":
            members = tuple(tree.keys(*iface.at("member", "interface")))
        out.append(Port(iface.name, tuple(tree.values(*iface.at("address"))),
                        iface.parent, iface.vlan_id, members))
    return out


def router_ports(topo: Topology, base: Path) -> tuple[Ports, list[str]]:
    """(router name -> its ports, messages for the files that could not be read); the
    configuration files are named relative to ``base``, the topology file's directory."""
    from nos_shell.errors import NosError

    ports: Ports = {}
    problems = []
    for node in topo.routers():
        path = base / str(node.config)
        try:
            ports[node.name] = ports_of(read_tree(path))
        except (OSError, UnicodeDecodeError, ValueError, NosError) as err:
            first = str(err).splitlines()[0] if str(err) else type(err).__name__
            problems.append(f"{path}: {first} (its interfaces are shown from the links only)")
    return ports, problems
