"""The GoBGP driver: one of the two drivers of the "bgp" area.

``compiler.py`` writes etc/gobgp/gobgpd.toml from the BGP model; ``control.py`` checks it
with ``gobgpd -d``, runs gobgpd, syncs its announcements and keeps the route installer
(``routes.py``, a process of its own) running; ``state.py`` reads its sessions and
routes for the `show` views.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..contract import FunctionDriver
from . import compiler, control

if TYPE_CHECKING:
    from nos_shell.apply.target import Target
    from nos_shell.models.bgp_state import BgpState


def state_reader(target: "Target") -> "BgpState":
    """The reader of the running daemon's sessions and routes (imported when first shown)."""
    from .state import GobgpState

    return GobgpState(target)


DRIVER = FunctionDriver(compiler.NAME, compiler.compile, compiler.verify, area="bgp", active=compiler.active,
                        checks=control.checks, reload=control.reload, stop=control.stop_all,
                        state=state_reader,
                        settings={control.API_KEY: control.API}, unit="gobgpd.service")
