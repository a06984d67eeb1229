"""The system driver: host name, hosts, resolver and time zone files (compiler.py); the running
host name and the etc/localtime link (control.py)."""
from __future__ import annotations

from nos_shell.models.changes import Reads

from ..contract import FunctionDriver
from . import compiler, control

DRIVER = FunctionDriver("system", compiler.compile, compiler.verify, reload=control.reload,
                        reads=(("system",),), verify_reads=Reads((("system",),)))
