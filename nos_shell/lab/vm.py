"""Run one command inside a real Debian kernel under QEMU, for the drivers this kernel lacks
(VLAN, bond, dummy, VRF, WireGuard): ``run(argv, rw_dirs=..., env=..., timeout=...)``.

The guest sees the host's ``/`` read-only over 9p under a tmpfs overlay, so the project's
venv, systemd-networkd, bird, gobgpd, nft and iproute2 run there unchanged; every write is
lost at exit except in the ``rw_dirs``, which are shared read-write at the same paths.
The command runs as root, in ``cwd`` (default: the caller's), with stdin ``/dev/null`` and
stdout and stderr merged. It gets the host's ``PATH`` and ``HOME``, ``LANG=C.UTF-8``,
``TERM=dumb``, ``NOS_SHELL_IN_VM=1`` and ``env``. The guest has only ``lo``; its network
namespaces and links live in its own kernel. QEMU runs by software emulation (TCG; this
machine's /dev/kvm cannot run a stock kernel), about 25-40 times slower than the host, and
boots in 3-5 s. The kernel cache is vmcache.py; the guest's scripts are vminit.py.

From a shell: ``python -m nos_shell.lab.vm [-t S] [-w DIR] [-e NAME[=VALUE]] -- CMD ...``
prints the output as it comes and exits with the command's status (124: timeout, 125: the
VM failed).
"""
from __future__ import annotations

import dataclasses
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import BinaryIO

from nos_shell.lab import vmcache
from nos_shell.lab.vmcache import Kernel, VmError

#: set in every guest command's environment, so a test can tell it runs in the VM
IN_VM_MARKER = "NOS_SHELL_IN_VM"
QBOOT = pathlib.Path("/usr/share/qemu/qboot.rom")
#: kernel arguments: quiet, no PCI ACPI links, no crypto self-tests, no slow initcalls (3.5 s boot)
KERNEL_ARGS = ("console=ttyS0", "quiet", "loglevel=3", "panic=-1", "rdinit=/init", "mitigations=off",
               "tsc=reliable", "pci=noacpi", "i8042.noaux", "i8042.nokbd", "i8042.nopnp", "cryptomgr.notests",
               "initcall_blacklist=init_kprobe_trace,crypto_kdf108_init,load_system_certificate_list")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclasses.dataclass(frozen=True)
class VmResult:
    """How the command ended: its exit status (None after a timeout) and its merged output."""
    status: int | None
    output: str
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.status == 0


def check_line(what: str, value: str) -> str:
    """``value``, refused when it cannot travel as one line to the guest scripts."""
    if "\n" in value or "\r" in value or "\0" in value:
        raise ValueError(f"{what} must not contain a newline or NUL: {value!r}")
    return value


def guest_env(extra: Mapping[str, str], host: Mapping[str, str] | None = None) -> dict[str, str]:
    """The command's environment: the host's PATH and HOME, fixed locale and terminal,
    the in-VM marker, then ``extra`` (names must be shell variable names)."""
    host = os.environ if host is None else host
    env = {"PATH": host.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), "HOME": host.get("HOME", "/root"),
           "LANG": "C.UTF-8", "TERM": "dumb", IN_VM_MARKER: "1"}
    for name, value in extra.items():
        if not NAME.fullmatch(name):
            raise ValueError(f"not an environment variable name: {name!r}")
        env[name] = value
    return env


def host_dir(path: str | os.PathLike) -> str:
    """An existing host directory as an absolute path without symlinks (a read-write share)."""
    resolved = os.path.realpath(path)
    check_line("a read-write directory", resolved)
    if not os.path.isdir(resolved):
        raise ValueError(f"not a directory: {path}")
    if resolved == "/":
        raise ValueError("the host's / cannot be shared read-write")
    return resolved


