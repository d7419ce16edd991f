"""The claim add/change form as editors work it (issue 14): fields by value kind, hedge and bound
as one choice, offsets from the selection, the form filled from the selected words by the
ingest's parsers, warnings before saving, actors matched exactly first, and stale saves that
keep the work."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from facts.domain import selection
from facts.domain.candidates import KnownActor, KnownFact
from facts.models import Claim
from tests.admin_forms import posted_form
from tests.factories import ActorFactory, ArticleFactory, ClaimFactory, FactFactory

TEXT = (
    "NATO said around 30,000 troops had arrived in Belarus for the drills. "
    "The drills end on Feb. 20, the Kremlin said."
)
WORDS = "around 30,000 troops"


# The domain: the selected words read as the ingest reads them (no database) --------------------


def test_it_reads_the_selected_words_with_the_ingests_parsers():
    start = TEXT.index(WORDS)
    reading = selection.read_selection(
        TEXT,
        start,
        start + len(WORDS),
        published=date(2022, 2, 10),
        actors=[KnownActor(key="nato", name="NATO")],
        facts=[KnownFact(key="7", subject="Drills", property="Troops", value_kind="quantity")],
    )
    assert (
        reading.sentence == "NATO said around 30,000 troops had arrived in Belarus for the drills."
    )
    assert (reading.value.number, reading.value.bound, reading.value.hedge) == (
        Decimal(30000),
        "approximate",
        "around",
    )
    assert reading.attribution.actor_key == "nato"
    assert reading.fact_key == "7"


def test_it_reads_a_number_without_its_noun_by_the_words_after_it():
    # "around 30,000" alone is no count: the noun after it in the text makes it one.
    start = TEXT.index("around 30,000")
    reading = selection.read_selection(
        TEXT, start, start + len("around 30,000"), published=date(2022, 2, 10)
    )
    assert (reading.value.number, reading.value.bound) == (Decimal(30000), "approximate")


def test_it_finds_a_value_that_contradicts_its_wording():
    start = TEXT.index(WORDS)
    read = selection.read_wording(TEXT, start, start + len(WORDS), published=None)
    given = selection.StatedValue(value_kind="quantity", number=Decimal(3000), bound="approximate")
    assert selection.value_contradiction(read, given) == (
        "The wording says “around 30,000 troops”, read as approximate 30,000; "
        "the value given is approximate 3,000."
    )
    agreeing = selection.StatedValue(value_kind="quantity", number=Decimal(30000), bound="")
    assert selection.value_contradiction(read, agreeing) is None
    exact = selection.StatedValue(value_kind="quantity", number=Decimal(30000), bound="exact")
    assert "read as approximate 30,000" in selection.value_contradiction(read, exact)


def test_it_finds_a_date_that_contradicts_its_wording():
    start = TEXT.index("on Feb. 20")
    read = selection.read_wording(
        TEXT, start, start + len("on Feb. 20"), published=date(2022, 2, 10)
    )
    wrong = selection.StatedValue(
        value_kind="date", date_earliest=date(2022, 2, 2), date_latest=date(2022, 2, 2)
    )
    right = selection.StatedValue(
        value_kind="date", date_earliest=date(2022, 2, 20), date_latest=date(2022, 2, 20)
    )
    assert "read as 2022-02-20; the value given is 2022-02-02" in selection.value_contradiction(
        read, wrong
    )
    assert selection.value_contradiction(read, right) is None


# The form -------------------------------------------------------------------------------------


@pytest.fixture
def drills(db):
    """An article with NATO's words, its troops fact and the actors an editor may credit."""
    article = ArticleFactory(text=TEXT)
    fact = FactFactory(property="Troops sent to Belarus for the drills")
    nato = ActorFactory(
        name="NATO",
        slug="nato",
        aliases=["North Atlantic Treaty Organization"],
        description="The alliance.",
    )
    ActorFactory(
        name="Jens Stoltenberg",
        slug="jens-stoltenberg",
        aliases=["Stoltenberg"],
        description="Secretary General of NATO.",
    )
    return article, fact, nato


def add_url(article, words: str = WORDS) -> str:
    start = article.text.index(words)
    query = {
        "article": article.pk,
        "wording": words,
        "start": start,
        "end": start + len(words),
        "status": "draft",
    }
    return f"{reverse('admin:facts_claim_add')}?{urlencode(query)}"


