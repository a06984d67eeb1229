"""Problems found by verify(): values, not exceptions, so all of them are reported at once."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: tuple[str, ...]   # configuration path the problem is about
    message: str

    def render(self) -> str:
        """VyOS style: the path header, then the reason."""
        return f"[ {' '.join(self.path)} ]\n{self.message}"
