"""A quantity's bound comes from its hedge when the writer leaves it out, and hedge and bound
from the hedge its wording starts with: by the rules of facts/domain/data/hedges.json, pure and
through the API."""

from decimal import Decimal

import pytest

from facts.domain import values
from facts.models import Claim
from tests.factories import ActorFactory, ArticleFactory, FactFactory
from tests.problems import field_errors

D = Decimal


@pytest.mark.parametrize(
    ("hedge", "bound"),
    [
        ("some", "approximate"),
        ("about", "approximate"),
        ("About", "approximate"),
        ("more than", "more_than"),
        ("more\u00a0than", "more_than"),
        ("over", "more_than"),
        ("up to", "at_most"),
        ("as many as", "at_most"),
        ("thousands", "vague"),
        ("several", "vague"),
        ("at least", "at_least"),
        ("fewer than", "less_than"),
    ],
)
def test_a_hedge_without_a_bound_gives_the_hedges_bound(hedge, bound):
    assert values.complete_bound(bound="", hedge=hedge) == (hedge, bound)


def test_no_hedge_and_no_bound_is_exact_and_two_numbers_a_range():
    assert values.complete_bound(bound="", hedge="", wording="30,000 troops") == ("", "exact")
    assert values.complete_bound(bound="", hedge="", wording="10-20", has_number_high=True) == (
        "",
        "range",
    )


def test_a_bound_given_is_kept_for_the_rules_to_refuse_when_it_contradicts_the_hedge():
    assert values.complete_bound(bound="exact", hedge="some") == ("some", "exact")
    with pytest.raises(values.InvalidValue) as refused:
        values.quantity_bounds(bound="exact", hedge="some", number=D(30000))
    assert refused.value.field == "bound"
    assert refused.value.message == "The hedge 'some' means approximate, not exact."


def test_a_hedge_the_rules_do_not_know_gives_no_bound():
    # The curator recorded "in a matter of two days" as at most; the rules do not say so.
    assert values.complete_bound(bound="", hedge="in a matter of") == ("in a matter of", "")


# The seed claims whose wording starts with their hedge: the curator's hedge and bound.
SEED_WORDINGS = [
    ("over 100,000 troops", "over", "more_than"),
    ("more than 100,000 troops", "more than", "more_than"),
    ("some 30,000 soldiers", "some", "approximate"),
    ("more than 14,000 lives", "more than", "more_than"),
    ("About 30,000 Russian troops", "about", "approximate"),
    ("around 30,000 Russian troops", "around", "approximate"),
    ("roughly 3,000 troops", "roughly", "approximate"),
    ("as many as 50,000 civilians injured or killed", "as many as", "at_most"),
    ("up to 5 million refugees", "up to", "at_most"),
    ("several weeks", "several", "vague"),
    ("a certain number of weeks", "a certain number of", "vague"),
    ("thousands of others into Belarus", "thousands", "vague"),
    # No hedge: the curator recorded them as exact.
    ("two phases", "", "exact"),
    ("six warship", "", "exact"),
    ("five training ranges", "", "exact"),
    ("twelve Su-35 air superiority fighters", "", "exact"),
]


@pytest.mark.parametrize(("wording", "hedge", "bound"), SEED_WORDINGS)
def test_the_hedge_a_seed_wording_starts_with_gives_the_curators_hedge_and_bound(
    wording, hedge, bound
):
    assert values.complete_bound(bound="", hedge="", wording=wording) == (hedge, bound)


@pytest.mark.parametrize(
    ("wording", "hedge"),
    [
        ("some time", "some time"),  # the longer phrase, a vague word, not "some"
        ("no more than 500 troops", "no more than"),
        ("As  many as 50,000", "as many as"),
        ("about a dozen jets", "about"),
        ("some two dozen jets", "some"),
        ("over\u00a09,000", "over"),
    ],
)
def test_the_longest_hedge_at_the_start_is_found_whatever_its_case_and_spacing(wording, hedge):
    assert values.load_rules().leading_hedge(wording) == hedge


