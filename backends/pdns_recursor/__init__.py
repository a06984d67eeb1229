"""The PowerDNS Recursor driver (registered as "pdns-recursor"): `service dns forwarding` ->
the recursor's settings file (model.py, compiler.py), run and reloaded by control.py."""
from __future__ import annotations

from nos_shell.models.changes import Reads

from ..contract import FunctionDriver
from . import compiler, control

READS = (("service", "dns"), ("system", "name-server"))

DRIVER = FunctionDriver("pdns-recursor", compiler.compile, compiler.verify, checks=control.checks,
                        reload=control.reload, settings={control.SOCKET_KEY: control.SOCKET_DIR},
                        reads=READS, verify_reads=Reads(READS))
