"""The API's rate limits, counted in the shared cache so that they hold across processes.

DRF's own throttles keep each client's history as a list that every request reads and writes
back: with two processes (or two threads) answering at once, one write overwrites the other
and requests go uncounted. Here a client's requests in a window are one counter, raised by the
cache's atomic increment (Redis's INCR; the database cache's under a lock, factsite/cache.py),
so N workers answer at most the limit, not N times it.

The window starts at a client's first request and lasts the rate's period ("120/minute": a
minute); a throttled request is told to retry when it ends (Retry-After).

The client is told apart by its address as the settings' NUM_PROXIES says
(facts.security.client_address, the sign-in lockouts' rule too):
0, the default, is the socket's address, and X-Forwarded-For is ignored, since anyone can send
one; behind N trusted proxies, the address the Nth proxy from the end saw.
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from facts.security.client_address import client_address


class SharedWindowCount:
    """A counter a window in the shared cache; mixed into DRF's rate throttles, whose rates,
    scopes and keys (per address for the anonymous, per user for the signed in) it keeps."""

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
        now = self.timer()
        count_key, started_key = f"{self.key}:count", f"{self.key}:started"
        # `add` writes only when the key is missing (or expired), atomically on every
        # backend: the first request of a window starts it.
        if self.cache.add(count_key, 1, self.duration):
            self.cache.set(started_key, now, self.duration)
            count = 1
        else:
            try:
                count = self.cache.incr(count_key)
            except ValueError:  # the window ended between the add and the increment
                self.cache.set(count_key, 1, self.duration)
                self.cache.set(started_key, now, self.duration)
                count = 1
        if count <= self.num_requests:
            return True
        started = self.cache.get(started_key, now)
        self.retry_after = max(started + self.duration - now, 1)
        return False

    def wait(self) -> float:
        return getattr(self, "retry_after", self.duration)

    def get_ident(self, request: Any) -> str:
        # One rule for the client's address, the sign-in lockouts' too (NUM_PROXIES).
        return client_address(request)


class AnonymousRateThrottle(SharedWindowCount, AnonRateThrottle):
    """Anonymous clients, by address: THROTTLE_ANON (default 120/minute)."""


class SignedInRateThrottle(SharedWindowCount, UserRateThrottle):
    """Signed-in clients, by user: THROTTLE_USER (default 1200/minute)."""