@pytest.mark.parametrize(
    "wording",
    [
        "overall 30,000 troops",  # a longer word
        "sometimes 30,000",
        "over the border, 30,000 troops",  # a hedge word with no number after it
        "over a wide front",
        "30,000 troops, some of them",  # not at the start
        "",
    ],
)
def test_a_wording_that_does_not_start_with_a_hedge_has_none(wording):
    assert values.load_rules().leading_hedge(wording) is None


# Through the product -------------------------------------------------------------------------


@pytest.fixture
def editor(client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("editor", password="a long password")
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="facts").exclude(codename="verify_claim")
    )
    client.force_login(user)
    return user


def post_claim(client, *, text, wording, **value):
    article = ArticleFactory(text=text)
    body = {
        "fact": FactFactory().id,
        "article": article.id,
        "wording": wording,
        "actor": ActorFactory().id,
        "attribution_mode": "indirect",
        **value,
    }
    return client.post("/api/claims/", body, content_type="application/json")


TEXT = (
    "Russia and Belarus launched joint military drills Thursday. The United States has said some "
    "30,000 troops were dispatched to Belarus, over 100,000 troops massed near Ukraine, and "
    "12,000 more in Belarus. Thousands of others were sent in a matter of two days."
)


@pytest.mark.django_db
def test_a_claim_sent_with_a_hedge_and_no_bound_gets_the_hedges_bound(client, editor):
    response = post_claim(
        client, text=TEXT, wording="over 100,000 troops", number=100000, hedge="over"
    )
    assert response.status_code == 201, response.content
    claim = Claim.objects.get(id=response.json()["id"])
    assert (claim.hedge, claim.bound) == ("over", "more_than")
    assert (claim.lower, claim.upper) == (D(100000), None)
    assert response.json()["value"] == ">100,000"


@pytest.mark.django_db
def test_a_claim_sent_without_hedge_or_bound_takes_them_from_its_wording(client, editor):
    response = post_claim(client, text=TEXT, wording="some 30,000 troops", number=30000)
    assert response.status_code == 201, response.content
    claim = Claim.objects.get(id=response.json()["id"])
    assert (claim.hedge, claim.bound) == ("some", "approximate")
    assert (claim.lower, claim.upper) == (D(27000), D(33000))


@pytest.mark.django_db
def test_a_vague_word_at_the_start_of_the_wording_makes_a_vague_claim(client, editor):
    response = post_claim(client, text=TEXT, wording="Thousands of others")
    assert response.status_code == 201, response.content
    claim = Claim.objects.get(id=response.json()["id"])
    assert (claim.hedge, claim.bound, claim.number) == ("thousands", "vague", None)
    assert (claim.lower, claim.upper) == (D(2000), D(99999))


@pytest.mark.django_db
def test_a_claim_without_hedge_or_bound_in_its_wording_is_exact(client, editor):
    response = post_claim(client, text=TEXT, wording="12,000 more", number=12000)
    assert response.status_code == 201, response.content
    claim = Claim.objects.get(id=response.json()["id"])
    assert (claim.hedge, claim.bound) == ("", "exact")
    assert (claim.lower, claim.upper) == (D(12000), D(12000))


@pytest.mark.django_db
def test_a_bound_that_contradicts_the_hedge_is_still_a_400_on_bound(client, editor):
    response = post_claim(
        client,
        text=TEXT,
        wording="some 30,000 troops",
        number=30000,
        hedge="some",
        bound="exact",
    )
    assert response.status_code == 400, response.content
    assert field_errors(response)["bound"] == ["The hedge 'some' means approximate, not exact."]
    assert not Claim.objects.exists()


@pytest.mark.django_db
def test_a_hedge_the_rules_do_not_know_still_needs_its_bound(client, editor):
    response = post_claim(
        client, text=TEXT, wording="in a matter of two days", number=2, hedge="in a matter of"
    )
    assert response.status_code == 400, response.content
    assert "Say how the number is bounded" in field_errors(response)["bound"][0]
    assert "'in a matter of'" in field_errors(response)["bound"][0]
