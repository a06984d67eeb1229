"""Hypothesis settings shared by the property tests.

A test names its usual number of examples; ``NOS_SHELL_EXAMPLES_SCALE`` (set by
``bench/properties.py --scale``) multiplies it for long runs. Whether examples are random
or derandomised comes from the profile tests/conftest.py loads (derandomised under
CI=true), so no test sets ``derandomize`` or a seed of its own.
"""
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

SLOW_OK = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large]


def scale() -> float:
    """The multiplier of every test's example count (1 unless a bench run sets it)."""
    try:
        return max(float(os.environ.get("NOS_SHELL_EXAMPLES_SCALE") or 1), 0.01)
    except ValueError:
        return 1.0


def examples(count: int, **extra) -> settings:
    """Settings for a property test that normally runs ``count`` examples."""
    return settings(max_examples=max(1, round(count * scale())), deadline=None,
                    suppress_health_check=SLOW_OK, **extra)
