"""`nos-shell ssh-server`: the router's SSH server (asyncssh), one Session per SSH session.

Where it listens: `service ssh port` (default 22) on each `service ssh listen-address`
(default: all addresses) of the running configuration under the root. The server watches
the revision archive and rebinds when a commit changes `service ssh`; without `service ssh`
it listens nowhere until it is configured. ``--port`` / ``--listen`` override the
configuration (tests use ``--listen 127.0.0.1 --port 0``: a free port, printed on stderr).

Who may log in and at which level: nos_shell/shell/auth.py (`system login user`).

What a session gets (nos_shell/shell/sshsession.py):

- an interactive shell (``ssh HOST``) runs the plain line mode of nos_shell/shell/plain.py,
  unless full-screen mode is allowed (``--full-screen``), the client asked for a PTY with a
  capable TERM (xterm*, screen*, tmux*, rxvt*, linux) and the full-screen app is installed
  (nos_shell/shell/remote.py runs nos_shell/shell/app.py on the channel). The default is
  plain for everyone: automation clients cannot be told apart by TERM (netmiko, napalm and
  paramiko send ``vt100``, Ansible over libssh and scrapli's system transport send
  ``xterm``-like types);
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
import logging
import os
import signal
import sys
from pathlib import Path

import asyncssh

from ..engine import confirm
from ..store import ARCHIVE, Store
from .auth import Authenticator
from .channels import WINDOW, Sessions
from .connlimits import Slots, logged_in, unauthenticated
from .sshsession import Handler
from .hostkey import host_key_path, load_host_key
from .throttle import LoginThrottle
from .workers import Workers

log = logging.getLogger("nos_shell.ssh")

DEFAULT_PORT = 22
WATCH_SECONDS = 2.0
FAILED_LOGIN_DELAY = 0.5
STOP_GRACE = 5.0          # seconds running commands get after SIGTERM


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


# -- authentication ---------------------------------------------------------------------------
class _Server(asyncssh.SSHServer):
    def __init__(self, auth: Authenticator, workers: Workers, throttle: LoginThrottle,
                 slots: tuple[Slots, Slots], handler: Handler):
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
