"""The operational commands section of docs/command-reference.md, from the grammar.

Each ``op_command`` alternative of grammar/commands.lark becomes one line: keywords as
typed, ``[...]`` around what may be left out, ``a|b`` for a choice of keywords, ``<word>``
or ``<N>`` for a value, ``[OPTION ...]`` for repeated options. The help is the keyword help
:data:`DESCRIPTIONS` has for the command, else the keyword help the `?` list shows
(nos_shell/shell/words.py) for its last keyword.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

#: what each command (grammar alias) does; a command not named here gets its last keyword's help
DESCRIPTIONS = {
    "configure": "Enter configuration mode (`exclusive`: other sessions cannot commit meanwhile)",
    "logout": "Leave the shell",
    "show_configuration": "The running configuration as config.boot, `set` commands or JSON",
    "show_configuration_sessions": "The sessions in configuration mode",
    "show_version": "The version, as VyOS prints it",
    "show_host_name": "The host name",
    "show_system_commit": "The commit history, or revision N",
    "show_interfaces": "Interfaces, addresses, state and descriptions (`detail`: with counters)",
    "show_ip_route": "The IPv4 routing table (FRR layout), or part of it",
    "show_ipv6_route": "The IPv6 routing table (FRR layout), or part of it",
    "show_bgp_summary": "BGP sessions",
    "show_bgp_neighbors": "BGP neighbors in detail",
    "show_lldp_neighbors": "LLDP neighbors",
    "show_arp": "The IPv4 neighbour table",
    "show_ipv6_neighbors": "The IPv6 neighbour table",
    "ping": "Send ICMP echo requests (bounded)",
    "traceroute": "Trace the path to a host",
    "set_terminal": "Accepted for automation clients",
    "compare_revisions": "Differences between two revisions",
    "show_interfaces_counters": "Packet, byte, drop and error counters of the links that are up",
    "show_interfaces_type": "Interfaces of one type; one interface in detail, or its summary row, or counters",
    "clear_interfaces_counters": "Counters start again from zero (a baseline; the kernel's stay)",
    "monitor_interfaces": "The counters table once a second, N times",
    "monitor_traffic": "tcpdump on an interface, bounded by packets and time",
    "show_log": "The journal of networkd, timesyncd, BIRD, GoBGP and nos-shell (`tail`: the last N entries)",
    "monitor_log": "New journal entries of those services as they are written",
    "show_dhcp_server_leases": "The DHCP server's leases",
    "show_dhcp_client_leases": "The leases of DHCP client interfaces",
    "show_nat_rules": "NAT rules with the packets and bytes they matched",
    "show_nat_translations": "Connections the router translated",
    "show_conntrack_table": "Tracked IPv4 connections",
    "show_system_view": "Uptime and load, memory, processors or file systems",
    "show_date": "The date and time",
    "show_users": "Who is logged in to nos-shell",
    "show_ntp": "The NTP client's state",
    "show_version_all": "The version and the versions of every component",
    "restart_service": "Restart a service in the router's context",
    "generate_ssh_server_key": "A new SSH host key (used after `restart ssh`)",
}

PLACEHOLDERS = {"WORD": "<word>", "DQ": "<word>", "SQ": "<word>", "INT": "<N>", "word": "<word>"}


def _rules() -> dict[str, list[Any]]:
    from .commands import parser

    by_origin: dict[str, list[Any]] = defaultdict(list)
    for rule in parser().rules:
        by_origin[rule.origin.name].append(rule)
    return by_origin


def _symbol(name: str, rules: dict[str, list[Any]], keywords: dict[str, str]) -> str:
    if name in keywords:
        return keywords[name]
    if name in PLACEHOLDERS:
        return PLACEHOLDERS[name]
    alternatives = rules.get(name, [])
    if name.startswith("__") and alternatives:          # a repeated item (`option*`)
        inner = [s.name for s in alternatives[0].expansion if not s.name.startswith("__")]
        return "[" + " ".join(_symbol(n, rules, keywords) for n in inner) + " ...]"
    if alternatives and all(len(r.expansion) == 1 and r.expansion[0].name in keywords for r in alternatives):
        return "|".join(keywords[r.expansion[0].name] for r in alternatives)
    if alternatives:
        return " | ".join(_expansion(r, alternatives, rules, keywords)
                          for r in alternatives if not r.options.empty_indices)
    return f"<{name}>"


def _expansion(rule: Any, alternatives: list[Any], rules: dict[str, list[Any]], keywords: dict[str, str]) -> str:
    """One alternative, the parts its shorter forms leave out in brackets."""
    optional = _optional_positions(rule, alternatives)
    parts = [_symbol(s.name, rules, keywords) for s in rule.expansion]
    return " ".join(f"[{text}]" if i in optional else text for i, text in enumerate(parts))


def command_lines() -> list[tuple[str, str]]:
    """(syntax, help) for every operational command, in grammar order."""
    from .commands import _keywords
    from .shell.words import keyword_help

    keywords = _keywords()
    rules = _rules()
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for rule in rules["op_command"]:
        names = [s.name for s in rule.expansion]
        if rule.options.empty_indices or any(
                r.alias == rule.alias and [s.name for s in r.expansion][:-1] == names
                and r.expansion[-1].name.startswith("__") for r in rules["op_command"]):
            continue                                     # a shortened form of a full one
        line = _expansion(rule, rules["op_command"], rules, keywords)
        if line in seen:
            continue
        seen.add(line)
        words = [keywords[n] for n in names if n in keywords]
        help_text = DESCRIPTIONS.get(rule.alias or "") or (
            keyword_help(words[-1], "op", words[-2] if len(words) > 1 else None) if words else "")
        out.append((line, help_text))
    return out


def _optional_positions(full: Any, alternatives: list[Any]) -> set[int]:
    """Positions of ``full`` that a shorter form of the same command leaves out."""
    optional: set[int] = set()
    for rule in alternatives:
        flags = rule.options.empty_indices
        if rule.alias != full.alias or not flags:
            continue
        present = iter(rule.expansion)
        kept = [next(present).name if not empty else None for empty in flags]
        if len(kept) == len(full.expansion) and all(k is None or k == s.name
                                                     for k, s in zip(kept, full.expansion)):
            optional |= {i for i, empty in enumerate(flags) if empty}
    return optional


def section() -> list[str]:
    """Markdown lines of the operational commands section."""
    out = ["## operational commands", "",
           "Typed at the `vyos@vyos:~$` prompt, or after `run` in configuration mode (generated from",
           "grammar/commands.lark; the user guide says what each shows).", "",
           "| Command | Help |", "| --- | --- |"]
    out += [f"| `{syntax.replace('|', chr(92) + '|')}` | {help_text} |" for syntax, help_text in command_lines()]
    out.append("")
    return out
