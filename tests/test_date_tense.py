"""The tense of a date, read from its wording and the sentence around it ("will start on
Thursday" is the next Thursday, "said on Thursday" the last), and used by claims whose date is
read from their wording. Pure, and through the API."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facts.domain import seeding, tense
from facts.domain.dates import DateValue, resolve_date
from facts.models import Claim
from tests.factories import ActorFactory, ArticleFactory, FactFactory

D = date
WEDNESDAY = D(2022, 2, 9)
ARTICLES = {
    row["fields"]["slug"]: row["fields"]
    for row in seeding.read(seeding.FIXTURES_DIR / "articles.json")
}


def day(year, month, number):
    return DateValue(D(year, month, number), D(year, month, number), "day")


def in_article(slug: str, wording: str, *, after: str = "") -> tuple[str, int]:
    """The sentence of a seed article that holds the wording (the first after `after`), and
    where the wording stands in it."""
    text = ARTICLES[slug]["text"]
    start = text.index(wording, text.index(after) if after else 0)
    sentence, offset = tense.sentence_around(text, start, start + len(wording))
    return sentence, start - offset


# --- The examples --------------------------------------------------------------------


def test_will_start_on_thursday_said_on_a_wednesday_is_the_next_day():
    lean = tense.infer_tense("will start on Thursday")
    assert lean == "future"
    assert resolve_date("will start on Thursday", WEDNESDAY, lean=lean) == day(2022, 2, 10)


def test_said_on_thursday_said_on_a_wednesday_is_the_thursday_before():
    lean = tense.infer_tense("said on Thursday")
    assert lean == "past"
    assert resolve_date("said on Thursday", WEDNESDAY, lean=lean) == day(2022, 2, 3)


# --- Seed sentences, with the curator's reading --------------------------------------------


@pytest.mark.parametrize(
    ("slug", "wording", "after", "expected"),
    [
        # "... the active phase of “Allied Resolve” is scheduled to resume on Thursday and end
        # on Feb. 20." (published Tuesday, Feb. 8; the curator read Thursday, Feb. 10)
        ("tmt-2022-02-08-kremlin-says-russian-troops-will-return", "on Thursday", "", "future"),
        ("tmt-2022-02-08-kremlin-says-russian-troops-will-return", "on Feb. 20", "", "future"),
        # "... after the end of joint military exercises later this month, the Kremlin said
        # Tuesday."
        ("tmt-2022-02-08-kremlin-says-russian-troops-will-return", "Tuesday", "", "past"),
        # "... the combat readiness phase that kicked off on Jan. 18 ends this Wednesday"
        ("tmt-2022-02-08-kremlin-says-russian-troops-will-return", "on Jan. 18", "", "past"),
        # "Russia and Belarus launched joint military drills Thursday that heightened tensions"
        ("tmt-2022-02-10-russia-launches-belarus-military-drills", "Thursday", "", "past"),
        # "... the United States on Wednesday evening delivered its tenth ..."
        (
            "tmt-2022-02-10-russia-launches-belarus-military-drills",
            "on Wednesday evening",
            "",
            "past",
        ),
        # "Kremlin spokesman Dmitry Peskov confirmed on Thursday that a permanent ..."
        ("ni-2022-02-17-joint-exercises-nearing-completion", "on Thursday", "Peskov", "past"),
        # "... the Belarusian Defense Ministry said on Tuesday, ..."
        ("cnn-2023-russia-increases-joint-military-drills", "said on Tuesday", "", "past"),
    ],
)
def test_the_tense_of_a_seed_date_is_read_from_its_sentence(slug, wording, after, expected):
    sentence, start = in_article(slug, wording, after=after)
    assert tense.infer_tense(wording, sentence, start=start) == expected


def test_the_drills_scheduled_to_resume_on_thursday_resolve_to_the_curators_day():
    slug = "tmt-2022-02-08-kremlin-says-russian-troops-will-return"
    sentence, start = in_article(slug, "on Thursday")
    lean = tense.infer_tense("on Thursday", sentence, start=start)
    assert resolve_date("on Thursday", D(2022, 2, 8), lean=lean) == day(2022, 2, 10)


# --- Reading the sentence ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wording", "sentence", "expected"),
    [
        ("on Sunday", "The Kremlin said on Tuesday that troops will leave on Sunday.", "future"),
        ("on Tuesday", "The Kremlin said on Tuesday that troops will leave on Sunday.", "past"),
        ("on Thursday", "The drills will be held on Thursday.", "future"),  # not "held"
        ("On Thursday", "On Thursday, the drills will begin.", "future"),
        ("on Friday", "The troops are to leave on Friday.", "future"),
        ("on Friday", "The troops are expected to leave on Friday.", "future"),
        ("on Friday", "Moscow plans to withdraw on Friday.", "future"),
        ("on Friday", "Russia to withdraw troops on Friday", "future"),  # a headline
        ("on Friday", "Officials were in Minsk on Friday.", "past"),
        ("on Friday", "Troops have arrived on Friday.", "past"),
        ("Thursday", "The drills begin Thursday.", None),  # the present says nothing
        ("on Thursday", "", None),
    ],
)
def test_the_marker_of_the_dates_clause_decides(wording, sentence, expected):
    assert tense.infer_tense(wording, sentence) == expected


def test_a_marker_after_the_date_in_another_clause_is_not_used():
    sentence = "The phase that began on Jan. 18, officials say, is to resume next week."
    assert tense.infer_tense("on Jan. 18", sentence) == "past"
    sentence = "The phase of Jan. 18, officials say, is to resume next week."
    assert tense.infer_tense("Jan. 18", sentence) is None


def test_a_sentence_that_does_not_hold_the_wording_is_not_used():
    assert tense.infer_tense("on Thursday", "Troops will leave on Sunday.") is None
    assert tense.infer_tense("said on Thursday", "Troops will leave on Sunday.") == "past"


def test_a_sentence_ends_at_a_full_stop_but_not_after_an_abbreviation():
    text = (
        "Talks ended on Monday. Mr. Peskov said the U.S. drills will end on Feb. 20. "
        "Another sentence.\nA new paragraph"
    )
    start = text.index("on Feb. 20")
    sentence, offset = tense.sentence_around(text, start, start + len("on Feb. 20"))
    assert sentence == "Mr. Peskov said the U.S. drills will end on Feb. 20."
    assert text[offset:].startswith(sentence)
    start = text.index("A new")
    assert tense.sentence_around(text, start, start + 5)[0] == "A new paragraph"


def test_a_span_over_two_sentences_gets_both_and_the_first_and_last_sentences_are_whole():
    # The sentence ends are found once a text (issue 13, item 5): each span still gets its own.
    text = "First one. Mr. Smith left on Feb. 10. Then he came back!\nLast line"
    start = text.index("Feb. 10")
    both = tense.sentence_around(text, start, text.index("came") + 4)
    assert both == ("Mr. Smith left on Feb. 10. Then he came back!", text.index("Mr."))
    assert tense.sentence_around(text, 0, 5) == ("First one.", 0)
    assert tense.sentence_around(text, len(text) - 4, len(text)) == (
        "Last line",
        text.index("Last"),
    )
    assert tense.sentence_around("Talks ended on Monday. A new day", 23, 28)[0] == "A new day"


def test_a_span_outside_the_text_is_refused():
    with pytest.raises(ValueError, match="not inside"):
        tense.sentence_around("short", 3, 10)


# --- A lean, not a rule ------------------------------------------------------------------------


def test_a_lean_does_not_move_a_day_a_year_away():
    # "were scheduled for Feb. 10" in an article of Feb. 8: a past lean, yet still that Feb. 10.
    published = D(2022, 2, 8)
    assert resolve_date("Feb. 10", published, lean="past") == day(2022, 2, 10)
    assert resolve_date("Feb. 10", published, tense="past") == day(2021, 2, 10)  # the rule


def test_a_lean_picks_the_month_that_fits_among_those_near_enough():
    # "The drills were held in August", said in February 2022: six months back, not ahead.
    published = D(2022, 2, 15)
    assert resolve_date("in August", published).earliest == D(2022, 8, 1)
    assert resolve_date("in August", published, lean="past").earliest == D(2021, 8, 1)


def test_a_stated_tense_wins_over_a_lean():
    assert resolve_date("on Thursday", WEDNESDAY, tense="past", lean="future") == day(2022, 2, 3)


def test_an_unknown_lean_is_refused():
    with pytest.raises(ValueError, match="tense must be"):
        resolve_date("on Thursday", WEDNESDAY, lean="soon")


LEANING_TEXTS = [
    ("on Thursday", "future"),
    ("on Thursday", "past"),
    ("Feb. 20", "past"),
    ("Feb. 20", "future"),
    ("in August", "past"),
    ("in August", "future"),
    ("the first quarter", "past"),
]


@settings(deadline=None)
@given(
    first=st.dates(min_value=D(1990, 1, 1), max_value=D(2060, 12, 31)),
    gap=st.integers(min_value=0, max_value=800),
    case=st.sampled_from(LEANING_TEXTS),
)
def test_with_a_lean_a_later_publication_day_never_moves_a_reading_back(first, gap, case):
    # What lets a window of publication days be read from its two ends only.
    text, lean = case
    earlier = resolve_date(text, first, lean=lean)
    later = resolve_date(text, first + timedelta(days=gap), lean=lean)
    assert earlier.earliest <= later.earliest
    assert earlier.latest <= later.latest


# --- Through the product -----------------------------------------------------------------------

TEXT = (
    "Russian and Belarusian forces will start joint drills on Thursday, the ministry said. "
    "Kremlin spokesman Dmitry Peskov said on Thursday that the troops would go home."
)


@pytest.fixture
def editor(client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("editor", password="a long password")
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="facts").exclude(codename="verify_claim")
    )
    client.force_login(user)
    return user


def post_date_claim(client, article, wording, start=None):
    body = {
        "fact": FactFactory(date=True).id,
        "article": article.id,
        "wording": wording,
        "actor": ActorFactory().id,
        "attribution_mode": "indirect",
    }
    if start is not None:
        body.update(start=start, end=start + len(wording))
    return client.post("/api/claims/", body, content_type="application/json")


@pytest.mark.django_db
def test_a_claim_on_thursday_in_a_sentence_about_the_future_is_the_next_thursday(client, editor):
    article = ArticleFactory(text=TEXT, published_earliest=WEDNESDAY, published_latest=WEDNESDAY)
    response = post_date_claim(client, article, "on Thursday", start=TEXT.index("on Thursday"))
    assert response.status_code == 201, response.content
    claim = Claim.objects.get(id=response.json()["id"])
    assert (claim.date_earliest, claim.date_latest, claim.date_precision) == (
        D(2022, 2, 10),
        D(2022, 2, 10),
        "day",
    )


@pytest.mark.django_db
def test_a_claim_said_on_thursday_is_the_last_thursday(client, editor):
    article = ArticleFactory(text=TEXT, published_earliest=WEDNESDAY, published_latest=WEDNESDAY)
    start = TEXT.index("on Thursday", TEXT.index("Peskov"))
    response = post_date_claim(client, article, "on Thursday", start=start)
    assert response.status_code == 201, response.content
    claim = Claim.objects.get(id=response.json()["id"])
    assert claim.date_earliest == claim.date_latest == D(2022, 2, 3)


@pytest.mark.django_db
def test_a_claim_found_by_its_wording_alone_reads_its_sentence(client, editor):
    article = ArticleFactory(text=TEXT, published_earliest=WEDNESDAY, published_latest=WEDNESDAY)
    response = post_date_claim(client, article, "will start joint drills on Thursday")
    assert response.status_code == 201, response.content
    assert response.json()["date_earliest"] == "2022-02-10"


@pytest.mark.django_db
def test_a_claim_whose_wording_the_text_does_not_place_reads_the_wording_alone():
    article = ArticleFactory(text=TEXT, published_earliest=WEDNESDAY, published_latest=WEDNESDAY)
    claim = Claim(fact=FactFactory(date=True), article=article, wording="will start on Thursday")
    claim._resolve_date_from_wording()
    assert claim.date_earliest == D(2022, 2, 10)
    claim = Claim(fact=FactFactory(date=True), article=article, wording="said on Thursday")
    claim._resolve_date_from_wording()
    assert claim.date_earliest == D(2022, 2, 3)
