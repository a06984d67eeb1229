"""The pure parts of the VM runner (nos_shell/lab/vm.py, vminit.py): what travels to the
guest as line files, the QEMU command line, the initramfs archive and the /run skeleton."""
from __future__ import annotations

import os
import pathlib

import pytest
from hypothesis import given, strategies as st

from propsettings import examples

from nos_shell.lab import vm, vminit
from nos_shell.lab.vmcache import Kernel

KERNEL = Kernel("6.1.0-1-amd64", pathlib.Path("/c/vmlinux"), pathlib.Path("/c/initrd.cpio"),
                pathlib.Path("/c/kernel/lib/modules/6.1.0-1-amd64"))


@pytest.mark.parametrize("bad", ["a\nb", "a\rb", "a\0b", "\n"])
def test_check_line_refuses_line_breaks_and_nul(bad: str) -> None:
    with pytest.raises(ValueError, match="newline"):
        vm.check_line("an argument", bad)


@given(st.text(alphabet=st.characters(blacklist_characters="\n\r\0", blacklist_categories=("Cs",))))
@examples(100)
def test_check_line_keeps_any_other_text(value: str) -> None:
    assert vm.check_line("an argument", value) == value


def test_write_control_keeps_arguments_verbatim(tmp_path: pathlib.Path) -> None:
    argv = ["prog", "two words", "$HOME", "'q'\"", "*", "a\\b", "", "--x=1"]
    env = vm.guest_env({"CI": "true", "ODD": "a b;$(no)"}, host={"PATH": "/bin", "HOME": "/h"})
    vm.write_control(tmp_path, argv, "/some dir", env, ["/r w"], KERNEL.modules)
    assert (tmp_path / "argv").read_text().split("\n")[:-1] == argv
    assert (tmp_path / "env").read_text().splitlines() == [
        "PATH=/bin", "HOME=/h", "LANG=C.UTF-8", "TERM=dumb", f"{vm.IN_VM_MARKER}=1", "CI=true", "ODD=a b;$(no)"]
    assert (tmp_path / "cwd").read_text() == "/some dir\n"
    assert (tmp_path / "rw-dirs").read_text() == "/r w\n"
    assert (tmp_path / "kmoddir").read_text() == f"{KERNEL.modules}\n"


@pytest.mark.parametrize("argv, message", [
    ([], "no command"), (["a=b", "x"], "must not contain '='"), (["echo", "a\nb"], "newline")])
