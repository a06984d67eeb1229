"""One SSH session of `nos-shell ssh-server` (nos_shell/shell/ssh.py): its Session, and
whether it gets the plain line mode, the full-screen editor or one command.

Commands run in worker threads (workers.py); their output is sent as fast as the client
reads it (:func:`send_all`), streamed output as it comes (relay.py), and nothing the client
sends ever reaches a system shell.
"""
from __future__ import annotations

import contextlib
import functools
import importlib.util
import logging
import re
from pathlib import Path

import asyncssh

from ..commands import is_configure
from ..session import Session
from .auth import Authenticator
from .limits import LINE_TOO_LONG, MAX_LINE, MAX_OUTPUT, output_cut
from .compat import is_terminal_setting, shell_compat
from .plain import LineProtocol
from .relay import ChannelInput, relay
from .workers import Workers

log = logging.getLogger("nos_shell.ssh")

WRITE_CHUNK = 64 * 1024
FULL_SCREEN_TERMS = ("xterm", "screen", "tmux", "rxvt", "linux")
#: input an exec request's client may send ahead (it is never read as commands; only Ctrl-C counts)
EXEC_HELD_INPUT = 4096

_LINE_PIECES = re.compile(rb"[^\r\n]*[\r\n]|[^\r\n]+")     # each ends at CR or LF, or the data does


def use_full_screen(term: str | None, allowed: bool) -> bool:
    """The rule for the full-screen editor: allowed by the server setting, a PTY with a
    capable terminal type, and the full-screen app installed. Everything else is plain."""
    if not allowed or not term:
        return False
    if not term.lower().startswith(FULL_SCREEN_TERMS):
        return False
    return importlib.util.find_spec("nos_shell.shell.app") is not None


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
            from .remote import serve_process

            process.wants_events = True     # it reads them as they come (channels.py)
            log.info("%s: full-screen session (TERM=%s)", session.user, term)
            return await serve_process(process, session)
        log.info("%s: plain session (%s)", session.user, f"TERM={term}" if term else "no PTY")
        # with a PTY the client's terminal is raw and expects the server to echo; without
        # one the client's own terminal (if any) echoes
        proto = LineProtocol(session, echo=term is not None, newline="\r\n", streams=True)
        await send_all(process.stdout, proto.start())
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
                        await send_all(process.stdout, await self.workers.command(session.user, proto.feed, piece))
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
            error = await relay(proto.stream, lambda chunk: send_all(process.stdout, proto.render(chunk)),
                                lambda work: self.workers.command(session.user, work))
            tail = await self.workers.command(session.user, proto.finish_stream,
                                              as_error(error, self.root))
            await send_all(process.stdout, tail)

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
        await send_all(process.stdout, output_cut(result.output).replace("\n", newline).encode())
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
                await send_all(process.stdout, output_cut(chunk, max(0, MAX_OUTPUT - sent + len(chunk)))
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


async def send_all(stream: asyncssh.SSHWriter, data: bytes) -> None:
    """Write in chunks, waiting while the client does not read (bounded buffering)."""
    for start in range(0, len(data), WRITE_CHUNK):
        stream.write(data[start:start + WRITE_CHUNK])
        await stream.drain()
