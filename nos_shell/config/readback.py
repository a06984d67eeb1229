"""The archive guarantee: a tree's config.boot text reads back as the same tree.

:func:`refusal` proves it by reading the whole text back (:func:`load_boot`), or, given a
``base`` tree already proven that way, by reading back only what differs from it.

Why the short proof is enough: the text is compositional. A node's lines depend only on
its own subtree, its name and its depth; every block starts at the beginning of a line in
the reader's "next item" state and ends with a newline, comments come right before their
node, and names at one level are unique (no merging on read). So the reader turns the
whole text into the union of what it makes of each block in its context (the ancestors'
lines), and the schema walk (values, comments, plaintext secrets) judges each node from
its own path. For blocks equal to the base's, that result is the base's, proven equal.
The rest is read back as one smaller text: the changed subtrees with their ancestors'
lines (:func:`changed_part`); a refusal is then explained from the whole text, so its
reason (with its line number) is the one the long way gives. Two things are not local,
and send the proof the long way: a version footer anywhere in the text (it switches on
migrations for the whole file), and a base that is not known to be proven. tests/test_readback.py checks that both proofs
refuse exactly the same trees.
"""
from __future__ import annotations

from ..errors import CommitError, NosError
from ..schema import Kind, SchemaNode
from ..schema.types import shown
from .tree import ConfigTree, Node


def _bare(node: Node) -> Node:
    """``node``'s own fields (values, comment) without children."""
    new = Node.__new__(Node)
    new.children = {}
    new.values = node.values
    new.comment = node.comment
    return new


def _diff(old: Node, new: Node, schema: SchemaNode | None, holder: bool) -> Node | None:
    """The part of ``new`` that differs from ``old`` with its ancestors' lines, or None."""
    if (new.values != old.values or new.comment != old.comment or schema is None
            or (old.children and not new.children)):
        return new      # its own lines changed (or an empty node now): read all of it
    part = None
    for key, child in new.children.items():
        before = old.children.get(key)
        if child is before:
            continue
        if before is None:
            found: Node | None = child
        else:
            spec = schema if holder else schema.children.get(key)
            found = _diff(before, child, spec, not holder and spec is not None and spec.kind is Kind.TAG)
        if found is not None:
            if part is None:
                part = _bare(new)
            part.children[key] = found
    return part


def changed_part(base: ConfigTree, tree: ConfigTree) -> ConfigTree | None:
    """The subtrees of ``tree`` that differ from ``base``, under their ancestors (comments
    kept, other children left out); None when nothing differs."""
    part = _diff(base.root, tree.root, tree.schema, False)
    return None if part is None else ConfigTree(part, tree.schema)


def _full_refusal(tree: ConfigTree, text: str) -> str | None:
    """Why ``text`` does not read back as ``tree``, or None when it does."""
    from .bootfile import load_boot

    try:
        back, _ = load_boot(text, "<archive>")
    except NosError as exc:
        return exc.summary
    if back == tree:
        return None
    from .diff import compare_commands

    changes = compare_commands(tree, back).split("\n", 1)[0]
    return f"it reads back differently: {shown(changes, 120)}" if changes else \
        "it reads back with different comments"


def part_refusal(tree: ConfigTree, text: str, base: ConfigTree) -> str | None:
    """Why the changed part of ``tree`` (against the proven ``base``) would not read back,
    or None; ``text`` (the whole text of ``tree``) is read back instead when a version
    footer makes the reading of one block depend on the rest."""
    from .migrate import footer_versions

    if base.schema is not tree.schema or footer_versions(text).known:
        return _full_refusal(tree, text)
    part = changed_part(base, tree)
    if part is None:
        return None
    from .bootfile import dump_boot

    return _full_refusal(part, dump_boot(part))


def whole_is_cheaper(base_text: str, text: str) -> bool:
    """Whether reading all of ``text`` back costs less than the short proof against a base
    whose text is ``base_text``: when most of the tree is new (a first commit over the
    default configuration), the changed part is nearly all of it, and the short proof would
    render it a second time to read back about as much."""
    return 2 * len(base_text) < len(text)


def refusal(tree: ConfigTree, text: str, base: ConfigTree | None = None) -> str | None:
    """Why the config.boot ``text`` of ``tree`` would not read back as ``tree``, or None.

    ``base``: a tree whose own text is known to read back as itself (an archived revision);
    then only what differs from it is read back, and the whole text only to explain a
    refusal. The caller must pass ``dump_boot(tree)`` as ``text``."""
    if base is not None and part_refusal(tree, text, base) is None:
        return None
    return _full_refusal(tree, text)


def archive_text(tree: ConfigTree, base: ConfigTree | None = None, text: str | None = None) -> str:
    """config.boot text of ``tree``, proven to read back as the same tree.

    The last line of defence against a value that would brick the store: every path that
    archives a revision (commit, commit-confirm revert, boot, scripts) goes through
    :meth:`Store.commit`, which proves this before writing. ``base``: a tree whose text is
    proven so (an archived revision); only what differs from it is read back
    (:func:`refusal`). ``text``: ``dump_boot(tree)`` when the caller has it.
    Raises :class:`CommitError`."""
    if text is None:
        from .bootfile import dump_boot

        text = dump_boot(tree)
    reason = refusal(tree, text, base)
    if reason is None:
        return text
    raise CommitError("The configuration cannot be archived: its config.boot text does not read "
                      "back as the same configuration", shown(reason, 200), "Commit failed")


__all__ = ["archive_text", "changed_part", "part_refusal", "refusal", "whole_is_cheaper"]