def test_write_control_refuses(tmp_path: pathlib.Path, argv: list[str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        vm.write_control(tmp_path, argv, "/", {}, [], KERNEL.modules)


def test_write_control_refuses_newlines_in_env_cwd_and_dirs(tmp_path: pathlib.Path) -> None:
    for env, cwd, dirs in (({"A": "x\ny"}, "/", []), ({}, "/a\nb", []), ({}, "/", ["/a\nb"])):
        with pytest.raises(ValueError, match="newline"):
            vm.write_control(tmp_path, ["true"], cwd, env, dirs, KERNEL.modules)


@pytest.mark.parametrize("name", ["A-B", "1X", "A=B", "", "a b", "X\n"])
def test_guest_env_refuses_names_that_are_not_variables(name: str) -> None:
    with pytest.raises(ValueError, match="not an environment variable name"):
        vm.guest_env({name: "v"}, host={})


def test_guest_env_sets_the_marker_and_lets_the_caller_override() -> None:
    env = vm.guest_env({"TERM": "xterm"}, host={"PATH": "/p", "HOME": "/h", "SECRET": "s"})
    assert env == {"PATH": "/p", "HOME": "/h", "LANG": "C.UTF-8", "TERM": "xterm", vm.IN_VM_MARKER: "1"}


def test_host_dir(tmp_path: pathlib.Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    (tmp_path / "file").write_text("")
    assert vm.host_dir(tmp_path / "link") == str((tmp_path / "real").resolve())
    for bad, message in ((tmp_path / "file", "not a directory"), (tmp_path / "gone", "not a directory"),
                         ("/", "cannot be shared")):
        with pytest.raises(ValueError, match=message):
            vm.host_dir(bad)


def test_qemu_argv_shares_root_read_only_and_each_rw_dir(tmp_path: pathlib.Path) -> None:
    argv = vm.qemu_argv(KERNEL, tmp_path / "c,tl", ["/a", "/b,c"], memory=768, cpus=1, qemu="/q")
    assert argv[0] == "/q" and argv[argv.index("-accel") + 1].startswith("tcg")
    assert "-enable-kvm" not in argv and "kvm" not in argv[argv.index("-accel") + 1]
    assert argv[argv.index("-m") + 1] == "768" and argv[argv.index("-kernel") + 1] == "/c/vmlinux"
    fsdevs = [argv[i + 1] for i, a in enumerate(argv) if a == "-fsdev"]
    assert fsdevs[0] == "local,id=nosroot,path=/,readonly=on,security_model=none,multidevs=remap"
    assert fsdevs[1].startswith(f"local,id=nosctl,path={tmp_path}/c,,tl,")
    assert [f.split(",path=")[1].split(",security")[0] for f in fsdevs[2:]] == ["/a", "/b,,c"]
    assert [f.split(",")[1] for f in fsdevs[2:]] == ["id=nosrw0", "id=nosrw1"]
    assert all("readonly" not in f for f in fsdevs[1:])
    assert argv[argv.index("-append") + 1] == " ".join(vm.KERNEL_ARGS)
    assert "-nodefaults" in argv and "stdio,id=out,signal=off" in argv


def test_initramfs_holds_the_scripts_and_modules_in_order() -> None:
    mods = [("virtio.ko", b"m1"), ("9p.ko", b"m22"), ("overlay.ko", b"m333")]
    archive = vminit.initramfs(b"\x7fELF busybox", mods)
    names = vminit.check_newc(archive)
    assert {"init", "stage2", "bin/busybox", "dev/console", "modules/order"} <= set(names)
    assert [n for n in names if n.endswith(".ko")] == [f"modules/{m}" for m, _ in mods]
    assert b"virtio.ko\n9p.ko\noverlay.ko\n" in archive and vminit.STAGE1.encode() in archive
    assert len(archive) % 4 == 0


def test_fingerprint_follows_the_scripts(monkeypatch: pytest.MonkeyPatch) -> None:
    before = vminit.fingerprint()
    monkeypatch.setattr(vminit, "STAGE2", vminit.STAGE2 + "\n# changed\n")
    assert vminit.fingerprint() != before


def test_guest_scripts_never_evaluate_command_data() -> None:
    """The argv/env lines only reach ``set --`` and ``env -i`` (never eval, never sh -c)."""
    for script in (vminit.STAGE1, vminit.STAGE2):
        assert "eval" not in script and "sh -c" not in script
    assert 'exec /usr/bin/env -i "$@"' in vminit.STAGE2


def test_run_skeleton(tmp_path: pathlib.Path) -> None:
    (tmp_path / "dbus" / "containers").mkdir(parents=True)
    (tmp_path / "systemd" / "netif" / "deep").mkdir(parents=True)
    (tmp_path / "netns").mkdir()
    (tmp_path / "pidfile").write_text("1")
    (tmp_path / "odd\nname").mkdir()
    (tmp_path / "shm").symlink_to("/dev/shm")
    os.chmod(tmp_path / "systemd" / "netif", 0o750)
    dirs, links = vm.run_skeleton(tmp_path)
    paths = [line.split(" ", 2)[2] for line in dirs]
    assert paths == ["dbus", "dbus/containers", "systemd", "systemd/netif"]
    uid, gid = os.getuid(), os.getgid()
    assert f"750 {uid}:{gid} systemd/netif" in dirs
    assert links == ["shm", "/dev/shm"]
