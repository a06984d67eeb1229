"""Password hashing for `system login user ... authentication plaintext-password`, and the
checks the SSH server makes against `encrypted-password`.

Checks call libcrypt's ``crypt_rn`` through ctypes, which releases the GIL for the call:
a slow hash then holds one worker thread, never the server's event loop (Python's own
``crypt`` module keeps the GIL while hashing). Without libxcrypt's ``crypt_rn`` the
``crypt`` module is used.
"""
from __future__ import annotations

import functools
import hmac
import warnings

from .crypthash import hash_problem

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import crypt as _crypt  # Python 3.11/3.12; see docs/architecture.md for 3.13

_CRYPT_DATA_SIZE = 32768        # sizeof(struct crypt_data) in libxcrypt


def hash_password(plaintext: str) -> str:
    """A SHA-512 crypt(3) hash, the format /etc/shadow and VyOS use. ValueError when
    crypt(3) cannot hash it (libxcrypt takes at most 511 bytes and then answers with a
    failure token such as ``*0``, which must never be stored as a hash)."""
    hashed = _crypt.crypt(plaintext, _crypt.mksalt(_crypt.METHOD_SHA512))
    if not hashed or hashed.startswith("*"):
        raise ValueError("the password cannot be hashed (at most 511 bytes in UTF-8)")
    return hashed


def check_password(plaintext: str, hashed: str) -> bool:
    """True when ``plaintext`` matches the crypt(3) hash (constant-time compare). A hash
    nos-shell does not accept (nos_shell/crypthash.py: unknown form, too many rounds) is
    never computed: it matches nothing."""
    if not hashed or hash_problem(hashed) is not None or "\0" in plaintext:
        return False
    computed = crypt_hash(plaintext, hashed)
    return computed is not None and hmac.compare_digest(computed, hashed)


def crypt_hash(plaintext: str, setting: str) -> str | None:
    """crypt(3) of ``plaintext`` with ``setting`` (a hash or salt string); None on failure."""
    crypt_rn = _crypt_rn()
    if crypt_rn is None:
        return _crypt.crypt(plaintext, setting)
    import ctypes

    data = ctypes.create_string_buffer(_CRYPT_DATA_SIZE)
    result = crypt_rn(plaintext.encode(), setting.encode(), data, _CRYPT_DATA_SIZE)
    return None if result is None else result.decode("ascii", "replace")


@functools.lru_cache(maxsize=1)
def _crypt_rn():
    import ctypes

    try:
        function = ctypes.CDLL("libcrypt.so.1").crypt_rn
    except (OSError, AttributeError):
        return None
    function.restype = ctypes.c_char_p
    function.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_int]
    return function
