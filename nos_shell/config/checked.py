"""Value checks remembered within a process: a value a type accepted once is accepted again
without running the check (a command file's `set` lines validate each value, and the
archive proof's read-back of the same values then costs no second validation).

Only acceptances are kept (a refusal is computed again, with its message). The checks of
nos_shell/schema/types.py are pure functions of the value, so the answer cannot go stale;
``check_set`` (stricter, for values typed now) and ``check`` (values read from a file) are
kept apart. Bounded: the memory is dropped whole when it grows past :data:`LIMIT`.
"""
from __future__ import annotations

from ..schema.types import ValueType

LIMIT = 50_000         # (about 10 MB at most; the scale configuration checks 13,000 values)
_ACCEPTED: dict[tuple[int, bool, str], ValueType] = {}   # (id(type), on set, value) -> type


def check(vt: ValueType, value: str, *, on_set: bool = False) -> None:
    """``vt.check(value)`` (``vt.check_set`` when ``on_set`` and the type has one); raises
    ValueError as the check does."""
    setter = getattr(vt, "check_set", None) if on_set else None
    key = (id(vt), setter is not None, value)
    if _ACCEPTED.get(key) is vt:        # (the type is kept alive, so its id is not reused)
        return
    (setter or vt.check)(value)
    if len(_ACCEPTED) >= LIMIT:
        _ACCEPTED.clear()
    _ACCEPTED[key] = vt


__all__ = ["LIMIT", "check"]
