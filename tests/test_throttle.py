"""The per-source login throttle (nos_shell/shell/throttle.py) on its own, with a clock
the test moves (the server test in test_ssh_limits.py uses the real one)."""
from __future__ import annotations

from nos_shell.shell.throttle import LoginThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_one_attempt_per_refill_period_per_source():
    clock = Clock()
    throttle = LoginThrottle(burst=3, refill_seconds=10, clock=clock)
    assert [throttle.take("192.0.2.1") for _ in range(4)] == [True, True, True, False]
    assert throttle.take("192.0.2.2")                 # another source is not affected
    clock.now += 9
    assert not throttle.take("192.0.2.1")
    clock.now += 1
    assert throttle.take("192.0.2.1") and not throttle.take("192.0.2.1")


def test_a_successful_login_gives_its_token_back():
    throttle = LoginThrottle(burst=2, clock=Clock())
    for _ in range(5):
        assert throttle.take("198.51.100.7")
        throttle.give_back("198.51.100.7")


def test_ipv6_counts_per_64_and_mapped_ipv4_as_ipv4():
    throttle = LoginThrottle(burst=1, clock=Clock())
    assert throttle.take("2001:db8:1:2::1")
    assert not throttle.take("2001:db8:1:2:ffff::9")      # same /64
    assert throttle.take("2001:db8:1:3::1")               # another /64
    assert LoginThrottle.source("::ffff:192.0.2.9") == "192.0.2.9"
    assert LoginThrottle.source("fe80::1%eth0") == "fe80::/64"


def test_the_table_stays_bounded():
    clock = Clock()
    throttle = LoginThrottle(burst=2, max_sources=100, clock=clock)
    for n in range(1000):
        throttle.take(f"10.0.{n // 256}.{n % 256}")
        clock.now += 0.001
    assert len(throttle._buckets) <= 100
