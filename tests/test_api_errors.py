"""Errors are JSON with a message (on the field where there is one), with the status code that
fits them; odd input never gets a 500."""

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from facts.models import Outlet
from tests.factories import (
    ActorFactory,
    ArticleFactory,
    ClaimFactory,
    FactFactory,
    OutletFactory,
    SubjectFactory,
    UserFactory,
)
from tests.problems import detail_of, field_errors, is_problem

pytestmark = pytest.mark.django_db

FACTORIES = {
    "outlets": OutletFactory,
    "articles": ArticleFactory,
    "actors": ActorFactory,
    "subjects": SubjectFactory,
    "facts": FactFactory,
    "claims": ClaimFactory,
}

# Paths the router refuses: ids that are no row number.
ODD_PATHS = [
    "/api/claims/99999999999999999999/",
    "/api/claims/-1/",
    "/api/outlets/%C3%BC/",
    "/api/outlets/1%00/",
    "/api/facts/99999999999999999999/comparison/",
    "/api/subjects/-5/facts/",
]
# Query strings the views refuse.
ODD_QUERIES = [
    "/api/claims/0/",
    "/api/claims/?q=%00",
    "/api/claims/?outlet=%00",
    "/api/claims/?actor=%00",
    "/api/facts/?outlet=%00",
    "/api/changes/?since=%00",
    "/api/changes/?since=2022-01-01T00:00:00Z&model=%00",
    "/api/changes/?cursor=%00%00%00%00",
    "/api/outlets/{outlet}/agreement/?with=%00",
    "/api/claims/?page_size=%00",
    "/api/claims/?fact=1e400",
    "/api/claims/?value_min=1e400",
    "/api/claims/?value_max=-inf",
    "/api/claims/?as_of_after=%C2%B2%C2%B2%C2%B2%C2%B2-01-01",
    "/api/claims/?cursor=not-base64",
    "/api/facts/disputed/?type=%00",
    "/api/facts/{fact}/comparison/?include_drafts=%00",
    "/api/claims/?format=xml",
]


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()


@pytest.fixture
def editor_client(client):
    user = UserFactory()
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="facts"))
    client.force_login(user)
    return client


# 400 ---------------------------------------------------------------------------------------


