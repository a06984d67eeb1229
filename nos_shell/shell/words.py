"""Help texts of the command keywords (the grammar has no place for them; the schema
carries the help of configuration paths, each operational area the help of its keywords)."""
from __future__ import annotations

_CONF = {
    "comment": "Add a comment to a configuration node",
    "commit": "Commit the current set of changes",
    "commit-confirm": "Commit, reverting unless confirmed in time",
    "compare": "Compare configurations",
    "confirm": "Confirm the prior commit-confirm",
    "copy": "Copy a configuration element",
    "delete": "Delete a configuration element",
    "discard": "Discard uncommitted changes",
    "update": "Carry your changes onto the running configuration as it is now",
    "edit": "Edit a sub-element",
    "exit": "Exit from this configuration level",
    "load": "Load a configuration file into the candidate",
    "merge": "Merge a configuration file into the candidate",
    "quit": "Exit from this configuration level",
    "rename": "Rename a configuration element",
    "rollback": "Load an earlier revision into the candidate",
    "run": "Run an operational-mode command",
    "save": "Save the running configuration to a file",
    "set": "Set the value of a parameter or create a new element",
    "show": "Show the configuration (uncommitted changes marked)",
    "top": "Exit to the top level of configuration",
    "up": "Exit one level of configuration",
}

# keyword after another keyword (configuration mode and pipes; operational commands bring
# their own, nos_shell/ops/registry.py)
_AFTER = {
    ("exit", "discard"): "Discard the changes and exit",
    ("quit", "discard"): "Discard the changes and exit",
    ("commit", "comment"): "Comment for the commit log",
    ("commit-confirm", "comment"): "Comment for the commit log",
    ("|", "count"): "Count the lines of the output",
    ("|", "commands"): "Show as set commands",
    ("|", "strip-private"): "Hide secrets, host names and addresses",
}

_ANY = {
    "|": "Pipe the output through a filter",
    "commands": "Show as set commands",
    "except": "Only lines not matching a regular expression",
    "grep": "Only lines matching a regular expression (same as match)",
    "ignore-unknown": "Skip configuration paths the schema does not know",
    "json": "Show as JSON",
    "match": "Only lines matching a regular expression",
    "more": "Paginate the output",
    "no-more": "Do not paginate the output",
    "saved": "Compare with the saved configuration",
    "to": "Name of the copy",
}


def keyword_help(word: str, mode: str, previous: str | None) -> str:
    """The help of keyword ``word`` after keyword ``previous`` (None at the start)."""
    from ..ops.registry import keyword_help as op_help

    first, after, anywhere = op_help()
    if previous is None:
        table = _CONF if mode == "conf" else first
        if word in table:
            return table[word]
    if previous is not None:
        text = _AFTER.get((previous, word)) or after.get((previous, word))
        if text:
            return text
    if previous == "run" and word in first:
        return first[word]
    return _ANY.get(word) or anywhere.get(word, "")
