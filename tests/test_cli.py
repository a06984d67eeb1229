"""The nos-shell command: -f scripts, -c commands, roots, start-up cost."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = """\
# configure a small router
configure
set interfaces ethernet eth0 address 192.0.2.1/24
set interfaces ethernet eth0 description 'uplink'
set system host-name r1
delete interfaces loopback lo
commit
save
exit
show configuration commands
"""


def nos(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nos_shell", *args], input=stdin, capture_output=True,
                          text=True, timeout=60, env=env)


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != "lock"}


def test_script_runs_and_prints_single_quoted_set_lines(tmp_path):
    script = tmp_path / "good.cmds"
    script.write_text(GOOD)
    result = nos("--root", str(tmp_path / "root"), "-f", str(script))
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(
        "set interfaces ethernet eth0 address '192.0.2.1/24'\n"
        "set interfaces ethernet eth0 description 'uplink'\n"
        "set system host-name 'r1'\n"
        "set system login user vyos authentication encrypted-password '"
        + result.stdout.split("encrypted-password '")[1].split("'")[0] + "'\n"
        "set system login user vyos authentication plaintext-password ''\n"
        "set system login user vyos level 'admin'\n"
        # the script's commits are applied at its end: a sandbox root says so once
        f"files written under {tmp_path / 'root'}; not applied (sandbox)\n")
    assert (tmp_path / "root/etc/nos-shell/config.boot").read_text().count('host-name "r1"') == 1


@pytest.mark.parametrize("bad_line, message", [
    ("set interfaces ethernet eth0 mtu 99999",
     "Configuration path: [interfaces ethernet eth0 mtu 99999] is not valid: MTU must be between 68 and 16000"),
    ("set interfaces ethernet eth0 address 192.0.2.300/24",
     "Configuration path: [interfaces ethernet eth0 address 192.0.2.300/24] is not valid: "
     "Invalid IP address/prefix: 192.0.2.300/24"),
    ("set interfaces wobble eth0", "Configuration path: [interfaces wobble] is not valid"),
])
def test_a_bad_line_stops_the_script_and_keeps_nothing(tmp_path, bad_line, message):
    root = tmp_path / "root"
    first = tmp_path / "first.cmds"
    first.write_text(GOOD)
    assert nos("--root", str(root), "-f", str(first)).returncode == 0
    before = snapshot(root)
    script = tmp_path / "bad.cmds"
    # the bad line comes after a commit and a save: those must be undone too
    second = GOOD.replace("r1", "r2").replace("delete interfaces loopback lo\n", "")
    script.write_text(second.replace("exit\n", bad_line + "\nexit\n"))
    result = nos("--root", str(root), "-f", str(script))
    assert result.returncode == 1
    bad_number = script.read_text().splitlines().index(bad_line) + 1
    assert result.stderr.startswith(f"{script}:{bad_number}: {message}")
    assert len(result.stderr.splitlines()) == 1
    assert snapshot(root) == before


def test_script_from_stdin(tmp_path):
    result = nos("--root", str(tmp_path), "-f", "-", stdin="show host name\nshow nonsense\n")
    assert result.returncode == 1
    assert result.stdout == "vyos\n"
    assert result.stderr == "<stdin>:2: Invalid command: show [nonsense]\n"


def test_dash_c_runs_one_operational_command(tmp_path):
    result = nos("--root", str(tmp_path), "-c", "show configuration commands | match host")
    assert (result.returncode, result.stdout) == (0, "set system host-name 'vyos'\n")
    result = nos("--root", str(tmp_path), "-c", "set system host-name x")
    assert result.returncode == 1 and "Invalid command" in result.stderr


def test_without_root_a_per_user_sandbox_is_used(tmp_path):
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"))
    result = nos("-c", "show host name", env=env)
    assert result.returncode == 0
    assert (tmp_path / "data/nos-shell/sandbox/var/lib/nos-shell/archive").is_dir()


def test_operational_start_up_does_not_import_heavy_modules(tmp_path):
    code = ("import sys; from nos_shell.cli import main; rc = main(['--root', sys.argv[1], '-c', "
            "'show configuration commands']); heavy = [m for m in ('pyroute2', 'asyncssh', 'prompt_toolkit', "
            "'rich') if m in sys.modules]; print('HEAVY', heavy)")
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("HEAVY []")


def test_plain_interactive_prompt(tmp_path):
    result = nos("--root", str(tmp_path), "--user", "vyos", stdin="configure\nset system host-name r7\ncommit\nexit\nexit\n")
    assert result.returncode == 0
    assert "vyos@vyos:~$ " in result.stdout
    assert "[edit]\nvyos@vyos# " in result.stdout
    assert "vyos@r7:~$ " in result.stdout


def test_a_one_shot_run_ends_fast_with_all_its_output(tmp_path):
    """-f and -c end with os._exit after flushing (cli.run): every line of a large output
    still reaches the pipe, and what the file committed is all on disk."""
    lines = [f"set interfaces ethernet eth0 vif {n} description v{n}" for n in range(1, 1501)]
    (tmp_path / "big.cmds").write_text("configure\n" + "\n".join(lines) + "\ncommit\nsave\n")
    root = tmp_path / "root"
    made = subprocess.run([sys.executable, "-m", "nos_shell", "--root", str(root), "-f", str(tmp_path / "big.cmds")],
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    shown = subprocess.run([sys.executable, "-m", "nos_shell", "--root", str(root), "-c",
                            "show configuration commands"], capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert [line for line in shown.stdout.splitlines() if " description " in line] == \
        [f"set interfaces ethernet eth0 vif {n} description 'v{n}'" for n in range(1, 1501)]
    saved = [p for p in root.rglob("config.boot") if "archive" not in p.parts]
    assert saved and all("vif 1500 {\n" in p.read_text() for p in saved), saved


def test_main_called_by_a_program_keeps_its_garbage_collector(tmp_path):
    """Only the program's own entry (cli.run) turns the collector off for a one-shot run."""
    code = ("import gc, sys; from nos_shell.cli import main; rc = main(['--root', sys.argv[1], '-c', "
            "'show version']); print('GC', gc.isenabled(), rc)")
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("GC True 0")
