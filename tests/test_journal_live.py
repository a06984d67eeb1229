"""A live commit killed at each of its steps: after the next start, the files, the kernel and
the archive agree (issue 8, failure 4).

A lab router (tests/netlab.py: its own systemd-networkd, D-Bus and nftables in a network
namespace) runs a commit as a real process (``nos-shell --root ROOT -f FILE``) that adds a
bridge (a link networkd creates) and a masquerade rule (nos-shell's nft table). The process
is killed with SIGKILL at each of its steps in turn (``NOS_SHELL_FAULT``, nos_shell/fault.py):
every fsync and rename (journal, generated files, manifest, archive) and the start of every
program a check or reload runs. The next start (`show configuration commands`) recovers; then

- the archive says whether the commit happened, and the journal agrees with the message;
- the bridge exists in the router's namespace exactly when the archive has it;
- nos-shell's nft table is loaded exactly when the archive has the NAT rule;
- the generated files are exactly those of the archived revision, and no temporary file or
  journal is left (tests/test_crash_safety.py ``agree``).

The same without the lab (and with a reload that hangs): tests/test_crash_safety.py and
tests/test_journal.py.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys

from netlab import lab, require_router, wait_for
from test_crash_safety import agree

from nos_shell.store import Store

CHANGE = ["set interfaces bridge br9 address 192.0.2.1/24",
          "set nat source rule 100 outbound-interface name eth0",
          "set nat source rule 100 source address 192.0.2.0/24",
          "set nat source rule 100 translation address masquerade"]
UNDO = ["delete interfaces bridge br9", "delete nat"]


def nos(root, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nos_shell", "--root", str(root), *args], capture_output=True,
                          text=True, timeout=120, env={**os.environ, **(env or {})})


def script(directory, name: str, lines: list[str]):
    path = directory / name
    path.write_text("\n".join(["configure", *lines, "commit", "exit"]) + "\n")
    return path


def test_a_live_commit_killed_at_each_step_is_recovered_to_what_the_archive_says(tmp_path):
    require_router("nft")
    with lab(tmp_path / "lab") as L:
        router = L.router("njr")
        L.attach(router, "eth0", "njh", "far0")
        router.commit_with_cli("set system host-name journal-lab",
                               "set interfaces ethernet eth0 address 203.0.113.1/24")
        change, undo = script(tmp_path, "change", CHANGE), script(tmp_path, "undo", UNDO)
        log = tmp_path / "steps"
        counted = nos(router.root, "-f", str(change), env={"NOS_SHELL_FAULT_LOG": str(log)})
        assert counted.returncode == 0, counted.stderr
        kinds = log.read_text().split()
        assert kinds.count("reload") >= 3          # nft check, networkctl, ip link, nft -f, ...
        assert nos(router.root, "-f", str(undo)).returncode == 0

        def bridge() -> bool:
            return router.has_link("br9")

        def nat_table() -> bool:
            return "nos_shell_nat" in router.run("nft", "list", "tables").stdout

        outcomes = set()
        for step in range(1, len(kinds) + 1):
            killed = nos(router.root, "-f", str(change), env={"NOS_SHELL_FAULT": str(step)})
            assert killed.returncode == -signal.SIGKILL, f"step {step}: {killed.stderr}"
            after = nos(router.root, "-c", "show configuration commands")
            assert after.returncode == 0, after.stderr
            archived = Store(router.root).running().exists("nat")
            said = "forward" if "rolled forward" in after.stderr else "back" if "rolled back" in after.stderr else ""
            assert said in (("forward", "") if archived else ("back", "")), f"step {step}: {after.stderr}"
            if archived:
                wait_for(f"br9 after step {step}", bridge)
            else:
                wait_for(f"br9 removed after step {step}", lambda: not bridge())
            assert nat_table() == archived, f"step {step} ({kinds[step - 1]}): {after.stderr}"
            agree(router.root)
            outcomes.add((archived, said))
            if archived:
                assert nos(router.root, "-f", str(undo)).returncode == 0
                assert not bridge() and not nat_table()
        assert {(False, "back"), (True, "forward")} <= outcomes
