"""``nos-shell lab graph FILE|NAME [--dot] [--output FILE]``: the verb's arguments and body.

The ``lab`` command registers it: ``add_arguments(subparser)`` then
``main_graph(args, resolve)`` (``resolve`` turns a lab's NAME into its topology file; for
an unknown name it returns None or raises an exception whose message is shown). Without --output the text (or with --dot the DOT text) goes to
standard output; --output FILE writes the DOT text for ``.dot``/``.gv``, the text for
``.txt``, and a picture drawn by Graphviz for ``.svg``/``.png``/``.pdf``.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

DOT_SUFFIXES = (".dot", ".gv")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``lab graph``."""
    parser.add_argument("lab", metavar="FILE|NAME",
                        help="a topology file (or its directory), or the name of a lab")
    parser.add_argument("--dot", action="store_true", help="Graphviz DOT text instead of the plain text")
    parser.add_argument("--output", metavar="FILE",
                        help="write to FILE: .dot/.gv the DOT text, .txt the text, .svg/.png/.pdf a picture")


def topology_file(lab: str, resolve: Callable[[str], Path | None] | None = None) -> Path | None:
    """The topology file ``lab`` names: a file, a directory holding lab.toml, or a lab's name."""
    path = Path(lab)
    if path.is_dir():
        path = path / "lab.toml"
    if path.is_file():
        return path
    if resolve is not None and "/" not in lab:
        return resolve(lab)     # (its exceptions are the caller's to report)
    return None


def main_graph(args: argparse.Namespace, resolve: Callable[[str], Path | None] | None = None) -> int:
    """Run ``lab graph``; 0 when drawn, 1 (with a message on standard error) when not."""
    from .graph import GraphError, as_dot, as_text, render_picture
    from .routerports import router_ports
    from .topology import TopologyError, load

    try:
        path = topology_file(args.lab, resolve)
    except Exception as err:        # whatever the lab's own look-up raises: its message
        print(f"lab graph: {err}", file=sys.stderr)
        return 1
    if path is None:
        print(f"lab graph: {args.lab}: no such topology file or lab", file=sys.stderr)
        return 1
    try:
        topo = load(path)
    except TopologyError as err:
        print(f"lab graph: {err}", file=sys.stderr)
        return 1
    ports, problems = router_ports(topo, path.parent)
    for problem in problems:
        print(f"lab graph: {problem}", file=sys.stderr)
    output = Path(args.output) if args.output else None
    want_dot = args.dot or (output is not None and output.suffix.lower() != ".txt")
    text = as_dot(topo, ports) if want_dot else as_text(topo, ports)
    if output is None:
        sys.stdout.write(text)
        return 0
    try:
        if output.suffix.lower() in (*DOT_SUFFIXES, ".txt"):
            try:
                output.write_text(text, encoding="utf-8")
            except OSError as err:
                raise GraphError(f"{output}: cannot write: {err}") from None
        else:
            render_picture(text, output)
    except GraphError as err:
        print(f"lab graph: {err}", file=sys.stderr)
        return 1
    print(f"lab graph: wrote {output}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m nos_shell.lab.graph_cli FILE [--dot] [--output FILE]`` until ``lab`` registers it."""
    parser = argparse.ArgumentParser(prog="nos-shell lab graph")
    add_arguments(parser)
    return main_graph(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
