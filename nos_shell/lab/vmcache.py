"""The VM runner's kernel cache: Debian bookworm's ``linux-image-6.1.0-N-amd64``, unpacked
once, with what a fast boot needs next to it.

Layout of the cache directory (``$NOS_VM_CACHE``, default ``~/.cache/nos-shell/vm``)::

    kernel/                 the deb, unpacked with ``dpkg -x`` (no install, no hooks) + depmod
    vmlinux-VER             the uncompressed ELF kernel: QEMU boots it by PVH, which skips
                            the guest's slow XZ decompression under TCG
    initrd-VER-HASH.cpio    busybox, the guest scripts (vminit.py) and the boot modules
    .lock                   held while any of the above is made, so concurrent runs wait

Every step runs a program by argv (``apt-cache``, ``apt-get download``, ``dpkg -x``,
``depmod``, ``modprobe --show-depends``); each file appears under its final name only
when complete.
"""
from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import os
import pathlib
import shutil
import subprocess
from collections.abc import Iterator

from nos_shell.lab import vminit

#: the Debian packages the VM runner needs on the host
HOST_PACKAGES = {"qemu-system-x86_64": "qemu-system-x86", "busybox": "busybox-static",
                 "depmod": "kmod", "modprobe": "kmod"}
XZ_MAGIC = b"\xfd7zXZ\x00"


class VmError(RuntimeError):
    """The VM could not be set up or booted (no command status came back)."""


@dataclasses.dataclass(frozen=True)
class Kernel:
    """What a boot needs: the kernel image, the initramfs and the guest's module tree."""
    version: str
    image: pathlib.Path
    initrd: pathlib.Path
    modules: pathlib.Path


def cache_dir() -> pathlib.Path:
    """``$NOS_VM_CACHE``, else ``~/.cache/nos-shell/vm``."""
    chosen = os.environ.get("NOS_VM_CACHE")
    return pathlib.Path(chosen) if chosen else pathlib.Path.home() / ".cache" / "nos-shell" / "vm"


def find_tool(name: str) -> str:
    """The path of a host program the runner needs, or :class:`VmError` naming its package."""
    path = shutil.which(name) or next(
        (p for p in (f"/usr/sbin/{name}", f"/sbin/{name}") if os.path.exists(p)), None)
    if path is None:
        package = HOST_PACKAGES.get(name, name)
        raise VmError(f"{name} is not installed (apt-get install --no-install-recommends {package})")
    return path


def missing_tools() -> list[str]:
    """The host programs the runner needs that are not installed (empty when all are)."""
    found = []
    for name in HOST_PACKAGES:
        try:
            find_tool(name)
        except VmError as error:
            found.append(str(error))
    return found


def _call(*argv: str, cwd: pathlib.Path | None = None) -> str:
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise VmError(f"{' '.join(argv)} failed: {(done.stderr or done.stdout).strip()[-400:]}")
    return done.stdout


@contextlib.contextmanager
def locked(cache: pathlib.Path) -> Iterator[None]:
    """Hold the cache's lock (first-time setup is serialised between concurrent runs)."""
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def kernel_package() -> str:
    """The versioned package behind ``linux-image-amd64`` (e.g. linux-image-6.1.0-57-amd64)."""
    listing = _call("apt-cache", "depends", "linux-image-amd64")
    for line in listing.splitlines():
        word = line.strip().removeprefix("Depends:").strip()
        if line.strip().startswith("Depends:") and word.startswith("linux-image-6"):
            return word
    raise VmError("cannot resolve linux-image-amd64 (run apt-get update)")


def _unpack(cache: pathlib.Path) -> pathlib.Path:
    """Download and unpack the kernel deb into ``cache/kernel`` (once)."""
    root = cache / "kernel"
    if (root / "lib" / "modules").is_dir():
        return root
    package = kernel_package()
    work = cache / "download.tmp"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        _call("apt-get", "download", package, cwd=work)
        debs = sorted(work.glob("linux-image-*.deb"))
        if not debs:
            raise VmError(f"apt-get download {package} left no .deb")
        staged = work / "kernel"
        _call("dpkg", "-x", str(debs[0]), str(staged))
        versions = [p.name for p in (staged / "lib" / "modules").iterdir()]
        if len(versions) != 1:
            raise VmError(f"{debs[0].name} holds modules for {versions!r}, expected one version")
        _call(find_tool("depmod"), "-b", str(staged), versions[0])
        shutil.rmtree(root, ignore_errors=True)
        staged.rename(root)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return root


def _write_once(path: pathlib.Path, data: bytes) -> None:
    part = path.with_name(path.name + ".part")
    part.write_bytes(data)
    part.rename(path)


def _vmlinux(root: pathlib.Path, version: str, cache: pathlib.Path) -> pathlib.Path:
    """The uncompressed kernel (the XZ payload of vmlinuz); vmlinuz itself if it has none."""
    target = cache / f"vmlinux-{version}"
    if target.is_file() and target.stat().st_size > 0:
        return target
    import lzma

    packed = (root / "boot" / f"vmlinuz-{version}").read_bytes()
    start = packed.find(XZ_MAGIC)
    if start < 0:
        return root / "boot" / f"vmlinuz-{version}"
    _write_once(target, lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(packed[start:]))
    return target


def boot_modules(root: pathlib.Path, version: str) -> list[pathlib.Path]:
    """The module files for :data:`vminit.BOOT_MODULES` with their dependencies, in load order."""
    modprobe = find_tool("modprobe")
    ordered: list[pathlib.Path] = []
    for name in vminit.BOOT_MODULES:
        shown = _call(modprobe, "-d", str(root), "-S", version, "--show-depends", name)
        for line in shown.splitlines():
            words = line.split()
            if words[:1] == ["insmod"] and pathlib.Path(words[1]) not in ordered:
                ordered.append(pathlib.Path(words[1]))
    return ordered


def _initrd(root: pathlib.Path, version: str, cache: pathlib.Path) -> pathlib.Path:
    target = cache / f"initrd-{version}-{vminit.fingerprint()}.cpio"
    if target.is_file():
        return target
    busybox = pathlib.Path(find_tool("busybox")).read_bytes()
    modules = [(path.name, path.read_bytes()) for path in boot_modules(root, version)]
    _write_once(target, vminit.initramfs(busybox, modules))
    return target


def prepare(cache: pathlib.Path | None = None) -> Kernel:
    """The cached kernel, made first if needed (under the cache lock)."""
    cache = cache or cache_dir()
    for name in ("qemu-system-x86_64", "busybox", "depmod", "modprobe"):
        find_tool(name)
    with locked(cache):
        root = _unpack(cache)
        versions = sorted(p.name for p in (root / "lib" / "modules").iterdir())
        version = versions[-1]
        image = _vmlinux(root, version, cache)
        initrd = _initrd(root, version, cache)
    return Kernel(version, image, initrd, root / "lib" / "modules" / version)


__all__ = ["HOST_PACKAGES", "Kernel", "VmError", "boot_modules", "cache_dir", "find_tool", "kernel_package",
           "locked", "missing_tools", "prepare"]
