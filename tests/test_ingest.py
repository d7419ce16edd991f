"""Ingest (issue 13, items 1 and 6): a capture becomes one stored article, its boilerplate left
out and its capture kept beside it; the same article twice is found, not stored again; copies
of one story in two outlets are linked; candidates are stored as candidate claims that count in
no verdict; bad input is refused with nothing saved. The command line does the same."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from facts.domain import candidates
from facts.models import Article, ArticleStory, Claim, ClaimStatus
from facts.services import ingest
from facts.services.review import SYSTEM
from tests.factories import (
    ActorFactory,
    ArticleFactory,
    FactFactory,
    OutletFactory,
    about_30000_troops,
)

pytestmark = pytest.mark.django_db

# A capture in the shape of seed 002 (The National Interest): its headline printed twice, an
# image credit and an author bio around the news.
NEWS = (
    "About 30,000 Russian troops have moved into Belarus for drills that are expected to "
    "conclude on Feb. 20, though it will take some time to remove the troops after the drills."
)
NEWS_2 = (
    "Kremlin spokesman Dmitry Peskov confirmed on Thursday that a permanent Russian troop "
    'presence in Belarus is “not being considered," adding that the process could take '
    "several weeks."
)
HEADLINE = "Joint Russian-Belarusian Military Exercises Nearing Completion"
CAPTURE_002 = (
    f"{HEADLINE}\n\n{HEADLINE}\n\n{NEWS}\n\n\n{NEWS_2}\n\n"
    "Mark Episkopos is a national security reporter for the National Interest.\n\n"
    "Image: Reuters.\n"
)
BODY_002 = f"{NEWS}\n\n{NEWS_2}"

HTML = f"""<!DOCTYPE html><html><head><title>{HEADLINE}</title>
<meta property="article:published_time" content="2022-02-17T10:00:00Z">
<meta name="author" content="Mark Episkopos">
<script>var tracking = "<p>not news</p>";</script></head>
<body><nav><a href="/">Home</a> <a href="/about">About</a></nav>
<article><h1>{HEADLINE}</h1><p>{NEWS}</p><p>{NEWS_2}</p></article>
<footer>Copyright 2022. All rights reserved.</footer></body></html>"""


def run(raw, *, outlet=None, content_type=None, **kwargs) -> ingest.IngestResult:
    return ingest.ingest_article(
        user=SYSTEM,
        raw=raw,
        content_type=content_type,
        outlet=outlet or OutletFactory(slug="the-national-interest"),
        **kwargs,
    )


# Plain text and HTML ---------------------------------------------------------------------


def test_it_stores_a_plain_text_capture_as_its_news_body_with_the_capture_beside_it():
    result = run(CAPTURE_002.encode(), published=date(2022, 2, 17))
    article = Article.objects.get()
    assert result.created and article.pk == result.article.pk
    assert article.text == BODY_002
    assert article.headline == HEADLINE
    assert article.capture == CAPTURE_002
    assert article.capture_type == "text"
    assert (article.published_earliest, article.published_precision) == (date(2022, 2, 17), "day")
    assert not article.published_inferred
    assert set(result.removed) == {
        HEADLINE,
        "Mark Episkopos is a national security reporter for the National Interest.",
        "Image: Reuters.",
    }


def test_it_takes_the_main_text_date_headline_and_byline_out_of_html():
    result = run(HTML, content_type="html")
    article = result.article
    assert article.text == BODY_002
    assert "tracking" not in article.text and "Home" not in article.text
    assert article.headline == HEADLINE
    assert article.byline == "Mark Episkopos"
    assert (article.published_earliest, article.published_latest) == (
        date(2022, 2, 17),
        date(2022, 2, 17),
    )
    assert article.published_note == "From the page's markup and metadata (htmldate)."
    assert article.capture_type == "html" and article.capture.startswith("<!DOCTYPE html>")


def test_it_tells_html_from_text_when_no_content_type_is_given():
    assert run(HTML.encode()).article.capture_type == "html"


def test_arguments_win_over_the_pages_own_metadata():
    result = run(
        HTML,
        published=date(2022, 2, 18),
        headline="Given headline",
        byline="Given byline",
        url="https://nationalinterest.org/given",
    )
    article = result.article
    assert article.published_earliest == date(2022, 2, 18)
    assert article.published_note == ""
    assert (article.headline, article.byline) == ("Given headline", "Given byline")
    assert article.url == "https://nationalinterest.org/given"


# Once only, and copies --------------------------------------------------------------------


def test_the_same_article_ingested_twice_is_found_by_its_url():
    outlet = OutletFactory()
    first = run(CAPTURE_002, outlet=outlet, url="https://example.org/a")
    again = run(
        CAPTURE_002 + "\nOne more line of news.", outlet=outlet, url="https://example.org/a"
    )
    assert (again.created, again.duplicate_of) == (False, "url")
    assert again.article.pk == first.article.pk
    assert Article.objects.count() == 1


def test_the_same_text_ingested_twice_in_one_outlet_is_found_by_its_hash():
    outlet = OutletFactory()
    first = run(CAPTURE_002, outlet=outlet)
    again = run(CAPTURE_002, outlet=outlet)
    assert (again.created, again.duplicate_of, again.article.pk) == (
        False,
        "text",
        first.article.pk,
    )
    assert Article.objects.count() == 1


def test_a_nearly_identical_text_in_one_outlet_is_the_same_article():
    outlet = OutletFactory()
    long_news = " ".join([NEWS, NEWS_2] * 3)
    first = run(long_news, outlet=outlet)
    # One spelling changed, as a corrected re-capture of the same page.
    again = run(long_news.replace("Peskov", "Peskov,", 1), outlet=outlet)
    assert (again.created, again.duplicate_of, again.article.pk) == (
        False,
        "near",
        first.article.pk,
    )
    assert Article.objects.count() == 1


def test_copies_of_one_wire_story_in_two_outlets_are_two_articles_linked_as_copies():
    long_news = " ".join([NEWS, NEWS_2] * 3)
    first = run(long_news, outlet=OutletFactory(slug="outlet-a"))
    copy = run(long_news.replace("Peskov", "Peskov,", 1), outlet=OutletFactory(slug="outlet-b"))
    assert copy.created and copy.article.pk != first.article.pk
    assert copy.copies == (first.article.pk,)
    keys = set(ArticleStory.objects.values_list("key", flat=True))
    assert len(keys) == 1


def test_an_article_known_only_by_its_url_gets_its_text():
    outlet = OutletFactory()
    known = Article.objects.create(
        outlet=outlet, slug="known", url="https://example.org/k", text="", text_hash=""
    )
    result = run(CAPTURE_002, outlet=outlet, url="https://example.org/k")
    known.refresh_from_db()
    assert result.article.pk == known.pk and result.duplicate_of == ""
    assert known.text == BODY_002


def test_two_articles_with_one_headline_get_two_slugs():
    outlet = OutletFactory(slug="tni")
    one = run(f"{HEADLINE}\n\n{NEWS}", outlet=outlet)
    two = run(f"{HEADLINE}\n\n{NEWS_2}", outlet=outlet)
    assert one.article.slug == "tni-joint-russian-belarusian-military-exercises-nearing-completion"
    assert two.article.slug == one.article.slug + "-2"


# Candidates ---------------------------------------------------------------------------


def proposing(monkeypatch, found):
    """The extractor (another helper's) replaced by one proposing `found`."""
    seen = {}

    def propose(text, *, published, published_latest=None, actors=(), facts=()):
        seen.update(text=text, published=published, actors=actors, facts=facts)
        return found(text)

    monkeypatch.setattr(candidates, "propose", propose)
    return seen


def test_candidates_are_stored_as_candidate_claims_at_their_exact_offsets(monkeypatch):
    actor = ActorFactory(slug="nato", name="NATO")
    fact = FactFactory(value_kind="quantity")

    def found(text):
        return [
            about_30000_troops(
                text,
                fact=fact,
                actor_key="nato",
                attribution_cue="according to NATO",
                attribution_mode="indirect",
            )
        ]

    seen = proposing(monkeypatch, found)
    result = run(CAPTURE_002, published=date(2022, 2, 17))
    assert result.candidates == 1 and result.skipped == ()
    claim = Claim.objects.get()
    assert claim.status == ClaimStatus.CANDIDATE
    assert (claim.start, claim.end, claim.wording) == (0, 12, "About 30,000")
    assert (claim.fact, claim.actor, claim.attribution_mode) == (fact, actor, "indirect")
    assert seen["published"] == date(2022, 2, 17)
    assert seen["text"] == BODY_002
    assert candidates.KnownActor(key="nato", name="NATO", aliases=()) in seen["actors"]


def test_a_candidate_of_no_known_fact_waits_on_an_unsorted_fact_with_its_suggestion(
    monkeypatch,
):
    def found(text):
        start = text.index("on Feb. 20")
        return [
            candidates.Candidate(
                kind="date",
                start=start,
                end=start + 10,
                wording="on Feb. 20",
                date_earliest=date(2022, 2, 20),
                date_latest=date(2022, 2, 20),
                date_precision="day",
                speaker="Somebody Unknown",
                actor_key="somebody-unknown",
                attribution_mode="indirect",
                fact_suggestion="drills end date",
            )
        ]

    proposing(monkeypatch, found)
    run(CAPTURE_002)
    claim = Claim.objects.get()
    assert claim.fact.property == "Unsorted date"
    assert claim.fact.subject.slug == "unsorted-candidates"
    # Never a silent guess at an actor: the unmatched speaker stays in the note.
    assert (claim.actor, claim.attribution_mode) == (None, "own_voice")
    assert claim.note == (
        "Suggested fact: drills end date\nSpeaker not matched to a known actor: Somebody Unknown"
    )


def test_a_candidate_the_claim_service_refuses_is_listed_and_not_stored(monkeypatch):
    def found(text):
        # Offsets that do not span the wording (an extractor's bug): refused, not stored.
        return [candidates.Candidate(kind="quantity", start=0, end=3, wording="nowhere at all")]

    proposing(monkeypatch, found)
    result = run(CAPTURE_002)
    assert result.candidates == 0
    assert result.skipped and result.skipped[0].startswith("“nowhere at all”")
    assert not Claim.objects.exists()
    assert result.article.pk  # the article itself is stored


def test_a_candidate_proposed_twice_is_stored_once_and_the_second_listed(monkeypatch):
    """One claim per wording, fact and actor: the second is listed, not stored (nor does it
    make the batch fail), and the first stays."""
    fact = FactFactory(value_kind="quantity")
    twice = candidates.Candidate(
        kind="quantity",
        start=0,
        end=12,
        wording="About 30,000",
        number=Decimal("30000"),
        bound="approximate",
        hedge="About",
        fact_key=str(fact.pk),
    )
    proposing(monkeypatch, lambda text: [twice, twice])
    result = run(CAPTURE_002)
    assert result.candidates == 1
    assert result.skipped == ("“About 30,000”: the same claim is stored already",)
    assert Claim.objects.get().wording == "About 30,000"


def test_candidates_count_in_no_verdict(monkeypatch):
    fact = FactFactory(value_kind="quantity")

    def found(text):
        return [
            candidates.Candidate(
                kind="quantity",
                start=0,
                end=12,
                wording="About 30,000",
                number=Decimal("30000"),
                bound="approximate",
                hedge="About",
                fact_key=str(fact.pk),
            )
        ]

    proposing(monkeypatch, found)
    run(CAPTURE_002)
    fact.refresh_from_db()
    assert Claim.objects.candidates().count() == 1
    assert not Claim.objects.verified().exists()
    assert not Claim.objects.counted(include_drafts=True).exists()
    assert fact.verdict == "no_claims"


# Bad input: refused, nothing saved -----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code", "says"),
    [
        (b"", "empty", "The capture is empty"),
        ("  \n\t \n", "empty", "The capture is empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 binary", "binary", "binary file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary", "binary file"),
        (b"text with a NUL\x00 inside", "binary", "binary file"),
        (b"Kyiv\x01\x02\x03\x04 and more", "binary", "control characters"),
        ("Ukraine\u00e2\u20ac\u2122s border".encode(), "encoding", "wrongly encoded"),
        (b"Caf\xe9 in Minsk, 30,000 troops", "encoding", "not UTF-8"),
        ("a \ufffd replacement", "encoding", "wrongly encoded"),
        (f"{NEWS}\n<script>alert(1)</script>", "script", "scripts or active markup"),
        (f'{NEWS}\n<img src=x onerror="alert(1)">', "script", "scripts or active markup"),
        (f"{NEWS} javascript:alert(1)", "script", "scripts or active markup"),
        (
            "<html><head><script>" + "x=1;" * 200 + "</script></head><body></body></html>",
            "no_text",
            "No news text",
        ),
        ("Read more\n\nBack to top button\n", "empty", "Nothing but boilerplate"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(raw, code, says):
    with pytest.raises(ValidationError) as refused:
        run(raw)
    error = refused.value.error_dict["raw"][0]
    assert error.code == code
    assert says in error.messages[0]
    assert not Article.objects.exists()


def test_a_capture_over_the_limit_in_settings_is_refused(settings):
    settings.INGEST_MAX_BYTES = 2048
    with pytest.raises(ValidationError) as refused:
        run(("x" * 2049).encode())
    assert refused.value.messages == [
        "The capture is 2,049 bytes; at most 2,048 are taken (INGEST_MAX_BYTES)."
    ]
    assert not Article.objects.exists()


def test_a_page_in_the_charset_it_declares_is_read():
    page = HTML.replace("<head>", '<head><meta charset="windows-1251">').replace("Peskov", "Песков")
    result = run(page.encode("cp1251"))
    assert "Песков" in result.article.text


# The command line -------------------------------------------------------------------------


def test_the_command_ingests_files_and_says_what_it_did(tmp_path):
    OutletFactory(slug="tni")
    page = tmp_path / "a.html"
    page.write_text(HTML, encoding="utf-8")
    text = tmp_path / "b.txt"
    text.write_text(f"Another headline\n\n{NEWS_2} And more.", encoding="utf-8")
    out = io.StringIO()
    call_command("ingest", str(page), str(text), "--outlet", "tni", stdout=out)
    assert Article.objects.count() == 2
    lines = out.getvalue().splitlines()
    # The page's <h1> is its headline, taken out of the body. The quoted phrase “not being
    # considered," is no quotation proposed (a phrase, no statement: issue 13).
    assert lines[0] == (
        f"{page}: tni-joint-russian-belarusian-military-exercises-nearing-completion: "
        "4 candidate(s), 1 boilerplate paragraph(s) left out"
    )
    assert lines[1].startswith(f"{text}: tni-another-headline: ")


def test_the_command_reads_standard_input(monkeypatch):
    OutletFactory(slug="tni")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(CAPTURE_002.encode())))
    call_command(
        "ingest", "-", "--outlet", "tni", "--published", "2022-02-17", stdout=io.StringIO()
    )
    article = Article.objects.get()
    assert (article.text, article.published_earliest) == (BODY_002, date(2022, 2, 17))


def test_the_command_says_an_article_is_stored_already(tmp_path):
    OutletFactory(slug="tni")
    path = tmp_path / "a.txt"
    path.write_text(CAPTURE_002, encoding="utf-8")
    call_command("ingest", str(path), "--outlet", "tni", stdout=io.StringIO())
    out = io.StringIO()
    call_command("ingest", str(path), "--outlet", "tni", stdout=out)
    assert "stored already (by text)" in out.getvalue()
    assert Article.objects.count() == 1


def test_the_command_refuses_bad_input_and_saves_nothing_of_the_batch(tmp_path):
    OutletFactory(slug="tni")
    good = tmp_path / "good.txt"
    good.write_text(CAPTURE_002, encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00binary")
    with pytest.raises(CommandError) as refused:
        call_command("ingest", str(good), str(bad), "--outlet", "tni", stdout=io.StringIO())
    assert str(refused.value) == (
        f"{bad}: The capture is a binary file, not text or HTML: send the article's text. "
        "Nothing was saved."
    )
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--outlet", "nobody"], "No outlet with the slug 'nobody'."),
        (["--outlet", "tni", "--published", "17.02.2022"], "--published: '17.02.2022' is not"),
        (["--outlet", "tni", "--url", "https://x.org/a", "--", "a", "b"], "--url names one"),
    ],
)
def test_the_command_refuses_bad_arguments(tmp_path, arguments, message):
    OutletFactory(slug="tni")
    path = tmp_path / "a.txt"
    path.write_text(CAPTURE_002, encoding="utf-8")
    paths = [] if "--" in arguments else [str(path)]
    with pytest.raises(CommandError, match=message.replace(".", r"\.")):
        call_command("ingest", *paths, *[a for a in arguments if a != "--"])


