"""`nos-shell boot`: bring the router up from its configuration after a restart.

VyOS loads the *saved* configuration at boot; changes committed but not saved are gone.
nos-shell does the same: when the saved configuration differs from the running one, it is
committed (as a revision by `boot`), so `compare 1` and `rollback 1` still reach what ran
before. Then every backend is applied as if all of its files were new, which starts BIRD
or GoBGP, loads the NAT table (Debian's nftables.service flushes the ruleset at boot) and
lets networkd re-read its units. Run by nos-shell-boot.service on a live router.

A pending commit-confirm is honoured first (nos_shell/confirm.py): when its deadline passed
while the machine was down, the previous configuration comes back before anything else is
applied; otherwise a timer process is started again for the time left.
"""
from __future__ import annotations

from . import confirm
from .errors import NosError
from .session import Session


def boot(session: Session) -> str:
    """Load the saved configuration (when it differs) and apply everything; the messages."""
    out: list[str] = confirm.resume(session.store.root)
    session.refresh()
    saved = session.store.saved()
    if saved is not None and saved != session.running:
        problems = session.verify(saved)
        if problems:
            out.append("The saved configuration does not verify; keeping the running one:")
            out += [f"  [ {' '.join(p.path)} ] {p.message}" for p in problems]
        else:
            session.configure()
            session.candidate = saved.copy()
            session.via = "boot"
            # the saved configuration replaces an unconfirmed commit-confirm: that ends it
            out.append(session.commit("saved configuration loaded at boot", confirms=True).rstrip("\n"))
            session.mode, session.candidate = "op", None
            session.close()             # leaves the registry of configuring sessions
            out.append("Loaded the saved configuration")
    target = session.target
    if not session.apply_changes:
        return "\n".join(line for line in out if line) + "\n" if out else ""
    from .transaction import run

    try:
        with session.store.locked():
            session.refresh()
            _, notes = run(session.store, target, session.running, session.running, lambda: None,
                           everything=True)
    except NosError as exc:
        # what happened before (a commit-confirm revert, the saved configuration) still counts
        raise NosError(*out, "Applying the running configuration at boot failed:", *exc.lines) from None
    from .apply import sandbox_note

    out += [note for note in notes if note != sandbox_note(target.root)]   # "files only" says it
    out.append(f"Applied revision 0 ({'live' if target.live else 'files only'})")
    return "\n".join(line for line in out if line) + "\n"
