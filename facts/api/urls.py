"""The REST API's routes."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from facts.api import jobs, sync, tokens, views

# What Redoc's page needs beyond the site's policy, on that page alone: styled-components
# writes Redoc's styles into <style> elements as it runs, with no way to give them a nonce;
# its search runs in a worker made from a blob; its footer shows Redocly's logo from their
# site. Scripts stay the site's own, and what Redoc shows is the schema, which React escapes.
REDOC_POLICY = {
    "style-src": [SELF, UNSAFE_INLINE],
    "worker-src": [SELF, "blob:"],
    "img-src": [SELF, "data:", "https://cdn.redoc.ly"],
}

router = DefaultRouter()
router.register("outlets", views.OutletViewSet)
router.register("articles", views.ArticleViewSet)
router.register("actors", views.ActorViewSet)
router.register("subjects", views.SubjectViewSet)
router.register("facts", views.FactViewSet)
router.register("claims", views.ClaimViewSet)
router.register("imports", jobs.ImportJobViewSet)
router.register("tokens", tokens.TokenViewSet, basename="token")

urlpatterns = [
    path("", include(router.urls)),
    path("changes/", sync.ChangesView.as_view(), name="changes"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file of its own (?script), and
    # these templates hold no inline style nor outside font: the pages run under the site's
    # Content-Security-Policy as they are.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
    path(
        "redoc/",
        csp_replace(REDOC_POLICY)(
            SpectacularRedocView.as_view(url_name="schema", template_name="api/redoc.html")
        ),
        name="redoc",
    ),
]
