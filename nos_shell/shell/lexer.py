"""Highlighting while typing: words the grammar or the schema refuses are marked.

Each word gets a style class from :func:`~nos_shell.shell.context.analyze` (cached per
line, so a redraw costs a dictionary look-up): ``class:invalid`` for refused words,
``class:keyword``, ``class:name``, ``class:key``, ``class:value``, ``class:free`` for the
others. Only ``invalid`` has a visible style by default (red, underlined); the word
being typed is marked only once nothing can start with it.
"""
from __future__ import annotations

from collections.abc import Callable

from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.lexers import Lexer

from .context import Analysis
from .state import ShellState

STYLES = {
    "invalid": "fg:ansired underline",
}


def fragments(analysis: Analysis, line: str) -> StyleAndTextTuples:
    out: StyleAndTextTuples = []
    pos = 0
    for word in analysis.words:
        if word.start > pos:
            out.append(("", line[pos:word.start]))
        style = "class:invalid" if word.ok is False else f"class:{word.role}"
        out.append((style, line[word.start:word.end]))
        pos = word.end
    if pos < len(line):
        out.append(("", line[pos:]))
    return out


class CommandLexer(Lexer):
    def __init__(self, state: ShellState):
        self.state = state

    def lex_document(self, document: Document) -> Callable[[int], StyleAndTextTuples]:
        lines = document.lines
        first = fragments(self.state.analyze(lines[0]), lines[0]) if lines else []

        def get_line(number: int) -> StyleAndTextTuples:
            if number == 0:
                return first
            return [("", lines[number])] if number < len(lines) else []

        return get_line
