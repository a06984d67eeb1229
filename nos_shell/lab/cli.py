"""``nos-shell lab ...``: up, down, status, exec, shell, ssh (see docs/lab.md).

Imported only when the first argument is ``lab`` (nos_shell/cli.py), so the shell's own
start-up never pays for it. ``exec``, ``shell`` and ``ssh`` replace this process with the
program run in the node's namespaces (an argv list, never a shell string).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .state import LabError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nos-shell lab",
                                     description="Routers and hosts in network namespaces (docs/lab.md).")
    sub = parser.add_subparsers(dest="verb", metavar="COMMAND", required=True)
    up = sub.add_parser("up", help="bring a lab up from its topology file")
    up.add_argument("file", metavar="FILE", type=Path)
    up.add_argument("--name", help="the lab's name (default: the file's)")
    up.add_argument("--dir", type=Path, help="where the routers' roots go "
                                             "(default /var/lib/nos-shell/labs/NAME)")
    up.add_argument("--vm", action="store_true",
                    help="run the lab in a Debian kernel under QEMU (VLAN, bond, dummy, WireGuard links): "
                         "up, the --then commands, status, down, in one boot")
    up.add_argument("--then", action="append", default=[], metavar="COMMAND",
                    help="with --vm: a lab command to run once the lab is up, e.g. "
                         "'exec NODE -- ping -c1 192.0.2.1' (repeatable)")
    down = sub.add_parser("down", help="remove everything of a lab (also after a crash of lab up)")
    down.add_argument("lab", metavar="NAME|FILE")
    status = sub.add_parser("status", help="nodes, links, daemons and BGP sessions of the labs")
    status.add_argument("lab", metavar="NAME", nargs="?")
    status.add_argument("--json", action="store_true", help="as JSON (without the BGP sessions)")
    run = sub.add_parser("exec", help="run a command in a node: lab exec NODE -- COMMAND...")
    run.add_argument("node", metavar="[LAB:]NODE")
    run.add_argument("command", nargs=argparse.REMAINDER)
    shell = sub.add_parser("shell", help="the interactive nos-shell of a router")
    shell.add_argument("node", metavar="[LAB:]NODE")
    ssh = sub.add_parser("ssh", help="ssh to a router's SSH service (from inside the router)")
    ssh.add_argument("node", metavar="[LAB:]NODE")
    ssh.add_argument("ssh_args", nargs=argparse.REMAINDER, metavar="-- SSH-ARGS")
    graph = sub.add_parser("graph", help="the topology as text, Graphviz DOT or a picture")
    from .graph_cli import add_arguments

    add_arguments(graph)
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        return VERBS[args.verb](args)
    except LabError as err:
        print(f"nos-shell lab: {err}", file=sys.stderr)
        return 1
    except ValueError as err:       # TopologyError
        print(f"nos-shell lab: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _root_needed() -> None:
    if os.geteuid() != 0:
        raise LabError("labs need root (network namespaces and mounts)")


def cmd_up(args: argparse.Namespace) -> int:
    if args.vm:
        from .vmlab import up_in_vm

        return up_in_vm(args.file, args.name, args.then)
    _root_needed()
    from .up import up

    state = up(args.file, args.name, args.dir)
    print(f"lab {state.name} is up: nos-shell lab status {state.name}")
    return 0


def cmd_down(args: argparse.Namespace) -> int:
    _root_needed()
    from . import state as lab_state
    from .down import down

    name = args.lab
    if Path(name).is_file():
        from .topology import load

        name = load(name).name
    for line in down(lab_state.load(name)):
        print(line)
    print(f"lab {name} is down")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from . import state as lab_state
    from .status import as_json, report

    names = [args.lab] if args.lab else lab_state.names()
    if not names:
        print("no lab is running")
    for name in names:
        state = lab_state.load(name)
        sys.stdout.write(as_json(state) if args.json else report(state))
    return 0


def _exec(argv: list[str]) -> int:
    sys.stdout.flush()
    try:
        os.execvp(argv[0], argv)
    except OSError as err:
        raise LabError(f"{argv[0]}: {err}") from None
    return 1        # not reached


def cmd_exec(args: argparse.Namespace) -> int:
    from .state import find_node

    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        raise LabError("no command: lab exec NODE -- COMMAND...")
    _, node = find_node(args.node)
    prefix = node.prefix
    if node.anchor:     # entering a mount namespace resets the working directory: keep ours
        prefix = [prefix[0], f"--wd={os.getcwd()}", *prefix[1:]]
    return _exec([*prefix, *command])


def cmd_shell(args: argparse.Namespace) -> int:
    from .state import find_node

    _, node = find_node(args.node)
    if not node.root:
        raise LabError(f"{node.name} is a host, not a router: use lab exec {args.node} -- COMMAND")
    return _exec([*node.prefix, sys.executable, "-m", "nos_shell", "--root", node.root])


def cmd_ssh(args: argparse.Namespace) -> int:
    from .state import find_node

    _, node = find_node(args.node)
    if not node.ssh:
        raise LabError(f"{node.name} runs no SSH service (its configuration has no 'service ssh')")
    extra = args.ssh_args[1:] if args.ssh_args[:1] == ["--"] else args.ssh_args
    return _exec([*node.prefix, "ssh", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                  *extra, *node.ssh])


def cmd_graph(args: argparse.Namespace) -> int:
    from . import state as lab_state
    from .graph_cli import main_graph

    def running(name: str) -> Path | None:
        return Path(lab_state.load(name).source) if name in lab_state.names() else None

    return main_graph(args, resolve=running)


VERBS = {"graph": cmd_graph, "up": cmd_up, "down": cmd_down, "status": cmd_status, "exec": cmd_exec, "shell": cmd_shell,
         "ssh": cmd_ssh}
