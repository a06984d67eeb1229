"""The BIRD 2 driver: one of the two drivers of the "bgp" area (the default one).

``compiler.py`` writes etc/bird/bird.conf from the BGP model; ``control.py`` checks it
with ``bird -p`` and starts, reconfigures or stops the daemon; ``state.py`` reads its
sessions and routes for the `show` views.
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
    from .state import BirdState

    return BirdState(target)


DRIVER = FunctionDriver(compiler.NAME, compiler.compile, compiler.verify, area="bgp", active=compiler.active,
                        checks=control.checks, reload=control.reload, stop=control.stop,
                        state=state_reader,
                        settings={control.SOCKET_KEY: control.SOCKET}, unit="bird.service")