def test_it_fills_the_add_form_from_the_selected_words(admin_client_logged_in, drills):
    article, fact, nato = drills
    response = admin_client_logged_in.get(add_url(article))
    form = response.context["adminform"].form
    assert form["bounded_as"].value() == "approximate:around"
    assert Decimal(form["number"].value()) == Decimal(30000)
    assert form["unit"].value() == "troops"
    assert form["fact"].value() == fact.pk
    assert form["actor"].value() == nato.pk
    assert form["attribution_mode"].value() == "indirect"
    assert form["attribution_cue"].value() == "NATO said"
    page = response.content.decode()
    # The sentence, with the words marked; the offsets are hidden inputs, never typed.
    assert "NATO said <mark>around 30,000 troops</mark> had arrived in Belarus" in page
    assert f'<input type="hidden" name="start" value="{TEXT.index(WORDS)}"' in page
    assert 'name="prefix"' not in page and 'name="suffix"' not in page
    assert 'name="hedge"' not in page and 'name="bound"' not in page


def test_it_saves_the_prefilled_claim_as_it_was_read(admin_client_logged_in, drills):
    article, _fact, nato = drills
    url = add_url(article)
    response = admin_client_logged_in.post(url, posted_form(admin_client_logged_in, url))
    assert response.status_code == 302, response.context["adminform"].form.errors
    claim = Claim.objects.get(article=article)
    assert (claim.number, claim.bound, claim.hedge, claim.actor) == (
        Decimal(30000),
        "approximate",
        "around",
        nato,
    )
    assert (claim.start, claim.end) == (TEXT.index(WORDS), TEXT.index(WORDS) + len(WORDS))


def test_it_warns_beside_the_value_of_a_number_that_contradicts_its_wording(
    admin_client_logged_in, drills
):
    article, _fact, _nato = drills
    url = add_url(article)
    data = posted_form(admin_client_logged_in, url)
    data["number"] = "3000"
    response = admin_client_logged_in.post(url, data)
    assert response.status_code == 200
    assert not Claim.objects.exists()
    form = response.context["adminform"].form
    assert form.errors["number"] == [
        "The wording says “around 30,000 troops”, read as approximate 30,000; "
        "the value given is approximate 3,000."
    ]
    # Confirmed explicitly, it is saved: the parsers may misread a wording the editor knows.
    data.update(confirm_warnings="on", warnings_seen=form.data["warnings_seen"])
    assert admin_client_logged_in.post(url, data).status_code == 302
    assert Claim.objects.get().number == Decimal(3000)


def test_it_warns_of_a_duplicate_with_a_link_to_the_claim_it_repeats(
    admin_client_logged_in, drills
):
    article, fact, nato = drills
    start = TEXT.index(WORDS)
    first = ClaimFactory(
        article=article,
        fact=fact,
        wording="30,000 troops had arrived",
        number=Decimal(30000),
        hedge="around",
        actor=nato,
        attribution_cue="NATO said",
    )
    url = add_url(article)
    response = admin_client_logged_in.post(url, posted_form(admin_client_logged_in, url))
    assert response.status_code == 200
    form = response.context["adminform"].form
    # The other claim's words overlap these too: it is named once, as the duplicate it is.
    assert [w.code for w in form.claim_warnings] == ["duplicate"]
    page = response.content.decode()
    assert "This article has a claim of this value on this fact by this actor already." in page
    assert reverse("admin:facts_claim_change", args=[first.pk]) in page
    assert not Claim.objects.filter(start=start).exists()


def test_it_does_not_call_two_actors_with_one_value_a_duplicate(admin_client_logged_in, drills):
    article, fact, _nato = drills
    ClaimFactory(
        article=article,
        fact=fact,
        wording="30,000 troops had arrived",
        number=Decimal(30000),
        hedge="around",
        actor=ActorFactory(name="Kremlin"),
    )
    url = add_url(article)
    response = admin_client_logged_in.post(url, posted_form(admin_client_logged_in, url))
    assert [w.code for w in response.context["adminform"].form.claim_warnings] == ["overlap"]


def test_it_warns_of_words_that_overlap_another_claims(admin_client_logged_in, drills):
    article, _fact, _nato = drills
    other = ClaimFactory(
        article=article,
        # Another fact, not one about troops: the troops fact stays the one suggested.
        fact=FactFactory(property="Days the drills last"),
        wording="30,000 troops had arrived",
        number=Decimal(30000),
        bound="exact",
        hedge="",
    )
    url = add_url(article)
    response = admin_client_logged_in.post(url, posted_form(admin_client_logged_in, url))
    form = response.context["adminform"].form
    assert [w.code for w in form.claim_warnings] == ["overlap"]
    assert reverse("admin:facts_claim_change", args=[other.pk]) in response.content.decode()


