"""Which crypt(3) hashes nos-shell accepts for `encrypted-password`, and what they cost.

A hash names its own cost (``$6$rounds=N$``), so an unchecked hash lets whoever sets it
decide how long every later password check takes. Accepted (at `set`, on load, and
again before any check, for hashes from an old config.boot):

- SHA-512 ``$6$SALT$HASH`` and SHA-256 ``$5$SALT$HASH``, optionally with
  ``rounds=N$`` after the prefix, N at most :data:`MAX_ROUNDS` (656000: passlib's default,
  the largest VyOS tooling produces; the crypt(3) default is 5000);
- MD5 ``$1$SALT$HASH`` (old Vyatta configurations; fixed cost);
- the empty value (no password).

Pure: no crypt import here, so the schema can use it.
"""
from __future__ import annotations

import re

MAX_ROUNDS = 656_000
_B64 = "[./0-9A-Za-z]"
_SHA_ROUNDS = re.compile(r"\$[56]\$rounds=([0-9]+)\$")
_FORMS = re.compile(rf"\$5\$(?:rounds=[0-9]{{1,9}}\$)?{_B64}{{1,16}}\${_B64}{{43}}"
                    rf"|\$6\$(?:rounds=[0-9]{{1,9}}\$)?{_B64}{{1,16}}\${_B64}{{86}}"
                    rf"|\$1\${_B64}{{1,8}}\${_B64}{{22}}")
#: the forms above with rounds inside the cap, and the empty value (the leading ``|``), as one
#: regular expression for value generators
EXAMPLE_FORMS = (rf"|\$6\$(?:rounds=[1-9][0-9]{{3,4}}\$)?{_B64}{{1,16}}\${_B64}{{86}}"
                 rf"|\$5\$(?:rounds=[1-9][0-9]{{3,4}}\$)?{_B64}{{1,16}}\${_B64}{{43}}"
                 rf"|\$1\${_B64}{{1,8}}\${_B64}{{22}}")


def hash_problem(hashed: str) -> str | None:
    """Why ``hashed`` is not acceptable, or None when it is."""
    if hashed == "":
        return None
    if _FORMS.fullmatch(hashed) is None:
        return ("Encrypted password must be a crypt(3) hash: $6$SALT$HASH (SHA-512), "
                "$6$rounds=N$SALT$HASH, $5$... (SHA-256) or $1$... (MD5)")
    rounds = _SHA_ROUNDS.match(hashed)
    if rounds is not None and int(rounds.group(1)) > MAX_ROUNDS:
        return (f"Encrypted password: rounds={rounds.group(1)} is more than {MAX_ROUNDS}, "
                "which would make every login check slow")
    return None
