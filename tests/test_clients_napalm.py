"""napalm-vyos (through netmiko) against `nos-shell ssh-server`: facts, interfaces and the
merge / compare / commit cycle (commit_config also saves).

netmiko's configuration-mode checks wait for 2 s of silence each, and napalm makes many of
them: one connection, one flow."""
from __future__ import annotations

import nos_shell
from test_ssh_lab import HOST, PASSWORDS, require, ssh_server  # noqa: F401

require("napalm")
napalm_vyos = require("napalm_vyos")


def test_napalm_vyos(ssh_server, tmp_path):
    device = napalm_vyos.VyOSDriver(HOST, "alice", PASSWORDS["alice"], timeout=30,
                                    optional_args={"port": ssh_server.port, "use_keys": False,
                                                   "allow_agent": False, "fast_cli": True})
    device.open()
    try:
        facts = device.get_facts()
        assert facts["hostname"] == "r1"
        assert facts["uptime"] > 0
        assert facts["vendor"] == "VyOS"
        assert "eth0" in facts["interface_list"] and "lo" in facts["interface_list"]
        assert facts["model"].startswith("Linux")
        assert facts["os_version"] == nos_shell.__version__

        interfaces = device.get_interfaces()
        assert interfaces["eth0"]["description"] == "uplink"
        assert interfaces["lo"]["is_enabled"] is True
        counters = device.get_interfaces_counters()   # parses `show interfaces detail`
        assert counters["lo"]["rx_octets"] >= 0 and "tx_errors" in counters["lo"]

        merge = tmp_path / "merge.cfg"
        merge.write_text("set system domain-name napalm.example\n"
                         "set interfaces ethernet eth0 description 'napalm uplink'\n")
        device.load_merge_candidate(filename=str(merge))
        diff = device.compare_config()
        assert "napalm.example" in diff and "napalm uplink" in diff
        device.commit_config()              # commit, save, leave configuration mode
        assert device.get_interfaces()["eth0"]["description"] == "napalm uplink"
        assert device.get_facts()["fqdn"] == "napalm.example"
        saved = (ssh_server.root / "etc/nos-shell/config.boot").read_text()
        assert 'domain-name "napalm.example"' in saved
    finally:
        device.close()