def test_the_command_refuses_a_missing_file():
    OutletFactory(slug="tni")
    with pytest.raises(CommandError, match=r"nowhere\.txt: no such file"):
        call_command("ingest", "nowhere.txt", "--outlet", "tni")


# The admin form -------------------------------------------------------------------------

INGEST_PAGE = "/admin/facts/article/ingest/"


def test_the_article_list_offers_the_ingest_to_editors(admin_client_logged_in):
    page = admin_client_logged_in.get("/admin/facts/article/").content.decode()
    assert f'href="{INGEST_PAGE}"' in page


def test_an_editor_pastes_a_capture_in_the_admin(admin_client_logged_in):
    outlet = OutletFactory(slug="tni")
    response = admin_client_logged_in.post(
        INGEST_PAGE, {"outlet": outlet.pk, "content": CAPTURE_002, "published": "2022-02-17"}
    )
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/facts/article/{article.pk}/change/"
    assert article.text == BODY_002 and article.published_earliest == date(2022, 2, 17)


def test_an_editor_uploads_a_capture_in_the_admin(admin_client_logged_in):
    from django.core.files.uploadedfile import SimpleUploadedFile

    outlet = OutletFactory(slug="tni")
    upload = SimpleUploadedFile("page.html", HTML.encode(), content_type="text/html")
    response = admin_client_logged_in.post(INGEST_PAGE, {"outlet": outlet.pk, "upload": upload})
    assert response.status_code == 302
    assert Article.objects.get().capture_type == "html"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "The capture is empty: send the article&#x27;s text or HTML."),
        (f"{NEWS}<script>alert(1)</script>", "The text holds scripts or active markup"),
    ],
)
def test_a_bad_capture_is_a_form_error_in_the_admin(admin_client_logged_in, content, message):
    outlet = OutletFactory(slug="tni")
    response = admin_client_logged_in.post(INGEST_PAGE, {"outlet": outlet.pk, "content": content})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "<script>alert(1)</script>" not in page
    assert not Article.objects.exists()


