"""Anchors stay true: a news body is stored in one form on every path in, a save that changes
nothing leaves it byte for byte, and a changed text anchors every claim again by its exact
wording and context, or orphans it (issue 8, items 1 and 2)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from facts.models import Article, Claim, Fact
from facts.services import articles, claims
from facts.services.review import SYSTEM
from tests.admin_forms import posted_form
from tests.factories import ArticleFactory, ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db

MOSCOW_TIMES = "tmt-2022-02-08-kremlin-says-russian-troops-will-return"
CNN = "cnn-2023-russia-increases-joint-military-drills"


@pytest.fixture
def editor(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return user


def anchors(article: Article) -> list[tuple[int, int, int, str, str]]:
    return sorted(
        (c.pk, c.start, c.end, c.anchor_state, c.status)
        for c in Claim.objects.filter(article=article)
    )


def change_url(article: Article) -> str:
    return reverse("admin:facts_article_change", args=[article.pk])


@pytest.mark.parametrize("slug", [MOSCOW_TIMES, CNN])
def test_saving_only_the_byline_in_the_admin_leaves_the_text_and_every_mark_as_they_were(
    client, editor, seeds, slug
):
    article = Article.objects.get(slug=slug)
    text, marks = article.text, anchors(article)
    data = posted_form(client, change_url(article))
    assert "\r\n" in data["text"]  # as a browser sends a textarea back
    data["byline"] = "A corrected byline"
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    stored = Article.objects.get(pk=article.pk)
    assert stored.byline == "A corrected byline"
    assert stored.text == text  # byte for byte: 1,565 characters stay 1,565
    assert anchors(stored) == marks
    for claim in Claim.objects.filter(article=stored):
        assert stored.text[claim.start : claim.end] == claim.wording


def test_a_save_that_changes_nothing_in_the_admin_writes_nothing(client, editor, seeds):
    article = Article.objects.get(slug=MOSCOW_TIMES)
    history = article.history.count()
    response = client.post(change_url(article), posted_form(client, change_url(article)))
    assert response.status_code == 302
    stored = Article.objects.get(pk=article.pk)
    assert (stored.version, stored.history.count()) == (article.version, history)


def test_a_text_sent_with_windows_line_breaks_through_the_api_is_stored_with_plain_ones():
    outlet = ArticleFactory().outlet
    article = articles.save_article(
        user=SYSTEM,
        article=Article(outlet=outlet, slug="crlf", text="First line.\r\nSecond line.\rThird."),
    ).row
    assert Article.objects.get(pk=article.pk).text == "First line.\nSecond line.\nThird."


def test_a_text_is_stored_in_unicode_nfc_so_a_copied_wording_matches_it():
    outlet = ArticleFactory().outlet
    decomposed = "Le ministe\u0300re a dit: 30 000 soldats."
    article = articles.save_article(
        user=SYSTEM, article=Article(outlet=outlet, slug="nfc", text=decomposed)
    ).row
    assert "ministère" in Article.objects.get(pk=article.pk).text


def test_the_seed_texts_are_already_in_the_stored_form(seeds):
    from facts.domain.text import normalise_text

    for article in Article.objects.all():
        assert normalise_text(article.text) == article.text


def test_a_patch_that_empties_the_text_orphans_every_claim_and_takes_them_out_of_the_verdicts(
    client, seeds
):
    article = Article.objects.get(slug=MOSCOW_TIMES)
    claims = list(Claim.objects.filter(article=article))
    facts = {c.fact_id for c in claims}
    assert len(claims) == 16 and all(c.status == "verified" for c in claims)
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    response = client.get(f"/api/articles/{article.pk}/")
    response = client.patch(
        f"/api/articles/{article.pk}/",
        {"text": "Nothing here any more."},
        content_type="application/json",
        headers={"If-Match": response["ETag"]},
    )
    assert response.status_code == 200, response.json()
    after = Claim.objects.filter(article=article)
    assert {c.anchor_state for c in after} == {"orphaned"}
    assert {c.status for c in after} == {"draft"}
    # None of them is counted any more in the verdicts they were part of.
    counted = {
        claim_id
        for fact in Fact.objects.filter(pk__in=facts)
        for group in fact.verdict_detail.get("groups", [])
        for claim_id in group["claims"]
    }
    assert counted.isdisjoint({c.pk for c in claims})


def test_a_correction_before_a_wording_moves_its_anchor_with_it():
    claim = ClaimFactory()
    article = claim.article
    corrected = article.text.replace("joint military drills", "large joint military drills")
    articles.update_article_text(user=SYSTEM, article=article, text=corrected)
    claim.refresh_from_db()
    assert claim.anchor_state == "anchored"
    assert corrected[claim.start : claim.end] == "some 30,000 soldiers"
    assert claim.status == "verified"


def test_a_wording_that_now_stands_twice_without_its_context_is_orphaned_not_moved():
    claim = ClaimFactory()
    article = claim.article
    # Both copies lose the context the claim was anchored with.
    corrected = "Officials said some 30,000 soldiers. Others said some 30,000 soldiers too."
    articles.update_article_text(user=SYSTEM, article=article, text=corrected)
    claim.refresh_from_db()
    assert claim.anchor_state == "orphaned"
    assert claim.status == "draft"


def test_an_orphaned_claim_can_be_rejected_but_not_verified_until_it_is_anchored_again():
    claim = ClaimFactory()
    article = claim.article
    articles.update_article_text(user=SYSTEM, article=article, text="Nothing here any more.")
    claim.refresh_from_db()
    with pytest.raises(ValidationError, match="orphaned"):
        claims.update_claim(user=SYSTEM, claim=claim, status=Claim.Status.VERIFIED)
    claim.refresh_from_db()
    claims.update_claim(user=SYSTEM, claim=claim, status=Claim.Status.REJECTED, note="Gone.")
    claim.refresh_from_db()
    assert (claim.status, claim.anchor_state) == ("rejected", "orphaned")
