"""The sysctl driver: `system sysctl parameter` and `system option` as a sysctl.d drop-in
(compiler.py), loaded by control.py."""
from __future__ import annotations

from nos_shell.models.changes import Reads

from ..contract import FunctionDriver
from . import compiler, control

DRIVER = FunctionDriver("sysctl", compiler.compile, compiler.verify, reload=control.reload,
                        stale=control.stale,
                        reads=(("system", "sysctl"), ("system", "option")),
                        verify_reads=Reads((("system", "sysctl"), ("system", "option"),
                                            ("firewall", "global-options"))))
