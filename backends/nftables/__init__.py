"""The nftables driver: `nat` and `firewall` -> nos-shell's own NAT and filter tables (compiler.py,
filter.py) and the firewall's sysctl drop-in (sysctl.py), loaded by control.py."""
from __future__ import annotations

from nos_shell.models.changes import Reads

from ..contract import FunctionDriver
from . import compiler, control

DRIVER = FunctionDriver("nftables", compiler.compile, compiler.verify, checks=control.checks,
                        reload=control.reload, reads=(("nat",), ("firewall",)),
                        verify_reads=Reads((("nat",), ("firewall",)), frozenset()))
