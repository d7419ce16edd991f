"""The cross-source views on the seeds and on factory data: a fact's comparison, the disputed
facts, outlet against outlet, an outlet's record, a subject's facts, and the changes feed."""

import base64
import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.utils import timezone

from facts.domain import agreement
from facts.models import Claim, Fact, Outlet, Subject
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

NOT_DISCLOSED = "Moscow and Minsk have not disclosed how many troops are participating"


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()


def seed_fact(subject: str, slug: str) -> Fact:
    return Fact.objects.get(subject__slug=subject, slug=slug)


def wordings(claims: list[dict]) -> list[str]:
    return sorted(claim["wording"] for claim in claims)


# A fact's comparison -----------------------------------------------------------------------


@pytest.fixture
def troops_comparison(client, seeds):
    troops = seed_fact("allied-resolve-2022", "russian-troops-sent")
    response = client.get(f"/api/facts/{troops.id}/comparison/")
    assert response.status_code == 200
    return troops, response.json()


def test_the_troops_comparison_groups_about_30000_from_the_us_and_nato(troops_comparison):
    troops, body = troops_comparison
    assert body["fact"]["id"] == troops.id
    assert body["include_drafts"] is False
    assert body["kind"] == "agreed"
    consensus = body["groups"][0]
    assert consensus["role"] == "consensus"
    assert (consensus["low"], consensus["best"], consensus["high"]) == (27000, 30000, 33000)
    assert {o["name"] for o in consensus["originators"]} == {"United States", "NATO"}
    assert wordings(consensus["claims"]) == [
        "About 30,000 Russian troops",
        "around 30,000 Russian troops",
        "some 30,000 soldiers",
    ]
    outlets = {o["name"] for o in consensus["outlets"]}
    assert outlets == {"The Moscow Times", "The National Interest"}


def test_thousands_is_listed_as_less_precise_not_as_a_rival(troops_comparison):
    _, body = troops_comparison
    roles = [group["role"] for group in body["groups"]]
    assert roles == ["consensus", "less_precise"]
    less_precise = body["groups"][1]
    assert wordings(less_precise["claims"]) == ["thousands of others into Belarus"]
    assert less_precise["claims"][0]["outlet"]["slug"] == "washington-examiner"
    assert [d["type"] for d in body["differences"]] == ["precision_difference"]
    assert "thousands of others" in body["differences"][0]["reason"]


def test_the_two_undisclosed_troops_claims_are_listed_beside_the_groups(troops_comparison):
    troops, body = troops_comparison
    undisclosed = body["undisclosed"]
    assert wordings(undisclosed) == [NOT_DISCLOSED, NOT_DISCLOSED]
    assert {c["actor"]["slug"] for c in undisclosed} == {"kremlin", "belarusian-government"}
    assert all(c["value"] == "not disclosed" and c["interval"] is None for c in undisclosed)
    listed = {c["id"] for g in body["groups"] for c in g["claims"]} | {c["id"] for c in undisclosed}
    assert listed == set(troops.claims.values_list("id", flat=True))


def test_a_comparisons_claims_show_their_outlet_article_and_attribution(troops_comparison):
    _, body = troops_comparison
    claim = next(c for c in body["groups"][0]["claims"] if c["wording"] == "some 30,000 soldiers")
    stored = Claim.objects.get(id=claim["id"])
    assert claim["outlet"]["slug"] == stored.article.outlet.slug
    assert claim["article"]["slug"] == stored.article.slug
    assert claim["actor"]["slug"] == "united-states"
    assert claim["value"] == "~30,000"
    assert claim["interval"] == {
        "value_kind": "quantity",
        "low": 27000.0,
        "high": 33000.0,
        "unit": "",
    }
    assert claim["status"] == "verified"


@pytest.fixture
def fact_with_a_draft():
    fact = FactFactory()
    verified = ClaimFactory(fact=fact)
    draft = ClaimFactory(fact=fact, status=Claim.Status.DRAFT, actor=ActorFactory())
    return fact, verified, draft


