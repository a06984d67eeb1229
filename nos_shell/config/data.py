"""Read back the JSON form of a tree (`show configuration json`, render.to_data).

Every path is applied with :meth:`ConfigTree.set`, so keys and values are checked by the
schema exactly as typed ones are. Comments are not part of the JSON form.
"""
from __future__ import annotations

from collections.abc import Iterator

from ..errors import PathError
from ..schema import SCHEMA, Kind, SchemaNode
from .tree import ConfigTree


def _paths(data: object, schema: SchemaNode, words: list[str]) -> Iterator[list[str]]:
    """`set` word lists for ``data`` found at ``schema`` (a container or a tag entry)."""
    if not isinstance(data, dict):
        raise PathError(f"Configuration path: [{' '.join(words)}] must hold an object")
    if not data and words:
        yield words
    for name, value in data.items():
        spec = schema.children.get(name) if isinstance(name, str) else None
        if spec is None:
            raise PathError(f"Configuration path: [{' '.join(words + [str(name)])}] is not valid")
        here = words + [name]
        if spec.kind is Kind.TAG:
            if not isinstance(value, dict):
                raise PathError(f"Configuration path: [{' '.join(here)}] must hold an object")
            for key, entry in value.items():
                yield from _paths(entry, spec, here + [key])
        elif spec.kind is Kind.CONTAINER:
            yield from _paths(value, spec, here)
        elif spec.kind is Kind.FLAG:
            yield here
        elif spec.kind is Kind.MULTI and isinstance(value, list) and all(isinstance(v, str) for v in value):
            yield from (here + [v] for v in value)
        elif isinstance(value, str):
            yield here + [value]
        else:
            raise PathError(f"Configuration path: [{' '.join(here)}] must hold text")


def tree_from_data(data: object, schema: SchemaNode = SCHEMA) -> ConfigTree:
    """The tree that ``render.to_data`` turned into ``data``."""
    tree = ConfigTree(schema=schema)
    for words in _paths(data, schema, []):
        tree.set(words)
    return tree


def tree_from_json(text: str, schema: SchemaNode = SCHEMA) -> ConfigTree:
    """The tree `show configuration json` printed as ``text``."""
    import json

    return tree_from_data(json.loads(text), schema)
