"""The REST API's routes."""

from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)
from rest_framework.routers import DefaultRouter

from facts.api import jobs, sync, views

router = DefaultRouter()
router.register("outlets", views.OutletViewSet)
router.register("articles", views.ArticleViewSet)
router.register("actors", views.ActorViewSet)
router.register("subjects", views.SubjectViewSet)
router.register("facts", views.FactViewSet)
router.register("claims", views.ClaimViewSet)
router.register("imports", jobs.ImportJobViewSet)

urlpatterns = [
    path("", include(router.urls)),
    path("changes/", sync.ChangesView.as_view(), name="changes"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
]