def test_a_draft_claim_counts_only_when_drafts_are_included(editor_client, fact_with_a_draft):
    # Drafts are for staff (tests/test_public_and_staff_views.py).
    client = editor_client
    fact, verified, draft = fact_with_a_draft
    stored = client.get(f"/api/facts/{fact.id}/comparison/").json()
    listed = {c["id"] for g in stored["groups"] for c in g["claims"]}
    assert listed == {verified.id}
    assert stored["counts"]["claims"] == 1
    assert stored["kind"] == "single_originator"

    drafts = client.get(f"/api/facts/{fact.id}/comparison/", {"include_drafts": "true"}).json()
    assert drafts["include_drafts"] is True
    listed = {c["id"]: c for g in drafts["groups"] for c in g["claims"]}
    assert set(listed) == {verified.id, draft.id}
    assert listed[draft.id]["status"] == "draft"
    assert drafts["counts"]["claims"] == 2
    assert drafts["counts"]["originators"] == 2
    assert drafts["kind"] == "agreed"


def test_including_drafts_leaves_the_stored_verdict_alone(editor_client, fact_with_a_draft):
    client = editor_client
    fact, _, _ = fact_with_a_draft
    client.get(f"/api/facts/{fact.id}/comparison/", {"include_drafts": "true"})
    fact.refresh_from_db()
    assert fact.counted_claims == 1
    assert client.get(f"/api/facts/{fact.id}/").json()["verdict"]["counts"]["claims"] == 1


def test_include_drafts_that_is_not_a_boolean_is_a_400_on_include_drafts(client):
    fact = FactFactory()
    response = client.get(f"/api/facts/{fact.id}/comparison/", {"include_drafts": "maybe"})
    assert response.status_code == 400
    assert field_errors(response)["include_drafts"]


@pytest.fixture
def busy_fact():
    """A fact with 12 verified claims that all agree, each from an article with a long text."""
    fact = FactFactory()
    for _ in range(12):
        ClaimFactory(fact=fact, actor=ActorFactory())
    from facts.services import verdicts

    verdicts.refresh([fact.pk])
    return Fact.objects.get(pk=fact.pk)


def test_a_comparison_lists_the_first_claims_of_each_group_and_counts_them_all(client, busy_fact):
    body = client.get(f"/api/facts/{busy_fact.id}/comparison/", {"claims_per_group": 5}).json()
    (group,) = body["groups"]
    assert group["claim_count"] == 12
    assert len(group["claims"]) == 5
    assert body["claims_per_group"] == 5


def test_a_comparison_lists_fifty_claims_a_group_unless_asked(client, busy_fact):
    body = client.get(f"/api/facts/{busy_fact.id}/comparison/").json()
    assert body["claims_per_group"] == 50
    assert len(body["groups"][0]["claims"]) == 12


@pytest.mark.parametrize("asked", ["0", "501", "many", "-3"])
def test_claims_per_group_outside_one_to_500_is_a_400_on_it(client, busy_fact, asked):
    response = client.get(f"/api/facts/{busy_fact.id}/comparison/", {"claims_per_group": asked})
    assert response.status_code == 400
    assert "claims_per_group" in field_errors(response)


def test_a_comparison_reads_no_article_text_and_the_facts_verdict_once(client, busy_fact):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/facts/{busy_fact.id}/comparison/")
    assert response.status_code == 200
    claim_queries = [q["sql"] for q in queries if 'FROM "facts_claim"' in q["sql"]]
    assert claim_queries
    for sql in claim_queries:
        assert '"facts_article"."text"' not in sql
        assert '"facts_fact"."verdict_detail"' not in sql


def test_the_comparison_of_an_unknown_fact_is_a_404(client):
    fact = FactFactory()
    response = client.get(f"/api/facts/{fact.id + 1000}/comparison/")
    assert response.status_code == 404
    assert response.json()["detail"]


# Disputed facts ----------------------------------------------------------------------------


