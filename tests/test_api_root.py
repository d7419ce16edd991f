"""The browsable API root and the read endpoints answer anyone; writes need an editor."""

import pytest
from django.urls import reverse

from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db

RESOURCES = ["outlet", "article", "actor", "subject", "fact", "claim"]


def test_the_api_root_lists_every_resource(client):
    response = client.get("/api/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert set(response.json()) >= {"outlets", "articles", "actors", "subjects", "facts", "claims"}


def test_the_browsable_api_answers_a_browser(client):
    response = client.get("/api/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"Api Root" in response.content


@pytest.mark.parametrize("resource", RESOURCES)
def test_anyone_reads_every_resource(client, resource):
    ClaimFactory()
    response = client.get(reverse(f"{resource}-list"))
    assert response.status_code == 200
    assert len(response.json()) >= 1


@pytest.mark.parametrize("resource", RESOURCES)
def test_an_anonymous_client_cannot_write(client, resource):
    response = client.post(reverse(f"{resource}-list"), {}, content_type="application/json")
    assert response.status_code in (401, 403)


def test_a_signed_in_user_without_the_permission_cannot_write(client):
    client.force_login(UserFactory())
    response = client.post(reverse("outlet-list"), {"name": "X"}, content_type="application/json")
    assert response.status_code == 403


def test_the_documentation_pages_load_their_assets_from_the_app_not_a_cdn(client):
    for page in ("/api/docs/", "/api/redoc/"):
        response = client.get(page)
        assert response.status_code == 200
        html = response.content.decode()
        assert "/static/drf_spectacular_sidecar/" in html
        assert "cdn." not in html and "unpkg.com" not in html and "jsdelivr" not in html


def test_the_schema_is_served_as_openapi_3(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")
