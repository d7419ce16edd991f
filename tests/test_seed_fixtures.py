"""The seed fixtures: five news bodies with no boilerplate and every fact they report, anchored."""

import json
import shutil

import pytest
from django.core.management import call_command

from facts.domain import seeding, values
from facts.models import Actor, Article, Claim, Fact, Outlet, Subject

BOILERPLATE = [
    "$10,000 a month",
    "from just $2",
    "over 30 years",
    "Since July 1, 2024",
    "mil.ru",
    "Brest training ground",
    "Image: Reuters",
    "is a national security reporter",
    "BIDEN DEPLOYING",
    "CLICK HERE",
    "Related Articles",
    "Back to top button",
    "A Message from The Moscow Times",
    "Remind me later",
]


def fixture_rows(name: str) -> list[dict]:
    return seeding.read(seeding.FIXTURES_DIR / f"{name}.json")


def test_the_fixtures_are_complete_as_committed(tmp_path):
    """Completing the fixtures again changes nothing: offsets, bounds and hashes are current."""
    copy = tmp_path / "fixtures"
    shutil.copytree(seeding.FIXTURES_DIR, copy)
    assert seeding.complete_all(copy) == []
    for path in seeding.seed_paths(copy):
        committed = seeding.FIXTURES_DIR / path.name
        assert json.loads(path.read_text()) == json.loads(committed.read_text()), path.name


@pytest.mark.parametrize("phrase", BOILERPLATE)
def test_no_news_body_holds_boilerplate(phrase):
    for row in fixture_rows("articles"):
        assert phrase not in row["fields"]["text"], row["fields"]["slug"]


def test_no_claim_is_taken_from_boilerplate():
    for row in fixture_rows("claims"):
        for phrase in BOILERPLATE:
            assert phrase not in row["fields"]["wording"]


@pytest.mark.django_db
class TestLoadedSeeds:
    @pytest.fixture(autouse=True)
    def _load(self, seeds):
        pass

    def test_they_hold_five_articles_from_four_outlets(self):
        assert Article.objects.count() == 5
        assert Outlet.objects.count() == 4
        assert Article.objects.filter(outlet__slug="the-moscow-times").count() == 2

    def test_every_publication_date_is_marked_inferred_with_its_precision(self):
        for article in Article.objects.all():
            assert article.published_inferred
            assert article.published_note
        cnn = Article.objects.get(outlet__slug="cnn")
        assert cnn.published_precision == "year"
        assert (cnn.published_earliest.year, cnn.published_latest.year) == (2023, 2023)

    def test_every_article_reports_facts_and_every_claim_is_verified(self):
        assert Claim.objects.count() > 50
        assert set(Claim.objects.values_list("status", flat=True)) == {"verified"}
        for article in Article.objects.all():
            assert article.claims.exists(), article.slug

    def test_every_wording_stands_in_its_article_at_its_offsets(self):
        for claim in Claim.objects.select_related("article"):
            problem = values.anchor_problem(
                claim.article.text,
                wording=claim.wording,
                start=claim.start,
                end=claim.end,
                prefix=claim.prefix,
                suffix=claim.suffix,
            )
            assert problem is None, (claim.pk, problem)
            assert claim.anchor_state == Claim.AnchorState.ANCHORED

    def test_every_claim_passes_validation(self):
        for claim in Claim.objects.select_related("article", "fact", "actor"):
            claim.full_clean()
        for model in (Outlet, Article, Actor, Subject, Fact):
            for row in model.objects.all():
                row.full_clean()

    def test_every_fact_has_a_claim_and_every_actor_is_placed(self):
        assert not Fact.objects.filter(claims=None).exists()
        for actor in Actor.objects.all():
            assert actor.originator().parent is None

    def test_loading_again_adds_nothing(self):
        counts = [m.objects.count() for m in (Outlet, Article, Actor, Subject, Fact, Claim)]
        call_command("load_seeds", verbosity=0)
        assert counts == [m.objects.count() for m in (Outlet, Article, Actor, Subject, Fact, Claim)]

    def test_a_period_is_two_claims_on_a_start_and_an_end(self):
        period = Claim.objects.filter(wording="Fe. 10-20")
        days = sorted(c.date_earliest.isoformat() for c in period)
        assert days == ["2022-02-10", "2022-02-20"]
        assert all(c.date_earliest == c.date_latest for c in period)
        assert period.values("fact").distinct().count() == 2

    def test_counts_written_as_words_are_numbers(self):
        numbers = {c.wording: c.number for c in Claim.objects.filter(value_kind="quantity")}
        twelve = next(n for w, n in numbers.items() if w.startswith("twelve Su-35"))
        two = next(n for w, n in numbers.items() if w.startswith("two units of the S-400"))
        six = next(n for w, n in numbers.items() if w.startswith("six warship"))
        assert (twelve, two, six) == (12, 2, 6)

    def test_one_distance_in_two_units_is_two_claims_on_one_fact(self):
        kilometres = Claim.objects.get(wording__endswith="150 kilometers")
        miles = Claim.objects.get(wording__startswith="93 miles")
        assert kilometres.fact == miles.fact
        assert (kilometres.unit, miles.unit) == ("kilometer", "mile")

    def test_not_disclosed_is_recorded_for_moscow_and_minsk(self):
        undisclosed = Claim.objects.filter(undisclosed=True, wording__contains="not disclosed")
        assert undisclosed.count() >= 2
        originators = {c.actor.originator().slug for c in undisclosed}
        assert len(originators) == 2
