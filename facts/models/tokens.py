"""API tokens as this site shows them: by their first characters, never in full."""

from rest_framework.authtoken.models import TokenProxy

# Enough to tell a user's tokens apart in a list; the rest (32 hex digits, 128 bits) still
# stands between a reader of the list and a working token.
TOKEN_PREFIX_LENGTH = 8


def token_prefix(key: str) -> str:
    """What a list shows of a token: its first characters and an ellipsis."""
    return f"{key[:TOKEN_PREFIX_LENGTH]}…"


class ApiToken(TokenProxy):
    """DRF's token (one a user, named by its user's id, as DRF's TokenProxy names it) whose
    text is its prefix: the admin writes str() into its pages, its messages and the log of
    actions, which would otherwise keep every token in full."""

    class Meta:
        proxy = True
        verbose_name = "API token"
        verbose_name_plural = "API tokens"

    def __str__(self) -> str:
        return token_prefix(self.key)
