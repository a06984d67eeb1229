"""The guest side of the VM runner (vm.py): the two fixed init scripts and the initramfs
that carries them.

Nothing here is built from user data. The host writes the command's argv, environment,
working directory and read-write directories as plain line files into the run's control
directory (shared into the guest as :data:`CONTROL`); the scripts below only read those
lines (``read -r`` into ``set --``) and hand them to ``env -i NAME=VALUE... ARGV...``, so
no argument is ever parsed by a shell. The host refuses values with a newline (vm.py
``check_line``) and a command name with ``=`` (``env`` would take it for a variable).

Stage 1 is PID 1 in the initramfs (busybox): it loads the 9p/virtio/overlay modules, mounts
the host's ``/`` read-only over 9p under a tmpfs overlay, a fresh ``/run`` with the host's
directory skeleton, the control directory and the read-write directories, and switches
root. Stage 2 is PID 1 in the new root: it runs the command with its output on the virtio
console, writes the exit status to the control directory and powers the guest off.
"""
from __future__ import annotations

import hashlib

#: where the run's control directory appears in the guest
CONTROL = "/run/nos-vm"
#: the kernel modules (and their dependencies) the initramfs loads to reach the 9p root
BOOT_MODULES = ("virtio_pci", "9pnet_virtio", "9p", "overlay", "virtio_console")

STAGE1 = r"""#!/bin/busybox sh
# nos-shell VM, stage 1: PID 1 in the initramfs (nos_shell/lab/vminit.py)
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
say() { echo "nos-vm: $*" > /dev/kmsg; }
give_up() { say "$*"; sync; echo o > /proc/sysrq-trigger; sleep 30; }
while IFS= read -r mod; do insmod "/modules/$mod" || say "insmod $mod failed"; done < /modules/order
P9=trans=virtio,version=9p2000.L,msize=512000
mount -t 9p -o "$P9,ro,cache=loose" nosroot /host || give_up "cannot mount the host root"
mount -t tmpfs -o mode=755 nosupper /upper
mkdir -p /upper/data /upper/work
mount -t overlay -o lowerdir=/host,upperdir=/upper/data,workdir=/upper/work nosvm /newroot \
    || give_up "cannot mount the overlay root"
N=/newroot
mount -t proc proc $N/proc
mount -t sysfs sysfs $N/sys
mount --move /dev $N/dev
mkdir -p $N/dev/pts $N/dev/shm
mount -t devpts devpts $N/dev/pts
mount -t tmpfs shm $N/dev/shm
mount -t cgroup2 cgroup2 $N/sys/fs/cgroup
mount -t tmpfs -o mode=755 run $N/run
mkdir -p $N/run/nos-vm $N/run/nos-vm-init $N/run/lock
mount -t 9p -o "$P9" nosctl $N/run/nos-vm || give_up "cannot mount the control directory"
C=$N/run/nos-vm
while read -r mode owner dir; do
    mkdir -p "$N/run/$dir" && chmod "$mode" "$N/run/$dir" && chown "$owner" "$N/run/$dir"
done < $C/run-dirs
while IFS= read -r link && IFS= read -r target; do ln -sfn "$target" "$N/run/$link"; done < $C/run-links
mkdir -p $N/lib/modules
ln -sfn "$(cat $C/kmoddir)" "$N/lib/modules/$(uname -r)"
i=0
while IFS= read -r dir; do
    mkdir -p "$N$dir" && mount -t 9p -o "$P9" "nosrw$i" "$N$dir" || say "cannot mount $dir"
    i=$((i+1))
done < $C/rw-dirs
hostname nos-vm
ip link set lo up
n=0
while [ ! -c $N/dev/hvc0 ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n+1)); done
cp /bin/busybox /stage2 $N/run/nos-vm-init/
umount /proc /sys
exec switch_root $N /run/nos-vm-init/busybox sh /run/nos-vm-init/stage2
"""

STAGE2 = r"""# nos-shell VM, stage 2: PID 1 after switch_root (nos_shell/lab/vminit.py)
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
C=/run/nos-vm
OUT=/dev/hvc0
[ -c $OUT ] || OUT=/dev/console
exec 3<>$OUT
stty -opost <&3 2>/dev/null
(
    cd "$(cat $C/cwd)" || exit 126
    set --
    while IFS= read -r pair; do set -- "$@" "$pair"; done < $C/env
    while IFS= read -r arg; do set -- "$@" "$arg"; done < $C/argv
    # by its path, so this busybox never runs one of its own applets instead of the command
    exec /usr/bin/env -i "$@"
) </dev/null >&3 2>&3
echo $? > $C/rc.part && mv $C/rc.part $C/rc
sync
echo o > /proc/sysrq-trigger
sleep 30
"""


def _entry(name: str, mode: int, data: bytes = b"", rdev: tuple[int, int] = (0, 0), ino: int = 0) -> bytes:
    """One newc cpio record, name and data padded to four bytes."""
    raw = name.encode() + b"\0"
    fields = (ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(raw), 0)
    head = b"070701" + b"".join(b"%08X" % v for v in fields) + raw
    head += b"\0" * (-len(head) % 4)
    return head + data + b"\0" * (-len(data) % 4)


def initramfs(busybox: bytes, modules: list[tuple[str, bytes]]) -> bytes:
    """The initramfs (newc cpio): busybox, the stage scripts, ``modules`` (file name and
    contents, in load order) with ``modules/order``, and the mount points stage 1 uses."""
    dirs = ("bin", "dev", "proc", "sys", "host", "upper", "newroot", "modules")
    order = "".join(f"{name}\n" for name, _ in modules)
    records: list[tuple[str, int, bytes, tuple[int, int]]] = [(d, 0o40755, b"", (0, 0)) for d in dirs]
    records += [("dev/console", 0o20600, b"", (5, 1)),
                ("bin/busybox", 0o100755, busybox, (0, 0)),
                ("init", 0o100755, STAGE1.encode(), (0, 0)),
                ("stage2", 0o100644, STAGE2.encode(), (0, 0)),
                ("modules/order", 0o100644, order.encode(), (0, 0))]
    records += [(f"modules/{name}", 0o100644, data, (0, 0)) for name, data in modules]
    # each record has its own inode number, so the kernel never hard-links two files together
    body = [_entry(name, mode, data, rdev, ino) for ino, (name, mode, data, rdev) in enumerate(records, 1)]
    return b"".join(body) + _entry("TRAILER!!!", 0)


def fingerprint() -> str:
    """Changes whenever the guest scripts or the module list change (names the cached initramfs)."""
    text = "\0".join((STAGE1, STAGE2, *BOOT_MODULES))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def check_newc(data: bytes) -> list[str]:
    """The names in a newc archive, in order (a reader for tests of :func:`initramfs`)."""
    names: list[str] = []
    pos = 0
    while True:
        if data[pos:pos + 6] != b"070701":
            raise ValueError(f"bad cpio magic at {pos}")
        fields = [int(data[pos + 6 + 8 * i:pos + 14 + 8 * i], 16) for i in range(13)]
        size, namesize = fields[6], fields[11]
        start = pos + 110
        name = data[start:start + namesize - 1].decode()
        pos = start + namesize
        pos += -pos % 4
        pos += size + (-size % 4)
        if name == "TRAILER!!!":
            return names
        names.append(name)


__all__ = ["BOOT_MODULES", "CONTROL", "STAGE1", "STAGE2", "check_newc", "fingerprint", "initramfs"]
