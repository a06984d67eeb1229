"""The NTP drop-in is read by the real systemd-timesyncd without complaint.

timesyncd runs for a moment in a scratch network namespace (no interfaces, so no NTP
packet can leave) with the file bind-mounted over /etc/systemd/timesyncd.conf inside that
namespace's private mount table; its log must list every server and no parse problem.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

from lab import missing, netns, require_tool

GOLDEN = Path(__file__).parent / "golden" / "ntp" / "expected" / "etc/systemd/timesyncd.conf.d/10-nos-shell.conf"
TIMESYNCD = "/lib/systemd/systemd-timesyncd"


def timesyncd_log(conf: Path) -> str:
    if not Path(TIMESYNCD).exists():
        missing("systemd-timesyncd is not installed (Debian package systemd-timesyncd)")
    require_tool("ip")
    with netns("nostsd") as ns:
        script = (f"mount --bind {conf} /etc/systemd/timesyncd.conf && mount -t tmpfs tmpfs /run/systemd"
                  f" && exec {TIMESYNCD}")
        proc = subprocess.Popen(["ip", "netns", "exec", ns, "sh", "-c", script], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True,
                                env={"SYSTEMD_LOG_TARGET": "console", "SYSTEMD_LOG_LEVEL": "debug",
                                     "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"})
        try:
            out, _ = proc.communicate(timeout=1.5)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
    return out


def problems(log: str) -> list[str]:
    return [line for line in log.splitlines() if "Unknown key" in line or "Failed to parse" in line
            or "ignoring" in line.lower() and ".conf" in line]


def test_golden_drop_in_is_accepted():
    log = timesyncd_log(GOLDEN)
    assert problems(log) == []
    for server in ("ntp1.example.net", "192.0.2.123", "pool.example.org"):
        assert f"Added new system server {server}." in log


def test_the_check_notices_a_bad_file(tmp_path):
    bad = tmp_path / "bad.conf"
    bad.write_text(GOLDEN.read_text() + "Bogus=1\n")
    assert any("Unknown key 'Bogus'" in line for line in problems(timesyncd_log(bad)))
