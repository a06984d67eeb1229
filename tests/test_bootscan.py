"""nos_shell/config/bootscan.py reads config.boot exactly as the grammar does: for any
text it either declines (None) or gives the grammar's raw nodes (names, values, comments,
line numbers), and it reads every file nos-shell writes."""
from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from nos_shell.config.bootfile import dump_boot, parse_with_grammar
from nos_shell.config.bootscan import scan_boot
from nos_shell.errors import ParseError
from propsettings import examples
from strategies import config_trees

# pieces of config.boot, well and badly formed, to join at random
PIECES = st.sampled_from([
    "interfaces", "ethernet", "eth0", "address", '"192.0.2.1/24"', "'a b'", '"x\\"y"', "'\\n'",
    "{", "}", "{}", "\n", "\r\n", "\n\n  ", " ", "\t", "\f", "\r", "\x0b", "\u00a0", "/* c */",
    "/* two\nlines */", "/*", "*/", "// gone\n", "//", "/x", "a//b", '"', "'", '"open', "\\",
    "disable", "vif 5 {\n", "}\n", "é", "\u2028",
])


def grammar(text: str):
    try:
        return parse_with_grammar(text)
    except ParseError:
        return "error"


@examples(300)
@given(config_trees())
def test_every_written_file_is_read_by_the_fast_reader_as_by_the_grammar(tree):
    text = dump_boot(tree)
    assert scan_boot(text) is not None
    assert scan_boot(text) == grammar(text)


@examples(1000)
@given(st.lists(PIECES, max_size=30).map("".join))
@example("/* a */ /* b */\nsystem {\n    /* c */\n    host-name r1 // x\n}\n")
@example("a {\n/* dropped */\n}\n/* dropped too */")
@example('a "v" {}\n  b\r\n')
@example("a 1 }\n")
@example("a {\n")
def test_any_text_is_declined_or_read_as_the_grammar_reads_it(text):
    fast = scan_boot(text)
    if fast is not None:
        assert fast == grammar(text)