def disputed(client, params=None) -> list[dict]:
    response = client.get("/api/facts/disputed/", {"page_size": 500, **(params or {})})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_the_disputed_facts_are_the_facts_with_a_dispute_verdict(client, seeds):
    rows = disputed(client)
    assert {row["id"] for row in rows} == set(Fact.objects.disputed().values_list("id", flat=True))
    assert all(row["verdict"] in agreement.DISPUTES for row in rows)
    assert "russian-troops-sent" not in {row["slug"] for row in rows}


def test_the_2022_drills_disputed_facts_list_their_sides_and_reasons(client, seeds):
    rows = disputed(client, {"subject": "allied-resolve-2022"})
    assert {row["slug"] for row in rows} == {
        "russian-troops-stay-after-drills",
        "purpose-of-the-drills",
    }
    stay = next(row for row in rows if row["slug"] == "russian-troops-stay-after-drills")
    assert stay["subject"] == "allied-resolve-2022"
    assert stay["verdict"] == "attribution_split"
    none_stay, some_stay = stay["sides"]
    assert none_stay["role"] == "consensus"
    assert none_stay["value"] == "none stay"
    assert set(none_stay["originators"]) == {"The Kremlin", "Belarusian government"}
    assert some_stay["role"] == "rival"
    assert some_stay["value"] == "some stay"
    assert some_stay["originators"] == ["Western governments"]
    assert some_stay["claims"] == 1
    assert stay["reasons"] and "Western governments" in stay["reasons"][0]
    for row in rows:
        assert len(row["sides"]) >= 2 and row["reasons"] and row["summary"]


def test_the_disputed_facts_filter_by_subject_id(client, seeds):
    subject = Subject.objects.get(slug="russian-buildup-around-ukraine-2021-22")
    rows = disputed(client, {"subject": subject.id})
    assert {row["id"] for row in rows} == set(
        Fact.objects.disputed().filter(subject=subject).values_list("id", flat=True)
    )
    assert rows


@pytest.fixture
def conflicts():
    """A value conflict (one originator, two values on one day) and an attribution split."""
    text = "Officials said exactly 5,000 soldiers were sent."
    us = ActorFactory(name="US (test)")
    conflict = FactFactory()
    ClaimFactory(fact=conflict, actor=us, bound="exact", hedge="", wording="some 30,000 soldiers")
    ClaimFactory(
        fact=conflict,
        actor=us,
        article=ArticleFactory(text=text),
        wording="exactly 5,000 soldiers",
        number=Decimal(5000),
        bound="exact",
        hedge="exactly",
    )
    split = FactFactory(categorical=True)
    ClaimFactory(fact=split, categorical=True, category="none stay")
    ClaimFactory(fact=split, categorical=True, category="some stay")
    conflict.refresh_from_db()
    split.refresh_from_db()
    assert conflict.verdict == "value_conflict", conflict.verdict_summary
    assert split.verdict == "attribution_split", split.verdict_summary
    return conflict, split


def test_the_disputed_facts_filter_by_type(client, conflicts):
    conflict, split = conflicts
    assert [r["id"] for r in disputed(client, {"type": "value_conflict"})] == [conflict.id]
    assert [r["id"] for r in disputed(client, {"type": "attribution_split"})] == [split.id]
    both = disputed(client, {"type": ["value_conflict", "attribution_split"]})
    assert {r["id"] for r in both} == {conflict.id, split.id}
    assert disputed(client, {"type": "change_over_time"}) == []


@pytest.mark.usefixtures("conflicts")
def test_a_value_conflicts_sides_show_the_two_values(client):
    row = disputed(client, {"type": "value_conflict"})[0]
    values = {float(side["value"]) for side in row["sides"]}
    assert values == {30000.0, 5000.0}
    assert all(side["originators"] == ["US (test)"] for side in row["sides"])


def test_an_unknown_dispute_type_is_a_400_on_type(client):
    response = client.get("/api/facts/disputed/", {"type": "rumour"})
    assert response.status_code == 400
    assert response.json()["type"]


def test_a_fact_that_is_agreed_is_not_disputed(client):
    claim = ClaimFactory()
    ClaimFactory(fact=claim.fact, actor=ActorFactory())
    assert disputed(client) == []


# Outlet against outlet ---------------------------------------------------------------------


