"""API tokens: the token authentication, with its failures throttled per client address.

DRF authenticates before it throttles, so a wrong token is answered 401 before any throttle
counts it: without this, an address could try tokens as fast as it can send them (an oracle
that says which key is right). Here each wrong token counts against TOKEN_FAILURE_RATE for the
client's address (facts.security.client_address, the throttles' rule), and an address past
the rate gets 429 for every token it sends, right or wrong, until the window has passed, so
that a guess that happens to be right cannot be told from one that is wrong."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.throttling import SimpleRateThrottle

from facts.security.client_address import client_address


class TokenFailureThrottle(SimpleRateThrottle):
    """Wrong tokens sent from one client address, in the default (shared) cache."""

    scope = "token_failures"

    def get_rate(self) -> str:
        return str(settings.TOKEN_FAILURE_RATE)

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}

    def exhausted(self, request: Any) -> bool:
        """Whether this address has used up its wrong tokens; counts nothing."""
        self.key = self.get_cache_key(request, None)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        return len(self.history) >= self.num_requests

    def count_failure(self) -> None:
        """Count one wrong token for the address `exhausted` looked at."""
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)


class ThrottledTokenAuthentication(TokenAuthentication):
    """DRF's token authentication (`Authorization: Token <key>`), refusing an address that has
    sent too many wrong tokens (the module's docstring says why)."""

    def authenticate(self, request: Any) -> Any:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        throttle = TokenFailureThrottle()
        if throttle.exhausted(request):
            raise Throttled(wait=throttle.wait())
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            throttle.count_failure()
            raise
