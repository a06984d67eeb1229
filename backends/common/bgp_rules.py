"""What every BGP driver reports: values safe to write first, then the model's BGP rules."""
from __future__ import annotations

from nos_shell.config.tree import ConfigTree
from nos_shell.models.bgp import BGP
from nos_shell.models.bgp_verify import verify as model_rules
from nos_shell.problems import Problem

from .safety import unsafe_words

WRITTEN = (BGP, ("protocols", "static"), ("interfaces",))
"""The areas whose values a BGP daemon's file holds."""


def verify(tree: ConfigTree) -> list[Problem]:
    """Unsafe words in what a BGP daemon's file would hold, else every cross-node BGP rule."""
    return unsafe_words(tree, *WRITTEN) or model_rules(tree)