def test_it_shows_a_categorical_claim_a_choice_of_its_facts_categories(admin_client_logged_in):
    fact = FactFactory(categorical=True)
    article = ArticleFactory()
    claim = Claim.objects.create(
        fact=fact,
        article=article,
        subject=fact.subject,
        outlet=article.outlet,
        status="draft",
        value_kind="categorical",
        category="none stay",
        wording="Russian troops will leave Belarus afterwards",
        start=article.text.index("Russian troops will leave"),
        end=article.text.index("Russian troops will leave")
        + len("Russian troops will leave Belarus afterwards"),
    )
    url = reverse("admin:facts_claim_change", args=[claim.pk])
    response = admin_client_logged_in.get(url)
    form = response.context["adminform"].form
    assert form.value_kind == "categorical"
    assert [value for value, _ in form.fields["category"].choices] == ["", "none stay", "some stay"]
    assert 'data-value-kind="categorical"' in response.content.decode()
    data = posted_form(admin_client_logged_in, url)
    data["category"] = "maybe"
    refused = admin_client_logged_in.post(url, data)
    assert (
        "Select a valid choice. maybe is not one of the available choices."
        in (refused.context["adminform"].form.errors["category"][0])
    )


def test_it_takes_hedge_and_bound_as_one_choice(admin_client_logged_in):
    claim = ClaimFactory()
    url = reverse("admin:facts_claim_change", args=[claim.pk])
    data = posted_form(admin_client_logged_in, url)
    assert data["bounded_as"] == "approximate:some"
    data["bounded_as"] = "more_than:over"
    data["confirm_warnings"] = "on"
    data["warnings_seen"] = "contradicts_wording"
    response = admin_client_logged_in.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    claim.refresh_from_db()
    assert (claim.bound, claim.hedge) == ("more_than", "over")


def test_typing_nato_puts_the_nato_actor_first_in_the_autocomplete(admin_client_logged_in, drills):
    def names(term: str) -> list[str]:
        response = admin_client_logged_in.get(
            reverse("admin:autocomplete"),
            {"term": term, "app_label": "facts", "model_name": "claim", "field_name": "actor"},
        )
        return [row["text"] for row in response.json()["results"]]

    assert names("NATO") == ["NATO", "Jens Stoltenberg"]
    assert names("nato")[0] == "NATO"
    assert names("North Atlantic Treaty Organization") == ["NATO"]
    assert names("Stoltenberg") == ["Jens Stoltenberg"]


def test_the_fact_shape_gives_the_claim_form_a_facts_kind_and_categories(admin_client_logged_in):
    fact = FactFactory(categorical=True)
    response = admin_client_logged_in.get(reverse("admin:facts_claim_fact_shape", args=[fact.pk]))
    assert response.json() == {
        "value_kind": "categorical",
        "categories": ["none stay", "some stay"],
        "unit": "",
    }
    missing = admin_client_logged_in.get(reverse("admin:facts_claim_fact_shape", args=[0]))
    assert missing.status_code == 404


# Stale saves that keep the work ---------------------------------------------------------------


def test_a_stale_save_shows_their_change_and_keep_mine_keeps_both(
    client, admin_client_logged_in, django_user_model
):
    claim = ClaimFactory(note="")
    url = reverse("admin:facts_claim_change", args=[claim.pk])
    other = django_user_model.objects.create_superuser("alice", "a@example.org", "a long password")
    from django.test import Client

    alice = Client()
    alice.force_login(other)
    mine = posted_form(admin_client_logged_in, url)
    theirs = posted_form(alice, url)

    theirs["note"] = "Checked against the Kremlin's transcript."
    assert alice.post(url, theirs).status_code == 302

    mine["attribution_cue"] = "Washington has said"
    refused = admin_client_logged_in.post(url, mine)
    assert refused.status_code == 200
    form = refused.context["adminform"].form
    changes = {c.name: c for c in form.stale_edit.changes}
    assert set(changes) == {"note", "attribution_cue"}
    assert changes["note"].theirs == "Checked against the Kremlin's transcript."
    assert (changes["note"].they_changed, changes["note"].i_changed) == (True, False)
    assert changes["attribution_cue"].mine == "Washington has said"
    page = refused.content.decode()
    assert "Someone else saved this claim while you were editing it (alice)" in page
    assert "Keep mine on the new version" in page
    assert Claim.objects.get(pk=claim.pk).attribution_cue == "The United States has said"

    # "Keep mine on the new version": the form as it came back, sent once more.
    kept = admin_client_logged_in.post(url, {k: form.data.getlist(k) for k in form.data})
    assert kept.status_code == 302, kept.context["adminform"].form.errors
    claim.refresh_from_db()
    assert claim.note == "Checked against the Kremlin's transcript."
    assert claim.attribution_cue == "Washington has said"


