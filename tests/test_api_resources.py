"""List and detail of every resource, with what clients need inline; writes through the API with
the models' own validation; CSV for every list."""

import csv
import datetime as dt
import hashlib
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache

from facts.models import Actor, Article, Claim, Fact, Outlet, Subject
from tests.factories import (
    ActorFactory,
    ArticleFactory,
    ClaimFactory,
    FactFactory,
    OutletFactory,
    SubjectFactory,
    UserFactory,
)
from tests.problems import field_errors

pytestmark = pytest.mark.django_db

MODELS = {
    "outlets": Outlet,
    "articles": Article,
    "actors": Actor,
    "subjects": Subject,
    "facts": Fact,
    "claims": Claim,
}
TRACKED = {"version", "created_at", "updated_at"}
FIELDS = {
    "outlets": {"id", "slug", "name", "domain", "country", "kind", *TRACKED},
    "articles": {
        "id",
        "slug",
        "outlet",
        "outlet_name",
        "url",
        "headline",
        "byline",
        "published_earliest",
        "published_latest",
        "published_precision",
        "published_inferred",
        "published_note",
        "language",
        "wire_source",
        "text",
        "text_hash",
        *TRACKED,
    },
    "actors": {
        "id",
        "slug",
        "name",
        "kind",
        "aliases",
        "parent",
        "originator",
        "description",
        *TRACKED,
    },
    "subjects": {"id", "slug", "name", "kind", "aliases", "description", *TRACKED},
    "facts": {
        "id",
        "slug",
        "subject",
        "subject_name",
        "property",
        "value_kind",
        "unit",
        "categories",
        "description",
        "verdict",
        *TRACKED,
    },
    "claims": {
        "id",
        "status",
        "fact",
        "fact_detail",
        "article",
        "article_detail",
        "outlet",
        "wording",
        "value",
        "interval",
        "undisclosed",
        "as_of",
        "actor",
        "attribution",
        *TRACKED,
    },
}


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()


@pytest.fixture
def editor(client):
    """A signed-in editor with every model permission of the facts app but verify_claim."""
    user = UserFactory()
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="facts").exclude(codename="verify_claim")
    )
    client.force_login(user)
    return user


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def etag(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response["ETag"]


def patch(client, url, body):
    return client.patch(
        url, body, content_type="application/json", headers={"If-Match": etag(client, url)}
    )


def put(client, url, body):
    return client.put(
        url, body, content_type="application/json", headers={"If-Match": etag(client, url)}
    )


def delete(client, url):
    return client.delete(url, headers={"If-Match": etag(client, url)})


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


# Lists and details -------------------------------------------------------------------------


@pytest.mark.parametrize("resource", list(MODELS))
def test_every_list_is_a_cursor_page_of_all_its_rows(client, resource):
    ClaimFactory.create_batch(3)
    response = client.get(f"/api/{resource}/", {"page_size": 500})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"next", "previous", "next_cursor", "previous_cursor", "results"}
    assert body["next"] is None
    got = [row["id"] for row in body["results"]]
    assert sorted(got) == sorted(MODELS[resource].objects.values_list("id", flat=True))
    assert got == sorted(got, reverse=True), "newest first unless asked otherwise"


@pytest.mark.parametrize("resource", list(MODELS))
def test_every_detail_shows_the_fields_clients_need(client, resource):
    ClaimFactory()
    row = MODELS[resource].objects.first()
    response = client.get(f"/api/{resource}/{row.id}/")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == row.id
    assert FIELDS[resource] <= set(body)
    assert body["version"] == row.version


