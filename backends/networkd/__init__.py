"""The systemd-networkd driver: interfaces, static routes, the DHCP server.

``compiler.py`` (with ``netdev.py``) writes the units, ``verify.py`` holds the cross-node
rules, ``links.py`` what both share, ``control.py`` makes a running networkd follow. No
offline check: networkd has none short of starting a throwaway networkd
(tests/test_realparsers.py does that for every golden case).
"""
from __future__ import annotations

from ..contract import FunctionDriver
from . import compiler, control, delta, verify

DRIVER = FunctionDriver("networkd", compiler.compile, verify.verify, reload=control.reload,
                        delta=delta.compile_delta, verify_delta=verify.verify_delta)
