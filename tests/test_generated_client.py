"""A client generated from the schema with openapi-python-client, as a client team makes one,
creates, reads, updates (with If-Match) and deletes a claim, reads a comparison and walks a
cursor against a live server; and every model it gets is typed (issue 12)."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from tests.factories import ArticleFactory, ClaimFactory, FactFactory, UserFactory

PACKAGE = "factsite_api_client"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")
# The generator's releases for Python 3.10 need python-dateutil<3, which the runtime pins at
# 3.0.0: requirements-dev.txt installs it on 3.11 and newer, where CI runs.
pytestmark = pytest.mark.skipif(
    not GENERATOR.exists(), reason="openapi-python-client is installed on Python 3.11 and newer"
)
attrs = pytest.importorskip("attrs")
# The live server's middleware was set up with production's redirect to HTTPS: requests say
# they came through a TLS proxy, as they do in production.
# (Each client gets its own copy: the generated client adds its token to the dict it is given.)
BEHIND_TLS = {"X-Forwarded-Proto": "https"}


@pytest.fixture(scope="module")
def generated(tmp_path_factory, django_db_blocker):
    """The client package, generated from the schema the API serves."""
    folder = tmp_path_factory.mktemp("client")
    schema = folder / "schema.json"
    with django_db_blocker.unblock():
        call_command("spectacular", "--format", "openapi-json", "--file", str(schema))
    config = folder / "config.yml"
    # No post hooks: the generator would run ruff over the code it wrote, which adds nothing
    # to what is tested here.
    config.write_text("post_hooks: []\n")
    subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(schema),
            "--config",
            str(config),
            "--meta",
            "none",
            "--output-path",
            str(folder / PACKAGE),
        ],
        check=True,
        capture_output=True,
    )
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.startswith(PACKAGE)]:
            del sys.modules[name]


def module(name: str):
    return importlib.import_module(f"{PACKAGE}.{name}")


def test_every_model_the_client_gets_is_typed(generated):
    models = module("models")
    untyped = [
        name
        for name, cls in inspect.getmembers(models, inspect.isclass)
        if attrs.has(cls)
        and not [field for field in attrs.fields(cls) if field.name != "additional_properties"]
        # A map is typed when its values are (field messages, {narrower: broader}).
        and "Any" in str(inspect.get_annotations(cls)["additional_properties"])
    ]
    assert untyped == []


def test_the_client_types_what_the_verdicts_hold(generated):
    models = module("models")
    assert {member.value for member in models.VerdictEnum} >= {
        "agreed",
        "value_conflict",
        "attribution_split",
        "outlier",
        "contested",
    }
    assert "value_kind" in {field.name for field in attrs.fields(models.QuantityInterval)}
    assert "value_kind" in {field.name for field in attrs.fields(models.DateInterval)}


@pytest.mark.django_db(transaction=True)
def test_a_generated_client_creates_reads_updates_and_deletes_a_claim(generated, live_server):
    models = module("models")
    create = module("api.claims.claims_create")
    retrieve = module("api.claims.claims_retrieve")
    update = module("api.claims.claims_partial_update")
    destroy = module("api.claims.claims_destroy")
    client = editor_client(generated, live_server)
    article = ArticleFactory(text="Russia has sent some 30,000 troops to Belarus.")
    fact = FactFactory()

    body = models.ClaimInput(
        fact=fact.id, article=article.id, wording="some 30,000 troops", number=30000.0
    )
    created = create.sync_detailed(client=client, body=body)
    assert created.status_code == 201, created.content
    claim = created.parsed
    assert isinstance(claim, models.Claim)
    assert isinstance(claim.interval, models.QuantityInterval)
    assert (claim.interval.low, claim.interval.high) == (27000.0, 33000.0)
    assert created.headers["Location"].endswith(f"/api/claims/{claim.id}/")

    read = retrieve.sync_detailed(id=str(claim.id), client=client)
    assert read.parsed.wording == "some 30,000 troops"
    etag = read.headers["ETag"]

    stale = update.sync_detailed(
        id=str(claim.id), client=client, body=models.PatchedClaimInput(note="x"), if_match='"0"'
    )
    assert stale.status_code == 412
    assert isinstance(stale.parsed, models.Problem)
    assert stale.parsed.code == "precondition_failed"

    changed = update.sync_detailed(
        id=str(claim.id),
        client=client,
        body=models.PatchedClaimInput(note="Checked against the wire copy."),
        if_match=etag,
    )
    assert changed.status_code == 200, changed.content
    assert changed.parsed.note == "Checked against the wire copy."

    refused = create.sync_detailed(
        client=client, body=models.ClaimInput(fact=fact.id, article=article.id, wording="")
    )
    assert refused.status_code == 400
    assert isinstance(refused.parsed, models.ValidationProblem)
    assert "wording" in refused.parsed.errors.additional_properties

    gone = destroy.sync_detailed(id=str(claim.id), client=client, if_match=changed.headers["ETag"])
    assert gone.status_code == 204
    assert retrieve.sync_detailed(id=str(claim.id), client=client).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_generated_client_reads_a_comparison_and_walks_a_cursor(generated, live_server):
    models = module("models")
    comparison = module("api.facts.facts_comparison_retrieve")
    claims_list = module("api.claims.claims_list")
    client = generated.Client(base_url=live_server.url, headers=dict(BEHIND_TLS))
    first = ClaimFactory()
    ClaimFactory.create_batch(4, fact=first.fact)

    read = comparison.sync_detailed(id=str(first.fact_id), client=client)
    assert read.status_code == 200, read.content
    answer = read.parsed
    assert isinstance(answer, models.Comparison), read.content
    assert answer.counts.claims == 5
    group = answer.groups[0]
    assert isinstance(group.originators[0], models.GroupOriginator)
    assert isinstance(group.claims[0].interval, models.QuantityInterval)

    seen, cursor = [], None
    while True:
        page = claims_list.sync(client=client, page_size=2, cursor=cursor or generated.types.UNSET)
        assert isinstance(page, models.PaginatedClaimList)
        seen += [claim.id for claim in page.results]
        if not page.next_cursor:
            break
        assert parse_qs(urlparse(page.next_).query)["cursor"] == [page.next_cursor]
        cursor = page.next_cursor
    assert sorted(seen) == sorted(claim.id for claim in first.fact.claims.all())
    assert len(seen) == 5


def editor_client(generated, live_server):
    user = UserFactory(is_superuser=True, is_staff=True)
    token = Token.objects.create(user=user)
    return generated.AuthenticatedClient(
        base_url=live_server.url, token=token.key, prefix="Token", headers=dict(BEHIND_TLS)
    )
