"""The BIRD 2 driver: one of the two drivers of the "bgp" area (the default one).

``compiler.py`` writes etc/bird/bird.conf from the BGP model; ``control.py`` checks it
with ``bird -p`` and starts, reconfigures or stops the daemon; ``state.py`` reads its
sessions and routes for the `show` views.
"""
from __future__ import annotations

from nos_shell.models import bgp as bgp_model

from ..common import bgp_delta, bgp_rules
from ..contract import FunctionDriver, state_on_demand
from . import compiler, control

DRIVER = FunctionDriver(compiler.NAME, compiler.compile, compiler.verify, area="bgp", active=compiler.active,
                        checks=control.checks, reload=control.reload, stop=control.stop,
                        state=state_on_demand(f"{__name__}.state", "BirdState"),
                        settings={control.SOCKET_KEY: control.SOCKET}, unit="bird.service",
                        reads=bgp_model.READS,
                        delta=bgp_delta.delta_of(compiler.compile, compiler.CONF),
                        verify_delta=bgp_rules.verify_delta(compiler.verify))
