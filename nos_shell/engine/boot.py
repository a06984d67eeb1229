"""`nos-shell boot`: bring the router up from its configuration after a restart.

VyOS loads the *saved* configuration at boot; changes committed but not saved are gone.
nos-shell does the same: when the saved configuration differs from the running one, it is
committed (as a revision by `boot`), so `compare 1` and `rollback 1` still reach what ran
before. Then every backend is applied as if all of its files were new, which starts BIRD
or GoBGP, loads the NAT table (Debian's nftables.service flushes the ruleset at boot) and
lets networkd re-read its units. Run by nos-shell-boot.service on a live router.

A pending commit-confirm is honoured first (nos_shell/engine/confirm.py): when its deadline
passed while the machine was down, the previous configuration comes back before anything
else is applied; otherwise a timer process is started again for the time left.

Boot needs no Session: it calls the engine (nos_shell/engine/commit.py) directly.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import NosError
from . import confirm
from .commit import Change, Engine

if TYPE_CHECKING:
    from ..apply.target import Target


def boot(root: Path | str, target: Target | None = None, *, apply: bool = True) -> str:
    """Load the saved configuration of ``root`` (when it differs) and apply everything on
    ``target`` (None: the root's own, loaded here); ``apply=False`` only commits. The
    messages."""
    from ..store import Store

    root = Path(root)
    if target is None:
        from ..apply.target import load_target

        target = load_target(root)
    out: list[str] = confirm.resume(root)
    store = Store(root)
    engine = Engine(store, target if apply else None)
    saved = store.saved()
    serial, running = store.head()
    if saved is not None and saved != running:
        problems = engine.verify(saved)
        if problems:
            out.append("The saved configuration does not verify; keeping the running one:")
            out += [f"  [ {' '.join(p.path)} ] {p.message}" for p in problems]
        else:
            # the saved configuration replaces an unconfirmed commit-confirm: that ends it
            done = engine.commit(Change(saved.copy(), running, serial, "root", "boot"),
                                 "saved configuration loaded at boot", confirms=True)
            out.append(done.output.rstrip("\n"))
            out.append("Loaded the saved configuration")
    if not apply:
        return "\n".join(line for line in out if line) + "\n" if out else ""
    from .transaction import run

    try:
        with store.locked():
            running = store.running()
            _, notes = run(store, target, running, running, lambda: None, everything=True)
    except NosError as exc:
        # what happened before (a commit-confirm revert, the saved configuration) still counts
        raise NosError(*out, "Applying the running configuration at boot failed:", *exc.lines) from None
    from ..apply import sandbox_note

    out += [note for note in notes if note != sandbox_note(target.root)]   # "files only" says it
    out.append(f"Applied revision 0 ({'live' if target.live else 'files only'})")
    return "\n".join(line for line in out if line) + "\n"
