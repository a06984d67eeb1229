"""Who may log in over SSH: `system login user NAME` in the running configuration.

- password: ``authentication encrypted-password`` (a crypt(3) hash) checked with
  :func:`nos_shell.secrets.check_password`; refused for every user when
  ``service ssh disable-password-authentication`` is set;
- public key: one of ``authentication public-keys ID { type, key }`` (the base64 blob
  and, when given, the type must match);
- the level (``admin`` or ``operator``) decides what the session may do.

The running configuration is read again for every attempt, so a committed change applies
to the next login without restarting the server. Nothing here imports asyncssh: keys are
compared as (type, base64) strings.
"""
from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from ..config.tree import ConfigTree
from ..secrets import check_password
from ..store import Store

# a real SHA-512 crypt hash of a random string: unknown users cost as much as known ones
_DUMMY_HASH = "$6$nosshelldummy$ZfA6z1JvCvWcsjGyRAxSg0l1v5uEHdxh5Qp5d2qOnqz8cWfSt6m6rK6p2Ej4X2p0lG3sM1yJ7dC4bA9eF8gH0."


@dataclass(frozen=True)
class User:
    name: str
    level: str
    password_hash: str | None
    keys: tuple[tuple[str | None, bytes], ...]   # (type or None, decoded key blob)


def _decode(blob: str) -> bytes | None:
    try:
        return base64.b64decode(blob.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None


class Authenticator:
    """Answers the SSH server's questions from the running configuration under ``root``."""

    def __init__(self, root):
        self.store = Store(root)

    def running(self) -> ConfigTree:
        return self.store.running()

    def user(self, name: str, tree: ConfigTree | None = None) -> User | None:
        tree = tree or self.running()
        base = ("system", "login", "user", name)
        if not tree.exists(*base):
            return None
        keys = []
        for key_id in tree.keys(*base, "authentication", "public-keys"):
            blob = _decode(tree.value(*base, "authentication", "public-keys", key_id, "key") or "")
            if blob:
                keys.append((tree.value(*base, "authentication", "public-keys", key_id, "type"), blob))
        return User(name, tree.value(*base, "level") or "admin",
                    tree.value(*base, "authentication", "encrypted-password") or None, tuple(keys))

    def password_allowed(self) -> bool:
        return not self.running().exists("service", "ssh", "disable-password-authentication")

    def check_password(self, name: str, password: str) -> bool:
        tree = self.running()
        if tree.exists("service", "ssh", "disable-password-authentication"):
            return False
        user = self.user(name, tree)
        if user is None or not user.password_hash:
            check_password(password, _DUMMY_HASH)
            return False
        return check_password(password, user.password_hash)

    def check_key(self, name: str, openssh_public: str) -> bool:
        """``openssh_public``: ``TYPE BASE64 [comment]`` as in authorized_keys."""
        parts = openssh_public.split()
        if len(parts) < 2:
            return False
        kind, blob = parts[0], _decode(parts[1])
        user = self.user(name)
        if user is None or blob is None:
            return False
        return any(blob == known and (known_type in (None, kind)) for known_type, known in user.keys)

    def level(self, name: str) -> str:
        user = self.user(name)
        return user.level if user else "operator"
