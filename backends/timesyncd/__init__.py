"""The timesyncd driver (registered as "timesync"): the NTP client drop-in (compiler.py), restarted by control.py."""
from __future__ import annotations

from nos_shell.models.changes import Reads

from ..contract import FunctionDriver
from . import compiler, control

DRIVER = FunctionDriver("timesync", compiler.compile, compiler.verify, reload=control.reload,
                        stale=compiler.stale,
                        reads=(("service", "ntp"),),
                        verify_reads=Reads((("service", "ntp"),)))
