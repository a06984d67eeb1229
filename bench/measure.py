"""Run a program as a child process and measure it: wall time and peak memory.

The peak is the child's own ``ru_maxrss`` from ``os.wait4`` (Linux folds in the peaks of
the child's own reaped children), so each run is measured alone, not as a running maximum
over every child this process ever had; see LAUNCHER for why a small stub starts it. No
shell is involved: argv lists only.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Run:
    """One measured child: wall seconds, peak resident memory in KiB, and CPU seconds
    (user + system: steadier than wall time on a shared machine, blind to waiting for I/O),
    of which ``user_seconds`` in the program itself (the rest is the kernel's work for it,
    such as creating files)."""

    seconds: float
    maxrss_kib: int
    cpu_seconds: float = 0.0
    user_seconds: float = 0.0


@dataclass(frozen=True)
class Figures:
    """Several runs of the same thing."""

    runs: tuple[Run, ...]

    @property
    def median(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def fastest(self) -> float:
        return min(run.seconds for run in self.runs)

    @property
    def slowest(self) -> float:
        return max(run.seconds for run in self.runs)

    @property
    def cpu(self) -> float:
        """The median CPU seconds."""
        return statistics.median(run.cpu_seconds for run in self.runs)

    @property
    def user(self) -> float:
        """The median user CPU seconds (the program's own work, without the kernel's)."""
        return statistics.median(run.user_seconds for run in self.runs)

    @property
    def peak_mib(self) -> float:
        """The highest peak memory of all runs, in MiB."""
        return max(run.maxrss_kib for run in self.runs) / 1024

    def as_dict(self) -> dict[str, float | int]:
        return {"median_s": round(self.median, 4), "fastest_s": round(self.fastest, 4),
                "slowest_s": round(self.slowest, 4),
                "median_cpu_s": round(self.cpu, 4), "median_user_s": round(self.user, 4), "peak_mib": round(self.peak_mib, 1),
                "runs": len(self.runs)}


class ChildFailed(RuntimeError):
    """A measured program exited with an error."""


#: Starts the program from a small process and reports its wall time, peak memory and exit
#: status. A child's ru_maxrss starts at the peak of the process it was spawned from (Linux
#: keeps the parent's figure across exec), so spawned straight from a large parent (a test
#: run) a small program would report the parent's size; from this stub the floor is the
#: stub's few MiB (`floor()`).
LAUNCHER = """
import os, sys, time
null = os.open(os.devnull, os.O_RDWR)
start = time.perf_counter()
pid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ,
                      file_actions=[(os.POSIX_SPAWN_DUP2, null, 0), (os.POSIX_SPAWN_DUP2, null, 1)])
_, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss, usage.ru_utime + usage.ru_stime, usage.ru_utime,
      os.waitstatus_to_exitcode(status))
"""


def run(argv: Sequence[str | os.PathLike[str]], env: dict[str, str] | None = None) -> Run:
    """Run ``argv`` to its end (it must exit 0) and measure it; its output is discarded
    unless it fails, then its standard error is in the exception."""
    words = [os.fspath(arg) for arg in argv]
    with tempfile.TemporaryFile() as errors:
        done = subprocess.run([sys.executable, "-S", "-c", LAUNCHER, *words], env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=errors, text=True)
        errors.seek(0)
        text = errors.read()[-4000:].decode(errors="replace")
    try:
        seconds, maxrss, cpu, user, status = done.stdout.split()
    except ValueError:
        raise ChildFailed(f"could not start {words[0]} (exit {done.returncode}):\n{text}") from None
    if status != "0":
        raise ChildFailed(f"{' '.join(words)} exited {status}:\n{text}")
    return Run(float(seconds), int(maxrss), float(cpu), float(user))


def floor() -> float:
    """The smallest peak memory :func:`run` can report, in MiB (the stub's own)."""
    return run(["true"]).maxrss_kib / 1024


def nos_shell() -> list[str]:
    """How to start this project's `nos-shell`: the entry point in the project's .venv,
    else the module under the running interpreter."""
    for folder in (PROJECT / ".venv" / "bin", Path(sys.executable).parent):
        if (folder / "nos-shell").is_file():
            return [str(folder / "nos-shell")]
    return [sys.executable, "-m", "nos_shell"]


def child_env(pycache: Path) -> dict[str, str]:
    """The environment for measured children: byte-code written and reused (in
    ``pycache``), as on an installed system, whatever PYTHONDONTWRITEBYTECODE says here."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def netplan_root(root: Path, yaml: str) -> Path:
    """``root`` made to hold ``yaml`` as its only netplan file (mode 0600: netplan warns
    about a readable configuration otherwise), for `netplan generate --root-dir`."""
    target = root / "etc" / "netplan" / "scale.yaml"
    target.parent.mkdir(parents=True)
    target.write_text(yaml)
    target.chmod(0o600)
    return root


def load() -> str:
    """The load averages now, as `uptime` shows them."""
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"
