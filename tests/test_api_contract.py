"""The API's contract with clients: separate request and response bodies, strict requests, and
every error an RFC 9457 problem detail, as the schema says (issue 12)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from facts.models import Claim, Outlet
from tests.factories import ArticleFactory, FactFactory, OutletFactory
from tests.problems import detail_of, field_errors, is_problem

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(tmp_path_factory, django_db_blocker) -> dict:
    import yaml

    path = tmp_path_factory.mktemp("schema") / "schema.yml"
    with django_db_blocker.unblock():
        call_command("spectacular", "--file", str(path))
    return yaml.safe_load(path.read_text())


def post(client, url: str, body: object):
    return client.post(url, body, content_type="application/json")


# Request bodies -----------------------------------------------------------------------------


def test_a_claims_request_body_asks_only_what_a_person_gives(schema):
    body = schema["paths"]["/api/claims/"]["post"]["requestBody"]["content"]["application/json"]
    component = schema["components"]["schemas"][body["schema"]["$ref"].split("/")[-1]]
    assert sorted(component["required"]) == ["article", "fact", "wording"]
    for given_by_the_server in ("id", "version", "created_at", "updated_at", "lower", "upper"):
        assert given_by_the_server not in component["properties"]


def test_a_claim_is_created_from_its_fact_article_and_wording_alone(editor_client):
    article = ArticleFactory(text="Russia has sent some 30,000 troops to Belarus.")
    fact = FactFactory()
    body = {"fact": fact.id, "article": article.id, "wording": "some 30,000 troops"}
    body |= {"number": 30000, "hedge": "some"}
    response = post(editor_client, "/api/claims/", body)
    assert response.status_code == 201, response.content
    claim = Claim.objects.get()
    assert response["Location"] == f"http://testserver/api/claims/{claim.id}/"
    assert response["ETag"] == f'"{claim.id}-1"'
    assert (claim.start, claim.bound) == (16, "approximate")


# Strict requests ----------------------------------------------------------------------------


def test_an_unknown_filter_is_a_400_naming_it(client):
    response = client.get("/api/facts/", {"subjekt": "x"})
    assert response.status_code == 400
    message = field_errors(response)["subjekt"][0]
    assert message.startswith("Unknown query parameter. This operation takes:")
    assert "subject" in message


def test_a_filter_of_lists_is_refused_on_a_single_row(client):
    outlet = OutletFactory()
    response = client.get(f"/api/outlets/{outlet.id}/", {"kind": "wire"})
    assert response.status_code == 400
    assert field_errors(response) == {
        "kind": ["Unknown query parameter. This operation takes: format."]
    }


def test_every_parameter_the_schema_declares_is_taken(client, schema):
    """No declared parameter is refused as unknown (the check and the schema read one list)."""
    outlet, fact = OutletFactory(slug="bbc"), FactFactory()
    for path, operations in schema["paths"].items():
        if "get" not in operations or path.startswith("/api/schema"):
            continue
        url = path.replace("{id}", str(fact.id if "/facts/" in path else outlet.id))
        for parameter in operations["get"].get("parameters", []):
            if parameter["in"] != "query":
                continue
            response = client.get(url, {parameter["name"]: "x"})
            errors = field_errors(response) if response.status_code == 400 else {}
            message = " ".join(errors.get(parameter["name"], []))
            assert "Unknown query parameter" not in message, (path, parameter["name"])


def test_an_unknown_body_field_is_a_400_naming_it_and_nothing_is_saved(editor_client):
    response = post(editor_client, "/api/outlets/", {"name": "Kyiv Post", "colour": "blue"})
    assert response.status_code == 400
    assert field_errors(response)["colour"][0].startswith("Unknown field. The fields are: slug")
    assert not Outlet.objects.exists()


def test_a_name_sent_as_a_number_is_refused_not_coerced(editor_client):
    response = post(editor_client, "/api/outlets/", {"name": 123})
    assert response.status_code == 400
    assert field_errors(response) == {"name": ["Expected text, got a number."]}
    assert not Outlet.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("number", "30000", "Expected a number, got text."),
        ("undisclosed", 1, "Expected true or false, got a number."),
        ("start", "12", "Expected a whole number, got text."),
        ("fact", True, "Expected an id (a whole number), got true or false."),
        ("wording", ["some", "troops"], "Expected text, got a list."),
    ],
)
def test_a_claim_field_of_the_wrong_json_type_is_refused(editor_client, field, value, message):
    article = ArticleFactory(text="some 30,000 troops")
    body = {"fact": FactFactory().id, "article": article.id, "wording": "some 30,000 troops"}
    response = post(editor_client, "/api/claims/", {**body, field: value})
    assert response.status_code == 400
    assert field_errors(response)[field] == [message]


def test_an_alias_that_is_not_text_is_refused_by_its_place(editor_client):
    response = post(
        editor_client, "/api/actors/", {"name": "Kremlin", "kind": "government", "aliases": [1]}
    )
    assert field_errors(response) == {"aliases": ["Item [0]: Expected text, got a number."]}


def test_a_name_in_cyrillic_gets_a_transliterated_slug(editor_client):
    response = post(editor_client, "/api/outlets/", {"name": "Белсат"})
    assert response.status_code == 201, response.content
    assert response.json()["slug"] == "belsat"


def test_a_name_with_nothing_to_make_a_slug_from_asks_for_one(editor_client):
    response = post(editor_client, "/api/outlets/", {"name": "!!!"})
    assert response.status_code == 400
    assert field_errors(response) == {
        "slug": ["Give a slug: nothing in the name can make one (letters or digits)."]
    }


def test_a_rule_of_the_whole_claim_is_reported_under_non_field_errors(editor_client):
    article = ArticleFactory(text="Russia has sent some 30,000 troops to Belarus.")
    body = {"fact": FactFactory().id, "article": article.id, "wording": "words not in it"}
    response = post(editor_client, "/api/claims/", {**body, "number": 4})
    errors = field_errors(response)
    assert "__all__" not in errors
    assert errors["non_field_errors"]


def test_an_unknown_format_is_a_400_listing_the_formats(client):
    response = client.get("/api/claims/", {"format": "xml"})
    assert response.status_code == 400
    assert field_errors(response)["format"] == [
        "No format 'xml' here: choose json, api, csv, or leave it out."
    ]


# Problem details ----------------------------------------------------------------------------


def test_a_validation_error_is_a_problem_detail_with_a_field_map(editor_client):
    response = post(editor_client, "/api/outlets/", {"name": "", "kind": "pamphlet"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body == {
        "type": "about:blank",
        "title": "Bad Request",
        "status": 400,
        "detail": "The request is not valid in 2 places: see kind, name.",
        "code": "invalid",
        "instance": "/api/outlets/",
        "errors": {
            "name": ["This field may not be blank."],
            "kind": ['"pamphlet" is not a valid choice.'],
        },
    }


@pytest.mark.parametrize(
    ("method", "url", "status", "code"),
    [
        ("get", "/api/claims/999/", 404, "not_found"),
        ("get", "/api/nothing-here/", 404, "not_found"),
        ("post", "/api/outlets/", 401, "not_authenticated"),
    ],
)
def test_every_error_is_a_problem_detail(client, method, url, status, code):
    response = getattr(client, method)(url)
    assert response.status_code == status
    assert is_problem(response)
    assert response.json()["code"] == code
    assert detail_of(response)


def test_a_method_a_path_does_not_take_is_a_405_problem_detail(editor_client):
    response = editor_client.delete("/api/outlets/")
    assert response.status_code == 405
    assert is_problem(response)
    assert response.json()["code"] == "method_not_allowed"


def test_a_stale_write_is_a_412_problem_detail(editor_client):
    outlet = OutletFactory()
    response = editor_client.patch(
        f"/api/outlets/{outlet.id}/",
        {"name": "Renamed"},
        content_type="application/json",
        headers={"If-Match": f'"{outlet.id}-0"'},
    )
    assert response.status_code == 412
    assert response.json()["code"] == "precondition_failed"


# What the schema promises -------------------------------------------------------------------


def test_every_operation_documents_its_errors_as_problem_details(schema):
    for path, operations in schema["paths"].items():
        if path.startswith("/api/schema") or path.startswith("/api/docs"):
            continue
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"400", "429"} <= codes, (method, path)
            if "{id}" in path:
                assert "404" in codes, (method, path)
            if method in ("post", "put", "patch", "delete"):
                assert {"401", "403"} <= codes, (method, path)
            # A record's writes need If-Match; revoking a token (no version, nothing to lose
            # by a concurrent change) does not.
            if method in ("put", "patch", "delete") and not path.startswith("/api/tokens/"):
                assert {"412", "428"} <= codes, (method, path)
            for code in codes - {"200", "201", "202", "204", "304"}:
                content = operation["responses"][code]["content"]
                assert list(content) == ["application/problem+json"], (method, path, code)


def test_the_etag_and_location_headers_are_documented(schema):
    create = schema["paths"]["/api/claims/"]["post"]["responses"]["201"]["headers"]
    assert set(create) == {"ETag", "Location"}
    read = schema["paths"]["/api/claims/{id}/"]["get"]["responses"]["200"]["headers"]
    assert set(read) == {"ETag"}
    update = schema["paths"]["/api/claims/{id}/"]["patch"]["responses"]["200"]["headers"]
    assert set(update) == {"ETag"}


def test_reads_are_declared_open_to_anyone_and_writes_not(schema):
    claims = schema["paths"]["/api/claims/"]
    assert {} in claims["get"]["security"]
    assert {} not in claims["post"]["security"]
    assert {} in schema["paths"]["/api/facts/{id}/comparison/"]["get"]["security"]