@pytest.mark.parametrize("resource", list(MODELS))
def test_an_unknown_id_is_a_404(client, resource):
    ClaimFactory()
    missing = MODELS[resource].objects.order_by("-id").first().id + 1000
    response = client.get(f"/api/{resource}/{missing}/")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_a_claim_shows_its_outlet_article_fact_wording_attribution_value_and_interval(client):
    claim = ClaimFactory()
    body = client.get(f"/api/claims/{claim.id}/").json()
    article, fact, outlet = claim.article, claim.fact, claim.article.outlet
    assert body["outlet"] == {"id": outlet.id, "slug": outlet.slug, "name": outlet.name}
    assert body["article"] == article.id
    assert body["article_detail"]["slug"] == article.slug
    assert body["article_detail"]["headline"] == article.headline
    assert body["article_detail"]["published_earliest"] == "2022-02-10"
    assert body["fact"] == fact.id
    assert body["fact_detail"]["slug"] == fact.slug
    assert body["fact_detail"]["subject"] == fact.subject.slug
    assert body["fact_detail"]["property"] == fact.property
    assert body["wording"] == "some 30,000 soldiers"
    assert article.text[body["start"] : body["end"]] == body["wording"]
    assert body["attribution"] == {
        "actor": {"id": claim.actor.id, "slug": claim.actor.slug, "name": claim.actor.name},
        "originator": {
            "kind": "actor",
            "id": claim.actor.id,
            "slug": claim.actor.slug,
            "name": claim.actor.name,
        },
        "cue": "The United States has said",
        "mode": "indirect",
    }
    assert body["value"] == "~30,000"
    assert body["interval"] == {
        "value_kind": "quantity",
        "low": 27000.0,
        "high": 33000.0,
        "unit": "",
    }
    assert body["as_of"] == "2022-02-10"


def test_a_spokesmans_claim_is_originated_by_the_body_at_the_top_of_his_chain(client):
    kremlin = ActorFactory(name="The Kremlin (test)")
    ministry = ActorFactory(name="Ministry (test)", parent=kremlin)
    deputy = ActorFactory(name="Deputy (test)", parent=ministry)
    claim = ClaimFactory(actor=deputy)
    attribution = client.get(f"/api/claims/{claim.id}/").json()["attribution"]
    assert attribution["actor"]["id"] == deputy.id
    assert attribution["originator"] == {
        "kind": "actor",
        "id": kremlin.id,
        "slug": kremlin.slug,
        "name": kremlin.name,
    }


def test_a_claim_in_the_outlets_own_voice_is_originated_by_the_outlet(client):
    claim = ClaimFactory(own_voice=True)
    attribution = client.get(f"/api/claims/{claim.id}/").json()["attribution"]
    outlet = claim.article.outlet
    assert attribution["actor"] is None
    assert attribution["mode"] == "own_voice"
    assert attribution["originator"] == {
        "kind": "outlet",
        "id": outlet.id,
        "slug": outlet.slug,
        "name": outlet.name,
    }


def test_a_syndicated_claim_in_the_outlets_own_voice_is_originated_by_the_wire(client):
    wire = OutletFactory(kind=Outlet.Kind.WIRE)
    claim = ClaimFactory(own_voice=True, article=ArticleFactory(wire_source=wire))
    originator = client.get(f"/api/claims/{claim.id}/").json()["attribution"]["originator"]
    assert originator["id"] == wire.id
    assert originator["kind"] == "outlet"


def test_a_date_claim_shows_its_days_as_the_interval(client):
    claim = ClaimFactory(date=True)
    body = client.get(f"/api/claims/{claim.id}/").json()
    assert body["value"] == "2022-02-20"
    assert body["interval"] == {"value_kind": "date", "low": "2022-02-20", "high": "2022-02-20"}
    assert body["date_precision"] == "day"


def test_a_categorical_claim_has_a_value_and_no_interval(client):
    claim = ClaimFactory(categorical=True)
    body = client.get(f"/api/claims/{claim.id}/").json()
    assert body["value"] == "none stay"
    assert body["category"] == "none stay"
    assert body["interval"] is None


def test_a_claim_in_miles_shows_its_interval_in_the_facts_kilometres(client, seeds):
    claim = Claim.objects.get(wording="93 miles")
    body = client.get(f"/api/claims/{claim.id}/").json()
    assert body["unit"] == "mile"
    assert body["value"] == "~93 mile"
    interval = body["interval"]
    assert interval["unit"] == "kilometer"
    assert interval["low"] == pytest.approx(float(claim.lower) * 1.609344)
    assert interval["high"] == pytest.approx(float(claim.upper) * 1.609344)


def test_an_undisclosed_claim_says_so_and_has_no_interval(client, seeds):
    claim = Claim.objects.filter(undisclosed=True, value_kind="quantity").first()
    body = client.get(f"/api/claims/{claim.id}/").json()
    assert body["undisclosed"] is True
    assert body["value"] == "not disclosed"
    assert body["interval"] is None


