"""The nftables driver: `nat` -> nos-shell's own NAT table (compiler.py), loaded by control.py."""
from __future__ import annotations

from nos_shell.models.changes import Reads

from ..contract import FunctionDriver
from . import compiler, control

DRIVER = FunctionDriver("nftables", compiler.compile, compiler.verify, checks=control.checks,
                        reload=control.reload, reads=(("nat",),),
                        verify_reads=Reads((("nat",),), frozenset()))
