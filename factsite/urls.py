"""Factsite's URLs: the admin, the API and its documentation."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from facts.workspace.curation import curation_rules
from factsite.health import HealthView, WebHealthView

urlpatterns = [
    path("", RedirectView.as_view(url="/api/", permanent=False)),
    path(
        "admin/curation-rules/",
        admin.site.admin_view(curation_rules),
        name="curation-rules",
    ),
    path("admin/", admin.site.urls),
    path("api/", include("facts.api.urls")),
    # Public: see factsite/health.py for what each tells.
    path("healthz", HealthView.as_view(), name="healthz"),
    path("healthz/web", WebHealthView.as_view(), name="healthz-web"),
]

handler404 = "facts.api.middleware.api_not_found"
handler500 = "facts.api.middleware.api_server_error"
