"""The live halves of the networkd, nftables and system backends, against a recording context:
which commands a commit runs for which file changes (the lab tests run them for real)."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path, PurePosixPath

import pytest

from nos_shell.api import tree_from_commands
from nos_shell.apply import Context, Target
from nos_shell.apply.target import load_target
from nos_shell.backends.networkd import DRIVER as networkd
from nos_shell.backends.networkd import control as networkd_control
from nos_shell.backends.networkd.compiler import CONF_DROPIN
from nos_shell.backends.nftables import DRIVER as nftables
from nos_shell.backends.nftables.compiler import PATH as NFT_PATH
from nos_shell.backends.system import DRIVER as system

UNITS = PurePosixPath("etc/systemd/network")
BASE = """set interfaces ethernet eth1
set interfaces ethernet eth2
set interfaces bridge br0 address 192.0.2.1/24
set interfaces bridge br0 member interface eth1
set interfaces bridge br0 member interface eth2
set interfaces ethernet eth3
set interfaces pseudo-ethernet peth0 source-interface eth3
set interfaces pseudo-ethernet peth0 address 198.51.100.1/24
"""


class Recorder(Context):
    """A Context whose programs are recorded; ``ip -j link show`` answers with ``links``."""

    def __init__(self, old: str, new: str, target: Target | None = None, links=("lo", "eth1", "eth2", "eth3")):
        old_tree, new_tree = tree_from_commands(old), tree_from_commands(new)
        super().__init__(target or Target(Path("/nonexistent"), live=True), old_tree, new_tree)
        before, after = self._all(old_tree), self._all(new_tree)
        self.changed = {rel for rel, data in after.items() if before.get(rel) != data}
        self.removed = set(before) - set(after)
        self.calls: list[list[str]] = []
        self.present = set(links)
        self.creates = True             # networkd creates the links of its netdevs

    @staticmethod
    def _all(tree):
        return {**networkd.compile(tree), **nftables.compile(tree), **system.compile(tree)}

    def run(self, *argv: str, check: bool = True, timeout: float = 60, input=None):
        self.calls.append(list(argv))
        out = ""
        if argv[:3] == ("ip", "-j", "link"):
            out = json.dumps([{"ifname": name} for name in sorted(self.present)])
        elif argv[:3] == ("ip", "link", "del"):
            self.present.discard(argv[-1])
        elif self.creates and (argv[0] == "networkctl" or argv == tuple(self.target.networkd_restart)):
            # networkd creates the links of every .netdev it knows
            self.present |= {networkd_control.link_name(rel) for rel in networkd.compile(self.new)
                             if rel.suffix == ".netdev"}
        return subprocess.CompletedProcess(list(argv), 0, out, "")

    def actions(self) -> list[list[str]]:
        """The calls that change something (not the link listings)."""
        return [c for c in self.calls if c[:3] != ["ip", "-j", "link"]]


def reload(ctx: Recorder) -> list[list[str]]:
    networkd.reload(ctx)
    return ctx.actions()


def test_link_names_from_unit_files() -> None:
    assert networkd_control.link_name(UNITS / "10-nos-eth0.100.network") == "eth0.100"
    assert networkd_control.link_name(UNITS / "10-nos-br0.netdev") == "br0"
    assert networkd_control.link_name(UNITS / "50-admin.network") is None
    assert networkd_control.link_name(PurePosixPath("etc/hostname")) is None


def test_nothing_changed_runs_nothing() -> None:
    ctx = Recorder(BASE, BASE)
    assert reload(ctx) == [] and ctx.calls == []


def test_changed_network_is_one_reload() -> None:
    ctx = Recorder(BASE, BASE + "set interfaces bridge br0 address 2001:db8::1/64\n")
    assert reload(ctx) == [["networkctl", "reload"]]
    assert ctx.notes == []


def test_new_netdev_is_created_by_reload_and_awaited() -> None:
    ctx = Recorder(BASE, BASE + "set interfaces bridge br9 address 203.0.113.1/24\n")
    assert reload(ctx) == [["networkctl", "reload"]]
    assert ["ip", "-j", "link", "show"] in ctx.calls
    assert ctx.notes == []


def test_link_that_does_not_appear_is_reported(monkeypatch) -> None:
    monkeypatch.setattr(networkd_control, "LINK_WAIT", 0.1)
    ctx = Recorder(BASE, BASE + "set interfaces dummy dum0 address 203.0.113.1/32\n")
    ctx.creates = False                 # a kernel without the dummy driver
    assert reload(ctx) == [["networkctl", "reload"]]
    assert ctx.notes == ["Warning: systemd-networkd did not create dum0 within 0.1 s "
                         "(missing kernel driver? see its log)"]


def test_removed_netdev_deletes_its_link() -> None:
    ctx = Recorder(BASE + "set interfaces bridge br9\n", BASE, links=("lo", "eth1", "eth2", "eth3", "br0",
                                                                     "peth0", "br9"))
    assert reload(ctx) == [["ip", "link", "del", "dev", "br9"], ["networkctl", "reload"]]


def test_removed_netdev_whose_link_is_gone_deletes_nothing() -> None:
    ctx = Recorder(BASE + "set interfaces bridge br9\n", BASE)
    assert reload(ctx) == [["networkctl", "reload"]]


def test_description_change_touches_no_unit_and_runs_nothing() -> None:
    ctx = Recorder(BASE, BASE + "set interfaces pseudo-ethernet peth0 description 'to the lab'\n",
                   links=("lo", "eth3", "peth0"))
    assert ctx.changed == set()
    assert reload(ctx) == []


def test_changed_netdev_is_deleted_and_networkd_restarted() -> None:
    ctx = Recorder(BASE, BASE + "set interfaces pseudo-ethernet peth0 mode vepa\n"
                   "set interfaces bridge br0 aging 100\n",
                   links=("lo", "eth1", "eth2", "eth3", "br0", "peth0"))
    assert reload(ctx) == [["ip", "link", "del", "dev", "br0"], ["ip", "link", "del", "dev", "peth0"],
                           ["systemctl", "restart", "systemd-networkd.service"]]
    assert ctx.notes == ["systemd-networkd restarted: netdev br0 changed; netdev peth0 changed"]


def test_changed_drop_in_restarts_networkd_with_the_targets_command() -> None:
    target = Target(Path("/x"), live=True, networkd_restart=("/lab/restart",))
    ctx = Recorder("", BASE, target)
    ctx.changed.add(CONF_DROPIN)
    assert reload(ctx) == [["/lab/restart"]]
    assert ctx.notes == ["systemd-networkd restarted: its networkd.conf drop-in changed"]


def test_without_a_restart_command_the_commit_says_to_restart() -> None:
    target = Target(Path("/x"), live=True, networkd_restart=())
    ctx = Recorder(BASE, BASE + "set interfaces pseudo-ethernet peth0 mode vepa\n", target,
                   links=("lo", "eth3", "peth0"))
    assert reload(ctx) == [["ip", "link", "del", "dev", "peth0"], ["networkctl", "reload"]]
    assert ctx.notes == ["Restart systemd-networkd to apply this change: netdev peth0 changed"]


def test_member_whose_interface_is_removed_leaves_its_master() -> None:
    new = BASE.replace("set interfaces ethernet eth2\n", "").replace(
        "set interfaces bridge br0 member interface eth2\n", "")
    ctx = Recorder(BASE, new, links=("lo", "eth1", "eth2", "eth3", "br0", "peth0"))
    assert reload(ctx) == [["networkctl", "reload"], ["ip", "link", "set", "dev", "eth2", "nomaster"]]


def test_semantic_ignores_comments_and_blank_lines() -> None:
    assert networkd_control.semantic(b"# a\n[NetDev]\n\nName=x\n; b\n") == ["[NetDev]", "Name=x"]


# -- nftables and system -----------------------------------------------------------------------

NAT = "set interfaces ethernet eth0 address 192.0.2.1/24\nset nat source rule 1 outbound-interface name eth0\n" \
      "set nat source rule 1 translation address masquerade\n"


def test_nft_check_and_load_the_file_under_the_root() -> None:
    staged = {NFT_PATH: Path("/tmp/scratch/x.nft")}
    assert nftables.checks(staged) == [["nft", "-c", "-f", "/tmp/scratch/x.nft"]]
    assert nftables.checks({}) == []
    ctx = Recorder("", NAT, Target(Path("/srv/r1"), live=True))
    nftables.reload(ctx)
    assert ctx.calls == [["nft", "-f", "/srv/r1/etc/nftables.d/nos-shell.nft"]]
    same = Recorder(NAT, NAT)
    nftables.reload(same)
    assert same.calls == []


@pytest.mark.parametrize("root, prefix, setting, expected", [
    ("/", (), None, True),
    ("/", ("nsenter", "-t", "1", "-n"), None, False),
    ("/srv/lab", (), None, False),
    ("/srv/lab", ("nsenter", "-t", "1", "-n", "-m", "-u"), True, True),
    ("/", (), False, False),
])
def test_host_name_is_set_only_where_the_target_allows(root, prefix, setting, expected) -> None:
    target = Target(Path(root), live=True, exec_prefix=prefix, set_hostname=setting)
    ctx = Recorder("", "set system host-name r1\n", target)
    system.reload(ctx)
    assert ctx.calls == ([["hostname", "r1"]] if expected else [])


def test_unchanged_host_name_is_left_alone() -> None:
    ctx = Recorder("set system host-name r1\n", "set system host-name r1\nset system name-server 192.0.2.53\n",
                   Target(Path("/"), live=True))
    system.reload(ctx)
    assert ctx.calls == []


def test_target_settings_for_restart_and_host_name(tmp_path) -> None:
    settings = tmp_path / "etc/nos-shell/apply.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text('live = true\nnetworkd-restart = ["/bin/sh", "/lab/restart"]\nset-hostname = true\n')
    target = load_target(tmp_path)
    assert target.networkd_restart == ("/bin/sh", "/lab/restart") and target.sets_hostname
    assert load_target("/").networkd_restart == ("systemctl", "restart", "systemd-networkd.service")
