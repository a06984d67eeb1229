"""`nos-shell ssh-server`: the router's SSH server (asyncssh), one Session per SSH session.

Where it listens: `service ssh port` (default 22) on each `service ssh listen-address`
(default: all addresses) of the running configuration under the root. The server watches
the revision archive and rebinds when a commit changes `service ssh`; without `service ssh`
it listens nowhere until it is configured. ``--port`` / ``--listen`` override the
configuration (tests use ``--listen 127.0.0.1 --port 0``: a free port, printed on stderr).

Who may log in and at which level: nos_shell/shell/auth.py (`system login user`).

What a session gets:

- an interactive shell (``ssh HOST``) runs the plain line mode of nos_shell/shell/plain.py,
  unless full-screen mode is allowed (``--full-screen``), the client asked for a PTY with a
  capable TERM (xterm*, screen*, tmux*, rxvt*, linux) and nos_shell/shell/app.py provides
  ``async def serve_ssh(process, session) -> int``. The default is plain for everyone:
  automation clients cannot be told apart by TERM (netmiko, napalm and paramiko send
  ``vt100``, Ansible over libssh and scrapli's system transport send ``xterm``-like types);
- a command (``ssh HOST 'show version'``) runs as one operational command, like
  ``nos-shell -c``: output on stdout, the error on stderr and exit status 1;
- output of commands that run a program (``ping``) is sent as it comes; Ctrl-C (a
  ``\\x03`` byte, a ``break`` or ``signal`` request) stops the program, and input typed
  meanwhile waits for the next prompt (nos_shell/shell/relay.py);
- subsystems (sftp, ...), port forwarding, agent and X11 forwarding are refused.

No request ever reaches a system shell. Nothing slow runs on the event loop: commands
and password checks run in worker threads (nos_shell/shell/workers.py), guesses are
limited per source address (throttle.py), lines and output are bounded (limits.py).
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import importlib.util
import logging
import os
import re
import signal
import sys
from pathlib import Path

import asyncssh

from .. import confirm
from ..commands import is_configure
from ..session import Session
from ..store import ARCHIVE, Store
from .auth import Authenticator
from .channels import WINDOW, Sessions
from .connlimits import Slots, logged_in, unauthenticated
from .hostkey import host_key_path, load_host_key
from .limits import LINE_TOO_LONG, MAX_LINE, MAX_OUTPUT, output_cut
from .plain import LineProtocol, is_terminal_setting, shell_compat
from .relay import ChannelInput, relay
from .throttle import LoginThrottle
from .workers import Workers

log = logging.getLogger("nos_shell.ssh")

DEFAULT_PORT = 22
FULL_SCREEN_TERMS = ("xterm", "screen", "tmux", "rxvt", "linux")
WATCH_SECONDS = 2.0
FAILED_LOGIN_DELAY = 0.5
STOP_GRACE = 5.0          # seconds running commands get after SIGTERM
WRITE_CHUNK = 64 * 1024


# -- where to listen ------------------------------------------------------------------------
def listen_pairs(tree, ports: list[int] | None = None, addresses: list[str] | None = None
                 ) -> list[tuple[str, int]]:
    """(address, port) pairs; "" means every address. Empty when SSH is not configured and
    nothing was given on the command line."""
    configured = tree.exists("service", "ssh")
    if not configured and ports is None and addresses is None:
        return []
    if ports is None:
        ports = [int(p) for p in tree.values("service", "ssh", "port")] or [DEFAULT_PORT]
    if addresses is None:
        addresses = tree.values("service", "ssh", "listen-address") or [""]
    return [(a, p) for a in addresses for p in ports]


def use_full_screen(term: str | None, allowed: bool) -> bool:
    """The rule for the full-screen editor: allowed by the server setting, a PTY with a
    capable terminal type, and the full-screen app installed. Everything else is plain."""
    if not allowed or not term:
        return False
    if not term.lower().startswith(FULL_SCREEN_TERMS):
        return False
    return importlib.util.find_spec("nos_shell.shell.app") is not None


# -- authentication ---------------------------------------------------------------------------
class _Server(asyncssh.SSHServer):
    def __init__(self, auth: Authenticator, workers: Workers, throttle: LoginThrottle,
                 slots: tuple[Slots, Slots], handler: "Handler"):
        self.auth = auth
        self.sessions = Sessions(handler)
        self.conn: asyncssh.SSHServerConnection | None = None
        self.workers = workers
        self.throttle = throttle
        self.waiting, self.users = slots    # not logged in per source; logged in per user
        self.counted: tuple[Slots, str] | None = None   # where this connection is counted
        self.address = "?"
        self.peer = "?"

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        peer = conn.get_extra_info("peername") or ("?", 0)
        self.address = str(peer[0])
        self.peer = f"{peer[0]}:{peer[1]}"
        self._count(self.waiting, self.throttle.source(self.address),
                    "too many connections not logged in")

    def _count(self, slots: Slots, key: str, why: str) -> None:
        """Count this connection under ``key``, or close it at once (connlimits.py)."""
        if slots.open(key):
            self.counted = (slots, key)
            return
        log.warning("refused connection from %s: %s (%d in all)", self.peer, why, slots.count)
        asyncio.get_running_loop().call_soon(self.conn.abort)  # type: ignore[union-attr]

    def _uncount(self) -> None:
        if self.counted is not None:
            slots, key = self.counted
            slots.done(key)
            self.counted = None

    def auth_completed(self) -> None:
        self._uncount()
        user = self.conn.get_extra_info("username") or "?"  # type: ignore[union-attr]
        self._count(self.users, user, f"{user} has too many connections")

    def session_requested(self):
        if self.counted is None or self.counted[0] is not self.users:
            return False        # being closed: past its user's limit
        return self.sessions.request(self.conn)

    def connection_lost(self, exc: Exception | None) -> None:
        self._uncount()

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return self.auth.password_allowed()

    async def validate_password(self, username: str, password: str) -> bool:
        if not self.throttle.take(self.address):
            log.warning("refused password for %s from %s: too many failed logins from there",
                        username, self.peer)
            await asyncio.sleep(FAILED_LOGIN_DELAY)
            return False
        log.debug("checking password for %s from %s", username, self.peer)
        ok = await self.workers.login(self.auth.check_password, username, password)
        log.info("%s password for %s from %s", "accepted" if ok else "refused", username, self.peer)
        if ok:
            self.throttle.give_back(self.address)
        else:
            await asyncio.sleep(FAILED_LOGIN_DELAY)   # slows guessing down, blocks nobody else
        return ok

    def public_key_auth_supported(self) -> bool:
        return True

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        ok = self.auth.check_key(username, key.export_public_key("openssh").decode())
        log.info("%s public key for %s from %s", "accepted" if ok else "refused", username, self.peer)
        return ok


# -- sessions ----------------------------------------------------------------------------------
class Handler:
    """Runs one SSH session (shell, command or subsystem request)."""

    def __init__(self, root: Path, auth: Authenticator, full_screen: bool = False,
                 workers: Workers | None = None):
        self.root = root
        self.auth = auth
        self.full_screen = full_screen
        self.workers = workers or Workers()

    async def __call__(self, process: asyncssh.SSHServerProcess) -> None:
        user = process.get_extra_info("username")
        # in a worker: a new session first resolves an unfinished journal under the commit
        # lock, which another session's commit may hold for as long as its reloads take
        session = await self.workers.command(
            user, functools.partial(Session, self.root, user=user, via="ssh", level=self.auth.level(user)))
        status = 1
        try:
            if process.subsystem:
                process.stderr.write(f"nos-shell: subsystem '{process.subsystem}' is not available\n".encode())
            elif process.command is not None:
                status = await self.command(process, session)
            else:
                from ..logins import Login

                peer = (process.get_extra_info("peername") or ("-",))[0]
                login = Login.enter(self.root, user, "ssh", process.get_terminal_type() and "pty" or "-", peer)
                try:
                    status = await self.shell(process, session)
                finally:
                    login.leave()         # out of `show users`
        except (asyncssh.Error, BrokenPipeError, ConnectionError):
            pass
        except Exception:
            log.exception("session of %s failed", user)
        session.close()         # out of `show configuration sessions`, exclusive lock released
        with contextlib.suppress(Exception):
            process.exit(status)

    async def shell(self, process: asyncssh.SSHServerProcess, session: Session) -> int:
        term = process.get_terminal_type()
        if use_full_screen(term, self.full_screen):
            from . import app  # type: ignore[attr-defined]

            process.wants_events = True     # it reads them as they come (channels.py)
            log.info("%s: full-screen session (TERM=%s)", session.user, term)
            return await app.serve_ssh(process, session)
        log.info("%s: plain session (%s)", session.user, f"TERM={term}" if term else "no PTY")
        # with a PTY the client's terminal is raw and expects the server to echo; without
        # one the client's own terminal (if any) echoes
        proto = LineProtocol(session, echo=term is not None, newline="\r\n", streams=True)
        await _send(process.stdout, proto.start())
        typed = ChannelInput(process, proto.interrupt)
        try:
            while not proto.finished:
                data = await typed.get()
                if data is None:
                    # the client closed its side: what was typed without Enter is not run
                    process.stdout.write(proto.eof(run_partial=False))
                    break
                # one line at a time, each answer sent (as fast as the client reads) before
                # the next line runs: a client that sends many lines and reads nothing makes
                # the server hold one command's output, not the output of every line it sent
                for piece in _LINE_PIECES.findall(data):
                    if proto.finished:
                        break
                    typed.busy = True
                    try:
                        await _send(process.stdout, await self.workers.command(session.user, proto.feed, piece))
                        await self._streams(process, proto, session)
                    finally:
                        typed.busy = False
        finally:
            typed.close()
        return 0

    async def _streams(self, process: asyncssh.SSHServerProcess, proto: LineProtocol, session: Session) -> None:
        """Send the output of the streams ``proto`` starts as it comes (Ctrl-C stops one)."""
        from ..streams import as_error

        while proto.stream is not None:
            error = await relay(proto.stream, lambda chunk: _send(process.stdout, proto.render(chunk)),
                                lambda work: self.workers.command(session.user, work))
            tail = await self.workers.command(session.user, proto.finish_stream,
                                              as_error(error, self.root))
            await _send(process.stdout, tail)

    async def command(self, process: asyncssh.SSHServerProcess, session: Session) -> int:
        """One operational command, as `nos-shell -c` runs it. Never a system shell."""
        line = process.command
        newline = "\r\n" if process.get_terminal_type() else "\n"
        log.info("%s: command %r", session.user, line[:200])
        if len(line) > MAX_LINE:
            process.stderr.write(LINE_TOO_LONG.strip().encode() + b"\n")
            return 1
        if is_terminal_setting(line):
            return 0
        answer = shell_compat(line)
        if answer is not None:
            process.stdout.write(answer.replace("\n", newline).encode())
            return 0
        if is_configure(line):
            process.stderr.write(b"configure needs an interactive session (ssh without a command)\n")
            return 1
        result = await self.workers.command(session.user, functools.partial(session.run, line, stream=True))
        if not result.ok:
            process.stderr.write((result.error.summary + "\n").encode())  # type: ignore[union-attr]
            return 1
        await _send(process.stdout, output_cut(result.output).replace("\n", newline).encode())
        if result.stream is not None:
            return await self._exec_stream(process, session, result.stream, newline)
        return 0

    async def _exec_stream(self, process: asyncssh.SSHServerProcess, session: Session, stream,
                           newline: str) -> int:
        """An exec request's streaming output, sent as it comes. Ctrl-C: a break or signal
        request, or (with a PTY, whose client sends keys as bytes) a ``\\x03`` byte."""
        from ..streams import as_error

        typed = ChannelInput(process, stream.cancel, ctrl_c=newline == "\r\n", limit=EXEC_HELD_INPUT)
        typed.busy = True
        sent = 0

        async def send(chunk: str) -> None:
            nonlocal sent
            if sent <= MAX_OUTPUT:
                sent += len(chunk)
                if sent > MAX_OUTPUT:
                    stream.cancel()
                await _send(process.stdout, output_cut(chunk, max(0, MAX_OUTPUT - sent + len(chunk)))
                            .replace("\n", newline).encode())

        try:
            error = as_error(await relay(stream, send, lambda work: self.workers.command(session.user, work)),
                             self.root)
        finally:
            typed.close()
        if error is not None:
            process.stderr.write((error.summary + "\n").encode())
            return 1
        return 130 if stream.cancelled else 0


#: input an exec request's client may send ahead (it is never read as commands; only Ctrl-C counts)
EXEC_HELD_INPUT = 4096

_LINE_PIECES = re.compile(rb"[^\r\n]*[\r\n]|[^\r\n]+")     # each ends at CR or LF, or the data does


async def _send(stream: asyncssh.SSHWriter, data: bytes) -> None:
    """Write in chunks, waiting while the client does not read (bounded buffering)."""
    for start in range(0, len(data), WRITE_CHUNK):
        stream.write(data[start:start + WRITE_CHUNK])
        await stream.drain()


# -- the server ----------------------------------------------------------------------------------
class SSHService:
    """The listeners of one root; :meth:`sync` binds what the configuration asks for."""

    def __init__(self, root: Path, host_key: asyncssh.SSHKey, *, ports: list[int] | None = None,
                 addresses: list[str] | None = None, full_screen: bool = False,
                 throttle: LoginThrottle | None = None):
        self.root = Path(root)
        self.host_key = host_key
        self.ports = ports
        self.addresses = addresses
        self.auth = Authenticator(self.root)
        self.workers = Workers()
        self.throttle = throttle or LoginThrottle()
        self.slots = (unauthenticated(), logged_in())
        self.handler = Handler(self.root, self.auth, full_screen, self.workers)
        self.servers: dict[tuple[str, int], asyncssh.SSHAcceptor] = {}
        self.failed: set[tuple[str, int]] = set()

    @property
    def fixed(self) -> bool:
        """Listening where the command line said: nothing to watch."""
        return self.ports is not None and self.addresses is not None

    def wanted(self) -> list[tuple[str, int]]:
        return listen_pairs(Store(self.root).running(), self.ports, self.addresses)

    async def sync(self) -> None:
        wanted = self.wanted()
        for pair in [p for p in self.servers if p not in wanted]:
            self.servers.pop(pair).close()
            log.info("stopped listening on %s", _where(pair))
        for pair in wanted:
            if pair in self.servers:
                continue
            try:
                server = await asyncssh.create_server(
                    lambda: _Server(self.auth, self.workers, self.throttle, self.slots, self.handler),
                    pair[0] or None, pair[1], server_host_keys=[self.host_key],
                    encoding=None, line_editor=False, allow_scp=False, agent_forwarding=False,
                    x11_forwarding=False, login_timeout=60, reuse_address=True, window=WINDOW)
            except OSError as exc:
                if pair not in self.failed:
                    log.error("cannot listen on %s: %s", _where(pair), exc.strerror or exc)
                    self.failed.add(pair)
                continue
            self.failed.discard(pair)
            self.servers[pair] = server
            for sock in server.sockets:
                host, port = sock.getsockname()[:2]
                # the line tests and operators look for: where the server really listens
                print(f"nos-shell ssh-server: listening on {_where((host, port))}", file=sys.stderr,
                      flush=True)
        if not wanted:
            log.warning("service ssh is not configured: listening nowhere until it is")

    async def run(self, stop: asyncio.Event) -> None:
        await self.sync()
        archive = self.root / ARCHIVE
        stamp = _mtime(archive)
        while not stop.is_set():
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), WATCH_SECONDS)
            if stop.is_set() or self.fixed:
                continue
            now = _mtime(archive)
            if now != stamp or self.failed:
                stamp = now
                await self.sync()
        for server in self.servers.values():
            server.close()


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _where(pair: tuple[str, int]) -> str:
    host, port = pair
    if not host:
        return f"*:{port}"
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def main(root: Path, args: argparse.Namespace) -> int:
    logging.basicConfig(level=getattr(logging, args.log_level.upper()), stream=sys.stderr,
                        format="nos-shell ssh-server: %(message)s")
    logging.getLogger("asyncssh").setLevel(logging.WARNING)
    key_path = Path(args.host_key) if args.host_key else host_key_path(root)
    try:
        key = load_host_key(key_path)
    except (OSError, asyncssh.KeyImportError) as exc:
        print(f"nos-shell ssh-server: host key {key_path}: {exc}", file=sys.stderr)
        return 1
    for note in confirm.resume(root):     # a pending commit-confirm, before listening anywhere
        log.warning("%s", note)
    throttle = LoginThrottle(burst=args.login_burst, refill_seconds=args.login_refill)
    service = SSHService(root, key, ports=args.port, addresses=args.listen, full_screen=args.full_screen,
                         throttle=throttle)

    async def serve() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await service.run(stop)

    asyncio.run(serve())
    if not service.workers.stop(STOP_GRACE):
        # a command still runs (a hung reload?): go without it rather than hang on SIGTERM
        log.warning("stopping with %d command(s) still running", service.workers.busy)
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
    return 0
