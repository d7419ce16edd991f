"""A claim is listed under its fact's subject and its article's outlet: it carries both
(Claim.subject, Claim.outlet, issue 16), and every kind of write keeps them so
(facts.services.claim_placement). Each test writes one way and then compares every claim's
columns with its fact's and article's as the database holds them."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from facts.domain import candidates
from facts.models import Article, Claim, Fact
from facts.services import articles, claim_placement, claims, ingest, records
from facts.services.review import SYSTEM
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    FactFactory,
    OutletFactory,
    SubjectFactory,
    about_30000_troops,
)

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "claims-import.json"


def wrongly_placed() -> list[int]:
    """The claims whose columns differ from their fact's subject and article's outlet, read
    row by row here rather than by the service's own query."""
    subject_of = dict(Fact.objects.values_list("id", "subject_id"))
    outlet_of = dict(Article.objects.values_list("id", "outlet_id"))
    return [
        pk
        for pk, fact, article, subject, outlet in Claim.objects.values_list(
            "id", "fact_id", "article_id", "subject_id", "outlet_id"
        )
        if (subject, outlet) != (subject_of[fact], outlet_of[article])
    ]


def placed(claim: Claim) -> tuple[str, str]:
    claim.refresh_from_db()
    return claim.subject.slug, claim.outlet.slug


def test_a_new_claim_is_listed_under_its_facts_subject_and_its_articles_outlet(db):
    claim = ClaimFactory(
        fact=FactFactory(subject=SubjectFactory(slug="zapad-2021")),
        article=ArticleFactory(outlet=OutletFactory(slug="the-moscow-times")),
    )
    assert placed(claim) == ("zapad-2021", "the-moscow-times")
    assert not claim_placement.misplaced().exists()


def test_a_claim_moved_to_another_fact_moves_to_that_facts_subject(db):
    claim = ClaimFactory()
    other = FactFactory(subject=SubjectFactory(slug="allied-resolve-2022"))
    claims.move_claim(user=SYSTEM, claim=claim, fact=other)
    assert placed(claim)[0] == "allied-resolve-2022"
    assert wrongly_placed() == []


def test_a_claim_moved_to_another_article_moves_to_that_articles_outlet(db):
    claim = ClaimFactory()
    other = ArticleFactory(outlet=OutletFactory(slug="belta"))
    claims.update_claim(user=SYSTEM, claim=claim, article=other, start=None, end=None)
    assert placed(claim)[1] == "belta"
    assert wrongly_placed() == []


def test_a_facts_claims_follow_it_to_another_subject(db):
    claim = ClaimFactory()
    ClaimFactory(fact=claim.fact, article=ArticleFactory())
    bystander = ClaimFactory()
    records.update_record(
        user=SYSTEM, row=claim.fact, values={"subject": SubjectFactory(slug="zapad-2021")}
    )
    assert Claim.objects.filter(subject__slug="zapad-2021").count() == 2
    assert placed(claim)[0] == "zapad-2021"
    assert placed(bystander)[0] != "zapad-2021"
    assert wrongly_placed() == []


def test_an_articles_claims_follow_it_to_another_outlet(db):
    claim = ClaimFactory()
    ClaimFactory(article=claim.article, fact=FactFactory())
    bystander = ClaimFactory()
    articles.update_article(user=SYSTEM, article=claim.article, outlet=OutletFactory(slug="belta"))
    assert Claim.objects.filter(outlet__slug="belta").count() == 2
    assert placed(bystander)[1] != "belta"
    assert wrongly_placed() == []


def test_a_fact_moved_to_another_subject_through_the_api_takes_its_claims(
    admin_client_logged_in,
):
    claim = ClaimFactory()
    subject = SubjectFactory(slug="zapad-2021")
    fact = Fact.objects.get(pk=claim.fact_id)
    response = admin_client_logged_in.patch(
        f"/api/facts/{fact.pk}/",
        {"subject": subject.slug},
        content_type="application/json",
        headers={"if-match": f'"{fact.pk}-{fact.version}"'},
    )
    assert response.status_code == 200, response.content[:300]
    assert placed(claim)[0] == "zapad-2021"
    listed = admin_client_logged_in.get("/api/claims/", {"subject": "zapad-2021"}).json()
    assert [row["id"] for row in listed["results"]] == [claim.pk]


