"""Throwaway drivers for tests: a BaseDriver whose methods are the functions given."""
from __future__ import annotations

from nos_shell.backends.contract import BaseDriver


def fake_driver(name: str = "fake", area: str | None = None, settings: dict | None = None,
                **methods) -> BaseDriver:
    """A driver named ``name`` whose ``compile``, ``reload``, ... are the given functions
    (called without ``self``); the others keep BaseDriver's no-op defaults. ``settings``:
    the apply.toml keys it declares, with their defaults."""
    driver = BaseDriver()
    driver.name, driver.area = name, area
    driver.settings = dict(settings or {})
    for method, function in methods.items():
        if not hasattr(BaseDriver, method):
            raise AttributeError(f"the driver contract has no {method!r}")
        setattr(driver, method, function)
    return driver