def verified_facts_of(outlet: Outlet) -> set[int]:
    claims = Claim.objects.filter(article__outlet=outlet, status="verified")
    return set(claims.values_list("fact_id", flat=True))


def test_two_outlets_agreement_on_the_facts_both_reported(client, seeds):
    tmt = Outlet.objects.get(slug="the-moscow-times")
    ni = Outlet.objects.get(slug="the-national-interest")
    response = client.get(f"/api/outlets/{tmt.id}/agreement/", {"with": "the-national-interest"})
    assert response.status_code == 200
    body = response.json()
    assert body["outlet"]["slug"] == "the-moscow-times"
    assert body["other"]["slug"] == "the-national-interest"
    shared = verified_facts_of(tmt) & verified_facts_of(ni)
    assert body["shared_facts"] == len(shared) > 0
    assert {row["fact"]["id"] for row in body["facts"]} == shared
    assert body["compared"] == body["agreed"] + body["disagreed"]
    assert body["agreement_rate"] == pytest.approx(body["agreed"] / body["compared"], abs=1e-4)
    troops = next(row for row in body["facts"] if row["fact"]["slug"] == "russian-troops-sent")
    assert troops["agree"] is True
    assert "some 30,000 soldiers" in troops["ours"]
    assert sorted(troops["theirs"]) == [
        "About 30,000 Russian troops",
        "around 30,000 Russian troops",
    ]


def test_agreement_names_the_other_outlet_by_id_too_and_is_symmetric(client, seeds):
    tmt = Outlet.objects.get(slug="the-moscow-times")
    ni = Outlet.objects.get(slug="the-national-interest")
    by_slug = client.get(f"/api/outlets/{tmt.id}/agreement/", {"with": ni.slug}).json()
    by_id = client.get(f"/api/outlets/{tmt.id}/agreement/", {"with": ni.id}).json()
    assert by_id == by_slug
    other_way = client.get(f"/api/outlets/{ni.id}/agreement/", {"with": tmt.slug}).json()
    for key in ("shared_facts", "compared", "agreed", "disagreed", "agreement_rate"):
        assert other_way[key] == by_slug[key]


def test_outlets_on_two_sides_of_a_split_disagree(client):
    fact = FactFactory(categorical=True)
    ours = ClaimFactory(fact=fact, categorical=True, category="none stay")
    theirs = ClaimFactory(fact=fact, categorical=True, category="some stay")
    outlet, other = ours.article.outlet, theirs.article.outlet
    body = client.get(f"/api/outlets/{outlet.id}/agreement/", {"with": other.slug}).json()
    assert (body["shared_facts"], body["compared"], body["agreed"], body["disagreed"]) == (
        1,
        1,
        0,
        1,
    )
    assert body["agreement_rate"] == 0.0
    assert body["facts"][0]["agree"] is False


def test_outlets_with_no_fact_in_common_have_no_agreement_rate(client):
    one, two = ClaimFactory(), ClaimFactory()
    outlet, other = one.article.outlet, two.article.outlet
    body = client.get(f"/api/outlets/{outlet.id}/agreement/", {"with": other.slug}).json()
    assert body["shared_facts"] == 0
    assert body["agreement_rate"] is None


@pytest.mark.parametrize("other", [None, "", "no-such-outlet", "99999999"])
def test_agreement_without_a_known_other_outlet_is_a_400_on_with(client, other):
    outlet = OutletFactory()
    params = {} if other is None else {"with": other}
    response = client.get(f"/api/outlets/{outlet.id}/agreement/", params)
    assert response.status_code == 400
    assert field_errors(response)["with"]


# An outlet's record ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "slug", ["the-moscow-times", "the-national-interest", "washington-examiner", "cnn"]
)
def test_an_outlets_record_shares_add_up_to_one(client, seeds, slug):
    outlet = Outlet.objects.get(slug=slug)
    response = client.get(f"/api/outlets/{outlet.id}/record/")
    assert response.status_code == 200
    body = response.json()
    facts = verified_facts_of(outlet)
    assert body["facts"] == len(facts) > 0
    assert body["claims"] == Claim.objects.filter(article__outlet=outlet, status="verified").count()
    assert set(body["shares"]) == {"agreed", "disputed", "alone"}
    assert sum(body["shares"].values()) == pytest.approx(1.0, abs=1e-3)
    assert sum(body["counts"].values()) == body["facts"]
    for standing, count in body["counts"].items():
        assert body["shares"][standing] == pytest.approx(count / body["facts"], abs=1e-4)
    assert {row["fact"]["id"] for row in body["facts_shown"]} == facts


