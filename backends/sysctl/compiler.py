"""`system sysctl parameter KEY value VALUE` and `system option reboot-on-panic` ->
etc/sysctl.d/90-nos-shell.conf (pure).

One ``KEY = VALUE`` line per parameter, sorted by key, after the generated-file header;
``reboot-on-panic`` adds ``kernel.panic = 60`` (VyOS's value). The file exists only while
one of them is configured; removing a parameter leaves the kernel's current value in place
until the next boot (as VyOS). The file's number (90) puts it after the firewall's
global-options drop-in (60) and Debian's own files, so systemd-sysctl at boot applies it last.

verify refuses a parameter without a value, a key or value the schema's types would refuse
(re-checked here: the file is read by sysctl), and a key that `firewall global-options` or
`system option reboot-on-panic` also sets: VyOS writes both and the one applied last wins,
which depends on which part of the configuration changed; here each key has one owner.
"""
from __future__ import annotations

from pathlib import PurePosixPath

from nos_shell.config.tree import ConfigTree
from nos_shell.problems import Problem
from nos_shell.schema.sysopts import IGNORED_OPTIONS, SYSCTL_KEY, SYSCTL_VALUE

from ..common.sysctl_keys import firewall_settings
from ..contract import HEADER

PATH = PurePosixPath("etc/sysctl.d/90-nos-shell.conf")
BASE = ("system", "sysctl", "parameter")
OPTION = ("system", "option")
PANIC = ("kernel.panic", "60")


def settings(tree: ConfigTree) -> list[tuple[str, str]]:
    """(key, value) pairs the file sets, in its order; parameters without a value are left
    out (verify refuses them)."""
    found = []
    for key in sorted(tree.keys(*BASE)):
        value = tree.value(*BASE, key, "value")
        if value is not None:
            found.append((key, value))
    if tree.exists(*OPTION, "reboot-on-panic"):
        found.append(PANIC)
    return found


def compile(tree: ConfigTree) -> dict[PurePosixPath, bytes]:
    """The drop-in, or nothing when no parameter is set."""
    lines = [f"{key} = {value}" for key, value in settings(tree)]
    if not lines:
        return {}
    return {PATH: ("\n".join([f"# {HEADER}", *lines]) + "\n").encode()}


def _refused(kind: object, text: str) -> str | None:
    try:
        kind.check(text)  # type: ignore[attr-defined]
    except ValueError as exc:
        return str(exc)
    return None


def verify(tree: ConfigTree) -> list[Problem]:
    """Each parameter has a well-formed key and value, and no other part sets its key."""
    problems = []
    owners = {key: f"firewall global-options {option}" for option, key, _ in firewall_settings(tree)}
    if tree.exists(*OPTION, "reboot-on-panic"):
        owners[PANIC[0]] = "system option reboot-on-panic"
    for key in tree.keys(*BASE):
        at = (*BASE, key)
        value = tree.value(*at, "value")
        message = _refused(SYSCTL_KEY, key)
        if message is None and value is None:
            message = f'Sysctl parameter "{key}" needs a value (set system sysctl parameter {key} value VALUE)'
        if message is None:
            message = _refused(SYSCTL_VALUE, value)
        if message is None and key in owners:
            message = (f'Sysctl parameter "{key}" is also set by {owners[key]}; '
                       "set it in one place only")
        if message is not None:
            problems.append(Problem(at, message))
    return problems


def ignored(tree: ConfigTree) -> list[str]:
    """The `system option` settings accepted from VyOS configurations that do nothing here."""
    return [name for name in IGNORED_OPTIONS if tree.exists(*OPTION, name)]
