"""The firewall applied on a live router namespace (tests/netlab.py): the filter table and
the NAT table loaded by one commit, the sysctl drop-in reaching the namespace's kernel, a
group edit seen in the live set, and the table removed with the configuration. (Traffic
through the firewall is not tested here yet.)"""
from __future__ import annotations

import json

from netlab import lab, require_router


def _tables(router) -> list[tuple[str, str]]:
    listing = json.loads(router.run("nft", "-j", "list", "tables").stdout)
    return [(e["table"]["family"], e["table"]["name"]) for e in listing["nftables"] if "table" in e]


def _elements(router, name: str) -> list:
    listing = json.loads(router.run("nft", "-j", "list", "set", "inet", "nos_shell_filter", name).stdout)
    found = next(e["set"] for e in listing["nftables"] if "set" in e)
    return found.get("elem", [])


def test_a_firewall_commit_loads_the_table_and_the_sysctls(tmp_path) -> None:
    require_router("nft", "sysctl")
    with lab(tmp_path / "lab") as L:
        router = L.router("nfr")
        L.attach(router, "eth0", "nfh", "far0")
        before = router.sysctl("net.ipv4.tcp_syncookies")
        wanted = "0" if before == "1" else "1"
        out = router.commit(
            "set interfaces ethernet eth0 address 203.0.113.1/24",
            "set nat source rule 10 outbound-interface name eth0",
            "set nat source rule 10 translation address masquerade",
            "set firewall group address-group G address 192.0.2.1",
            "set firewall global-options state-policy established action accept",
            f"set firewall global-options syn-cookies {'enable' if wanted == '1' else 'disable'}",
            "set firewall ipv4 input filter default-action drop",
            "set firewall ipv4 input filter rule 10 action accept",
            "set firewall ipv4 input filter rule 10 source group address-group G")
        assert "Warning" not in out and "rror" not in out, out
        assert _tables(router) == [("ip", "nos_shell_nat"), ("inet", "nos_shell_filter")]
        assert router.sysctl("net.ipv4.tcp_syncookies") == wanted
        assert _elements(router, "A_G") == ["192.0.2.1"]
        router.commit("set firewall group address-group G address 192.0.2.9")
        assert _elements(router, "A_G") == ["192.0.2.1", "192.0.2.9"]
        rules = router.run("nft", "list", "chain", "inet", "nos_shell_filter", "ipv4-input").stdout
        assert 'comment "ipv4 input filter rule 10"' in rules and "counter packets" in rules
        router.commit("delete firewall")
        assert _tables(router) == [("ip", "nos_shell_nat")]
