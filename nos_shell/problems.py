"""Problems found by verify(): values, not exceptions, so all of them are reported at once."""
from __future__ import annotations

from typing import NamedTuple


class Problem(NamedTuple):
    """One problem (a named tuple: ordered by path, then message)."""

    path: tuple[str, ...]   # configuration path the problem is about
    message: str

    def render(self) -> str:
        """VyOS style: the path header, then the reason."""
        return f"[ {' '.join(self.path)} ]\n{self.message}"
