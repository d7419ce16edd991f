"""Every filter of facts/filters.py, ordering and cursor pages, on the seeds or factory data;
bad values are 400s with a message on the field, never 500s."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db.models import Q

from facts.domain import agreement
from facts.models import Actor, Article, Claim, Fact, Outlet, Subject
from tests.factories import (
    ActorFactory,
    ArticleFactory,
    ClaimFactory,
    OutletFactory,
    SubjectFactory,
)
from tests.problems import field_errors

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()


def ids(client, url, params=None) -> set[int]:
    """The ids a list answers with, all on one page."""
    response = client.get(url, {"page_size": 500, **(params or {})})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["next"] is None
    found = [row["id"] for row in body["results"]]
    assert len(found) == len(set(found))
    return set(found)


def claim_ids(condition) -> set[int]:
    return set(Claim.objects.filter(condition).values_list("id", flat=True))


def fact_ids(condition) -> set[int]:
    return set(Fact.objects.filter(condition).values_list("id", flat=True))


# Claims ------------------------------------------------------------------------------------


def test_claims_filter_by_subject_slug_or_id(client, seeds):
    subject = Subject.objects.get(slug="allied-resolve-2022")
    expected = claim_ids(Q(fact__subject=subject))
    assert 0 < len(expected) < Claim.objects.count()
    assert ids(client, "/api/claims/", {"subject": subject.slug}) == expected
    assert ids(client, "/api/claims/", {"subject": subject.id}) == expected


def test_claims_filter_by_fact(client, seeds):
    troops = Fact.objects.get(slug="russian-troops-sent")
    expected = claim_ids(Q(fact=troops))
    assert len(expected) == 6
    assert ids(client, "/api/claims/", {"fact": troops.id}) == expected


def test_claims_filter_by_outlet_slug_or_id(client, seeds):
    outlet = Outlet.objects.get(slug="washington-examiner")
    expected = claim_ids(Q(article__outlet=outlet))
    assert expected
    assert ids(client, "/api/claims/", {"outlet": "washington-examiner"}) == expected
    assert ids(client, "/api/claims/", {"outlet": outlet.id}) == expected


def test_claims_filter_by_actor_takes_the_actors_under_it(client, seeds):
    kremlin = Actor.objects.get(slug="kremlin")

    def under_kremlin(actor: Actor | None) -> bool:
        while actor is not None:
            if actor == kremlin:
                return True
            actor = actor.parent
        return False

    expected = {c.id for c in Claim.objects.select_related("actor") if under_kremlin(c.actor)}
    found = ids(client, "/api/claims/", {"actor": "kremlin"})
    assert found == expected
    by_actor = set(Claim.objects.filter(id__in=found).values_list("actor__slug", flat=True))
    # The spokesman one level down and the deputy minister two levels down are in.
    assert {"kremlin", "dmitry-peskov"} <= by_actor
    assert ids(client, "/api/claims/", {"actor": kremlin.id}) == expected


def test_claims_filter_by_an_actor_under_another_leaves_out_the_body_above(client, seeds):
    found = ids(client, "/api/claims/", {"actor": "dmitry-peskov"})
    assert found == claim_ids(Q(actor__slug="dmitry-peskov"))
    assert found


def test_claims_filter_by_an_unknown_actor_finds_none(client):
    ClaimFactory()
    assert ids(client, "/api/claims/", {"actor": "no-such-actor"}) == set()


def test_claims_filter_by_article_slug_or_id(client, seeds):
    article = Article.objects.get(slug="ni-2022-02-17-joint-exercises-nearing-completion")
    expected = claim_ids(Q(article=article))
    assert ids(client, "/api/claims/", {"article": article.slug}) == expected
    assert ids(client, "/api/claims/", {"article": article.id}) == expected


def test_claims_filter_by_one_or_more_statuses(editor_client):
    """For staff: the public finds verified claims only (tests/test_public_and_staff_views)."""
    client = editor_client
    by_status = {s: ClaimFactory(status=s).id for s in Claim.Status.values}
    assert ids(client, "/api/claims/", {"status": "draft"}) == {by_status["draft"]}
    assert ids(client, "/api/claims/", {"status": ["draft", "candidate"]}) == {
        by_status["draft"],
        by_status["candidate"],
    }


def test_claims_filter_by_their_facts_verdict(client, seeds):
    expected = claim_ids(Q(fact__verdict="attribution_split"))
    assert expected
    assert ids(client, "/api/claims/", {"verdict": "attribution_split"}) == expected
    both = ids(client, "/api/claims/", {"verdict": ["attribution_split", "agreed"]})
    assert both == claim_ids(Q(fact__verdict__in=["attribution_split", "agreed"]))


def test_claims_filter_by_value_kind(client, seeds):
    for kind in ("quantity", "date", "categorical"):
        assert ids(client, "/api/claims/", {"value_kind": kind}) == claim_ids(Q(value_kind=kind))


def test_claims_filter_by_undisclosed(client, seeds):
    undisclosed = ids(client, "/api/claims/", {"undisclosed": "true"})
    assert undisclosed == claim_ids(Q(undisclosed=True))
    assert len(undisclosed) == 3
    disclosed = ids(client, "/api/claims/", {"undisclosed": "false"})
    assert disclosed == claim_ids(Q(undisclosed=False))


def test_claims_filter_by_publication_window(client, seeds):
    day = dt.date(2022, 2, 17)
    after = ids(client, "/api/claims/", {"published_after": day.isoformat()})
    assert after == claim_ids(Q(article__published_latest__gte=day))
    outlets = set(
        Claim.objects.filter(id__in=after).values_list("article__outlet__slug", flat=True)
    )
    assert outlets == {"the-national-interest", "cnn"}
    before = ids(client, "/api/claims/", {"published_before": "2022-02-08"})
    assert before == claim_ids(Q(article__published_earliest__lte=dt.date(2022, 2, 8)))
    both = ids(
        client, "/api/claims/", {"published_after": "2022-02-09", "published_before": "2022-02-11"}
    )
    assert both == claim_ids(
        Q(article__slug="tmt-2022-02-10-russia-launches-belarus-military-drills")
    )


def test_claims_filter_by_as_of_window(client, seeds):
    found = ids(client, "/api/claims/", {"as_of_after": "2022-02-09", "as_of_before": "2022-02-16"})
    expected = claim_ids(Q(as_of__gte=dt.date(2022, 2, 9), as_of__lte=dt.date(2022, 2, 16)))
    assert found == expected
    as_of = set(Claim.objects.filter(id__in=found).values_list("as_of", flat=True))
    assert dt.date(2022, 2, 10) in as_of
    assert dt.date(2022, 2, 8) not in as_of


@pytest.fixture
def quantities():
    """Claims whose intervals are known: [10, 10], [90, 110], [1000, open), [0, 50]."""
    text = "exactly 10 tanks, about 100 jets, more than 1,000 soldiers and up to 50 ships."
    article = ArticleFactory(text=text)

    def claim(wording, number, bound, hedge=""):
        return ClaimFactory(
            article=article,
            wording=wording,
            number=Decimal(number),
            bound=bound,
            hedge=hedge,
        )

    made = {
        "ten": claim("exactly 10 tanks", 10, "exact", "exactly"),
        "hundred": claim("about 100 jets", 100, "approximate", "about"),
        "thousand_up": claim("more than 1,000 soldiers", 1000, "more_than", "more than"),
        "up_to_fifty": claim("up to 50 ships", 50, "at_most", "up to"),
        "date": ClaimFactory(date=True),
        "category": ClaimFactory(categorical=True),
    }
    assert made["thousand_up"].upper is None
    return {name: claim.id for name, claim in made.items()}


def test_a_value_range_finds_the_claims_whose_interval_overlaps_it(client, quantities):
    found = ids(client, "/api/claims/", {"value_min": 95, "value_max": 105})
    assert found == {quantities["hundred"]}
    found = ids(client, "/api/claims/", {"value_min": 40, "value_max": 95})
    assert found == {quantities["hundred"], quantities["up_to_fifty"]}


def test_a_value_range_above_every_bound_finds_the_open_ended_interval(client, quantities):
    found = ids(client, "/api/claims/", {"value_min": 1_000_000})
    assert found == {quantities["thousand_up"]}


def test_a_value_max_below_every_number_finds_the_intervals_reaching_down_to_it(client, quantities):
    assert ids(client, "/api/claims/", {"value_max": 5}) == {quantities["up_to_fifty"]}


def test_a_value_range_leaves_out_dates_categories_and_undisclosed_values(client, quantities):
    found = ids(client, "/api/claims/", {"value_min": 0})
    assert quantities["date"] not in found
    assert quantities["category"] not in found
    expected = claim_ids(Q(value_kind="quantity", undisclosed=False))
    assert found == expected


def test_a_value_range_agrees_with_the_overlap_rule_on_the_seeds(client, seeds):
    low, high = 20_000, 200_000
    found = ids(client, "/api/claims/", {"value_min": low, "value_max": high})
    expected = {
        c.id
        for c in Claim.objects.filter(value_kind="quantity", undisclosed=False)
        if (c.upper is None or c.upper >= low) and (c.lower is None or c.lower <= high)
    }
    assert found == expected
    wordings = set(Claim.objects.filter(id__in=found).values_list("wording", flat=True))
    assert {
        "some 30,000 soldiers",
        "thousands of others into Belarus",
        "more than 100,000 troops",
    } <= wordings
    assert "roughly 3,000 troops" not in wordings


def test_claims_filter_by_date_window(client, seeds):
    found = ids(client, "/api/claims/", {"date_after": "2022-02-20", "date_before": "2022-02-20"})
    day = dt.date(2022, 2, 20)
    assert found == claim_ids(Q(date_latest__gte=day, date_earliest__lte=day))
    wordings = set(Claim.objects.filter(id__in=found).values_list("wording", flat=True))
    assert {"on Feb. 20", "until Feb. 20"} <= wordings


def test_claims_filter_by_date_precision(client, seeds):
    for precision in ("day", "week", "month", "year"):
        found = ids(client, "/api/claims/", {"date_precision": precision})
        assert found == claim_ids(Q(date_precision=precision))
        assert found


def test_claims_filter_by_category(client, seeds):
    found = ids(client, "/api/claims/", {"category": "none stay"})
    assert found == claim_ids(Q(category="none stay"))
    assert len(found) == 11


def test_a_search_matches_across_a_no_break_space(client, seeds):
    found = ids(client, "/api/claims/", {"q": "in February last year"})
    expected = claim_ids(Q(wording__contains="in February\u00a0last year"))
    assert found == expected
    assert expected
    outlets = set(
        Claim.objects.filter(id__in=found).values_list("article__outlet__slug", flat=True)
    )
    assert outlets == {"cnn"}


def test_a_search_is_case_insensitive_and_word_by_word_in_order(client, seeds):
    found = ids(client, "/api/claims/", {"q": "SOME   30,000 soldiers"})
    assert found == claim_ids(Q(wording__icontains="some 30,000 soldiers"))
    assert ids(client, "/api/claims/", {"q": "soldiers 30,000 some"}) == set()


def test_a_search_matches_the_headline(client, seeds):
    found = ids(client, "/api/claims/", {"q": "nearing completion"})
    article = Article.objects.get(slug="ni-2022-02-17-joint-exercises-nearing-completion")
    assert found >= claim_ids(Q(article=article))
    assert found


def test_a_search_takes_regex_characters_literally(client, seeds):
    found = ids(client, "/api/claims/", {"q": "(SAM)"})
    assert found == claim_ids(Q(wording__contains="(SAM)"))
    assert len(found) == 1
    assert ids(client, "/api/claims/", {"q": ".*"}) == set()


def test_claims_filters_combine(client, seeds):
    found = ids(client, "/api/claims/", {"outlet": "the-moscow-times", "value_kind": "quantity"})
    assert found == claim_ids(Q(article__outlet__slug="the-moscow-times", value_kind="quantity"))
    assert found


# Facts -------------------------------------------------------------------------------------


def test_facts_filter_disputed(client, seeds):
    disputed = ids(client, "/api/facts/", {"disputed": "true"})
    assert disputed == fact_ids(Q(verdict__in=agreement.DISPUTES))
    slugs = set(Fact.objects.filter(id__in=disputed).values_list("slug", flat=True))
    assert {"russian-troops-stay-after-drills", "purpose-of-the-drills"} <= slugs
    undisputed = ids(client, "/api/facts/", {"disputed": "false"})
    assert undisputed == fact_ids(~Q(verdict__in=agreement.DISPUTES))
    assert disputed | undisputed == set(Fact.objects.values_list("id", flat=True))


def test_facts_filter_by_verdict(client, seeds):
    assert ids(client, "/api/facts/", {"verdict": "agreed"}) == fact_ids(Q(verdict="agreed"))
    found = ids(client, "/api/facts/", {"verdict": ["agreed", "not_disclosed"]})
    assert found == fact_ids(Q(verdict__in=["agreed", "not_disclosed"]))


def test_facts_filter_by_an_outlet_that_reported_them(client, seeds):
    outlet = Outlet.objects.get(slug="washington-examiner")
    expected = set(
        Claim.objects.filter(article__outlet=outlet, status="verified").values_list(
            "fact_id", flat=True
        )
    )
    assert ids(client, "/api/facts/", {"outlet": "washington-examiner"}) == expected
    assert ids(client, "/api/facts/", {"outlet": outlet.id}) == expected


def test_facts_filter_by_outlet_counts_only_verified_claims(client):
    draft = ClaimFactory(status="draft")
    verified = ClaimFactory(article=draft.article, actor=ActorFactory())
    outlet = draft.article.outlet.slug
    assert ids(client, "/api/facts/", {"outlet": outlet}) == {verified.fact_id}


def test_facts_filter_by_min_originators(client, seeds):
    found = ids(client, "/api/facts/", {"min_originators": 2})
    assert found == fact_ids(Q(counted_originators__gte=2))
    slugs = set(Fact.objects.filter(id__in=found).values_list("slug", flat=True))
    assert "russian-troops-sent" in slugs
    assert "su-35-fighters-sent" not in slugs


def test_facts_filter_by_subject_value_kind_and_search(client, seeds):
    subject = Subject.objects.get(slug="war-in-donbas")
    assert ids(client, "/api/facts/", {"subject": subject.slug}) == fact_ids(Q(subject=subject))
    assert ids(client, "/api/facts/", {"subject": subject.id}) == fact_ids(Q(subject=subject))
    found = ids(client, "/api/facts/", {"value_kind": "date"})
    assert found == fact_ids(Q(value_kind="date"))
    found = ids(client, "/api/facts/", {"q": "troops sent"})
    assert "russian-troops-sent" in set(
        Fact.objects.filter(id__in=found).values_list("slug", flat=True)
    )


# Outlets, articles, actors, subjects -------------------------------------------------------


def test_outlets_filter_by_kind_country_and_search(client):
    wire = OutletFactory(kind="wire", country="GB", name="Reuters", domain="reuters.com")
    paper = OutletFactory(kind="newspaper", country="US")
    assert ids(client, "/api/outlets/", {"kind": "wire"}) == {wire.id}
    assert ids(client, "/api/outlets/", {"kind": ["wire", "newspaper"]}) == {wire.id, paper.id}
    assert ids(client, "/api/outlets/", {"country": "gb"}) == {wire.id}
    assert ids(client, "/api/outlets/", {"q": "REUTERS.com"}) == {wire.id}


def test_articles_filter_by_outlet_window_language_and_search(client):
    early = ArticleFactory(
        published_earliest=dt.date(2022, 1, 3),
        published_latest=dt.date(2022, 1, 3),
        language="ru",
        headline="Учения начались",
    )
    late = ArticleFactory(byline="Jane Roe")
    assert ids(client, "/api/articles/", {"outlet": early.outlet.slug}) == {early.id}
    assert ids(client, "/api/articles/", {"outlet": late.outlet_id}) == {late.id}
    assert ids(client, "/api/articles/", {"published_after": "2022-02-01"}) == {late.id}
    assert ids(client, "/api/articles/", {"published_before": "2022-02-01"}) == {early.id}
    assert ids(client, "/api/articles/", {"language": "ru"}) == {early.id}
    assert ids(client, "/api/articles/", {"q": "учения"}) == {early.id}
    assert ids(client, "/api/articles/", {"q": "jane roe"}) == {late.id}


def test_actors_filter_by_kind_parent_and_search(client):
    top = ActorFactory(kind="government", name="Government of Oz")
    member = ActorFactory(kind="official", parent=top, description="Oz's defence minister")
    assert ids(client, "/api/actors/", {"kind": "official"}) == {member.id}
    assert ids(client, "/api/actors/", {"parent": top.slug}) == {member.id}
    assert ids(client, "/api/actors/", {"parent": top.id}) == {member.id}
    assert ids(client, "/api/actors/", {"q": "of oz"}) == {top.id}
    assert ids(client, "/api/actors/", {"q": "defence minister"}) == {member.id}


def test_subjects_filter_by_kind_and_search(client):
    event = SubjectFactory(kind="event", name="Zapad 2021")
    place = SubjectFactory(kind="place", name="Brest", description="A city on the border")
    assert ids(client, "/api/subjects/", {"kind": "place"}) == {place.id}
    assert ids(client, "/api/subjects/", {"q": "zapad"}) == {event.id}
    assert ids(client, "/api/subjects/", {"q": "on the border"}) == {place.id}


# Ordering ----------------------------------------------------------------------------------


def values(client, url, params, key):
    body = client.get(url, {"page_size": 500, **params}).json()
    return [row[key] for row in body["results"]]


def test_claims_order_by_as_of_either_way(client, seeds):
    newest_first = values(client, "/api/claims/", {"ordering": "-as_of"}, "as_of")
    assert len(newest_first) == Claim.objects.count()
    assert newest_first == sorted(newest_first, reverse=True)
    assert newest_first[0] == "2023-01-03"
    oldest_first = values(client, "/api/claims/", {"ordering": "as_of"}, "as_of")
    assert oldest_first == sorted(oldest_first)


def test_claims_order_by_start(client, seeds):
    starts = values(client, "/api/claims/", {"ordering": "start"}, "start")
    assert starts == sorted(starts)


def test_outlets_order_by_name_and_facts_by_originators(client, seeds):
    names = values(client, "/api/outlets/", {"ordering": "name"}, "name")
    assert names == sorted(names)
    counts = [
        v["counts"]["originators"]
        for v in values(client, "/api/facts/", {"ordering": "-counted_originators"}, "verdict")
    ]
    assert counts == sorted(counts, reverse=True)
    assert counts[0] > counts[-1]


def test_an_ordering_on_a_field_not_offered_is_a_400_naming_it_and_the_allowed_values(
    client, seeds
):
    response = client.get("/api/claims/", {"ordering": "wording"})
    assert response.status_code == 400
    (message,) = field_errors(response)["ordering"]
    assert "'wording'" in message
    assert "id, -id, as_of, -as_of, updated_at, -updated_at, start, -start" in message


# Cursor pages ------------------------------------------------------------------------------


def follow(client, url, params) -> list[dict]:
    rows, pages = [], 0
    response = client.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        pages += 1
        assert pages < 100
        if body["next"] is None:
            return rows
        assert len(body["results"]) == params["page_size"]
        response = client.get(body["next"])


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"ordering": "-as_of"},
        {"ordering": "as_of"},
        {"ordering": "start"},
        {"outlet": "the-moscow-times"},
    ],
)
def test_following_next_to_the_end_gives_every_row_once(client, seeds, params):
    rows = follow(client, "/api/claims/", {"page_size": 7, **params})
    got = [row["id"] for row in rows]
    assert len(got) == len(set(got)), "no row twice"
    expected = set(Claim.objects.values_list("id", flat=True))
    if "outlet" in params:
        expected = claim_ids(Q(article__outlet__slug=params["outlet"]))
    assert set(got) == expected, "no row missing"
    if params.get("ordering") == "-as_of":
        dates = [row["as_of"] for row in rows]
        assert dates == sorted(dates, reverse=True)


def test_previous_leads_back_to_the_same_rows(client, seeds):
    first = client.get("/api/claims/", {"page_size": 10}).json()
    second = client.get(first["next"]).json()
    back = client.get(second["previous"]).json()
    assert [r["id"] for r in back["results"]] == [r["id"] for r in first["results"]]


def test_a_row_created_while_paging_does_not_shift_the_pages(client):
    made = ClaimFactory.create_batch(6)
    first = client.get("/api/claims/", {"page_size": 3}).json()
    ClaimFactory()
    second = client.get(first["next"]).json()
    seen = [r["id"] for r in first["results"] + second["results"]]
    assert sorted(seen) == sorted(c.id for c in made)


def test_a_page_size_of_500_is_allowed(client):
    ClaimFactory()
    assert client.get("/api/claims/", {"page_size": 500}).status_code == 200


@pytest.mark.parametrize("size", ["501", "0", "-1", "abc", "1.5", "99999999999999999999"])
def test_a_page_size_out_of_range_or_not_a_number_is_a_400_on_page_size(client, size):
    response = client.get("/api/claims/", {"page_size": size})
    assert response.status_code == 400
    assert field_errors(response)["page_size"]


# Bad values --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "field", "value"),
    [
        ("/api/claims/", "published_after", "last tuesday"),
        ("/api/claims/", "published_before", "2022-02-30"),
        ("/api/claims/", "as_of_after", "yesterday"),
        ("/api/claims/", "as_of_before", "2022/02/10x"),
        ("/api/claims/", "date_after", "10000-01-01"),
        ("/api/claims/", "date_before", "soon"),
        ("/api/articles/", "published_after", "2022-13-01"),
        ("/api/claims/", "status", "approved"),
        ("/api/claims/", "verdict", "true"),
        ("/api/claims/", "value_kind", "money"),
        ("/api/claims/", "date_precision", "decade"),
        ("/api/facts/", "verdict", "maybe"),
        ("/api/facts/", "value_kind", "number"),
        ("/api/outlets/", "kind", "blog"),
        ("/api/actors/", "kind", "alien"),
        ("/api/subjects/", "kind", "thing"),
        ("/api/claims/", "value_min", "1e20"),
        ("/api/claims/", "value_max", "-1e20"),
        ("/api/claims/", "value_min", "lots"),
        ("/api/claims/", "value_max", "nan"),
        ("/api/claims/", "fact", "99999999999999999999"),
        ("/api/claims/", "fact", "0"),
        ("/api/claims/", "fact", "one"),
        ("/api/facts/", "min_originators", "99999999999999999999"),
        ("/api/facts/", "min_originators", "-1"),
        ("/api/claims/", "q", "x" * 201),
        ("/api/outlets/", "country", "USA"),
        ("/api/claims/", "undisclosed", "maybe"),
        ("/api/facts/", "disputed", "perhaps"),
    ],
)
def test_a_bad_filter_value_is_a_400_with_a_message_on_the_field(client, url, field, value):
    ClaimFactory()
    response = client.get(url, {field: value})
    assert response.status_code == 400, response.content
    messages = field_errors(response)[field]
    assert messages and all(isinstance(m, str) and m for m in messages)


def test_the_schema_lists_the_orderings_each_list_offers_and_the_bare_cursors(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    parameters = schema["paths"]["/api/claims/"]["get"]["parameters"]
    (ordering,) = [p for p in parameters if p["name"] == "ordering"]
    assert ordering["schema"]["enum"] == [
        "id",
        "-id",
        "as_of",
        "-as_of",
        "updated_at",
        "-updated_at",
        "start",
        "-start",
    ]
    page = schema["components"]["schemas"]["PaginatedClaimList"]
    assert {"next_cursor", "previous_cursor"} <= set(page["required"])
