"""config.boot of VyOS 1.2/1.3 migrated as VyOS's own scripts do: `system options` (system
19-to-20), `system sysctl all|custom` and its two leaves (21-to-22), syslog `HOST:PORT`
(12-to-13), the `protocols`/`security` facilities and per-facility protocol (25-to-26), and
`service ntp allow-client` added for an ntp@1 configuration (ntp 1-to-2)."""
from __future__ import annotations

from nos_shell.config.bootfile import load_boot
from nos_shell.config.render import to_commands


def _footer(versions: str) -> str:
    return f'\n// vyos-config-version: "{versions}"\n'


def _lines(text: str) -> list[str]:
    tree, warnings = load_boot(text, "old.boot")
    assert warnings == []
    return to_commands(tree).splitlines()


def test_system_options_renamed_and_reboot_on_panic_true_is_the_flag():
    text = ("system {\n options {\n  beep-if-fully-booted\n  ctrl-alt-del-action ignore\n"
            "  reboot-on-panic true\n }\n}\n") + _footer("system@10")
    assert _lines(text) == ["set system option ctrl-alt-delete 'ignore'", "set system option reboot-on-panic",
                            "set system option startup-beep"]


def test_reboot_on_panic_false_is_no_flag():
    assert _lines("system {\n host-name r1\n options {\n  reboot-on-panic false\n }\n}\n") == ["set system host-name 'r1'"]


def test_sysctl_all_custom_and_the_old_leaves_become_parameters():
    text = ("system {\n sysctl {\n  all net.ipv4.conf.eth0.tag {\n   value 1\n  }\n"
            "  custom net.mpls.default_ttl {\n   value 10\n  }\n  net.ipv4.ipfrag_time 4\n }\n}\n")
    assert _lines(text) == ["set system sysctl parameter net.ipv4.conf.eth0.tag value '1'",
                            "set system sysctl parameter net.ipv4.ipfrag_time value '4'",
                            "set system sysctl parameter net.mpls.default_ttl value '10'"]


def test_syslog_host_port_facility_renames_and_protocol_per_host():
    text = ("system {\n syslog {\n  global {\n   facility protocols {\n    level debug\n   }\n"
            "   facility security {\n    level info\n   }\n   facility auth {\n    level err\n   }\n  }\n"
            "  host 192.0.2.1:1514 {\n   facility all {\n    level notice\n    protocol tcp\n   }\n  }\n }\n}\n")
    assert _lines(text) == [
        "set system syslog global facility auth level 'err'",
        "set system syslog global facility local7 level 'debug'",
        "set system syslog host 192.0.2.1 facility all level 'notice'",
        "set system syslog host 192.0.2.1 port '1514'",
        "set system syslog host 192.0.2.1 protocol 'tcp'"]


def test_ntp_of_version_1_gets_vyos_default_allow_client():
    name = "set system host-name 'r1'"
    text = "system {\n host-name r1\n ntp {\n  server 192.0.2.123 {\n  }\n }\n}\n"
    assert _lines(text + _footer("ntp@1")) == ["set service ntp allow-client address '0.0.0.0/0'",
                                               "set service ntp allow-client address '::/0'",
                                               "set service ntp server 192.0.2.123", name]
    kept = "system {\n host-name r1\n ntp {\n  allow-clients {\n   address 192.168.0.0/16\n  }\n }\n}\n"
    assert _lines(kept + _footer("ntp@1")) == ["set service ntp allow-client address '192.168.0.0/16'", name]
    assert _lines(text + _footer("ntp@2")) == ["set service ntp server 192.0.2.123", name]
