"""Ansible's vyos.vyos collection (vyos_facts, vyos_command, vyos_config) over
ansible.netcommon.network_cli against `nos-shell ssh-server`, run with ansible-playbook.

One playbook run does everything (Ansible's start-up costs seconds): facts, commands, a
configuration change with save, the same vyos_config again, which must change nothing, and
a failing line.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import nos_shell

from test_ssh_lab import HOST, PASSWORDS, missing, require, ssh_server  # noqa: F401

PLAYBOOK = """\
- hosts: routers
  gather_facts: false
  tasks:
    - name: facts
      vyos.vyos.vyos_facts:
        gather_subset: all
    - name: commands
      vyos.vyos.vyos_command:
        commands: [show version, show host name]
        wait_for: ["result[1] contains r1"]
    - name: config
      vyos.vyos.vyos_config:
        lines: &lines
          - set system domain-name {kind}.example
          - set interfaces ethernet eth0 description '{kind} uplink'
          - set interfaces ethernet eth0 address '198.51.100.{host}/24'
        save: true
    - name: config again
      vyos.vyos.vyos_config:
        lines: *lines
    - name: save again
      vyos.vyos.vyos_config:
        save: true
    - name: a bad line fails the task
      vyos.vyos.vyos_config:
        lines: [set interfaces ethernet eth0 mtu 99999]
      ignore_errors: true
"""


def ansible_playbook() -> str:
    beside = Path(sys.executable).parent / "ansible-playbook"
    found = str(beside) if beside.exists() else shutil.which("ansible-playbook")
    if found is None:
        missing("ansible-playbook is not installed (pip install -e '.[test]' installs ansible)")
    return found  # type: ignore[return-value]


@pytest.mark.parametrize("ssh_type", ["paramiko", "libssh"])
def test_vyos_collection(ssh_server, tmp_path, ssh_type):
    require("ansible_collections.vyos.vyos")
    require("paramiko" if ssh_type == "paramiko" else "pylibsshext")
    inventory = tmp_path / "hosts.ini"
    inventory.write_text(
        "[routers]\n"
        f"r1 ansible_host={HOST} ansible_port={ssh_server.port}\n"
        "[routers:vars]\n"
        "ansible_connection=ansible.netcommon.network_cli\n"
        "ansible_network_os=vyos.vyos.vyos\n"
        f"ansible_network_cli_ssh_type={ssh_type}\n"
        "ansible_user=alice\n"
        f"ansible_password={PASSWORDS['alice']}\n"
        f"ansible_python_interpreter={sys.executable}\n")
    playbook = tmp_path / "site.yml"
    playbook.write_text(PLAYBOOK.replace("{kind}", ssh_type).replace("{host}", str(len(ssh_type))))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "SSH_"))}
    env.update(HOME=str(tmp_path), ANSIBLE_HOME=str(tmp_path / ".ansible"), ANSIBLE_HOST_KEY_CHECKING="False",
               ANSIBLE_STDOUT_CALLBACK="ansible.posix.json", ANSIBLE_NOCOLOR="1",
               ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"), ANSIBLE_PERSISTENT_COMMAND_TIMEOUT="60",
               ANSIBLE_PERSISTENT_CONNECT_TIMEOUT="30", ANSIBLE_DEPRECATION_WARNINGS="False",
               ANSIBLE_INVENTORY_UNPARSED_WARNING="False", ANSIBLE_LOCALHOST_WARNING="False",
               ANSIBLE_LOG_PATH=str(tmp_path / "ansible.log"))
    result = subprocess.run([ansible_playbook(), "-i", str(inventory), str(playbook)], cwd=tmp_path,
                            capture_output=True, text=True, timeout=240, env=env)
    assert result.stdout.strip(), result.stderr
    report = json.loads(result.stdout[result.stdout.index("{"):])
    tasks = {t["task"]["name"]: t["hosts"]["r1"] for t in report["plays"][0]["tasks"]}
    log = (tmp_path / "ansible.log").read_text() if (tmp_path / "ansible.log").exists() else ""
    for name in ("facts", "commands", "config", "config again"):
        assert not tasks[name].get("failed"), (name, tasks[name], log[-3000:])

    facts = tasks["facts"]["ansible_facts"]
    assert facts["ansible_net_hostname"] == "r1"
    assert facts["ansible_net_version"] == f"VyOS 1.4 (compatible) nos-shell {nos_shell.__version__}"
    assert facts["ansible_net_system"] == "vyos"
    assert "set system host-name 'r1'" in facts["ansible_net_config"][0].splitlines()
    assert facts["ansible_net_commits"][0]["revision"] == "0"

    assert tasks["commands"]["stdout"][1] == "r1"
    assert tasks["commands"]["stdout"][0].startswith("Version:")

    assert tasks["config"]["changed"] is True
    assert f"set system domain-name {ssh_type}.example" in tasks["config"]["commands"]
    assert tasks["config again"]["changed"] is False, tasks["config again"]
    assert tasks["config again"]["commands"] == []

    bad = tasks["a bad line fails the task"]
    assert bad.get("failed") and "mtu" in json.dumps(bad)

    assert not tasks["save again"].get("failed")
    saved = (ssh_server.root / "etc/nos-shell/config.boot").read_text()
    assert f'description "{ssh_type} uplink"' in saved and f'domain-name "{ssh_type}.example"' in saved
    # vyos_config decides by the exact text of `compare saved` (the message and a blank line)
    assert tasks["save again"]["changed"] is False, tasks["save again"]
