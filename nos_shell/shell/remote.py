"""The interactive shell over an asyncssh server process (a client with a PTY).

asyncssh hands the session's bytes to us; prompt_toolkit reads them from a pipe input
and writes through a Vt100 output whose size is the client's terminal size. Cursor
position requests are off: clients that do not answer them would stall. While a command
streams its output, Ctrl-C (``\x03``, a break or signal request) stops it and other keys
wait in the pipe for the next prompt.
"""
from __future__ import annotations

import asyncio
import contextlib
import re

from prompt_toolkit.application.current import create_app_session
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output

_LONE_LF = re.compile(r"(?<!\r)\n")


class _ChannelWriter:
    """The file-like object Vt100_Output writes to."""

    encoding = "utf-8"

    def __init__(self, process):
        self.process = process

    def write(self, data: str) -> None:
        with contextlib.suppress(Exception):   # the client went away: the read side ends the session
            self.process.stdout.write(_LONE_LF.sub("\r\n", data).encode("utf-8", "replace"))

    def isatty(self) -> bool:
        return True

    def flush(self) -> None:
        pass


async def serve_process(process, session) -> int:
    """The shell on an asyncssh server process with a PTY (binary mode: bytes in and out);
    returns its exit status."""
    import asyncssh

    from .app import make_shell

    def size() -> Size:
        width, height = process.get_terminal_size()[:2]
        return Size(rows=height or 24, columns=width or 80)

    term = process.get_terminal_type() or "xterm"
    with create_pipe_input() as pipe:
        output = Vt100_Output(_ChannelWriter(process), size, term=term, enable_cpr=False)  # type: ignore[arg-type]
        with create_app_session(input=pipe, output=output):
            shell = make_shell(session, pipe, output)

            async def pump() -> None:
                while True:
                    try:
                        data = await process.stdin.read(4096)
                    except asyncssh.TerminalSizeChanged:
                        shell.resized()
                        continue
                    except (asyncssh.BreakReceived, asyncssh.SignalReceived):
                        shell.interrupt()
                        continue
                    except (asyncssh.Error, ConnectionError):
                        data = b""
                    if not data:
                        shell.interrupt()       # the client went away: stop a running command
                        pipe.close()
                        return
                    if isinstance(data, str):
                        data = data.encode()
                    # while a command runs, Ctrl-C stops it; the rest waits for the prompt
                    if shell.running is not None and b"\x03" in data:
                        shell.interrupt()
                        data = data.replace(b"\x03", b"")
                    if data:
                        pipe.send_bytes(data)

            reader = asyncio.ensure_future(pump())
            try:
                return await shell.run()
            finally:
                reader.cancel()