def test_the_admin_ingest_is_for_editors_who_may_add_articles(client):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(user)
    assert client.get(INGEST_PAGE).status_code == 403


def test_the_capture_is_shown_escaped_on_the_article_page(admin_client_logged_in):
    page_html = HTML.replace("</article>", "<p>x</p></article>")
    article = run(page_html).article
    page = admin_client_logged_in.get(f"/admin/facts/article/{article.pk}/change/")
    shown = page.content.decode()
    assert "&lt;script&gt;var tracking" in shown
    assert '<script>var tracking = "<p>not news</p>";</script>' not in shown


# Batches on the command line --------------------------------------------------------------


def test_many_paths_are_a_background_job_run_for_a_user(
    tmp_path, settings, django_capture_on_commit_callbacks
):
    from facts.models import ImportJob
    from tests.factories import UserFactory

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.INGEST_SYNC_MAX_PATHS = 1
    OutletFactory(slug="tni")
    UserFactory(username="desk")
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_text(CAPTURE_002, encoding="utf-8")
    two.write_text(f"Another headline\n\n{NEWS_2} And more.", encoding="utf-8")
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("ingest", str(one), str(two), "--outlet", "tni", "--user", "desk", stdout=out)
    job = ImportJob.objects.get()
    assert out.getvalue().startswith(f"Queued as job {job.pk} (2 captures)")
    assert (job.kind, job.state, job.result["created"]) == ("articles", "succeeded", 2)
    assert Article.objects.count() == 2