def test_a_fact_shows_its_stored_verdict_with_consensus_and_counts(client, seeds):
    troops = Fact.objects.get(subject__slug="allied-resolve-2022", slug="russian-troops-sent")
    body = client.get(f"/api/facts/{troops.id}/").json()
    assert body["subject"] == "allied-resolve-2022"
    assert body["subject_name"] == troops.subject.name
    verdict = body["verdict"]
    assert verdict["kind"] == "agreed" == troops.verdict
    assert verdict["summary"] == troops.verdict_summary
    assert verdict["consensus"] == {
        "value_kind": "quantity",
        "low": 27000.0,
        "best": 30000.0,
        "high": 33000.0,
        "unit": "",
    }
    assert verdict["counts"] == {
        "claims": troops.counted_claims,
        "articles": troops.counted_articles,
        "outlets": troops.counted_outlets,
        "originators": troops.counted_originators,
    }
    assert verdict["counts"]["claims"] == troops.claims.filter(status="verified").count()
    assert verdict["updated_at"]


def test_a_date_facts_consensus_is_shown_as_days(client, seeds):
    end = Fact.objects.get(subject__slug="allied-resolve-2022", slug="active-phase-end-date")
    consensus = client.get(f"/api/facts/{end.id}/").json()["verdict"]["consensus"]
    assert consensus["low"] == consensus["high"] == "2022-02-20"
    assert "unit" not in consensus


def test_a_categorical_facts_consensus_is_its_category(client, seeds):
    stay = Fact.objects.get(slug="russian-troops-stay-after-drills")
    body = client.get(f"/api/facts/{stay.id}/").json()
    assert body["verdict"]["kind"] == "attribution_split"
    assert body["verdict"]["consensus"] == {"value_kind": "categorical", "category": "none stay"}
    assert body["categories"] == stay.categories


def test_an_actor_shows_the_originator_it_counts_under(client, seeds):
    fomin = Actor.objects.get(slug="alexander-fomin")
    body = client.get(f"/api/actors/{fomin.id}/").json()
    assert body["parent"] == "russian-defense-ministry"
    kremlin = Actor.objects.get(slug="kremlin")
    assert body["originator"] == {"id": kremlin.id, "slug": "kremlin", "name": kremlin.name}


def test_an_actor_at_the_top_of_its_chain_is_its_own_originator(client, seeds):
    nato = Actor.objects.get(slug="nato")
    body = client.get(f"/api/actors/{nato.id}/").json()
    assert body["parent"] is None
    assert body["originator"]["id"] == nato.id


def test_an_article_shows_its_outlet_and_wire_source_by_slug(client):
    wire = OutletFactory(name="Wire Agency", kind=Outlet.Kind.WIRE)
    article = ArticleFactory(wire_source=wire)
    body = client.get(f"/api/articles/{article.id}/").json()
    assert body["outlet"] == article.outlet.slug
    assert body["outlet_name"] == article.outlet.name
    assert body["wire_source"] == wire.slug
    assert body["text_hash"] == hashlib.sha256(article.text.encode()).hexdigest()


# Writes ------------------------------------------------------------------------------------


