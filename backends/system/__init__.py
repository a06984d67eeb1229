"""The system driver: host name, hosts and resolver files (compiler.py); the running host name (control.py)."""
from __future__ import annotations

from ..contract import FunctionDriver
from . import compiler, control

DRIVER = FunctionDriver("system", compiler.compile, compiler.verify, reload=control.reload,
                        reads=(("system",),))