def run_skeleton(top: pathlib.Path = pathlib.Path("/run")) -> tuple[list[str], list[str]]:
    """The host's ``/run`` directories to depth 2 as ``MODE UID:GID PATH`` lines, and its
    top-level symlinks as name/target line pairs: the guest's fresh /run gets the same
    skeleton (``/run/dbus``, ``/run/systemd/netif`` owned by systemd-network) but no files."""
    dirs: list[str] = []
    links: list[str] = []
    for entry in sorted(top.iterdir()):
        if "\n" in entry.name or entry.name == "netns":
            continue
        if entry.is_symlink():
            target = os.readlink(entry)
            if "\n" not in target:
                links += [entry.name, target]
            continue
        if not entry.is_dir():
            continue
        for path in [entry, *sorted(p for p in entry.iterdir() if p.is_dir() and not p.is_symlink())]:
            if "\n" not in path.name:
                info = path.stat()
                dirs.append(f"{info.st_mode & 0o7777:o} {info.st_uid}:{info.st_gid} {path.relative_to(top)}")
    return dirs, links


def write_control(control: pathlib.Path, argv: Sequence[str], cwd: str, env: Mapping[str, str],
                  rw_dirs: Sequence[str], modules: pathlib.Path) -> None:
    """The line files the guest scripts read (vminit.py); every value is one checked line."""
    if not argv:
        raise ValueError("no command to run")
    if "=" in argv[0]:
        raise ValueError(f"a command name must not contain '=': {argv[0]!r}")

    def lines(what: str, values: Iterable[str]) -> str:
        return "".join(check_line(what, v) + "\n" for v in values)

    dirs, links = run_skeleton()
    (control / "argv").write_text(lines("an argument", argv))
    (control / "env").write_text(lines("an environment value", (f"{k}={v}" for k, v in env.items())))
    (control / "cwd").write_text(lines("the working directory", [cwd]))
    (control / "rw-dirs").write_text(lines("a read-write directory", rw_dirs))
    (control / "kmoddir").write_text(lines("the module directory", [str(modules)]))
    (control / "run-dirs").write_text("".join(f"{line}\n" for line in dirs))
    (control / "run-links").write_text("".join(f"{line}\n" for line in links))


def qemu_argv(kernel: Kernel, control: pathlib.Path, rw_dirs: Sequence[str], memory: int = 1024,
              cpus: int = 1, qemu: str = "qemu-system-x86_64") -> list[str]:
    """The QEMU command line: TCG, no default devices, the host root and the control dir
    over 9p (tags ``nosroot``, ``nosctl``), one 9p share per read-write dir (``nosrwN``),
    and the command's output on a virtio console wired to QEMU's stdout."""
    argv = [qemu, "-accel", "tcg,thread=multi", "-cpu", "max", "-smp", str(cpus), "-m", str(memory),
            "-machine", "pc", "-nodefaults", "-no-user-config", "-nographic", "-no-reboot"]
    if QBOOT.is_file():
        argv += ["-bios", str(QBOOT)]
    argv += ["-kernel", str(kernel.image), "-initrd", str(kernel.initrd), "-append", " ".join(KERNEL_ARGS),
             "-serial", f"file:{control / 'console.log'}",
             "-fsdev", "local,id=nosroot,path=/,readonly=on,security_model=none,multidevs=remap",
             "-device", "virtio-9p-pci,fsdev=nosroot,mount_tag=nosroot",
             "-fsdev", f"local,id=nosctl,path={_opt(str(control))},security_model=none",
             "-device", "virtio-9p-pci,fsdev=nosctl,mount_tag=nosctl"]
    for i, path in enumerate(rw_dirs):
        argv += ["-fsdev", f"local,id=nosrw{i},path={_opt(path)},security_model=passthrough,multidevs=remap",
                 "-device", f"virtio-9p-pci,fsdev=nosrw{i},mount_tag=nosrw{i}"]
    argv += ["-device", "virtio-serial-pci", "-chardev", "stdio,id=out,signal=off",
             "-device", "virtconsole,chardev=out"]
    return argv


def _opt(path: str) -> str:
    """A path inside a QEMU option list, where a comma is written twice."""
    return path.replace(",", ",,")


