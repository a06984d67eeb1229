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


def test_more_sources_than_the_table_holds_do_not_get_fresh_allowances():
    """Was: past max_sources the stalest bucket was dropped even when it was empty, so a
    client cycling through max_sources + 1 addresses (an IPv6 /56 holds 256 /64s, a /48
    65536) found each of its buckets gone and full again: unlimited guesses. Now sources
    the table cannot hold share one allowance."""
    clock = Clock()
    throttle = LoginThrottle(burst=2, refill_seconds=3600, max_sources=100, clock=clock)
    sources = [f"2001:db8:0:{n:x}::1" for n in range(101)]
    granted = 0
    for _ in range(10):
        for source in sources:
            granted += sum(throttle.take(source) for _ in range(2))
            clock.now += 0.001
    assert granted <= 100 * 2 + 2, granted
    assert len(throttle._buckets) <= 101


def test_full_buckets_still_make_room():
    clock = Clock()
    throttle = LoginThrottle(burst=2, refill_seconds=10, max_sources=2, clock=clock)
    assert throttle.take("192.0.2.1") and throttle.take("192.0.2.2")
    clock.now += 10          # both full again: they go, and new sources get their own
    assert throttle.take("192.0.2.3") and throttle.take("192.0.2.3") and not throttle.take("192.0.2.3")
    assert throttle.take("192.0.2.4")
