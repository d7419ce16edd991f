"""API tokens: revoking one, by its owner or by an admin. A token is logged by its prefix,
never in full (facts.models.tokens)."""

from __future__ import annotations

import logging

from django.contrib.auth.models import AbstractBaseUser
from rest_framework.authtoken.models import Token

from facts.models.tokens import token_prefix

log = logging.getLogger(__name__)


def revoke_token(*, token: Token, by: AbstractBaseUser) -> None:
    """Delete the token: the next request that sends it is refused (401). The caller has
    checked that they may: its owner, or whoever may delete tokens (an admin)."""
    prefix = token_prefix(token.key)
    owner = token.user_id
    token.delete()
    log.info("API token %s of user %s revoked by user %s", prefix, owner, by.pk)
