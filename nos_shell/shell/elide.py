"""A long line, once entered, stays on the screen elided: its head and its length.

A pasted 2,000-character value would otherwise fill a dozen wrapped lines above its error
(which shows the value elided the same way, nos_shell/errors.py). While the line is being
edited it is shown whole; only the accepted line's final rendering is shortened.
"""
from __future__ import annotations

from prompt_toolkit.application.current import get_app
from prompt_toolkit.formatted_text.utils import fragment_list_len
from prompt_toolkit.layout.processors import Processor, Transformation, TransformationInput

#: lines longer than this are elided once entered; HEAD characters of them stay
LONGEST = 200
HEAD = 100


class ElideEntered(Processor):
    """Shows an accepted line longer than :data:`LONGEST` as its first :data:`HEAD`
    characters and ``... (N characters)``."""

    def apply_transformation(self, ti: TransformationInput) -> Transformation:
        total = len(ti.document.text)
        if total <= LONGEST or not get_app().is_done or fragment_list_len(ti.fragments) <= HEAD:
            return Transformation(ti.fragments)
        kept: list = []
        left = HEAD
        for style, text, *rest in ti.fragments:
            if left <= 0:
                break
            kept.append((style, text[:left], *rest))
            left -= len(text[:left])
        kept.append(("class:elided", f"... ({total} characters)"))
        return Transformation(kept, source_to_display=lambda i: min(i, HEAD),
                              display_to_source=lambda i: min(i, HEAD))
