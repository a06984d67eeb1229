"""Unexpected exceptions: the traceback goes to a private log, the user gets one line.

``ROOT/var/log/nos-shell/errors.log`` (mode 0600, its folder 0700) collects the
tracebacks; past :data:`MAX_BYTES` it is renamed to ``errors.log.1`` and a new one begun,
so it never grows without bound. No traceback is ever printed to a user.
"""
from __future__ import annotations

import datetime
import functools
import os
import traceback
from pathlib import Path

from .errors import NosError, clip

LOG = Path("var/log/nos-shell/errors.log")
MAX_BYTES = 1 << 20
MAX_ENTRY = 64 << 10


def internal_error(exc: BaseException, root: Path | str | None, context: str = "") -> NosError:
    """Log ``exc`` with its traceback under ``root``; the one-line error to show instead."""
    text = f"{type(exc).__name__}: {clip(str(exc))}" if str(exc) else type(exc).__name__
    if root is None:
        return NosError(f"Internal error: {text}")
    path = Path(root) / LOG
    try:
        _append(path, _entry(exc, context))
    except OSError as failure:
        return NosError(f"Internal error: {text} (no details logged: {failure.strerror or failure})")
    return NosError(f"Internal error: {text} (details in {path})")


def command_words(line: str, limit: int = 3) -> str:
    """The first words of a command line, fit for the log: a keyword (a name of the
    schema or a word of the command grammar) as typed, any other word as ``?``. A value
    is never written, wherever it stands: at an edit level, `set plaintext-password X`
    has the password as its third word."""
    known = _keywords()
    words = [w if w in known else "?" for w in line.split()[:limit]]
    return " ".join(words) + " ..."


@functools.lru_cache(maxsize=1)
def _keywords() -> frozenset[str]:
    import re
    from importlib import resources

    from .schema import SCHEMA

    names: set[str] = set()
    stack = [SCHEMA]
    while stack:
        node = stack.pop()
        names.update(node.children)
        stack.extend(node.children.values())
    grammar = resources.files("nos_shell.grammar").joinpath("commands.lark").read_text(encoding="utf-8")
    names.update(re.findall(r'"([a-z][a-z0-9-]*)"', grammar))
    return frozenset(names | {"|"})


def _entry(exc: BaseException, context: str) -> str:
    stamp = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    head = f"--- {stamp} pid {os.getpid()}" + (f": {clip(context)}" if context else "")
    return clip(head + "\n" + "".join(traceback.format_exception(exc)), MAX_ENTRY).rstrip("\n") + "\n"


def _append(path: Path, text: str) -> None:
    """Append to the log, private and bounded (one older generation kept)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        if path.stat().st_size > MAX_BYTES:
            os.replace(path, path.with_name(path.name + ".1"))
    except FileNotFoundError:
        pass
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, text.encode("utf-8", "replace"))
    finally:
        os.close(fd)
