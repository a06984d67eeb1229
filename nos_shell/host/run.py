"""Run a program in the router's context: the one runner every layer uses.

The command line is the target's exec prefix (nothing, ``ip netns exec NS`` or ``nsenter``)
followed by ``argv`` (:func:`command_line`); it is started directly, never through a shell,
with no terminal input. :func:`run` waits for the program and turns failures into one clear
error of the class the caller asks for (``NosError`` for views, ``CommitError`` for the
apply layer); :func:`spawn` starts it and returns at once (streamed output, detached
daemons). A ``target`` of None means this process's own context: a helper that was itself
started in the router's context.
"""
from __future__ import annotations

import subprocess
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import NosError

if TYPE_CHECKING:
    from ..apply.target import Target


def command_line(target: "Target | None", argv: Sequence[str]) -> list[str]:
    """The full command line that runs ``argv`` in ``target``'s router context."""
    return list(argv) if target is None else target.argv(*argv)


def spawn(target: "Target | None", argv: Sequence[str], *, stdout: Any = None, stderr: Any = None,
          process_group: int | None = None, new_session: bool = False,
          cwd: str | None = None, text: bool = False) -> subprocess.Popen:
    """Start ``argv`` in the router's context without waiting for it; stdin is /dev/null.

    ``process_group=0`` gives it a process group of its own (signalled as one);
    ``new_session`` detaches it from any terminal; ``text`` decodes its output. Raises ``OSError`` as ``Popen`` does
    (``FileNotFoundError``: not installed); the caller words it."""
    return subprocess.Popen(command_line(target, argv), stdin=subprocess.DEVNULL, stdout=stdout,
                            stderr=stderr, process_group=process_group, start_new_session=new_session,
                            close_fds=True, cwd=cwd, text=text)


def run(target: "Target | None", argv: Sequence[str], *, timeout: float = 15, check: bool = True,
        input: str | None = None, error: type[NosError] = NosError,
        detail_lines: int = 2) -> subprocess.CompletedProcess:
    """Run ``argv`` in the router's context and return its captured text output.

    Raises ``error`` when the program is missing, does not finish within ``timeout``
    seconds, or (with ``check``) exits non-zero; the message names the program and ends
    with the last ``detail_lines`` lines it printed."""
    full = command_line(target, argv)
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