def test_a_body_that_is_not_json_is_a_400_with_a_message(editor_client):
    response = editor_client.post(
        "/api/outlets/", '{"name": "Unclosed', content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON" in detail_of(response)


def test_a_body_in_another_encoding_is_a_400(editor_client):
    response = editor_client.post(
        "/api/outlets/", b'{"name": "\xff\xfe"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert is_problem(response)


@pytest.mark.parametrize("body", ["[]", '"an outlet"', "42", "null"])
def test_a_body_that_is_not_an_object_is_a_400(editor_client, body):
    response = editor_client.post("/api/outlets/", body, content_type="application/json")
    assert response.status_code == 400
    assert is_problem(response)
    assert field_errors(response)["non_field_errors"]


def test_invalid_fields_are_a_400_with_a_message_on_each_field(editor_client):
    response = editor_client.post(
        "/api/outlets/",
        {"name": "", "slug": "not a slug!", "kind": "pamphlet", "country": "USA"},
        content_type="application/json",
    )
    assert response.status_code == 400
    errors = field_errors(response)
    for field in ("name", "slug", "kind", "country"):
        assert errors[field] and all(isinstance(m, str) for m in errors[field]), field


def test_a_model_validation_error_is_a_400_on_its_field(editor_client):
    claim = ClaimFactory()
    url = f"/api/claims/{claim.id}/"
    tag = editor_client.get(url)["ETag"]
    response = editor_client.patch(
        url, {"category": "none stay"}, content_type="application/json", headers={"If-Match": tag}
    )
    assert response.status_code == 400
    assert field_errors(response)["category"]


def test_a_bad_filter_value_is_a_400_on_the_field(client):
    response = client.get("/api/claims/", {"as_of_after": "not a date"})
    assert response.status_code == 400
    assert field_errors(response)["as_of_after"]


def test_a_null_character_in_a_body_is_a_400_on_the_field(editor_client):
    response = editor_client.post(
        "/api/outlets/", {"name": "Bad\x00Name"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert field_errors(response)["name"]


# 404 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", list(FACTORIES))
def test_an_unknown_id_is_a_json_404(client, resource):
    row = FACTORIES[resource]()
    response = client.get(f"/api/{resource}/{row.id + 1000}/")
    assert response.status_code == 404
    assert detail_of(response)


@pytest.mark.parametrize(
    "url",
    [
        "/api/facts/{id}/comparison/",
        "/api/outlets/{id}/record/",
        "/api/outlets/{id}/agreement/?with=x",
        "/api/subjects/{id}/facts/",
    ],
)
def test_a_cross_source_view_of_an_unknown_id_is_a_json_404(client, url):
    response = client.get(url.format(id=987654))
    assert response.status_code == 404
    assert detail_of(response)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_write_to_an_unknown_id_is_a_json_404(editor_client, method):
    response = getattr(editor_client, method)(
        "/api/outlets/987654/", {}, content_type="application/json", headers={"If-Match": "*"}
    )
    assert response.status_code == 404
    assert detail_of(response)


@pytest.mark.parametrize("url", ["/api/outlets/abc/", *ODD_PATHS])
def test_an_id_that_is_not_a_row_number_is_a_json_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert detail_of(response)


# 405 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", list(FACTORIES))
def test_delete_on_a_list_is_a_405(editor_client, resource):
    response = editor_client.delete(f"/api/{resource}/")
    assert response.status_code == 405
    assert "DELETE" in detail_of(response)
    assert "GET" in response["Allow"]


def test_a_write_to_a_read_only_view_is_a_405(editor_client):
    fact = FactFactory()
    response = editor_client.post(f"/api/facts/{fact.id}/comparison/", {})
    assert response.status_code == 405
    assert detail_of(response)
    response = editor_client.put("/api/changes/", {}, content_type="application/json")
    assert response.status_code == 405
    assert detail_of(response)


def test_a_post_to_the_changes_feed_is_a_405_for_anyone(client):
    response = client.post("/api/changes/", {}, content_type="application/json")
    assert response.status_code == 405
    assert detail_of(response)


# 413 ---------------------------------------------------------------------------------------


@pytest.fixture
def small_bodies(settings):
    settings.API_MAX_BODY_BYTES = 200
    return settings.API_MAX_BODY_BYTES


def test_a_body_over_the_limit_is_a_413(editor_client, small_bodies):
    body = {"name": "x" * small_bodies, "slug": "big"}
    response = editor_client.post("/api/outlets/", body, content_type="application/json")
    assert response.status_code == 413
    assert "larger than" in detail_of(response)
    assert not Outlet.objects.exists()


def test_a_body_at_the_limit_is_read(editor_client, small_bodies):
    body = '{"name": "Fits", "slug": "fits"}'.ljust(small_bodies)
    response = editor_client.post("/api/outlets/", body, content_type="application/json")
    assert response.status_code == 201, response.content


def test_a_content_length_over_the_limit_is_a_413_before_the_body_is_read(client, small_bodies):
    response = client.post(
        "/api/outlets/",
        '{"name": "x"}',
        content_type="application/json",
        CONTENT_LENGTH=str(10 * small_bodies),
    )
    assert response.status_code == 413
    assert detail_of(response)


def test_an_update_over_the_limit_is_a_413(editor_client, small_bodies):
    outlet = OutletFactory()
    url = f"/api/outlets/{outlet.id}/"
    tag = editor_client.get(url)["ETag"]
    response = editor_client.patch(
        url,
        {"domain": "x" * small_bodies},
        content_type="application/json",
        headers={"If-Match": tag},
    )
    assert response.status_code == 413
    outlet.refresh_from_db()
    assert outlet.version == 1


def test_a_content_length_that_is_not_a_number_is_a_400(client):
    response = client.post(
        "/api/outlets/", "{}", content_type="application/json", CONTENT_LENGTH="lots"
    )
    assert response.status_code == 400
    assert detail_of(response)


# 415 and 406 -------------------------------------------------------------------------------


def test_a_form_encoded_body_is_a_415(editor_client):
    response = editor_client.post(
        "/api/outlets/",
        "name=Form&slug=form",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 415
    assert "application/x-www-form-urlencoded" in detail_of(response)
    assert not Outlet.objects.exists()


def test_a_multipart_body_is_a_415(editor_client):
    response = editor_client.post("/api/outlets/", {"name": "Multipart", "slug": "multipart"})
    assert response.status_code == 415
    assert detail_of(response)


def test_an_xml_body_is_a_415(editor_client):
    response = editor_client.post(
        "/api/outlets/", "<outlet><name>XML</name></outlet>", content_type="application/xml"
    )
    assert response.status_code == 415
    assert detail_of(response)


def test_asking_for_a_format_the_api_does_not_speak_is_a_4xx(client):
    OutletFactory()
    response = client.get("/api/outlets/", headers={"Accept": "application/xml"})
    assert response.status_code == 406
    assert detail_of(response)


# 429 ---------------------------------------------------------------------------------------


def test_too_many_anonymous_requests_are_a_429_with_when_to_retry(client, monkeypatch):
    # DRF reads the rates into the throttle classes at import: override them there.
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": None})
    cache.clear()
    for _ in range(3):
        assert client.get("/api/outlets/").status_code == 200
    response = client.get("/api/outlets/")
    assert response.status_code == 429
    assert detail_of(response).startswith("Too many requests: retry in ")
    assert 0 < int(response["Retry-After"]) <= 60


def test_the_anonymous_throttle_counts_every_endpoint(client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute", "user": None})
    cache.clear()
    assert client.get("/api/outlets/").status_code == 200
    assert client.get("/api/changes/?since=2022-01-01T00:00:00Z").status_code == 200
    assert client.get("/api/facts/").status_code == 429


def test_too_many_requests_of_a_signed_in_user_are_a_429(client, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"anon": None, "user": "2/minute"})
    cache.clear()
    client.force_login(UserFactory())
    assert client.get("/api/outlets/").status_code == 200
    assert client.get("/api/outlets/").status_code == 200
    response = client.get("/api/outlets/")
    assert response.status_code == 429
    assert detail_of(response)


def test_a_signed_in_user_is_not_held_to_the_anonymous_rate(client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "1/minute", "user": None})
    cache.clear()
    client.force_login(UserFactory())
    for _ in range(3):
        assert client.get("/api/outlets/").status_code == 200


# 409 ---------------------------------------------------------------------------------------


def test_deleting_a_row_still_referred_to_is_a_409_naming_what_refers_to_it(editor_client):
    claim = ClaimFactory()
    for url, referrers in [
        (f"/api/outlets/{claim.article.outlet_id}/", "articles"),
        (f"/api/articles/{claim.article_id}/", "claims"),
        (f"/api/facts/{claim.fact_id}/", "claims"),
        (f"/api/subjects/{claim.fact.subject_id}/", "facts"),
        (f"/api/actors/{claim.actor_id}/", "claims"),
    ]:
        tag = editor_client.get(url)["ETag"]
        response = editor_client.delete(url, headers={"If-Match": tag})
        assert response.status_code == 409, url
        assert referrers in detail_of(response), url
        assert editor_client.get(url).status_code == 200


def test_deleting_an_actor_with_members_is_a_409(editor_client):
    top = ActorFactory()
    ActorFactory(parent=top)
    url = f"/api/actors/{top.id}/"
    response = editor_client.delete(url, headers={"If-Match": editor_client.get(url)["ETag"]})
    assert response.status_code == 409
    assert detail_of(response)


def test_a_unique_conflict_that_slips_past_validation_is_a_409(editor_client, monkeypatch):
    """Another editor stores the same name between this request's validation and its save."""
    validate = Outlet.full_clean

    def racing(self, *args, **kwargs):
        validate(self, *args, **kwargs)
        if self.slug != "the-other-editors":
            Outlet.objects.create(name=self.name, slug="the-other-editors")

    monkeypatch.setattr(Outlet, "full_clean", racing)
    response = editor_client.post(
        "/api/outlets/", {"name": "Raced", "slug": "raced"}, content_type="application/json"
    )
    assert response.status_code == 409
    assert detail_of(response)
    # Nothing of this request is stored (the other editor's row, made inside this test's one
    # connection, rolls back with it).
    assert not Outlet.objects.filter(slug="raced").exists()


# 412 and 428 -------------------------------------------------------------------------------


def test_a_stale_if_match_gets_412(editor_client):
    outlet = OutletFactory()
    url = f"/api/outlets/{outlet.id}/"
    response = editor_client.patch(
        url, {"name": "Stale"}, content_type="application/json", headers={"If-Match": '"1-0"'}
    )
    assert response.status_code == 412
    assert "changed" in detail_of(response)


def test_a_missing_if_match_gets_428(editor_client):
    outlet = OutletFactory()
    response = editor_client.delete(f"/api/outlets/{outlet.id}/")
    assert response.status_code == 428
    assert "If-Match" in detail_of(response)


# Odd input ---------------------------------------------------------------------------------


def odd_url(url: str) -> str:
    claim = ClaimFactory()
    return url.format(outlet=claim.article.outlet_id, fact=claim.fact_id)


@pytest.mark.parametrize("url", ODD_PATHS + ODD_QUERIES)
def test_an_odd_request_answers_4xx(client, url):
    response = client.get(odd_url(url))
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:200])


ODD_BUT_FINE_GETS = [
    "/api/claims/?outlet=%C3%BCnicode-%E2%80%AE",
    "/api/claims/?outlet=%C2%B2",
    "/api/claims/?article=%C2%B2",
    "/api/claims/?subject=%C2%B2",
    "/api/claims/?actor=%C2%B2",
    "/api/facts/?outlet=%C2%B2",
    "/api/facts/?subject=%C2%B2",
    "/api/articles/?outlet=%C2%B2",
    "/api/actors/?parent=%C2%B2",
    "/api/claims/?outlet=99999999999999999999",
    "/api/claims/?actor=99999999999999999999",
    "/api/claims/?q=%F0%9F%92%A5%20%5B%28",
    "/api/claims/?q=" + "%C3%A9" * 200,
]


@pytest.mark.parametrize("url", ODD_BUT_FINE_GETS)
def test_an_odd_but_harmless_filter_finds_nothing_or_is_refused_never_a_500(client, url):
    ClaimFactory()
    response = client.get(url)
    assert response.status_code in (200, 400), (response.status_code, response.content[:200])
    assert is_problem(response) or response.status_code == 200
    if response.status_code == 200:
        assert response.json()["results"] == []


@pytest.mark.parametrize(
    ("ordering", "named"),
    [
        ("%00", "'\\x00'"),
        ("-%00", "'-\\x00'"),
        ("nope", "'nope'"),
        ("-id,%C2%B2", "'\u00b2'"),
        ("as_of,", "an empty part"),
        ("", "an empty part"),
        ("as_of,-as_of", "'as_of' is given twice"),
    ],
)
def test_an_odd_ordering_is_a_400_on_ordering_naming_it(client, ordering, named):
    ClaimFactory.create_batch(2)
    response = client.get(f"/api/claims/?ordering={ordering}")
    assert response.status_code == 400
    (message,) = field_errors(response)["ordering"]
    assert named in message


@pytest.mark.parametrize("other", ["%C2%B2", "%D9%A1%D9%A1"])
def test_an_agreement_with_an_odd_outlet_key_is_a_400_on_with(client, other):
    outlet = OutletFactory()
    response = client.get(f"/api/outlets/{outlet.id}/agreement/?with={other}")
    assert response.status_code == 400, (response.status_code, response.content[:200])
    assert field_errors(response)["with"]


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 50_000 + "1" + "}" * 50_000,
        '{"name": 1' + "0" * 5000 + "}",
        '{"name": NaN, "slug": "nan"}',
        '{"name": {"nested": {"deeper": [1, 2, {"x": null}]}}, "slug": "nested"}',
    ],
    ids=["deep-array", "deep-object", "huge-number", "nan", "object-for-string"],
)
def test_an_odd_json_body_is_a_400(editor_client, body):
    response = editor_client.post("/api/outlets/", body, content_type="application/json")
    assert response.status_code == 400, (response.status_code, response.content[:200])
    assert is_problem(response)
    assert not Outlet.objects.exists()


@pytest.mark.parametrize("url", ODD_QUERIES)
def test_an_odd_query_is_answered_in_json(client, url):
    response = client.get(odd_url(url))
    assert response.status_code < 500
    assert is_problem(response), (url, response.status_code, response["Content-Type"])
