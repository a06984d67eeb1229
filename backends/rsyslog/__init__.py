"""The rsyslog driver (registered as "syslog"): `system syslog` as an rsyslog drop-in
(compiler.py), checked and reloaded by control.py."""
from __future__ import annotations

from nos_shell.models.changes import Reads

from ..contract import FunctionDriver
from . import compiler, control

DRIVER = FunctionDriver("syslog", compiler.compile, compiler.verify, checks=control.checks,
                        reload=control.reload, unit="rsyslog.service",
                        reads=(("system", "syslog"),),
                        verify_reads=Reads((("system", "syslog"),)))
