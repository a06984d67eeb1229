"""The live half of the nftables driver: check the staged file, load it, drop the table."""
from __future__ import annotations

from nos_shell.config.tree import ConfigTree

from ..contract import Context, Staged
from .compiler import PATH, TABLE, compile
from .filter import TABLE as FILTER_TABLE
from .sysctl import PATH as SYSCTL


def checks(staged: Staged) -> list[list[str]]:
    """``nft -c -f`` on the staged file, in the router's context (it checks against its kernel)."""
    return [["nft", "-c", "-f", str(staged[PATH])]] if PATH in staged else []


def reload(ctx: Context) -> None:
    """Load the file: one ``nft -f`` transaction replaces nos-shell's two tables and nothing
    else (a change of group members alone updates those sets: fwdelta.py, falling back to
    the whole file if the live table does not take it); then the firewall's sysctl drop-in,
    when it changed."""
    if PATH in ctx.changed:
        script = _group_edit(ctx)
        if script is None or ctx.run("nft", "-f", "-", input=script, check=False).returncode != 0:
            ctx.run("nft", "-f", str(ctx.file(PATH)))
    elif PATH in ctx.removed:
        for table in (TABLE, FILTER_TABLE):
            ctx.run("nft", "delete", "table", *table.split(), check=False)
    if SYSCTL in ctx.changed:
        # -e: a key this kernel lacks (IPv6 switched off) is skipped, not an error
        ctx.run("sysctl", "-e", "-q", "-p", str(ctx.file(SYSCTL)))


def _group_edit(ctx: Context) -> str | None:
    """The set-only update from the old configuration's file to the new one, if that is all
    (only firewall groups changed, and only their members)."""
    from .fwdelta import set_updates

    def rest(tree: ConfigTree) -> object:
        firewall = tree.node("firewall")
        others = {k: v for k, v in firewall.children.items() if k != "group"} if firewall else None
        return tree.node("nat"), others

    if rest(ctx.old) != rest(ctx.new):
        return None
    return set_updates(compile(ctx.old)[PATH].decode(), compile(ctx.new)[PATH].decode())
