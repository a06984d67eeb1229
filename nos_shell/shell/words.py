"""Help texts of the command keywords (the grammar has no place for them; the schema
carries the help of configuration paths)."""
from __future__ import annotations

_OP = {
    "compare": "Compare two configuration revisions",
    "configure": "Enter configuration mode",
    "exit": "Exit from this shell",
    "ping": "Send ICMP echo requests",
    "reset": "Reset a service or session",
    "set": "Set terminal options",
    "show": "Show system information",
    "stty": "Set terminal options",
    "traceroute": "Trace the path to a host",
}

_CONF = {
    "comment": "Add a comment to a configuration node",
    "commit": "Commit the current set of changes",
    "commit-confirm": "Commit, reverting unless confirmed in time",
    "compare": "Compare configurations",
    "confirm": "Confirm the prior commit-confirm",
    "copy": "Copy a configuration element",
    "delete": "Delete a configuration element",
    "discard": "Discard uncommitted changes",
    "update": "Carry your changes onto the running configuration as it is now",
    "edit": "Edit a sub-element",
    "exit": "Exit from this configuration level",
    "load": "Load a configuration file into the candidate",
    "merge": "Merge a configuration file into the candidate",
    "quit": "Exit from this configuration level",
    "rename": "Rename a configuration element",
    "rollback": "Load an earlier revision into the candidate",
    "run": "Run an operational-mode command",
    "save": "Save the running configuration to a file",
    "set": "Set the value of a parameter or create a new element",
    "show": "Show the configuration (uncommitted changes marked)",
    "top": "Exit to the top level of configuration",
    "up": "Exit one level of configuration",
}

# keyword after another keyword
_AFTER = {
    ("exit", "discard"): "Discard the changes and exit",
    ("quit", "discard"): "Discard the changes and exit",
    ("commit", "comment"): "Comment for the commit log",
    ("commit-confirm", "comment"): "Comment for the commit log",
    ("show", "system"): "Show system information",
    ("system", "commit"): "Show the commit revision log",
    ("ping", "count"): "Number of packets to send",
    ("ping", "interval"): "Seconds between packets (0.2-60, default 1)",
    ("|", "count"): "Count the lines of the output",
    ("|", "commands"): "Show as set commands",
    ("|", "strip-private"): "Hide secrets, host names and addresses",
    ("commit", "diff"): "Show what a commit changed (revision N+1 -> N)",
    ("route", "summary"): "Show a summary of the routing table",
    ("bgp", "summary"): "Show a BGP summary",
    ("reset", "ip"): "Reset IPv4 routing sessions",
    ("bgp", "all"): "Reset every BGP neighbor",
    ("ip", "bgp"): "Show the BGP table (or reset BGP sessions)",
}

_ANY = {
    "|": "Pipe the output through a filter",
    "arp": "Show the IPv4 neighbour (ARP) table",
    "bgp": "Show BGP information",
    "commands": "Show as set commands",
    "configuration": "Show the running configuration",
    "cols": "Terminal width in columns",
    "count": "Number of packets to send",
    "detail": "Show detailed information",
    "except": "Only lines not matching a regular expression",
    "grep": "Only lines matching a regular expression (same as match)",
    "host": "Show host information",
    "interval": "Seconds between packets (0.2-60, default 1)",
    "ignore-unknown": "Skip configuration paths the schema does not know",
    "interfaces": "Show network interfaces",
    "ip": "Show IPv4 information",
    "ipv6": "Show IPv6 information",
    "json": "Show as JSON",
    "length": "Lines per page",
    "lldp": "Show Link Layer Discovery Protocol information",
    "match": "Only lines matching a regular expression",
    "more": "Paginate the output",
    "name": "Show the host name",
    "neighbors": "Show neighbors (BGP, LLDP, IPv6 neighbour table)",
    "no-more": "Do not paginate the output",
    "private": "Enter configuration mode with a private candidate (the default)",
    "exclusive": "Enter configuration mode; other sessions cannot commit until you exit",
    "sessions": "Show the sessions in configuration mode",
    "route": "Show the routing table",
    "saved": "Compare with the saved configuration",
    "source-address": "Source address of the packets",
    "summary": "Show a BGP summary",
    "advertised-routes": "Show the routes sent to the neighbor",
    "received-routes": "Show the routes the neighbor sent, before import policy",
    "routes": "Show the routes accepted from the neighbor",
    "soft": "Send and request the routes again, keeping the session",
    "system": "Show system information",
    "terminal": "Terminal settings",
    "to": "Name of the copy",
    "version": "Show the version",
    "width": "Columns per line",
}


def keyword_help(word: str, mode: str, previous: str | None) -> str:
    """The help of keyword ``word`` after keyword ``previous`` (None at the start)."""
    if previous is None:
        table = _CONF if mode == "conf" else _OP
        if word in table:
            return table[word]
    if (previous, word) in _AFTER:
        return _AFTER[(previous, word)]
    if previous == "run" and word in _OP:
        return _OP[word]
    return _ANY.get(word, "")
