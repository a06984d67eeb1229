"""Which files an SSH session may name in `save`, `load` and `merge` (docs/ssh.md).

The rule: a configuration file of the saved-configuration folder, that is, a name that

- lies directly in the folder (absolute or relative; no subfolder, no ``..``),
- is not hidden (no leading ``.``: temporary files of atomic writes are hidden),
- is not one of the server's own files there (:data:`SERVER_OWNED`, ``ssh_host_*``),
- is a regular file, or does not exist yet;

and if it is a symbolic link, its target must pass the same rule. The server runs as root
while its users have no system account, so anything else would let an admin read or
replace files the server depends on (apply.toml, the `live` switch, host keys).
"""
from __future__ import annotations

import stat
from pathlib import Path

from .errors import NosError, clip

#: files of the configuration folder that belong to the server, not to its users:
#: apply.toml (nos_shell/apply/target.py), live (cli.LIVE_SETTING)
SERVER_OWNED = frozenset({"apply.toml", "live"})
_OWNED_PREFIX = "ssh_host_"      # host keys kept here before 0.2 (nos_shell/shell/ssh.py)


def confined_file(folder: Path, name: str) -> Path:
    """The path ``name`` stands for, or NosError("Permission denied ...")."""
    given = Path(name)
    path = given if given.is_absolute() else folder / given
    real_folder = folder.resolve()
    for candidate in (path, path.resolve()):
        if not _allowed(candidate, real_folder):
            raise NosError(f"Permission denied: {clip(name)}: over SSH, only configuration files "
                           f"directly in {folder} may be named (not hidden, not a subfolder, "
                           f"not {', '.join(sorted(SERVER_OWNED))} or {_OWNED_PREFIX}*)")
    return path


def allowed_name(base: str) -> bool:
    """Whether a file name (no folder) may be named over SSH: not hidden, not the server's."""
    return bool(base) and not base.startswith(".") and base not in SERVER_OWNED \
        and not base.startswith(_OWNED_PREFIX)


def _allowed(path: Path, real_folder: Path) -> bool:
    if not allowed_name(path.name):
        return False
    if path.parent.resolve() != real_folder:
        return False
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return stat.S_ISREG(mode)
