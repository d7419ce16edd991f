"""The API's rate limits, counted in the shared cache so that they hold across processes.

DRF's own throttles keep each client's history as a list that every request reads and writes
back: with two processes (or two threads) answering at once, one write overwrites the other
and requests go uncounted. Here a client's requests in a window are one counter, raised by the
cache's atomic increment (Redis's INCR; the database cache's under a lock, factsite/cache.py),
so N workers answer at most the limit, not N times it. A request is counted in both rates'
windows at once (SharedWindowCount: one round trip to Redis).

The window starts at a client's first request and lasts the rate's period ("120/minute": a
minute); a throttled request is told to retry when it ends (Retry-After).

The client is told apart by its address as the settings' NUM_PROXIES says
(facts.security.client_address, the sign-in lockouts' rule too):
0, the default, is the socket's address, and X-Forwarded-For is ignored, since anyone can send
one; behind N trusted proxies, the address the Nth proxy from the end saw.
"""

from __future__ import annotations

import math
from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from facts.security.client_address import client_address
from factsite.cache import Counts

# Where a request keeps the counts its throttles' one batch gave, until each throttle reads its
# own (a DRF Request takes attributes of its own).
COUNTED = "_shared_window_counts"


class SharedWindowCount:
    """A counter a window in the shared cache; mixed into DRF's rate throttles, whose rates,
    scopes and keys (per address for the anonymous, per user for the signed in) it keeps.

    DRF asks a view's throttles one after the other; the first of these to be asked counts the
    request in every such throttle's window at once (the cache's `count_in_windows`: one
    round trip to Redis for both rates, not four to six), and each then reads its own count."""

    cache: Any
    timer: Any
    rate: str | None
    num_requests: int
    duration: int
    key: str | None
    get_cache_key: Any  # DRF's AnonRateThrottle and UserRateThrottle give it

    def allow_request(self, request: Request, view: Any) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        counted: Counts = getattr(request, COUNTED, {})
        if self.key not in counted:
            counted = self.count(self.windows(request, view))
            setattr(request, COUNTED, counted)
        count, left = counted.pop(self.key)
        if count <= self.num_requests:
            return True
        self.retry_after = max(math.ceil(left), 1)
        return False

    def windows(self, request: Request, view: Any) -> dict[str, int]:
        """This throttle's window and those of the view's other throttles of this kind that
        apply to the request (by key: the window's length in seconds)."""
        windows = {str(self.key): self.duration}
        for other in view.get_throttles() if view is not None else []:
            # Counted together only where they count: in this cache.
            if (
                isinstance(other, SharedWindowCount)
                and other.rate is not None
                and other.cache is self.cache
            ):
                key = other.get_cache_key(request, view)
                if key is not None:
                    windows.setdefault(key, other.duration)
        return windows

    def count(self, windows: dict[str, int]) -> Counts:
        count_in_windows = getattr(self.cache, "count_in_windows", None)
        if count_in_windows is not None:  # factsite.cache's backends
            return count_in_windows(windows)
        return {key: self.count_one(key, seconds) for key, seconds in windows.items()}

    def count_one(self, key: str, seconds: int) -> tuple[int, float]:
        """Another cache backend's way (a test's local memory): `add` writes only when the
        key is missing (or expired), atomically on every backend, and starts the window."""
        now = self.timer()
        count_key, started_key = f"{key}:count", f"{key}:started"
        if self.cache.add(count_key, 1, seconds):
            self.cache.set(started_key, now, seconds)
            return 1, seconds
        try:
            count = self.cache.incr(count_key)
        except ValueError:  # the window ended between the add and the increment
            self.cache.set(count_key, 1, seconds)
            self.cache.set(started_key, now, seconds)
            return 1, seconds
        return count, self.cache.get(started_key, now) + seconds - now

    def wait(self) -> float:
        return getattr(self, "retry_after", self.duration)

    def get_ident(self, request: Any) -> str:
        # One rule for the client's address, the sign-in lockouts' too (NUM_PROXIES).
        return client_address(request)


class AnonymousRateThrottle(SharedWindowCount, AnonRateThrottle):
    """Anonymous clients, by address: THROTTLE_ANON (default 120/minute)."""


class SignedInRateThrottle(SharedWindowCount, UserRateThrottle):
    """Signed-in clients, by user: THROTTLE_USER (default 1200/minute)."""
