"""The sign-in limiter keeps bounded memory whatever is sent (issue 21, finding 1)."""

from __future__ import annotations

import sys

from sdgtrack.web.auth import LoginLimiter, address_key


def _table_bytes(limiter: LoginLimiter) -> int:
    """What the limiter's table holds: keys and their lists of times (tracemalloc would make the
    100,000 tries below take a minute)."""
    table = limiter._failures
    return sys.getsizeof(table) + sum(
        sys.getsizeof(k) + sys.getsizeof(v) + sum(sys.getsizeof(t) for t in v) for k, v in table.items()
    )


def _fail_all(limiter: LoginLimiter, names, address: str = "192.0.2.1") -> None:
    for name in names:
        limiter.wait_seconds(name, address)
        limiter.failed(name, address)


def test_memory_is_flat_over_100000_distinct_names():
    limiter = LoginLimiter()
    _fail_all(limiter, (f"user-{i}-" + "x" * 200 for i in range(40_000)))
    first = _table_bytes(limiter)
    # 60,000 more distinct names: the table is full, so it stays the size it was
    _fail_all(limiter, (f"other-{i}-" + "y" * 200 for i in range(60_000)))
    assert len(limiter) <= limiter.max_keys
    assert _table_bytes(limiter) < first * 1.05, (first, _table_bytes(limiter))
    assert _table_bytes(limiter) < 8 * 2**20


def test_a_huge_name_costs_what_a_short_one_does():
    limiter = LoginLimiter()
    _fail_all(limiter, ["n" * 1_000_000 + str(i) for i in range(20)])
    assert _table_bytes(limiter) < 20_000  # 20 names of 1 MB each would be 20 MB kept


def test_refused_tries_add_nothing():
    limiter = LoginLimiter(per_user=2, per_address=1_000)
    for _ in range(2):
        limiter.failed("amina", "192.0.2.9")
    size = len(limiter)
    for i in range(1_000):
        assert limiter.wait_seconds("amina", "192.0.2.9") > 0
        limiter.wait_seconds(f"nobody-{i}", "192.0.2.9")
    assert len(limiter) == size


def test_the_limit_still_holds_per_name_and_is_case_blind():
    limiter = LoginLimiter(per_user=3, per_address=100)
    for _ in range(3):
        assert limiter.wait_seconds("Amina", "192.0.2.1") == 0
        limiter.failed("Amina", "192.0.2.1")
    assert limiter.wait_seconds("amina", "198.51.100.7") > 0
    limiter.succeeded("AMINA")
    assert limiter.wait_seconds("amina", "198.51.100.7") == 0


def test_ipv6_addresses_count_per_64():
    limiter = LoginLimiter(per_user=1_000, per_address=3)
    for i in range(3):  # a client rotating through its /64
        limiter.failed(f"n{i}", f"2001:db8:1:2::{i + 1:x}")
    assert limiter.wait_seconds("fresh", "2001:db8:1:2:ffff::9") > 0
    assert limiter.wait_seconds("fresh", "2001:db8:1:3::1") == 0
    assert address_key("::ffff:192.0.2.4") == "192.0.2.4"
    assert address_key("203.0.113.5") == "203.0.113.5"


def test_a_sign_in_with_a_1_mb_name_is_answered_small_and_kept_small(entry):
    from fastapi.testclient import TestClient

    client = TestClient(entry.app)
    token = client.get("/login").cookies.get("sdgtrack_login")
    limiter = entry.app.state.login_limiter
    before = len(limiter)
    for i in range(5):
        answer = client.post(
            "/login",
            data={"name": f"{i}" + "n" * 1_000_000, "password": "x", "login_token": token, "next": "/" + "a" * 10_000},
        )
        assert answer.status_code in (401, 429) and len(answer.content) < 20_000
    assert len(limiter) <= before + 6  # five names and at most one address
