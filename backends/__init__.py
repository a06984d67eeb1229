"""Backend drivers, one folder per daemon, and what they share.

- ``contract.py``: what a driver is (:class:`~.contract.Driver`), generated-file types;
- ``registry.py``: the ordered list of drivers;
- ``common/``: helpers several drivers use (unit files, safe words); not a driver;
- ``networkd/``, ``nftables/``, ``system/``, ``timesyncd/``, ``bird/``, ``gobgp/``: the drivers.

The daemon-independent models they compile from live in ``nos_shell.models``.
"""