def _pump(proc: subprocess.Popen, deadline: float, echo: BinaryIO | None) -> tuple[bytes, bool]:
    """Read QEMU's stdout until it closes or the deadline passes; True when it timed out."""
    import selectors

    chunks: list[bytes] = []
    stream = proc.stdout
    assert stream is not None
    with selectors.DefaultSelector() as sel:
        sel.register(stream, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return b"".join(chunks), True
            if not sel.select(min(left, 1.0)):
                continue
            data = os.read(stream.fileno(), 65536)
            if not data:
                return b"".join(chunks), False
            chunks.append(data)
            if echo is not None:
                echo.write(data)
                echo.flush()


def run(argv: Sequence[str], *, rw_dirs: Sequence[str | os.PathLike] = (), env: Mapping[str, str] | None = None,
        cwd: str | os.PathLike | None = None, timeout: float = 600, memory: int = 1024, cpus: int = 1,
        echo: BinaryIO | None = None, cache: pathlib.Path | None = None,
        started: Callable[[subprocess.Popen], None] | None = None) -> VmResult:
    """Run ``argv`` in a fresh VM and return its status and output (also written to ``echo``
    as it comes). Raises ValueError for a value that cannot reach the guest and
    :class:`VmError` when the VM cannot be set up or ends without a status. ``started`` is
    given QEMU's process as soon as it runs (a caller in another thread may kill it)."""
    shared = [host_dir(d) for d in rw_dirs]
    workdir = check_line("the working directory", os.path.realpath(cwd if cwd is not None else os.getcwd()))
    variables = guest_env(env or {})
    kernel = vmcache.prepare(cache)
    qemu = vmcache.find_tool("qemu-system-x86_64")
    with tempfile.TemporaryDirectory(prefix="nos-vm-") as tmp:
        control = pathlib.Path(tmp)
        write_control(control, [str(a) for a in argv], workdir, variables, shared, kernel.modules)
        with open(control / "qemu.err", "wb") as errors:
            proc = subprocess.Popen(qemu_argv(kernel, control, shared, memory, cpus, qemu), stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=errors, start_new_session=True)
        if started is not None:
            started(proc)
        try:
            raw, timed_out = _pump(proc, time.monotonic() + timeout, echo)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            assert proc.stdout is not None
            proc.stdout.close()
        output = raw.decode(errors="replace")
        status = control / "rc"
        if status.is_file():
            return VmResult(int(status.read_text().strip() or "125"), output)
        if timed_out:
            return VmResult(None, output, timed_out=True)
        raise VmError(f"the VM ended without a status (qemu exit {proc.returncode}):\n" + _tail(control))


def _tail(control: pathlib.Path, lines: int = 20) -> str:
    parts = []
    for name in ("console.log", "qemu.err"):
        path = control / name
        if path.is_file():
            parts += path.read_text(errors="replace").splitlines()[-lines:]
    return "\n".join(parts)


def main(args: Sequence[str] | None = None) -> int:
    """``python -m nos_shell.lab.vm [options] -- CMD ...``."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m nos_shell.lab.vm", description=__doc__.split("\n")[0])
    parser.add_argument("-t", "--timeout", type=float, default=600, help="seconds (default 600)")
    parser.add_argument("-m", "--memory", type=int, default=1024, help="guest MiB (default 1024)")
    parser.add_argument("-w", "--rw-dir", action="append", default=[], help="host dir shared read-write")
    parser.add_argument("-e", "--env", action="append", default=[],
                        help="NAME=VALUE, or NAME to pass the host's value")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    opts = parser.parse_args(args)
    command = opts.command[1:] if opts.command[:1] == ["--"] else opts.command
    extra = {}
    for item in opts.env:
        name, sep, value = item.partition("=")
        if sep or name in os.environ:
            extra[name] = value if sep else os.environ[name]
    try:
        result = run(command, rw_dirs=opts.rw_dir, env=extra, timeout=opts.timeout, memory=opts.memory,
                     echo=sys.stdout.buffer)
    except (ValueError, VmError) as error:
        print(f"nos-shell vm: {error}", file=sys.stderr)
        return 125
    if result.timed_out:
        print(f"nos-shell vm: timed out after {opts.timeout:g} s", file=sys.stderr)
        return 124
    return result.status if result.status is not None else 125


__all__ = ["IN_VM_MARKER", "KERNEL_ARGS", "VmError", "VmResult", "check_line", "guest_env", "host_dir", "main",
           "qemu_argv", "run", "run_skeleton", "write_control"]

if __name__ == "__main__":
    sys.exit(main())
