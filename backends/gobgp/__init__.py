"""The GoBGP driver: one of the two drivers of the "bgp" area.

``compiler.py`` writes etc/gobgp/gobgpd.toml from the BGP model; ``control.py`` checks it
with ``gobgpd -d``, runs gobgpd, syncs its announcements and keeps the route installer
(``routes.py``, a process of its own) running; ``state.py`` reads its sessions and
routes for the `show` views.
"""
from __future__ import annotations

from nos_shell.models import bgp as bgp_model

from ..common import bgp_delta, bgp_rules
from ..contract import FunctionDriver, state_on_demand
from . import compiler, control

DRIVER = FunctionDriver(compiler.NAME, compiler.compile, compiler.verify, area="bgp", active=compiler.active,
                        checks=control.checks, reload=control.reload, stop=control.stop_all,
                        state=state_on_demand(f"{__name__}.state", "GobgpState"),
                        settings={control.API_KEY: control.API}, unit="gobgpd.service",
                        stale=compiler.stale, reads=bgp_model.READS,
                        delta=bgp_delta.delta_of(compiler.compile, compiler.CONF),
                        verify_delta=bgp_rules.verify_delta(compiler.verify))