def test_a_background_ingest_needs_a_user(tmp_path, settings):
    settings.INGEST_SYNC_MAX_PATHS = 1
    OutletFactory(slug="tni")
    paths = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.txt"
        path.write_text(CAPTURE_002, encoding="utf-8")
        paths.append(str(path))
    with pytest.raises(CommandError, match="give --user"):
        call_command("ingest", *paths, "--outlet", "tni")


def test_storing_an_articles_candidates_costs_the_same_queries_for_two_or_twenty(monkeypatch):
    """The candidates go in one insert: twenty cost what two cost (the known actors and facts,
    the Unsorted fact, the stored claims, then the insert with its history)."""
    text = "Troops. " * 20

    def found(count):
        return lambda _text: [
            candidates.Candidate(
                kind="quantity",
                start=8 * i,
                end=8 * i + 6,
                wording="Troops",
                number=Decimal(i + 1),
                bound="exact",
            )
            for i in range(count)
        ]

    costs = []
    # The first makes the Unsorted subject and fact; the next two are measured.
    for count in (2, 2, 20):
        proposing(monkeypatch, found(count))
        article = ArticleFactory(text=text)
        with CaptureQueriesContext(connection) as queries:
            stored, skipped = ingest.propose_candidates(user=SYSTEM, article=article)
        assert (stored, skipped) == (count, ())
        costs.append(len(queries))
    assert costs[1] == costs[2]


