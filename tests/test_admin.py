"""The admin: every page of every model answers, with its columns, search and inlines."""

import pytest
from django.contrib import admin
from django.urls import reverse

from facts.models import Actor, Article, Claim, Fact, Outlet, Subject
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

MODELS = [Outlet, Article, Actor, Subject, Fact, Claim]


def url(model, action: str, *args) -> str:
    return reverse(f"admin:facts_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def claim():
    return ClaimFactory(fact__property="Russian troops sent to Belarus")


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_model_is_registered_with_search_and_filters(model):
    model_admin = admin.site._registry[model]
    assert model_admin.search_fields
    assert len(model_admin.list_display) > 2


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_list_add_change_and_history_page_answers(admin_client_logged_in, claim, model):
    row = model.objects.first()
    for address in (
        url(model, "changelist"),
        url(model, "add"),
        url(model, "change", row.pk),
        url(model, "history", row.pk),
    ):
        assert admin_client_logged_in.get(address).status_code == 200, address


def test_the_claim_list_shows_value_outlet_and_actor(admin_client_logged_in, claim):
    page = admin_client_logged_in.get(url(Claim, "changelist")).content.decode()
    assert "~30,000" in page
    assert claim.article.outlet.name in page
    assert claim.actor.name in page


def test_the_claim_list_searches_wordings(admin_client_logged_in, claim):
    found = admin_client_logged_in.get(url(Claim, "changelist"), {"q": "30,000 soldiers"})
    missed = admin_client_logged_in.get(url(Claim, "changelist"), {"q": "warships"})
    assert found.context["cl"].result_count == 1
    assert missed.context["cl"].result_count == 0


def test_the_claim_list_filters_by_status_and_outlet(admin_client_logged_in, claim):
    params = {"status__exact": "verified", "article__outlet__id__exact": claim.article.outlet_id}
    page = admin_client_logged_in.get(url(Claim, "changelist"), params)
    assert page.status_code == 200
    assert page.context["cl"].result_count == 1
    rejected = admin_client_logged_in.get(url(Claim, "changelist"), {"status__exact": "rejected"})
    assert rejected.context["cl"].result_count == 0


def test_claims_are_listed_on_their_article_and_their_fact_each_linking_to_its_form(
    admin_client_logged_in, claim
):
    on_article = admin_client_logged_in.get(
        url(Article, "change", claim.article_id)
    ).content.decode()
    on_fact = admin_client_logged_in.get(url(Fact, "change", claim.fact_id)).content.decode()
    form = url(Claim, "change", claim.pk)
    # Read-only rows: a claim is edited in its own form (tests/test_article_and_fact_pages.py).
    assert "claims-0-wording" not in on_article and "claims-0-wording" not in on_fact
    assert f'<a href="{form}">“some 30,000 soldiers”</a>' in on_article
    assert f'<a href="{form}">“some 30,000 soldiers”</a>' in on_fact


def test_foreign_keys_are_chosen_by_autocomplete(admin_client_logged_in, claim):
    page = admin_client_logged_in.get(url(Claim, "change", claim.pk)).content.decode()
    assert page.count("admin-autocomplete") >= 3
    found = admin_client_logged_in.get(
        reverse("admin:autocomplete"),
        {"app_label": "facts", "model_name": "claim", "field_name": "fact", "term": "troops"},
    )
    assert found.json()["results"][0]["text"].endswith("Russian troops sent to Belarus")


def test_a_bad_claim_is_refused_with_a_form_error_and_nothing_saved(admin_client_logged_in, claim):
    data = {
        "fact": claim.fact_id,
        "article": claim.article_id,
        "status": "draft",
        "wording": "some 40,000 soldiers",
        "bound": "approximate",
        "hedge": "some",
        "number": "40000",
        "attribution_mode": "own_voice",
    }
    response = admin_client_logged_in.post(url(Claim, "add"), data)
    assert response.status_code == 200
    assert "does not stand in the article" in response.content.decode()
    assert Claim.objects.count() == 1


def test_an_editor_adds_a_claim_by_its_wording_alone(admin_client_logged_in, claim):
    data = {
        "fact": claim.fact_id,
        "article": claim.article_id,
        "status": "draft",
        "wording": "until Feb. 20",
        "bound": "exact",
        "number": "20",
        "attribution_mode": "own_voice",
    }
    response = admin_client_logged_in.post(url(Claim, "add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    added = Claim.objects.get(wording="until Feb. 20")
    assert claim.article.text[added.start : added.end] == "until Feb. 20"
