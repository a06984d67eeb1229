"""The timesyncd driver (registered as "timesync"): the NTP client drop-in (compiler.py), restarted by control.py."""
from __future__ import annotations

from ..contract import FunctionDriver
from . import compiler, control

DRIVER = FunctionDriver("timesync", compiler.compile, compiler.verify, reload=control.reload,
                        reads=(("service", "ntp"),))