def test_the_dates_of_a_subject_the_article_names_are_stored_on_its_facts():
    # Issue 13: dates matched to the fact of the subject their sentence names, not "Unsorted".
    start = FactFactory(
        date=True, subject__name="Allied Resolve", property="Combat readiness phase start date"
    )
    FactFactory(date=True, subject=start.subject, property="Active phase end date")
    text = (
        "Russia and Belarus drills\n\nAfter the combat readiness phase that kicked off on Jan. 18 "
        "ends this Wednesday, the active phase of “Allied Resolve” is scheduled to resume on "
        "Thursday and end on Feb. 20."
    )
    run(text.encode(), published=date(2022, 2, 8))
    stored = {c.wording: c.fact.property for c in Claim.objects.select_related("fact")}
    assert stored["on Jan. 18"] == "Combat readiness phase start date"
    assert stored["on Feb. 20"] == "Active phase end date"
    # The end of the combat readiness phase and the start of the active phase are no facts
    # known here: no guess at another.
    assert stored["this Wednesday"] == stored["on Thursday"] == "Unsorted date"


def test_a_subject_named_in_the_text_by_an_alias_gets_its_dates():
    start = FactFactory(
        date=True,
        subject__name="Union Resolve 2022",
        subject__aliases=["Allied Resolve"],
        property="Combat readiness phase start date",
    )
    text = (
        "Russia and Belarus drills\n\nAfter the combat readiness phase that kicked off on Jan. 18 "
        "ends this Wednesday, the active phase of “Allied Resolve” is scheduled to resume on "
        "Thursday and end on Feb. 20."
    )
    run(text.encode(), published=date(2022, 2, 8))
    stored = {c.wording: c.fact_id for c in Claim.objects.all()}
    assert stored["on Jan. 18"] == start.pk
