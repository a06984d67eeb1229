"""Suite-wide test settings.

Under CI=true every hypothesis test runs derandomised (a fixed, repeatable set of
examples), so a random find never decides whether a change lands; a longer randomised run
is `python3 bench/properties.py`. Tests take their settings from tests/propsettings.py
and set no ``derandomize`` or seed of their own (tests/test_property_settings.py).
Neither profile has a per-example deadline: a slow example on a loaded machine is not a
failure (speed is measured in bench/, never asserted).
"""
from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
settings.register_profile("random", print_blob=True, deadline=None)
settings.load_profile(os.environ.get("NOS_SHELL_HYPOTHESIS_PROFILE")
                      or ("ci" if os.environ.get("CI") == "true" else "random"))


def pytest_collection_finish(session) -> None:
    """Start the VM test's guest run at once when it is collected (tests/vmearly.py)."""
    import vmearly

    if vmearly.worth_starting([item.nodeid for item in session.items]):
        vmearly.start()


def pytest_sessionfinish(session, exitstatus) -> None:
    import vmearly

    vmearly.stop()
