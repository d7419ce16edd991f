"""The admin's API tokens: listed by their prefix; a new one shown in full once, on the page
that made it, and never again (not in the list, the messages, nor the log of actions)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from facts.models import ApiToken
from facts.services import tokens as token_services

# DRF's own admin lists every token in full.
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)


@admin.register(ApiToken)
class ApiTokenAdmin(TokenAdmin):
    list_display = ("prefix", "user", "created")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)

    @admin.display(description="Token")
    def prefix(self, token: ApiToken) -> str:
        return str(token)

    def response_add(
        self, request: HttpRequest, obj: ApiToken, post_url_continue: str | None = None
    ) -> HttpResponse:
        """The new token in full, once: copied now, or revoked and made again."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "API token made",
            "token": obj,
        }
        return TemplateResponse(request, "admin/facts/apitoken/made.html", context)

    def delete_model(self, request: HttpRequest, obj: ApiToken) -> None:
        token_services.revoke_token(token=obj, by=request.user)