def test_an_outlets_record_tells_agreed_disputed_and_alone_apart(client):
    ours = ArticleFactory()
    alone = ClaimFactory(article=ours)
    agreed = ClaimFactory(article=ours, actor=ActorFactory())
    ClaimFactory(fact=agreed.fact)
    split = FactFactory(categorical=True)
    ClaimFactory(fact=split, article=ours, categorical=True, category="none stay")
    ClaimFactory(fact=split, categorical=True, category="some stay")
    body = client.get(f"/api/outlets/{ours.outlet_id}/record/").json()
    standing = {row["fact"]["id"]: row["standing"] for row in body["facts_shown"]}
    assert standing == {alone.fact_id: "alone", agreed.fact_id: "agreed", split.id: "disputed"}
    assert body["counts"] == {"agreed": 1, "disputed": 1, "alone": 1}
    assert sum(body["shares"].values()) == pytest.approx(1.0, abs=1e-3)


def test_a_record_counts_only_verified_claims(client):
    claim = ClaimFactory(status=Claim.Status.DRAFT)
    body = client.get(f"/api/outlets/{claim.article.outlet_id}/record/").json()
    assert (body["claims"], body["facts"]) == (0, 0)


# A subject's facts -------------------------------------------------------------------------


def test_a_subjects_facts_are_listed_with_their_verdicts(client, seeds):
    subject = Subject.objects.get(slug="allied-resolve-2022")
    response = client.get(f"/api/subjects/{subject.id}/facts/", {"page_size": 500})
    assert response.status_code == 200
    rows = response.json()["results"]
    stored = {f.id: f for f in Fact.objects.filter(subject=subject)}
    assert {row["id"] for row in rows} == set(stored)
    for row in rows:
        assert row["subject"] == "allied-resolve-2022"
        assert row["verdict"]["kind"] == stored[row["id"]].verdict
        assert row["verdict"]["counts"]["claims"] == stored[row["id"]].counted_claims


def test_a_subjects_facts_page_by_cursor(client):
    subject = SubjectFactory()
    made = {FactFactory(subject=subject).id for _ in range(7)}
    FactFactory()  # another subject's
    seen, url, params = [], f"/api/subjects/{subject.id}/facts/", {"page_size": 3}
    while url:
        body = client.get(url, params).json()
        seen += [row["id"] for row in body["results"]]
        url, params = body["next"], None
    assert sorted(seen) == sorted(made)


def test_the_facts_of_an_unknown_subject_are_a_404(client):
    subject = SubjectFactory()
    assert client.get(f"/api/subjects/{subject.id + 1000}/facts/").status_code == 404


# The changes feed --------------------------------------------------------------------------


@pytest.fixture
def editor_client(client):
    user = UserFactory()
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="facts"))
    client.force_login(user)
    return client


def changes(client, **params) -> dict:
    response = client.get("/api/changes/", params)
    assert response.status_code == 200, response.content
    return response.json()


def a_moment_ago() -> str:
    return (timezone.now() - dt.timedelta(milliseconds=1)).isoformat()


