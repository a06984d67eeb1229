"""Commits that would shut out the SSH session making them (and everyone after it).

A session over SSH may not commit a configuration that takes away its own way back in:
deleting its own login user (VyOS refuses that with "Attempting to delete current user"),
the last admin-level login user, or `service ssh`. A session on the console (or a
command file, the API) may: it does not depend on SSH to repair the router.
Pure: compares the running configuration with the one to commit.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..problems import Problem

if TYPE_CHECKING:
    from ..config.tree import ConfigTree

USERS = ("system", "login", "user")
SSH = ("service", "ssh")
GUARDED_VIA = "ssh"
"""The session kind (Session.via) whose commits are checked."""


def admins(tree: ConfigTree) -> list[str]:
    """The login users with level admin (VyOS's default level)."""
    return [name for name in tree.keys(*USERS)
            if (tree.value(*USERS, name, "level") or "admin") == "admin"]


def problems(running: ConfigTree, new: ConfigTree, user: str, via: str) -> list[Problem]:
    """What committing ``new`` over ``running`` would lock out, for ``user`` on ``via``."""
    if via != GUARDED_VIA:
        return []
    found: list[Problem] = []
    if user in running.keys(*USERS) and user not in new.keys(*USERS):
        found.append(Problem(USERS + (user,), f"Attempting to delete current user: {user}"))
    if admins(running) and not admins(new):
        found.append(Problem(USERS[:2], "Attempting to delete the last admin-level login user over "
                                        "SSH: nobody could log in to configure the router again. "
                                        "Keep an admin user, or commit this from the console"))
    if running.node(*SSH) is not None and new.node(*SSH) is None:
        found.append(Problem(SSH, "Attempting to delete service ssh over SSH: this session and every "
                                  "other would lose their way in. Commit this from the console"))
    return found
