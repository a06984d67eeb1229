"""Generated documentation stays in step with the schema."""
from __future__ import annotations

from pathlib import Path

from nos_shell.docgen import reference

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_command_reference_is_up_to_date():
    committed = (DOCS / "command-reference.md").read_text()
    assert committed == reference(), "run: python3 -m nos_shell.docgen --write"


def test_reference_covers_every_area():
    text = reference()
    for path in ("`interfaces vlan <0-4094> source-interface <txt>`", "`protocols bgp backend <bird\\|gobgp>`",
                 "`nat source rule <1-999999> translation address <x.x.x.x>`",
                 "`service dhcp-server shared-network-name <txt> subnet <x.x.x.x/x>`",
                 "`system login user <username> authentication plaintext-password <text>`"):
        assert path in text


def test_readme_opens_with_the_two_set_up_commands():
    readme = (DOCS.parent / "README.md").read_text().splitlines()
    assert readme[0] == "```sh"
    commands = readme[1:readme.index("```", 1)]
    assert [line.split("#")[0].strip() for line in commands] == ["./run-shell", "sudo ./run-tests"]
    ci = (DOCS.parent / ".ci" / "run").read_text()
    assert "./run-tests" in ci


def test_the_stored_hashed_note_appears_once_per_secret():
    """Generated from the schema's `hash_into`: added when the help lacks it, never doubled."""
    from nos_shell.docgen import HASHED, help_text
    from nos_shell.schema import SCHEMA
    from nos_shell.schema.nodes import leaf
    from nos_shell.schema.types import Text

    text = reference()
    assert f"{HASHED} {HASHED}" not in text
    rows = [line for line in text.splitlines() if HASHED in line]
    hashed = [node for node in _nodes(SCHEMA) if node.hash_into]
    assert hashed and len(rows) == len(hashed)
    assert all(row.count(HASHED) == 1 for row in rows)
    assert help_text(leaf("secret", Text(), "A secret", hash_into="hash")) == f"A secret {HASHED}"
    assert help_text(leaf("secret", Text(), f"A secret {HASHED}", hash_into="hash")) == f"A secret {HASHED}"
    assert help_text(leaf("plain", Text(), "Not a secret")) == "Not a secret"


def _nodes(node):
    for child in node.children.values():
        yield child
        yield from _nodes(child)
