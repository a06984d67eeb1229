"""The `nos-shell` command: interactive shell, `-c COMMAND`, `-f FILE`, and where state lives."""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

LIVE_SETTING = Path("/etc/nos-shell/live")


def sandbox_root() -> Path:
    """The per-user sandbox used when neither --root nor live mode is chosen."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "nos-shell" / "sandbox"


def choose_root(args: argparse.Namespace) -> tuple[Path, bool]:
    """(root, live): --root wins; live mode only by --live or the settings file."""
    if args.root:
        return Path(args.root).resolve(), False
    if args.live or (LIVE_SETTING.exists() and os.geteuid() == 0):
        return Path("/"), True
    return sandbox_root(), False


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nos-shell", description="A VyOS-style router shell for Linux.",
        epilog="Without --root or --live, all state stays in a per-user sandbox "
               f"({sandbox_root()}).")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--root", metavar="DIR", help="keep all state and generated files under DIR")
    where.add_argument("--live", action="store_true",
                       help="manage this machine (root /); also enabled by the file "
                            f"{LIVE_SETTING}")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("-c", metavar="COMMAND", dest="command", help="run one operational command")
    what.add_argument("-f", metavar="FILE", dest="file", help="run the lines of FILE ('-' for stdin)")
    parser.add_argument("--user", default=None, help="user name shown in prompts and commit history")
    parser.add_argument("--plain", action="store_true",
                        help="plain line prompt even on a terminal (no completion menu or colours)")
    sub = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
    ssh = sub.add_parser("ssh-server", help="serve the shell over SSH (see docs/ssh.md)",
                         description="Serve the shell over SSH where `service ssh` says.")
    ssh.add_argument("--port", type=int, action="append", default=None,
                     help="listen on this port instead of `service ssh port` (0: any free port)")
    ssh.add_argument("--listen", action="append", default=None, metavar="ADDRESS",
                     help="listen on this address instead of `service ssh listen-address`")
    ssh.add_argument("--host-key", metavar="FILE", default=None,
                     help="host key (default ROOT/var/lib/nos-shell/ssh/ssh_host_ed25519_key, made on first start)")
    ssh.add_argument("--full-screen", action="store_true",
                     help="allow the full-screen editor for clients with a PTY and an xterm-like TERM "
                          "(default: the plain line mode for every client)")
    ssh.add_argument("--log-level", default="info", choices=("debug", "info", "warning", "error"))
    ssh.add_argument("--login-burst", type=int, default=10, metavar="N",
                     help="password attempts a source address may make at once (default 10)")
    ssh.add_argument("--login-refill", type=float, default=6.0, metavar="SECONDS",
                     help="after those, one more attempt every SECONDS (default 6)")
    lab = sub.add_parser("lab", help="routers and hosts in network namespaces (see docs/lab.md)",
                         add_help=False, prefix_chars="\0")
    lab.add_argument("lab_args", nargs=argparse.REMAINDER)
    sub.add_parser("boot", help="after a restart: load the saved configuration and apply everything",
                   description="Commit the saved configuration when it differs from the running one "
                               "(as VyOS does at boot), then apply every backend as if all were new.")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.subcommand == "lab":        # its own root per router: no sandbox, no recovery here
        from .lab.cli import main as lab_main

        return lab_main(args.lab_args)
    root, live = choose_root(args)
    if not recover(root):
        return 1
    if args.subcommand == "ssh-server":
        from .shell import ssh

        return ssh.main(root, args)
    if args.subcommand == "boot":
        return run_boot(root)
    user = args.user or _login_name()
    from .session import Session

    if _PROCESS["entry"] and (args.command is not None or args.file is not None):
        _one_shot()
    try:
        if args.command is not None:
            return run_command(Session(root, user=user, via="cli"), args.command)
        if args.file is not None:
            return run_file(Session(root, user=user, via="file"), args.file)
        if sys.stdin.isatty():
            where = "this machine (live)" if live else f"sandbox root {root}"
            print(f"nos-shell: managing {where}", file=sys.stderr)
        from .logins import Login

        login = Login.enter(root, user, "cli", os.ttyname(0) if sys.stdin.isatty() else "-")  # `show users`
        try:
            if not args.plain and full_screen_terminal():
                from .shell.app import run_terminal

                return run_terminal(Session(root, user=user, via="cli"))
            return interactive(Session(root, user=user, via="cli"))
        finally:
            login.leave()
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        print(f"nos-shell: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - never a traceback: one line, details in the log
        return report_unexpected(exc, root)


_PROCESS = {"entry": False, "fast_exit": False}
"""Whether :func:`run` (the program itself, not a caller of :func:`main`) runs this process,
and whether it may end it without the interpreter's teardown."""


def _one_shot() -> None:
    """A one-shot run (-c, -f) of the program: no cyclic garbage collection (reference
    counting frees nearly everything; a large configuration's objects would only be walked
    for nothing) and, at the end, no interpreter teardown (freeing the trees, models and the
    manifest one object at a time, and a last full collection): the process just ends."""
    import gc

    gc.disable()
    _PROCESS["fast_exit"] = True