def test_a_client_cannot_set_a_claims_subject_or_outlet(admin_client_logged_in):
    claim = ClaimFactory()
    claim.refresh_from_db()
    response = admin_client_logged_in.patch(
        f"/api/claims/{claim.pk}/",
        {"subject": SubjectFactory().pk, "outlet": OutletFactory().pk},
        content_type="application/json",
        headers={"if-match": f'"{claim.pk}-{claim.version}"'},
    )
    assert response.status_code == 400
    problems = response.json()["errors"]
    assert "not set by clients" in str(problems["subject"])
    assert "not set by clients" in str(problems["outlet"])


def test_the_claims_admin_form_offers_neither_column(admin_client_logged_in):
    claim = ClaimFactory()
    response = admin_client_logged_in.get(f"/admin/facts/claim/{claim.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "subject" not in form.fields and "outlet" not in form.fields


def test_an_import_places_every_claim_it_writes(admin_client):
    response = admin_client.post(
        "/api/claims/import/", EXAMPLE.read_text(), content_type="application/json"
    )
    assert response.status_code in (200, 201), response.content[:300]
    # The documented example: its claims are on facts of Zapad 2021, in two outlets' articles.
    assert set(Claim.objects.values_list("subject__slug", flat=True)) == {"zapad-2021"}
    assert set(Claim.objects.values_list("outlet__slug", flat=True)) == {
        "example-wire",
        "example-times",
    }
    assert wrongly_placed() == []


def test_an_ingest_places_the_candidates_it_proposes(monkeypatch, db):
    fact = FactFactory(value_kind="quantity", subject=SubjectFactory(slug="zapad-2021"))

    def propose(text, **kwargs):
        return [about_30000_troops(text, fact=fact, attribution_mode="own_voice")]

    monkeypatch.setattr(candidates, "propose", propose)
    result = ingest.ingest_article(
        user=SYSTEM,
        raw="About 30,000 troops took part in the drills, the ministry said on Thursday.",
        content_type="text",
        outlet=OutletFactory(slug="the-national-interest"),
        published=date(2022, 2, 17),
    )
    assert result.candidates == 1
    assert placed(Claim.objects.get()) == ("zapad-2021", "the-national-interest")
    assert wrongly_placed() == []


def test_a_generated_corpus_places_every_claim(db):
    call_command("generate_corpus", claims=300, hot_fact_claims=30, verbosity=0)
    assert Claim.objects.count() == 300
    assert wrongly_placed() == []


def test_the_seed_record_fixture_carries_each_claims_subject_and_outlet(db):
    call_command("loaddata", "seed_record", verbosity=0)
    # Claim 1 of fixtures/claims.json: "Russian troops will leave Belarus", on a fact of
    # allied-resolve-2022, in The Moscow Times.
    assert placed(Claim.objects.get(pk=1)) == ("allied-resolve-2022", "the-moscow-times")
    assert Claim.objects.count() == 117
    assert wrongly_placed() == []


def test_the_services_check_finds_a_claim_written_past_them(db):
    claim = ClaimFactory()
    assert not claim_placement.misplaced().exists()
    Claim.objects.filter(pk=claim.pk).update(subject=SubjectFactory())
    assert list(claim_placement.misplaced()) == [claim]


@pytest.mark.parametrize("column", ["subject", "outlet"])
def test_the_columns_stay_out_of_the_claims_history(db, column):
    history = Claim.history.model  # type: ignore[attr-defined]
    assert column not in {field.name for field in history._meta.fields}


def test_the_check_command_names_a_claim_written_past_the_services(db):
    claim = ClaimFactory()
    out = io.StringIO()
    call_command("check_claim_placement", stdout=out)
    assert "Every claim is listed" in out.getvalue()
    Claim.objects.filter(pk=claim.pk).update(outlet=OutletFactory())
    with pytest.raises(CommandError, match="1 claim"):
        call_command("check_claim_placement", stdout=out)
    assert f"claim {claim.pk}:" in out.getvalue()
