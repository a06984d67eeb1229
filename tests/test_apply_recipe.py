"""docs/apply.md, "Making a namespace router live", run as written: every `sh` block of the
section in order, in a namespace of this test (tests/lab.py netns does step 1 and the
teardown of step 8, also on failure), then the show commands of step 7 read the router."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from lab import netns, require_networkd, require_tool
from netlab import wait_for

DOC = Path(__file__).resolve().parent.parent / "docs" / "apply.md"
SECTION = "## Making a namespace router live"


def recipe() -> list[str]:
    """The section's ```sh blocks, in order."""
    text = DOC.read_text()
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    return re.findall(r"^```sh\n(.*?)^```$", text[start:end], re.M | re.S)


def test_the_recipe_has_its_steps():
    blocks = recipe()
    assert len(blocks) == 8
    assert blocks[0].startswith("ip netns add $NS\n") and "ip netns del $NS" in blocks[-1]


def test_the_recipe_makes_a_namespace_router_live(tmp_path):
    require_networkd()
    for tool in ("dbus-daemon", "busctl", "nsenter", "unshare"):
        require_tool(tool)
    blocks = recipe()
    root = tmp_path / "r1"
    log = tmp_path / "recipe.log"
    with netns("nosvr") as ns:                       # step 1 (and step 8 on the way out)
        env = {**os.environ, "NS": ns, "ROOT": str(root),
               "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")}

        def sh(block: str) -> str:
            # output to a file: daemons started here may keep a pipe open
            with open(log, "w") as out:
                result = subprocess.run(["sh", "-ec", block], env=env, stdout=out, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, timeout=120)
            text = log.read_text()
            assert result.returncode == 0, f"recipe block failed:\n{block}\n--- output:\n{text}"
            return text

        # steps 2-6 (link, anchor, D-Bus and restart script, apply.toml, commit) in one shell,
        # as a person types them: later steps use the variables of earlier ones ($A)
        committed = sh("".join(blocks[1:6]))
        assert "not applied" not in committed and "Saving configuration" in committed
        def shown() -> str | None:
            out = sh(blocks[6])
            return out if "192.0.2.1/24" in out and "u/u  uplink" in out and "198.51.100.0/24" in out else None

        views = wait_for("the router's address and route in the show commands", shown, timeout=15)
        assert "sandbox root" not in views
        assert re.search(r"^eth0 +192\.0\.2\.1/24 +u/u  uplink$", views, re.M)
        assert "C>* 192.0.2.0/24 is directly connected, eth0" in views
        assert "S>* 198.51.100.0/24 [1/0] via 192.0.2.254, eth0" in views
        addresses = subprocess.run(["ip", "-n", ns, "-j", "addr"], capture_output=True, text=True)
        assert '"local":"192.0.2.1"' in addresses.stdout.replace(" ", "")      # iproute2 agrees
        anchor = (root / "anchor.pid").read_text().strip()
        assert subprocess.run(["nsenter", "-t", anchor, "-u", "hostname"], capture_output=True,
                              text=True).stdout.strip() == "r1"                  # the router's own name
