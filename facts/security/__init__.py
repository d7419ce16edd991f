"""What guards the doors: the client's address behind trusted proxies, the sign-in lockout's
page, and API tokens (their throttle on failures, their listing and revoking)."""
