"""The apply layer's side of the driver contract: compile, check, stop and reload in order.

Every call goes through :class:`nos_shell.backends.contract.Driver` (no getattr). Two
rules live here and nowhere else:

- one owner per generated path: two drivers generating one path fail the commit before
  anything is written (:func:`compile_by_backend`);
- alternatives: of the drivers serving one area (``bgp``: bird, gobgp) only the active one
  compiles and reloads; one that ran the old tree, or whose files are being removed, is
  stopped first, before the area's first reload (port 179 is free when the new daemon
  starts). No driver knows another.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import PurePosixPath

from ..backends.contract import AsBefore, Delta, Unchanged, delta_names, generated_path
from ..config.tree import ConfigTree
from ..errors import CommitError
from . import files
from .context import Context
from .manifest import Record
from .manifest_records import by_owner as group_by_owner
from .target import Target

CHANGES_LIMIT = 10_000
"""More changed paths than this: drivers are told the changes are unknown (compare all)."""

ContextFactory = Callable[[Target, ConfigTree, ConfigTree, set[PurePosixPath], set[PurePosixPath]], Context]
"""How :func:`reload_all` makes each driver's context (tests pass a recording one)."""


Owned = Record | str
"""What :func:`deltas` is told of a generated file: its manifest record, or its owner's name."""


def compile_by_backend(tree: ConfigTree) -> dict[str, files.Files]:
    """Each registered driver's files (none for an inactive alternative); CommitError when
    two drivers claim one path."""
    from ..backends import registry

    by_driver = registry.compile_each(tree)
    found = registry.clash(by_driver)
    if found is not None:
        path, first, second = found
        raise CommitError(f"Backends {first} and {second} both generate {path}; "
                          "a generated file must have one owner", "Nothing was written.")
    return by_driver


def reload_all(target: Target, old: ConfigTree, new: ConfigTree, change: files.Plan, *,
               only: set[str] | None = None, started: Callable[[str], None] | None = None,
               context: ContextFactory = Context) -> list[str]:
    """Stop the alternatives that are no longer chosen and reload every active driver (or
    those in ``only``) for ``change``; their notes. ``started(name)`` is called before each
    stop or reload."""
    from ..backends import registry

    notes: list[str] = []
    areas_done: set[str] = set()
    everyone = registry.awake(old, new, frozenset(change.owners.get(rel) for rel in change.touched))

    def call(driver, action: Callable[[Context], None]) -> None:
        if driver.name in target.skip_reload or (only is not None and driver.name not in only):
            return
        if started is not None:
            started(driver.name)
        mine = {rel for rel, owner in change.owners.items() if owner == driver.name}
        ctx = context(target, old, new, set(change.changed) & mine, change.removed & mine)
        action(ctx)
        notes.extend(ctx.notes)

    for driver in everyone:
        area = driver.area
        if area is not None and area not in areas_done:
            areas_done.add(area)
            for other in everyone:
                if other.area == area and not other.active(new) and _ran(other, old, change):
                    call(other, other.stop)
        if driver.active(new) and _needs_reload(driver, old, new, change):
            call(driver, driver.reload)
    return notes


def _needs_reload(driver, old: ConfigTree, new: ConfigTree, change: files.Plan) -> bool:
    """Whether an active driver has anything to follow: changed or removed files of its own,
    it was not active before (a daemon to start), or it says it is stale without them."""
    if any(change.owners.get(rel) == driver.name for rel in change.touched):
        return True
    return not driver.active(old) or driver.stale(old, new)


def deltas(old: ConfigTree, new: ConfigTree, owned: Mapping[str, Owned], *, trusted: bool = False,
           grouped: dict[str, list[str]] | None = None) -> dict[str, Delta | Unchanged] | None:
    """Each registered driver's delta from ``old`` to ``new``, taking what was generated
    before from the manifest ``owned`` (relative path as text -> its record or owner's
    name); None when the manifest does not hold exactly what ``old`` compiles to for a
    driver active in both (then only a full compile and plan is safe). CommitError when
    two drivers claim one path.

    ``trusted``: this version of nos-shell wrote the manifest, so its names are what this
    version generated from ``old``; a driver's :class:`AsBefore` (no path added or
    removed) then takes its paths from them, unlisted. Otherwise every delta's paths
    before are listed and compared with the manifest's. ``grouped``: ``owned``'s names by
    owner, when the caller has them."""
    from ..backends import registry
    from ..models.changes import changed_paths, touches

    changes = changed_paths(old, new, limit=CHANGES_LIMIT)
    out: dict[str, Delta | Unchanged] = {}
    afters: dict[str, frozenset[str]] = {}
    befores: dict[str, frozenset[str]] = {}
    by_owner = grouped if grouped is not None else group_by_owner(owned)
    sleeping = registry.asleep(old, new)
    for name in registry.names():
        mine = befores[name] = frozenset(by_owner.get(name, ()))
        if name in sleeping:                        # nothing it reads changed: not even imported
            out[name], afters[name] = Unchanged(mine), mine
            continue
        driver = registry.driver(name)
        if not driver.active(new):
            delta: Delta | Unchanged = Delta({}, frozenset(map(generated_path, mine)), frozenset())
        elif not driver.active(old):
            generated = driver.compile(new)
            delta = Delta(generated, frozenset(map(generated_path, mine)), frozenset(generated))
        elif mine and changes is not None and driver.reads is not None and not touches(changes, driver.reads):
            delta = Unchanged(mine)                 # nothing it reads changed
        else:
            delta = driver.compile_delta(old, new, changes)
            if trusted and isinstance(delta, AsBefore) and mine.issuperset(map(str, delta.changed)):
                delta.names = mine                  # (the paths are as before: the manifest's)
            elif delta_names(delta)[0] != mine:
                return None
        out[driver.name] = delta
        afters[driver.name] = delta_names(delta)[1]
    _refuse_clash(afters, befores)
    return out


def _refuse_clash(paths: dict[str, frozenset[str]], before: dict[str, frozenset[str]]) -> None:
    """CommitError when two drivers generate one path. Each name of the manifest has one
    owner, so the paths a driver generated before cannot clash with each other's: only
    those new to a driver are looked for among the others' (a one-line commit has none)."""
    order = {name: n for n, name in enumerate(paths)}
    for name, generated in paths.items():
        mine = before.get(name, frozenset())
        for path in generated - mine if generated is not mine else ():
            for other, theirs in paths.items():
                if other != name and path in theirs:
                    first, second = sorted((name, other), key=order.__getitem__)
                    raise CommitError(f"Backends {first} and {second} both generate {path}; "
                                      "a generated file must have one owner", "Nothing was written.")


def _ran(driver, old: ConfigTree, change: files.Plan) -> bool:
    """Whether an inactive alternative may still be running: it served the old tree, or
    files it generated are being removed."""
    return driver.active(old) or any(change.owners.get(rel) == driver.name for rel in change.removed)


def check(target: Target, change: files.Plan) -> None:
    """Run the drivers' checks on the changed files, staged outside the live paths (only
    the files of a driver whose check reads them: apply/checkstage.py)."""
    from ..backends import registry
    from .checkstage import OnDemand, Scratch

    mine: dict[str, dict[PurePosixPath, bytes]] = {}
    for rel, data in change.changed.items():
        mine.setdefault(change.owners.get(rel, ""), {})[rel] = data
    scratch = Scratch(target.root)
    try:
        ctx = Context(target, ConfigTree(), ConfigTree())
        for name in registry.names():
            if name in mine:
                for argv in registry.driver(name).checks(OnDemand(scratch, mine[name])):
                    ctx.run(*argv)
    finally:
        scratch.close()