# Query counts ---------------------------------------------------------------------------------


def test_the_add_form_from_a_selection_reads_in_a_few_queries(
    admin_client_logged_in, drills, django_assert_max_num_queries
):
    article, _fact, _nato = drills
    url = add_url(article)
    with django_assert_max_num_queries(11):
        assert admin_client_logged_in.get(url).status_code == 200


def test_the_change_form_reads_in_a_few_queries(
    admin_client_logged_in, django_assert_max_num_queries
):
    claim = ClaimFactory()
    url = reverse("admin:facts_claim_change", args=[claim.pk])
    with django_assert_max_num_queries(11):
        assert admin_client_logged_in.get(url).status_code == 200


def test_it_fills_a_date_claim_from_selected_words_read_against_the_publication_day(
    admin_client_logged_in, drills
):
    article, _fact, _nato = drills
    end_date = FactFactory(date=True, property="Drills end date")
    url = f"{add_url(article, 'on Feb. 20')}&fact={end_date.pk}"
    response = admin_client_logged_in.get(url)
    form = response.context["adminform"].form
    assert form.value_kind == "date"
    assert (form["date_earliest"].value(), form["date_latest"].value()) == (
        date(2022, 2, 20),
        date(2022, 2, 20),
    )
    assert form["date_precision"].value() == "day"
    assert 'data-value-kind="date"' in response.content.decode()


def test_it_drops_what_the_hidden_fields_of_another_kind_hold(admin_client_logged_in):
    claim = ClaimFactory(hedge="some")
    url = reverse("admin:facts_claim_change", args=[claim.pk])
    data = posted_form(admin_client_logged_in, url)
    # A date and a category typed before the fact was known: hidden for a quantity claim.
    data.update(date_earliest="2022-02-20", date_latest="2022-02-20", date_precision="day")
    data["note"] = "Seen."
    response = admin_client_logged_in.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    claim.refresh_from_db()
    assert (claim.note, claim.date_earliest, claim.date_precision) == ("Seen.", None, "")


def test_the_fact_shape_reads_in_a_few_queries(
    admin_client_logged_in, django_assert_max_num_queries
):
    fact = FactFactory(categorical=True)
    url = reverse("admin:facts_claim_fact_shape", args=[fact.pk])
    # The session, the user, the fact.
    with django_assert_max_num_queries(3):
        assert admin_client_logged_in.get(url).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"article": "x", "start": "1", "end": "5"},
        {"article": "1", "start": "5", "end": "1"},
        {"article": "1", "start": "0", "end": "99999"},
        {"article": "99999", "start": "0", "end": "4"},
        {"article": "1", "start": "-3", "end": "4"},
    ],
)
def test_an_add_form_opened_with_a_selection_that_makes_no_sense_is_a_plain_form(
    admin_client_logged_in, drills, query
):
    article, _fact, _nato = drills
    query = {k: str(article.pk) if v == "1" and k == "article" else v for k, v in query.items()}
    response = admin_client_logged_in.get(f"{reverse('admin:facts_claim_add')}?{urlencode(query)}")
    assert response.status_code == 200
    assert response.context["adminform"].form.selection() is None


def test_where_both_editors_changed_a_field_keep_mine_keeps_mine_and_says_so(
    admin_client_logged_in, django_user_model
):
    from django.test import Client

    claim = ClaimFactory(note="")
    url = reverse("admin:facts_claim_change", args=[claim.pk])
    alice = Client()
    alice.force_login(django_user_model.objects.create_superuser("alice", "a@x.org", "a long pw"))
    mine, theirs = posted_form(admin_client_logged_in, url), posted_form(alice, url)
    theirs["note"] = "Theirs."
    assert alice.post(url, theirs).status_code == 302
    mine["note"] = "Mine."
    form = admin_client_logged_in.post(url, mine).context["adminform"].form
    (change,) = form.stale_edit.changes
    assert (change.name, change.conflict, change.theirs, change.mine) == (
        "note",
        True,
        "Theirs.",
        "Mine.",
    )
    assert admin_client_logged_in.post(url, dict(form.data.lists())).status_code == 302
    assert Claim.objects.get(pk=claim.pk).note == "Mine."
