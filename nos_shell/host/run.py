"""Run a program in the router's context: the one runner every layer uses.

The command line is the target's exec prefix (nothing, ``ip netns exec NS`` or ``nsenter``)
followed by ``argv``; it is started directly, never through a shell, with no terminal input.
Failures become one clear error of the class the caller asks for (``NosError`` for views,
``CommitError`` for the apply layer).
"""
from __future__ import annotations

import subprocess
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..errors import NosError

if TYPE_CHECKING:
    from ..apply.target import Target


def run(target: "Target", argv: Sequence[str], *, timeout: float = 15, check: bool = True,
        input: str | None = None, error: type[NosError] = NosError,
        detail_lines: int = 2) -> subprocess.CompletedProcess:
    """Run ``argv`` in the router's context and return its captured text output.

    Raises ``error`` when the program is missing, does not finish within ``timeout``
    seconds, or (with ``check``) exits non-zero; the message names the program and ends
    with the last ``detail_lines`` lines it printed."""
    full = target.argv(*argv)
    try:
        result = subprocess.run(full, capture_output=True, text=True, timeout=timeout, input=input,
                                stdin=None if input is not None else subprocess.DEVNULL)
    except FileNotFoundError:
        raise error(f"{argv[0]} is not installed in the router's context") from None
    except subprocess.TimeoutExpired:
        raise error(f"{argv[0]} did not answer within {timeout:g} seconds") from None
    except OSError as exc:
        raise error(f"{argv[0]}: {exc.strerror or exc}") from None
    if check and result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-detail_lines:] if detail_lines else []
        raise error(f"{' '.join(argv[:3])} failed (exit {result.returncode})", *detail)
    return result
