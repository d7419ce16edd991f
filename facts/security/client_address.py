"""The client's address, read the one way the throttles and the sign-in lockouts read it."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address of the client, trusting exactly NUM_PROXIES proxies in front of the server.

    With no proxy (NUM_PROXIES=0, the default) it is the socket's address: X-Forwarded-For is
    then whatever the client wrote, and a lockout or throttle keyed on it would be a lockout of
    nobody. With n trusted proxies it is the address the outermost of them saw: the n-th entry
    from the right of X-Forwarded-For (each proxy appends the address it was called from);
    anything left of it is the client's own say."""
    socket_address = str(request.META.get("REMOTE_ADDR", ""))
    proxies = int(getattr(settings, "NUM_PROXIES", 0))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies == 0 or not forwarded:
        return socket_address
    addresses = [address.strip() for address in str(forwarded).split(",")]
    return addresses[-min(proxies, len(addresses))] or socket_address
