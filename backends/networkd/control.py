"""The live half of the networkd backend: make a running systemd-networkd 252 follow new files.

Called by the apply layer (the driver's ``reload``) in live mode, after the files were written.
Everything runs through ``ctx.run`` (the router's context: the host itself, or a namespace lab
through the target's exec prefix). What networkd 252 does, measured in a lab namespace
(docs/apply.md has the details):

- ``networkctl reload`` creates the links of new .netdev files and reconfigures exactly the
  links whose .network file changed (it compares file stats, and apply only rewrites files
  whose bytes changed). ``networkctl reconfigure`` on top would configure them twice.
- Reconfiguring a link removes and re-adds its addresses and routes: a changed .network
  costs that link a short gap (networkd 252 behaviour).
- A removed .netdev leaves its link behind, unmanaged: nos-shell deletes it (``ip link del``).
  A removed .network leaves the link unmanaged without its addresses, but still enslaved to
  its bridge or bond: nos-shell detaches it (``ip link set nomaster``).
- An existing netdev is never updated from a changed .netdev, and deleting its link does not
  help either: stacked netdevs (VLAN, macvlan, vxlan on a parent) are recreated from the old
  settings, and bridge/bond members keep pointing at the deleted master. So when a .netdev
  that still exists changed (other than in comments), its link is deleted and networkd is
  restarted (target setting ``networkd-restart``); at start it creates the link afresh and
  configures every link, which leaves unchanged addresses in place.
- networkd reads ``networkd.conf.d`` only when it starts: a changed drop-in also restarts it.

After a reload nos-shell waits briefly for the links of new .netdev files; a link that does
not appear (a kernel without the driver, say) is reported in the commit output.
"""
from __future__ import annotations

import json
import time
from pathlib import PurePosixPath

from ..contract import Context
from . import compiler
from .compiler import CONF_DROPIN, PREFIX, UNIT_DIR

LINK_WAIT = 3.0          # seconds to wait for the links of new .netdev files
_MASTER_KEYS = ("Bridge", "Bond")


def link_name(rel: PurePosixPath) -> str | None:
    """The interface a unit file of nos-shell's is for: ``10-nos-eth0.100.network`` -> eth0.100."""
    if rel.parent != UNIT_DIR or not rel.name.startswith(PREFIX) or rel.suffix not in (".network", ".netdev"):
        return None
    return rel.name[len(PREFIX):-len(rel.suffix)]


def semantic(data: bytes) -> list[str]:
    """A unit's meaning: its lines without comments and blank lines (descriptions are comments)."""
    out = []
    for raw in data.decode(errors="replace").splitlines():
        line = raw.strip()
        if line and line[0] not in "#;":
            out.append(line)
    return out


def _keys(data: bytes, keys: tuple[str, ...]) -> list[str]:
    """Values of ``KEY=value`` lines for any of ``keys`` (compiler.py writes one per line)."""
    out = []
    for line in semantic(data):
        key, sep, value = line.partition("=")
        if sep and key.strip() in keys:
            out.append(value.strip())
    return out


class Plan:
    """What the running networkd needs for one commit's changed and removed files."""

    def __init__(self, changed: set[PurePosixPath], removed: set[PurePosixPath],
                 old_files, new_files):
        # old_files/new_files: callables returning compiler.compile() of the old/new tree,
        # called only when a netdev changed or a .network was removed.
        self.units = {rel for rel in changed | removed if rel.parent == UNIT_DIR}
        self.dropin = CONF_DROPIN in changed or CONF_DROPIN in removed
        self.delete: list[str] = []        # links to delete (netdev removed or changed)
        self.rebuilt: list[str] = []       # netdevs that still exist but changed: need a restart
        self.created: list[str] = []       # netdevs new in this commit: wait for their links
        self.detach: list[str] = []        # links whose .network is gone: leave their master
        netdevs_changed = sorted(rel for rel in changed if rel.suffix == ".netdev" and link_name(rel))
        networks_removed = sorted(rel for rel in removed if rel.suffix == ".network" and link_name(rel))
        old = old_files() if netdevs_changed or networks_removed else {}
        for rel in sorted(rel for rel in removed if rel.suffix == ".netdev" and link_name(rel)):
            self.delete.append(link_name(rel))
        for rel in netdevs_changed:
            name = link_name(rel)
            if rel not in old:
                self.created.append(name)
            elif semantic(old[rel]) != semantic(new_files()[rel]):
                self.delete.append(name)
                self.rebuilt.append(name)
        for rel in networks_removed:
            if _keys(old.get(rel, b""), _MASTER_KEYS):
                self.detach.append(link_name(rel))

    @property
    def restart(self) -> bool:
        return self.dropin or bool(self.rebuilt)


def reload(ctx: Context) -> None:
    """Delete, reload or restart as the plan says (see the module docstring)."""
    cache: dict[str, dict] = {}

    def compiled(which: str):
        def get():
            if which not in cache:
                cache[which] = compiler.compile(ctx.old if which == "old" else ctx.new)
            return cache[which]
        return get

    plan = Plan(ctx.changed, ctx.removed, compiled("old"), compiled("new"))
    if not plan.units and not plan.dropin:
        return
    present = links(ctx) if plan.delete or plan.detach else set()
    for name in plan.delete:
        if name in present:
            ctx.run("ip", "link", "del", "dev", name)
            present.discard(name)
    if plan.restart:
        why = (["its networkd.conf drop-in changed"] if plan.dropin else []) + \
              [f"netdev {name} changed" for name in plan.rebuilt]
        if ctx.target.networkd_restart:
            ctx.run(*ctx.target.networkd_restart)
            ctx.notes.append(f"systemd-networkd restarted: {'; '.join(why)}")
        else:
            ctx.run("networkctl", "reload")
            ctx.notes.append(f"Restart systemd-networkd to apply this change: {'; '.join(why)}")
    else:
        ctx.run("networkctl", "reload")
    for name in plan.detach:
        if name in present:
            ctx.run("ip", "link", "set", "dev", name, "nomaster")
    waiting = plan.created + plan.rebuilt
    if plan.dropin:     # a (re)start after the first commit: every netdev is new to networkd
        waiting = sorted({link_name(rel) for rel in compiled("new")() if rel.suffix == ".netdev"})
    missing = wait_for_links(ctx, waiting)
    for name in missing:
        ctx.notes.append(f"Warning: systemd-networkd did not create {name} within {LINK_WAIT:g} s "
                         "(missing kernel driver? see its log)")


def links(ctx) -> set[str]:
    """Names of the links in the router's network namespace."""
    result = ctx.run("ip", "-j", "link", "show")
    try:
        return {link["ifname"] for link in json.loads(result.stdout or "[]")}
    except (ValueError, KeyError, TypeError):
        return set()


def wait_for_links(ctx, names: list[str], timeout: float | None = None) -> list[str]:
    """The names among ``names`` that did not appear as links within ``timeout`` seconds
    (default LINK_WAIT)."""
    missing = set(names)
    deadline = time.monotonic() + (LINK_WAIT if timeout is None else timeout)
    while missing:
        missing -= links(ctx)
        if not missing or time.monotonic() >= deadline:
            break
        time.sleep(0.05)
    return sorted(missing)