def test_an_editor_creates_an_outlet_with_its_domain_and_country_normalised(client, editor):
    response = post(
        client,
        "/api/outlets/",
        {
            "name": "Kyiv Independent",
            "slug": "kyi",
            "domain": "KyivIndependent.com",
            "country": "ua",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["slug"] == "kyi"
    outlet = Outlet.objects.get(id=body["id"])
    assert (outlet.domain, outlet.country) == ("kyivindependent.com", "UA")
    assert body["version"] == 1


def test_a_duplicate_outlet_name_is_a_400_on_name(client, editor):
    OutletFactory(name="Reuters")
    response = post(client, "/api/outlets/", {"name": "Reuters"})
    assert response.status_code == 400, response.content
    assert field_errors(response)["name"]
    assert Outlet.objects.filter(name="Reuters").count() == 1


def test_an_outlet_kind_not_on_the_list_is_a_400(client, editor):
    response = post(client, "/api/outlets/", {"name": "Odd", "slug": "odd", "kind": "pamphlet"})
    assert response.status_code == 400, response.content
    assert field_errors(response)["kind"]


def test_an_editor_creates_an_article_by_its_outlets_slug(client, editor):
    outlet = OutletFactory()
    body = {
        "slug": "drills-begin",
        "outlet": outlet.slug,
        "headline": "Drills begin",
        "url": "https://news.example.org/drills-begin",
        "text": "The drills began on Thursday.",
        "published_earliest": "2022-02-10",
        "published_latest": "2022-02-10",
        "published_precision": "day",
    }
    response = post(client, "/api/articles/", body)
    assert response.status_code == 201, response.content
    article = Article.objects.get(id=response.json()["id"])
    assert article.outlet == outlet
    assert article.text_hash == hashlib.sha256(b"The drills began on Thursday.").hexdigest()
    assert response.json()["text_hash"] == article.text_hash


def test_an_article_published_latest_before_earliest_is_a_400(client, editor):
    body = {
        "outlet": OutletFactory().slug,
        "text": "Body.",
        "published_earliest": "2022-02-10",
        "published_latest": "2022-02-01",
        "published_precision": "week",
    }
    response = post(client, "/api/articles/", body)
    assert response.status_code == 400
    assert not Article.objects.exists()


def test_an_article_of_an_unknown_outlet_is_a_400_on_outlet(client, editor):
    response = post(client, "/api/articles/", {"outlet": "no-such-outlet", "text": "Body."})
    assert response.status_code == 400, response.content
    assert field_errors(response)["outlet"]


def test_the_same_text_twice_from_one_outlet_is_a_400(client, editor):
    article = ArticleFactory(url="")
    response = post(client, "/api/articles/", {"outlet": article.outlet.slug, "text": article.text})
    assert response.status_code == 400
    assert Article.objects.count() == 1


def test_an_editor_creates_an_actor_under_a_parent(client, editor):
    top = ActorFactory(name="Pentagon (test)")
    response = post(
        client,
        "/api/actors/",
        {"name": "A spokesman", "slug": "a-spokesman", "kind": "official", "parent": top.slug},
    )
    assert response.status_code == 201, response.content
    assert response.json()["originator"]["id"] == top.id


def test_aliases_that_are_not_a_list_of_names_are_a_400(client, editor):
    response = post(
        client, "/api/actors/", {"name": "X", "slug": "x", "kind": "person", "aliases": [1, ""]}
    )
    assert response.status_code == 400, response.content
    assert field_errors(response)["aliases"]


def test_an_actor_made_its_own_ancestor_is_a_400_on_parent(client, editor):
    top = ActorFactory()
    below = ActorFactory(parent=top)
    response = patch(client, f"/api/actors/{top.id}/", {"parent": below.slug})
    assert response.status_code == 400, response.content
    assert field_errors(response)["parent"]
    top.refresh_from_db()
    assert top.parent is None


def test_an_editor_creates_a_subject_and_a_fact_of_it(client, editor):
    response = post(client, "/api/subjects/", {"name": "Zapad 2021", "slug": "zapad-2021"})
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "event"
    response = post(
        client,
        "/api/facts/",
        {
            "subject": "zapad-2021",
            "slug": "troops",
            "property": "Troops taking part",
            "value_kind": "quantity",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["verdict"]["kind"] == "no_claims"
    assert body["verdict"]["counts"]["claims"] == 0
    assert Fact.objects.get(id=body["id"]).subject.slug == "zapad-2021"


@pytest.mark.parametrize(
    ("resource", "body", "slug"),
    [
        ("outlets", {"name": "Kyiv Independent"}, "kyiv-independent"),
        ("actors", {"name": "Ganna Malyar (test)", "kind": "official"}, "ganna-malyar-test"),
        ("subjects", {"name": "Zapad 2021"}, "zapad-2021"),
    ],
)
def test_a_named_row_created_without_a_slug_gets_one_from_its_name(
    client, editor, resource, body, slug
):
    response = post(client, f"/api/{resource}/", body)
    assert response.status_code == 201, response.content
    assert response.json()["slug"] == slug


def test_a_fact_created_without_a_slug_gets_one_from_its_property(client, editor):
    subject = SubjectFactory()
    response = post(
        client,
        "/api/facts/",
        {"subject": subject.slug, "property": "Troops taking part", "value_kind": "quantity"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["slug"] == "troops-taking-part"


def test_an_article_created_without_a_slug_gets_one_from_its_outlet_and_headline(client, editor):
    outlet = OutletFactory(slug="kyiv-post")
    response = post(
        client, "/api/articles/", {"outlet": "kyiv-post", "headline": "Drills", "text": "Body."}
    )
    assert response.status_code == 201, response.content
    assert response.json()["slug"] == "kyiv-post-drills"
    assert Article.objects.get(slug="kyiv-post-drills").outlet == outlet


def test_a_categorical_fact_with_one_category_is_a_400_on_categories(client, editor):
    response = post(
        client,
        "/api/facts/",
        {
            "subject": SubjectFactory().slug,
            "slug": "stay-or-go",
            "property": "Stay or go",
            "value_kind": "categorical",
            "categories": ["stay"],
        },
    )
    assert response.status_code == 400, response.content
    assert field_errors(response)["categories"]


def test_a_second_fact_with_the_same_property_of_a_subject_is_a_400(client, editor):
    fact = FactFactory()
    response = post(
        client,
        "/api/facts/",
        {
            "subject": fact.subject.slug,
            "slug": "another-slug",
            "property": fact.property,
            "value_kind": "quantity",
        },
    )
    assert response.status_code == 400
    assert Fact.objects.count() == 1


def claim_body(*, offsets: bool = True, **fields) -> dict:
    """A claim to POST; with offsets, its start and end where the wording stands (or would)."""
    article = fields.pop("article", None) or ArticleFactory()
    fact = fields.pop("fact", None) or FactFactory()
    actor = fields.pop("actor", None) or ActorFactory()
    body = {
        "fact": fact.id,
        "article": article.id,
        "wording": "some 30,000 soldiers",
        "number": 30000,
        "bound": "approximate",
        "hedge": "some",
        "actor": actor.id,
        "attribution_mode": "indirect",
        "attribution_cue": "The United States has said",
        **fields,
    }
    if offsets:
        start = max(article.text.find(body["wording"]), 0)
        body.update(start=start, end=start + len(body["wording"]))
    return body


def test_an_editor_creates_a_claim_at_its_offsets(client, editor):
    body = claim_body()
    response = post(client, "/api/claims/", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["start"], created["end"]) == (body["start"], body["end"])
    assert created["status"] == "draft"
    assert created["anchor_state"] == "anchored"


def test_an_editor_creates_a_claim_anchored_by_its_wording_alone(client, editor):
    body = claim_body(offsets=False)
    response = post(client, "/api/claims/", body)
    assert response.status_code == 201, response.content
    created = response.json()
    article = Article.objects.get(id=body["article"])
    assert created["start"] == article.text.index("some 30,000 soldiers")
    assert created["end"] == created["start"] + len("some 30,000 soldiers")
    assert created["status"] == "draft"
    assert created["value"] == "~30,000"
    assert created["interval"] == {
        "value_kind": "quantity",
        "low": 27000.0,
        "high": 33000.0,
        "unit": "",
    }
    assert created["as_of"] == "2022-02-10"
    claim = Claim.objects.get(id=created["id"])
    assert (claim.lower, claim.upper) == (Decimal("27000"), Decimal("33000"))


@pytest.mark.parametrize("offsets", [True, False], ids=["with-offsets", "wording-alone"])
def test_a_claim_whose_wording_is_not_in_its_article_is_a_400_on_wording(client, editor, offsets):
    body = claim_body(wording="some 40,000 soldiers", offsets=offsets)
    response = post(client, "/api/claims/", body)
    assert response.status_code == 400, response.content
    assert field_errors(response)["wording"]
    assert not Claim.objects.exists()


def test_a_claim_whose_wording_stands_twice_needs_its_start(client, editor):
    article = ArticleFactory(text="About 5 jets. Later, About 5 jets more.")
    body = claim_body(
        article=article, wording="About 5 jets", number=5, hedge="about", offsets=False
    )
    response = post(client, "/api/claims/", body)
    assert response.status_code == 400, response.content
    assert field_errors(response)["start"]


def test_a_claim_with_a_category_not_of_its_fact_is_a_400_on_category(client, editor):
    fact = FactFactory(categorical=True)
    article = ArticleFactory()
    body = {
        "fact": fact.id,
        "article": article.id,
        "wording": "Russian troops will leave Belarus",
        "start": article.text.index("Russian troops will leave Belarus"),
        "end": article.text.index("Russian troops will leave Belarus") + 33,
        "category": "all stay",
        "actor": ActorFactory().id,
        "attribution_mode": "indirect",
    }
    response = post(client, "/api/claims/", body)
    assert response.status_code == 400, response.content
    assert field_errors(response)["category"]


def test_a_claim_in_the_outlets_own_voice_with_an_actor_is_a_400_on_actor(client, editor):
    response = post(client, "/api/claims/", claim_body(attribution_mode="own_voice"))
    assert response.status_code == 400, response.content
    assert field_errors(response)["actor"]


def test_a_claim_in_miles_of_a_count_is_a_400_on_unit(client, editor):
    response = post(client, "/api/claims/", claim_body(unit="mile"))
    assert response.status_code == 400, response.content
    assert field_errors(response)["unit"]


def test_changing_a_claims_wording_to_one_not_in_the_article_is_a_400(client, editor):
    claim = ClaimFactory(status=Claim.Status.DRAFT)
    response = patch(client, f"/api/claims/{claim.id}/", {"wording": "some 99 soldiers"})
    assert response.status_code == 400, response.content
    assert field_errors(response)["wording"] or field_errors(response)["start"]
    claim.refresh_from_db()
    assert claim.wording == "some 30,000 soldiers"


def test_an_editor_updates_a_claims_number_and_the_facts_verdict_follows(client, editor):
    claim = ClaimFactory(number=Decimal("30000"))
    response = patch(client, f"/api/claims/{claim.id}/", {"bound": "exact", "hedge": ""})
    assert response.status_code == 200, response.content
    assert response.json()["interval"] == {
        "value_kind": "quantity",
        "low": 30000.0,
        "high": 30000.0,
        "unit": "",
    }
    assert response.json()["version"] == 2
    # An editor's change to a verified claim goes back to draft for review, and out of the
    # verdict until a reviewer verifies it again.
    assert response.json()["status"] == "draft"
    fact = client.get(f"/api/facts/{claim.fact_id}/").json()
    assert fact["verdict"]["kind"] == "no_claims"


def test_it_refuses_fields_the_server_sets_naming_each_and_writes_nothing(client, editor):
    claim = ClaimFactory(status=Claim.Status.DRAFT)
    response = patch(
        client,
        f"/api/claims/{claim.id}/",
        {"version": 99, "lower": 1, "upper": 2, "anchor_state": "orphaned", "note": "checked"},
    )
    assert response.status_code == 400, response.content
    errors = field_errors(response)
    assert sorted(errors) == ["anchor_state", "lower", "upper", "version"]
    assert errors["version"] == ["version is not set by clients: leave it out."]
    claim.refresh_from_db()
    assert (claim.version, claim.note) == (1, "")
    assert (claim.lower, claim.upper) == (Decimal("27000"), Decimal("33000"))
    assert claim.anchor_state == "anchored"


def test_an_editor_replaces_an_outlet_with_put(client, editor):
    outlet = OutletFactory()
    read = client.get(f"/api/outlets/{outlet.id}/").json()
    body = {name: read[name] for name in ("slug", "domain", "kind")}
    body.update(name="Renamed", country="de")
    response = put(client, f"/api/outlets/{outlet.id}/", body)
    assert response.status_code == 200, response.content
    outlet.refresh_from_db()
    assert (outlet.name, outlet.country) == ("Renamed", "DE")


def test_an_editor_deletes_a_claim_and_the_facts_verdict_follows(client, editor):
    kept, dropped = ClaimFactory(), None
    dropped = ClaimFactory(fact=kept.fact, actor=ActorFactory())
    assert client.get(f"/api/facts/{kept.fact_id}/").json()["verdict"]["counts"]["claims"] == 2
    response = delete(client, f"/api/claims/{dropped.id}/")
    assert response.status_code == 204
    assert not Claim.objects.filter(id=dropped.id).exists()
    assert client.get(f"/api/claims/{dropped.id}/").status_code == 404
    assert client.get(f"/api/facts/{kept.fact_id}/").json()["verdict"]["counts"]["claims"] == 1


def test_deleting_an_outlet_that_still_has_articles_is_a_409_with_a_message(client, editor):
    article = ArticleFactory()
    response = delete(client, f"/api/outlets/{article.outlet_id}/")
    assert response.status_code == 409
    assert "articles" in response.json()["detail"]
    assert Outlet.objects.filter(id=article.outlet_id).exists()


def test_deleting_a_subject_that_still_has_facts_is_a_409(client, editor):
    fact = FactFactory()
    response = delete(client, f"/api/subjects/{fact.subject_id}/")
    assert response.status_code == 409
    assert "facts" in response.json()["detail"]
    assert Subject.objects.filter(id=fact.subject_id).exists()


def test_deleting_an_article_with_claims_is_a_409(client, editor):
    claim = ClaimFactory()
    response = delete(client, f"/api/articles/{claim.article_id}/")
    assert response.status_code == 409
    assert response.json()["detail"]
    assert Article.objects.filter(id=claim.article_id).exists()


def test_an_outlet_without_articles_is_deleted(client, editor):
    outlet = OutletFactory()
    assert delete(client, f"/api/outlets/{outlet.id}/").status_code == 204
    assert not Outlet.objects.filter(id=outlet.id).exists()


# CSV ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", list(MODELS))
def test_every_list_answers_format_csv_with_a_header_and_a_row_per_object(client, resource):
    ClaimFactory.create_batch(3)
    ClaimFactory(own_voice=True)
    response = client.get(f"/api/{resource}/", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = csv_rows(response)
    assert "id" in header
    assert len(rows) == MODELS[resource].objects.count()
    ids = {int(row[header.index("id")]) for row in rows}
    assert ids == set(MODELS[resource].objects.values_list("id", flat=True))


@pytest.mark.parametrize("resource", list(MODELS))
def test_every_list_answers_accept_text_csv(client, resource):
    ClaimFactory.create_batch(2)
    response = client.get(f"/api/{resource}/", headers={"Accept": "text/csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = csv_rows(response)
    assert len(rows) == MODELS[resource].objects.count()
    assert all(len(row) == len(header) for row in rows)


def test_a_csv_list_follows_the_filters_and_the_page_size(client):
    claims = ClaimFactory.create_batch(4)
    response = client.get(
        "/api/claims/", {"format": "csv", "outlet": claims[0].article.outlet.slug}
    )
    header, *rows = csv_rows(response)
    assert [int(row[header.index("id")]) for row in rows] == [claims[0].id]
    response = client.get("/api/claims/", {"format": "csv", "page_size": 2})
    assert len(csv_rows(response)) == 1 + 2


def test_csv_gives_a_claims_related_rows_in_flat_columns(client):
    claim = ClaimFactory(actor=ActorFactory(parent=ActorFactory(name="Top Body")))
    header, row = csv_rows(client.get("/api/claims/", {"format": "csv"}))
    cell = dict(zip(header, row, strict=True))
    assert cell["outlet_name"] == claim.article.outlet.name
    assert cell["article_headline"] == claim.article.headline
    assert cell["subject_slug"] == claim.fact.subject.slug
    assert cell["actor_name"] == claim.actor.name
    assert cell["originator_name"] == "Top Body"
    assert float(cell["interval_low"]) == 27000.0
    assert float(cell["interval_high"]) == 33000.0
    assert cell["wording"] == "some 30,000 soldiers"


def test_csv_keeps_the_actor_columns_when_the_first_row_has_none(client):
    ClaimFactory(own_voice=True)
    ClaimFactory()  # newest first: the own-voice claim, with no actor, comes second
    ClaimFactory(own_voice=True)
    header, *rows = csv_rows(client.get("/api/claims/", {"format": "csv"}))
    assert "actor_name" in header
    names = [row[header.index("actor_name")] for row in rows]
    assert sum(1 for name in names if name) == 1


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_csv_makes_formula_looking_text_inert(client, start):
    name = f'{start}HYPERLINK("http://evil.example","x")'
    OutletFactory(name=name)
    header, row = csv_rows(client.get("/api/outlets/", {"format": "csv"}))
    cell = row[header.index("name")]
    assert not cell.startswith(start)
    assert cell == f"'{name}"


def test_csv_makes_a_formula_in_a_claims_wording_inert_and_leaves_plain_text_alone(client):
    article = ArticleFactory(text="Officials counted =SUM(1,2) brigades near the border.")
    ClaimFactory(article=article, wording="=SUM(1,2) brigades", number=3, bound="exact", hedge="")
    header, row = csv_rows(client.get("/api/claims/", {"format": "csv"}))
    cell = dict(zip(header, row, strict=True))
    assert cell["wording"] == "'=SUM(1,2) brigades"
    assert cell["outlet_name"] == article.outlet.name
    assert cell["published_earliest"] == dt.date(2022, 2, 10).isoformat()
