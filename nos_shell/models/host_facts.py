"""Facts about the host that verify may consult without doing I/O itself.

VyOS accepts a bond or bridge member that is not in the configuration when the kernel
has a link of that name. verify stays pure: the layer with I/O (the commit engine, for a
live target) reads the link names and hands them in with :func:`given`; verify asks
:func:`current`. Reading is deferred until a rule asks, so a commit that needs no fact
reads nothing. Outside :func:`given` (a sandbox root, plain verify calls) there are no
facts and verify behaves as if the kernel had no links.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar


class HostFacts:
    """Link names of the router's network namespace, read on first use."""

    def __init__(self, links: Iterable[str] | Callable[[], Iterable[str]] = ()) -> None:
        self._read = links if callable(links) else None
        self._links: frozenset[str] | None = None if callable(links) else frozenset(links)

    @property
    def links(self) -> frozenset[str]:
        """The names of the links the host has (read once, when first asked)."""
        if self._links is None:
            assert self._read is not None
            try:
                self._links = frozenset(self._read())
            except OSError:
                self._links = frozenset()       # unreadable: as if there were none
        return self._links

    def has_link(self, name: str) -> bool:
        return name in self.links


NONE = HostFacts()
_current: ContextVar[HostFacts | None] = ContextVar("nos_shell_host_facts", default=None)


def current() -> HostFacts:
    """The facts handed in by the caller of verify (none outside :func:`given`)."""
    return _current.get() or NONE


def is_given() -> bool:
    """Whether a caller up the stack has handed facts in."""
    return _current.get() is not None


@contextmanager
def given(facts: HostFacts) -> Iterator[HostFacts]:
    """Let verify calls inside the block see ``facts``."""
    token = _current.set(facts)
    try:
        yield facts
    finally:
        _current.reset(token)