def test_the_feed_lists_a_creation_an_update_and_a_deletion_in_order(editor_client):
    since = a_moment_ago()
    created = editor_client.post(
        "/api/outlets/", {"name": "Meduza", "slug": "meduza"}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    outlet_id = created.json()["id"]
    url = f"/api/outlets/{outlet_id}/"
    updated = editor_client.patch(
        url,
        {"country": "LV"},
        content_type="application/json",
        headers={"If-Match": created["ETag"]},
    )
    assert updated.status_code == 200
    assert editor_client.delete(url, headers={"If-Match": updated["ETag"]}).status_code == 204

    feed = changes(editor_client, since=since)
    events = [(c["model"], c["id"], c["action"]) for c in feed["changes"]]
    assert events == [
        ("outlet", outlet_id, "created"),
        ("outlet", outlet_id, "updated"),
        ("outlet", outlet_id, "deleted"),
    ]
    assert [c["version"] for c in feed["changes"]] == [1, 2, 2]
    times = [c["at"] for c in feed["changes"]]
    assert times == sorted(times)
    assert feed["has_more"] is False


def test_the_feed_lists_changes_made_through_the_orm(client):
    since = a_moment_ago()
    subject = SubjectFactory()
    subject.description = "Renamed"
    subject.save()
    subject_id = subject.id
    subject.delete()
    feed = changes(client, since=since, model="subject")
    assert [(c["id"], c["action"]) for c in feed["changes"]] == [
        (subject_id, "created"),
        (subject_id, "updated"),
        (subject_id, "deleted"),
    ]


def test_the_feed_filters_by_model(client):
    since = a_moment_ago()
    claim = ClaimFactory()
    only_claims = changes(client, since=since, model="claim")["changes"]
    assert [(c["model"], c["id"]) for c in only_claims] == [("claim", claim.id)]
    two = changes(client, since=since, model=["claim", "outlet"])["changes"]
    assert {c["model"] for c in two} == {"claim", "outlet"}
    everything = changes(client, since=since)["changes"]
    assert {c["model"] for c in everything} == {
        "outlet",
        "article",
        "actor",
        "subject",
        "fact",
        "claim",
    }


def test_following_next_gives_every_change_once_in_order(client):
    since = a_moment_ago()
    ClaimFactory.create_batch(3)
    everything = changes(client, since=since, page_size=1000)["changes"]
    # Six rows created per claim, and each claim's fact updated once more by its new verdict.
    assert len(everything) == 3 * 6 + 3
    paged, params, pages = [], {"since": since, "page_size": 4}, 0
    while True:
        body = changes(client, **params)
        paged += body["changes"]
        pages += 1
        assert pages < 20
        if not body["has_more"]:
            break
        params = {"cursor": body["next_cursor"], "page_size": 4}
    assert paged == everything


def test_the_last_cursor_finds_later_changes(client):
    since = a_moment_ago()
    first = OutletFactory()
    page = changes(client, since=since, page_size=1)
    assert [c["id"] for c in page["changes"]] == [first.id]
    cursor = page["next_cursor"]
    assert cursor
    assert changes(client, cursor=cursor)["changes"] == []
    later = OutletFactory()
    assert [c["id"] for c in changes(client, cursor=cursor)["changes"]] == [later.id]


def test_the_feed_since_a_future_time_is_empty(client):
    OutletFactory()
    future = (timezone.now() + dt.timedelta(days=1)).isoformat()
    page = changes(client, since=future)
    assert page["changes"] == []
    assert page["has_more"] is False


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "since"),
        ({"since": ""}, "since"),
        ({"since": "yesterday"}, "since"),
        ({"since": "2022-02-30T00:00:00Z"}, "since"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": base64.urlsafe_b64encode(b"2022-02-10T00:00:00|claim|x").decode()}, "cursor"),
        ({"cursor": base64.urlsafe_b64encode(b"2022-02-10T00:00:00|user|1").decode()}, "cursor"),
        ({"since": "2022-02-10T00:00:00Z", "model": "user"}, "model"),
        ({"since": "2022-02-10T00:00:00Z", "model": ["claim", "rumour"]}, "model"),
        ({"since": "2022-02-10T00:00:00Z", "page_size": "0"}, "page_size"),
        ({"since": "2022-02-10T00:00:00Z", "page_size": "1001"}, "page_size"),
        ({"since": "2022-02-10T00:00:00Z", "page_size": "ten"}, "page_size"),
    ],
)
def test_the_feed_refuses_a_bad_since_cursor_model_or_page_size(client, params, field):
    response = client.get("/api/changes/", params)
    assert response.status_code == 400
    assert field_errors(response)[field]
