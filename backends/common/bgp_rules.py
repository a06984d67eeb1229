"""What every BGP driver reports: values safe to write first, then the model's BGP rules."""
from __future__ import annotations

from collections.abc import Callable

from nos_shell.config.tree import ConfigTree
from nos_shell.models.bgp import BGP
from nos_shell.models.bgp_verify import verify as model_rules
from nos_shell.models.changes import Reads, Scope
from nos_shell.problems import Problem

from .safety import unsafe_words, unsafe_words_in

WRITTEN = (BGP, ("protocols", "static"), ("interfaces",))
"""The areas whose values a BGP daemon's file holds."""

RULES_READ = Reads((BGP,), frozenset({"address", "disable"}))
"""What the BGP rules (the model's and each daemon's own) read: `protocols bgp`, and the
interfaces with their addresses and `disable` (router id, update-source, local addresses)."""


def verify(tree: ConfigTree) -> list[Problem]:
    """Unsafe words in what a BGP daemon's file would hold, else every cross-node BGP rule."""
    return unsafe_words(tree, *WRITTEN) or model_rules(tree)


def verify_delta(whole: Callable[[ConfigTree], list[Problem]] | None = None) \
        -> Callable[[ConfigTree, ConfigTree, Scope], list[Problem]]:
    """The incremental form of a BGP driver's verify: :func:`verify`, or ``whole`` when the
    driver adds rules of its own (reading no more than :data:`RULES_READ`). After a change
    ``scope`` to a tree that passed: unsafe words where the change is, else the rules when
    the change reaches them, else nothing."""
    def delta(old: ConfigTree, new: ConfigTree, scope: Scope) -> list[Problem]:
        unsafe = unsafe_words_in(new, scope.paths, *WRITTEN)
        if unsafe or not scope.reaches(RULES_READ):
            return unsafe
        return model_rules(new) if whole is None else whole(new)

    return delta
