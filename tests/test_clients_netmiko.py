"""netmiko's unmodified `vyos` driver against `nos-shell ssh-server`.

netmiko checks configuration mode by waiting for 2 s of silence after an Enter (that is
its design, VyOS behaves the same), so this module keeps to one connection and one flow.
`save` is covered by the napalm test (napalm-vyos saves through netmiko after commit).
"""
from __future__ import annotations

from test_ssh_lab import HOST, PASSWORDS, require, ssh_server  # noqa: F401

netmiko = require("netmiko")


def test_netmiko_vyos_driver(ssh_server):
    device = netmiko.ConnectHandler(device_type="vyos", host=HOST, port=ssh_server.port, username="alice",
                                    password=PASSWORDS["alice"], use_keys=False, allow_agent=False,
                                    timeout=20, conn_timeout=10, fast_cli=True)
    try:
        assert device.base_prompt == "alice@r1"
        assert device.send_command("show host name").strip() == "r1"
        assert device.send_command("show version").startswith("Version:")

        output = device.send_config_set(["set interfaces ethernet eth0 address 192.0.2.1/24",
                                         "set interfaces ethernet eth0 description 'netmiko uplink'"])
        assert "[edit]" in output and "failed" not in output.lower()
        device.commit(comment="from netmiko")

        # a failing line is visible in the output; leaving with changes: `exit` refuses and
        # netmiko falls back to `exit discard`
        output = device.send_config_set(["set interfaces ethernet eth0 mtu 99999",
                                         "set system domain-name discard.example"])
        assert "Value validation failed" in output
        device.exit_config_mode()

        lines = device.send_command("show configuration commands").splitlines()
        assert "set interfaces ethernet eth0 address '192.0.2.1/24'" in lines
        assert "set interfaces ethernet eth0 description 'netmiko uplink'" in lines
        assert not [line for line in lines if "discard.example" in line]
        history = device.send_command("show system commit")
        assert "by alice via ssh" in history and "from netmiko" in history
    finally:
        device.disconnect()
