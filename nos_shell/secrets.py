"""Password hashing for `system login user ... authentication plaintext-password`."""
from __future__ import annotations

import hmac
import warnings

from .crypthash import hash_problem

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import crypt as _crypt  # Python 3.11/3.12; see docs/architecture.md for 3.13


def hash_password(plaintext: str) -> str:
    """A SHA-512 crypt(3) hash, the format /etc/shadow and VyOS use."""
    return _crypt.crypt(plaintext, _crypt.mksalt(_crypt.METHOD_SHA512))


def check_password(plaintext: str, hashed: str) -> bool:
    """True when ``plaintext`` matches the crypt(3) hash (constant-time compare). A hash
    nos-shell does not accept (nos_shell/crypthash.py: unknown form, too many rounds) is
    never computed: it matches nothing."""
    if not hashed or hash_problem(hashed) is not None:
        return False
    return hmac.compare_digest(_crypt.crypt(plaintext, hashed), hashed)
