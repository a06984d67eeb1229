"""The configuration area of operational mode: `configure`, `exit`, `show configuration`,
the commit history and its differences (`show system commit`, `compare N M`). Everything
here reads only the session and its store; operator-level users see secrets masked."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..commands import Command
from ..config import diff, render
from ..config.tree import ConfigTree
from ..errors import NosError
from ..schema import Kind
from .command import KeywordHelp, OpCommand

if TYPE_CHECKING:
    from ..session import Session

#: Leaves whose values operator-level users never see (password hashes, keys, MD5 secrets).
SECRET_LEAVES = frozenset(("encrypted-password", "plaintext-password", "private-key",
                           "preshared-key", "password"))
MASK = "****************"


def for_user(session: "Session", tree: ConfigTree) -> ConfigTree:
    """``tree`` as ``session``'s user may read it: operators get secrets masked."""
    if session.level == "admin":
        return tree
    masked = tree.deep_copy()       # (masked node by node)
    _mask(masked.root, masked.schema)
    return masked


def _mask(node, spec) -> None:
    for name, child in node.children.items():
        sub = spec.children.get(name)
        if sub is None:
            continue
        if sub.kind is Kind.TAG:
            for entry in child.children.values():
                _mask(entry, sub)
        elif sub.is_leaf:
            if name in SECRET_LEAVES and child.values:
                child.values = [MASK] * len(child.values)
        else:
            _mask(child, sub)


def configure(session: "Session", command: Command) -> str:
    if session.mode == "conf":
        return ""
    return session.configure(exclusive=bool(command.opts.get("exclusive")))


def logout(session: "Session", command: Command) -> str:
    session.finished = True
    return ""


def show_configuration(session: "Session", command: Command) -> str:
    tree = for_user(session, session.running)
    fmt = command.opts.get("format")
    if fmt == "commands" or any(name == "as_commands" for name, _ in command.pipes):
        return render.to_commands(tree)
    if fmt == "json":
        return render.to_json(tree)
    return render.to_curly(tree)


def show_configuration_nix(session: "Session", command: Command) -> str:
    """The running configuration as a ``nix-nos`` attribute set (the NixOS module's options)."""
    from ..nix.export import to_nix

    return to_nix(for_user(session, session.running))


def show_configuration_sessions(session: "Session", command: Command) -> str:
    """The sessions in configuration mode on this root (JunOS `status`), this one marked `*`."""
    from ..editors import editors
    from ..tables import TableData, TableText

    found = editors(session.store.root)
    if not found:
        return "No sessions are in configuration mode\n"
    own = session.editor_ident
    headers = ("User", "Via", "PID", "Since", "Changes", "Exclusive")
    rows = tuple((("* " if e.ident == own else "  ") + e.user, e.via, str(e.pid), e.since,
                  "yes" if e.changes else "no", "yes" if e.exclusive else "no") for e in found)
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip()
             for row in (("  " + headers[0],) + headers[1:], *rows)]
    title = "Users currently editing the configuration (* this session):"
    return TableText("".join(line + "\n" for line in [title, *lines]),
                     [TableData(headers, rows, (title,))])


def show_system_commit(session: "Session", command: Command) -> str:
    revisions = session.store.revisions()
    if command.words:
        number = int(command.words[0])
        if not 0 <= number < len(revisions):
            raise NosError(f"Invalid revision number {number}: must be 0 <= rev < {len(revisions)}")
        return render.to_curly(for_user(session, session.store.revision(number)))
    lines = []
    for number, rev in enumerate(revisions):
        lines.append(f"{number:<3} {rev.time} by {rev.user} via {rev.via}\n")
        if rev.comment:
            lines.append(f"    {rev.comment}\n")
    return "".join(lines)


def show_system_commit_diff(session: "Session", command: Command) -> str:
    """VyOS's ``show system commit diff N``: what commit N changed (revision N+1 -> N)."""
    number = int(command.words[0])
    count = len(session.store.revisions())
    if not 0 <= number < count:
        raise NosError(f"Invalid revision number {number}: must be 0 <= rev < {count}")
    if number + 1 >= count:
        raise NosError(f"Revision {number} is the oldest kept: there is no earlier revision to compare with")
    return diff.compare(for_user(session, session.store.revision(number + 1)),
                        for_user(session, session.store.revision(number))) or \
        f"No changes between revisions {number + 1} and {number} configurations.\n"


def compare_revisions(session: "Session", command: Command) -> str:
    first, second = (int(w) for w in command.words)
    count = len(session.store.revisions())
    for number in (first, second):
        if not 0 <= number < count:
            raise NosError(f"Invalid revision number {number}: must be 0 <= rev < {count}")
    return diff.compare(for_user(session, session.store.revision(first)),
                        for_user(session, session.store.revision(second))) or \
        "No changes between revisions.\n\n"


COMMANDS = (
    OpCommand("configure", ("configure",), configure,
              "Enter configuration mode (`exclusive`: other sessions cannot commit meanwhile)"),
    OpCommand("logout", ("exit",), logout, "Leave the shell"),
    OpCommand("show_configuration", ("show configuration",), show_configuration,
              "The running configuration as config.boot, `set` commands or JSON"),
    OpCommand("show_configuration_nix", ("show configuration nix",), show_configuration_nix,
              "The running configuration as the equivalent nix-nos options (NixOS module)"),
    OpCommand("show_configuration_sessions", ("show configuration sessions",), show_configuration_sessions,
              "The sessions in configuration mode"),
    OpCommand("show_system_commit", ("show system commit",), show_system_commit,
              "The commit history, or revision N"),
    OpCommand("show_system_commit_diff", ("show system commit diff",), show_system_commit_diff,
              "Show what a commit changed (revision N+1 -> N)"),
    OpCommand("compare_revisions", ("compare",), compare_revisions, "Differences between two revisions"),
)

KEYWORDS: KeywordHelp = {
    (None, "compare"): "Compare two configuration revisions",
    (None, "configure"): "Enter configuration mode",
    (None, "exit"): "Exit from this shell",
    (None, "show"): "Show system information",
    ("system", "commit"): "Show the commit revision log",
    ("commit", "diff"): "Show what a commit changed (revision N+1 -> N)",
    "configuration": "Show the running configuration",
    "private": "Enter configuration mode with a private candidate (the default)",
    "exclusive": "Enter configuration mode; other sessions cannot commit until you exit",
    "sessions": "Show the sessions in configuration mode",
    "nix": "Show as the equivalent nix-nos attribute set (NixOS)",
}
