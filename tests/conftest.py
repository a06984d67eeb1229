"""Suite-wide test settings.

Under CI=true every hypothesis test runs derandomised (a fixed, repeatable set of
examples), so a random find never decides whether a change lands; a longer randomised run
is `python3 bench/properties.py`. Tests take their settings from tests/propsettings.py
and set no ``derandomize`` or seed of their own (tests/test_property_settings.py).
Neither profile has a per-example deadline: a slow example on a loaded machine is not a
failure (speed is measured in bench/, never asserted).

``--shuffle SEED`` runs the modules, and each module's tests, in an order drawn from SEED
(module-scoped labs are still set up once each): a test that leans on what another left
behind fails there. Every test must pass alone and in any order; CI runs the file order.
"""
from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
settings.register_profile("random", print_blob=True, deadline=None)
settings.load_profile(os.environ.get("NOS_SHELL_HYPOTHESIS_PROFILE")
                      or ("ci" if os.environ.get("CI") == "true" else "random"))


def pytest_addoption(parser) -> None:
    parser.addoption("--shuffle", type=int, metavar="SEED", default=None,
                     help="run modules, and each module's tests, in an order shuffled by SEED")


def pytest_collection_modifyitems(config, items) -> None:
    """``--shuffle SEED``: the modules in a shuffled order, each one's tests shuffled too."""
    seed = config.getoption("--shuffle")
    if seed is None:
        return
    import random

    draw = random.Random(seed)
    modules: dict[str, list] = {}
    for item in items:
        modules.setdefault(item.nodeid.split("::")[0], []).append(item)
    order = list(modules)
    draw.shuffle(order)
    shuffled = []
    for name in order:
        draw.shuffle(modules[name])
        shuffled += modules[name]
    items[:] = shuffled


def pytest_collection_finish(session) -> None:
    """Start the VM test's guest run at once when it is collected (tests/vmearly.py)."""
    import vmearly

    if vmearly.worth_starting([item.nodeid for item in session.items]):
        vmearly.start()


def pytest_sessionfinish(session, exitstatus) -> None:
    import vmearly

    vmearly.stop()
