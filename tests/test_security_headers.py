"""Security headers (issue 15, item 5): a strict Content-Security-Policy on every page (no
inline script, no inline style, nothing from elsewhere), Referrer-Policy, Permissions-Policy,
and HSTS without preload unless asked for."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.test_settings import manage

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def policy(response) -> dict[str, set[str]]:
    """The Content-Security-Policy header as its directives, each with its sources."""
    header = response["Content-Security-Policy"]
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: set(sources) for name, *sources in directives}


STRICT = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "font-src": {"'self'", "data:"},
    "connect-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'none'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    return client


def assert_guarded(response) -> None:
    assert policy(response) == STRICT
    assert response["Referrer-Policy"] == "same-origin"
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions


def test_the_admin_login_page_has_a_strict_policy_and_the_other_headers(client):
    assert_guarded(client.get(reverse("admin:login")))


def test_an_admin_page_has_a_strict_policy_and_the_other_headers(admin_client):
    response = admin_client.get(reverse("admin:facts_article_changelist"))
    assert response.status_code == 200
    assert_guarded(response)


def test_an_api_answer_has_a_strict_policy_and_the_other_headers(client):
    response = client.get("/api/facts/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert_guarded(response)


def test_an_api_error_has_the_policy_too(client):
    response = client.post("/api/facts/", {}, content_type="application/json")
    assert response.status_code == 401
    assert_guarded(response)


def test_the_browsable_api_allows_style_attributes_and_nothing_else_inline(client):
    response = client.get("/api/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert policy(response) == {**STRICT, "style-src-attr": {"'unsafe-inline'"}}
    html = response.content.decode()
    assert "<style" not in html  # Pygments' CSS is left out, not allowed
    assert not re.search(r"<script(?![^>]*\b(src|type=\"application/json\"))[^>]*>", html)


def test_the_swagger_page_runs_its_start_up_script_from_a_file(client):
    response = client.get("/api/docs/")
    assert policy(response) == STRICT
    html = response.content.decode()
    assert "<style" not in html
    assert re.findall(r"<script[^>]*>", html) == [
        '<script src="/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js">',
        '<script src="/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-standalone-preset.js">',
        '<script src="/api/docs/?script=">',
    ]
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_the_redoc_page_alone_allows_what_redoc_needs_and_no_inline_script(client):
    response = client.get("/api/redoc/")
    assert policy(response) == {
        **STRICT,
        "style-src": {"'self'", "'unsafe-inline'"},
        "worker-src": {"'self'", "blob:"},
        "img-src": {"'self'", "data:", "https://cdn.redoc.ly"},
    }
    assert re.findall(r"<script[^>]*>", response.content.decode()) == [
        '<script src="/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js">'
    ]


TEMPLATES = sorted((ROOT / "facts" / "templates").rglob("*.html")) + sorted(
    (ROOT / "factsite" / "templates").rglob("*.html")
)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_our_templates_hold_no_inline_script_style_or_event_handler(template):
    text = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)", text)
    assert "<style" not in text
    assert not re.search(r"\sstyle=", text)
    assert not re.search(r"\son[a-z]+=", text)


def test_the_admin_code_writes_no_style_attribute():
    for module in (ROOT / "facts" / "workspace").glob("*.py"):
        assert "style=" not in module.read_text(), module.name


def test_hsts_is_sent_over_https_without_preload_by_default(client, settings):
    # As HTTPS=1 sets them, whatever the tests run with; SECURE_HSTS_PRELOAD as it loaded.
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/api/", HTTP_ACCEPT="application/json", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def print_setting(name: str, **env: str) -> str:
    result = manage(
        "shell", "-c", f"from django.conf import settings; print(settings.{name})", **env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_hsts_preload_is_off_by_default_even_over_https():
    assert print_setting("SECURE_HSTS_PRELOAD", HTTPS="1") == "False"


def test_hsts_preload_is_on_when_asked_for():
    assert print_setting("SECURE_HSTS_PRELOAD", HTTPS="1", SECURE_HSTS_PRELOAD="1") == "True"
