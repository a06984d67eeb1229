"""The live half of the nftables driver: check the staged file, load it, drop the table."""
from __future__ import annotations

from ..contract import Context, Staged
from .compiler import PATH, TABLE


def checks(staged: Staged) -> list[list[str]]:
    """``nft -c -f`` on the staged file, in the router's context (it checks against its kernel)."""
    return [["nft", "-c", "-f", str(staged[PATH])]] if PATH in staged else []


def reload(ctx: Context) -> None:
    """Load the file: one ``nft -f`` transaction replaces nos-shell's table and nothing else."""
    if PATH in ctx.changed:
        ctx.run("nft", "-f", str(ctx.file(PATH)))
    elif PATH in ctx.removed:
        ctx.run("nft", "delete", "table", *TABLE.split(), check=False)