def run() -> None:
    """The `nos-shell` program: :func:`main`, and its exit status. A one-shot run ends with
    ``os._exit`` once its output is flushed (every file it wrote is already closed and
    synced; nothing of it runs at exit); when the flush fails (a closed pipe), the
    interpreter exits as usual and says so."""
    _PROCESS["entry"] = True
    status = main()
    if _PROCESS["fast_exit"]:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            sys.exit(status)
        os._exit(status)
    sys.exit(status)


def report_unexpected(exc: Exception, root: Path) -> int:
    """One line on stderr for an error no other handler took (NosError or a bug)."""
    from .errors import NosError

    if not isinstance(exc, NosError):
        from .crashlog import internal_error

        exc = internal_error(exc, root, "nos-shell (command line)")
    sys.stdout.flush()
    print(f"nos-shell: {exc.summary}", file=sys.stderr)
    return 1


def recover(root: Path) -> bool:
    """Before anything else: resolve a commit a crash interrupted (nos_shell/engine/recovery.py),
    saying on stderr what was done. False when that failed (the message says why)."""
    from .engine.recovery import at_start
    from .errors import NosError

    try:
        at_start(root)
    except NosError as exc:
        sys.stderr.write(exc.render())
        return False
    return True


def run_boot(root: Path) -> int:
    from .engine.boot import boot
    from .errors import NosError

    try:
        sys.stdout.write(boot(root))
    except NosError as exc:
        sys.stderr.write(exc.render())
        return 1
    except Exception as exc:  # noqa: BLE001 - one line and the log, as everywhere else
        return report_unexpected(exc, root)
    return 0


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "vyos"


def full_screen_terminal() -> bool:
    """A terminal the prompt_toolkit shell can drive: stdin and stdout are TTYs, TERM is not dumb."""
    term = os.environ.get("TERM", "")
    return sys.stdin.isatty() and sys.stdout.isatty() and term not in ("", "dumb", "vt100", "unknown")


def run_command(session, line: str) -> int:
    """`-c`: one operational command; its error goes to stderr and sets exit status 1.
    A streaming command's output is written as it comes; Ctrl-C stops it (status 130).
    `configure` is refused: its mode would end with the process (SSH exec does the same)."""
    from .commands import is_configure

    if is_configure(line):
        sys.stderr.write("nos-shell: configure needs an interactive session (nos-shell without -c), "
                         "or a command file: nos-shell -f FILE\n")
        return 1
    result = session.run(line, stream=True)
    if not result.ok:
        sys.stderr.write(result.error.summary + "\n")
        return 1
    sys.stdout.write(result.output)
    if result.stream is None:
        return 0
    from .streams import as_error, write_stream

    def write(chunk: str) -> None:
        sys.stdout.write(chunk)
        sys.stdout.flush()

    error = as_error(write_stream(result.stream, write), session.store.root)
    if error is not None:
        sys.stdout.flush()
        sys.stderr.write(error.summary + "\n")
        return 1
    return 130 if result.stream.cancelled else 0


def read_lines(name: str) -> list[str]:
    """The lines of a command file, split on newline only (a U+2028 or a lone CR inside a
    quoted value stays in the value, where the schema refuses it with the line number)."""
    if name == "-":     # the binary stream: text mode would turn a lone CR into a line end
        stream = getattr(sys.stdin, "buffer", None)
        text = stream.read().decode() if stream is not None else sys.stdin.read()
    else:
        text = Path(name).read_bytes().decode()
    lines = text.split("\n")
    return lines[:-1] if lines and not lines[-1] else lines


def run_file(session, name: str) -> int:
    """`-f`: run lines as if typed; the first failure stops everything and nothing is kept."""
    from .engine.sources import text_line
    from .errors import report

    label = "<stdin>" if name == "-" else name
    try:
        lines = read_lines(name)
    except UnicodeDecodeError as exc:
        # a file is decoded whole, so the offset gives its line; stdin is read in chunks
        where = "" if name == "-" else f"{text_line(exc.object, exc.start)}:"
        sys.stderr.write(f"{label}:{where} not a text file (invalid UTF-8)\n")
        return 1
    try:
        result = session.run_script(lines, label)
    except OSError as exc:        # writing what the script saved or committed
        sys.stderr.write(f"{label}: {exc.strerror or exc}: {exc.filename or ''}\n")
        return 1
    sys.stdout.write(result.output)
    if not result.ok:
        sys.stdout.flush()
        sys.stderr.write(report(result.error) + "\n")
        return 1
    return 0


def interactive(session) -> int:
    """The interactive shell. Without a capable terminal (stdin not a TTY, TERM dumb or
    unset) this is the plain line mode of nos_shell/shell/plain.py: no escape sequences,
    no line editor; automation and pipes get exactly the prompts and output."""
    from .shell.stdio import run_stdio

    return run_stdio(session)


if __name__ == "__main__":
    run()
