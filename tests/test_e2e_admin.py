"""The editors' workspace end to end, in a real browser: chromium, driven by playwright, signs in
through the login form of a live server and works the admin as a person would.

Screenshots land in tests/screenshots/ (git-ignored): article.png and fact.png."""

from __future__ import annotations

import importlib
import os
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        f"end-to-end tests need chromium at {CHROMIUM} (apt-get install chromium)",
        allow_module_level=True,
    )

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from django.contrib.auth.models import Group, Permission  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import formats, timezone  # noqa: E402
from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402
from pytest_django.live_server_helper import LiveServer  # noqa: E402

from facts.models import Article, Claim, Fact  # noqa: E402
from facts.services import claims as claim_services  # noqa: E402
from facts.services.review import SYSTEM  # noqa: E402
from tests.factories import (  # noqa: E402
    ActorFactory,
    ArticleFactory,
    ClaimFactory,
    FactFactory,
    OutletFactory,
    UserFactory,
)

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
PASSWORD = "a long enough password"  # tests.factories.UserFactory's
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NI_ARTICLE = "ni-2022-02-17-joint-exercises-nearing-completion"
SEED_SUBJECT = "allied-resolve-2022"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    """Headless chromium for the module.

    Playwright's sync API marks its asyncio loop as running in this thread while it is open.
    Django then takes the tests' own ORM calls (and the flush between tests) for calls from
    async code, which they are not: it is told so. asgiref also keeps Django's connections
    apart from the ones opened before the loop started, so the live server is started after
    the browser and shares the tests' connection."""
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def live_server(request, django_db_setup, browser):
    """pytest-django's live server, started as a plain-HTTP desk install (HTTPS=0) is: its
    SecurityMiddleware reads SECURE_SSL_REDIRECT once, when the server starts, so the test
    settings of tests/conftest.py would come too late for it and every page would redirect
    to https."""
    address = (
        request.config.getvalue("liveserver")
        or os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    with override_settings(SECURE_SSL_REDIRECT=False):
        server = LiveServer(address)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def plain_http_cookies(settings):
    """The live server speaks plain HTTP, as a desk install does (HTTPS=0)."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    """The Editors and Reviewers groups of the data migration: a transaction test flushes every
    table after it ran, and the permissions come back with the flush but the groups do not."""
    roles = importlib.import_module("facts.migrations.0005_editor_and_reviewer_groups")
    for name, codenames in (("Editors", roles.EDITORS), ("Reviewers", roles.REVIEWERS)):
        group, created = Group.objects.get_or_create(name=name)
        if created:
            group.permissions.set(
                Permission.objects.filter(content_type__app_label="facts", codename__in=codenames)
            )


def make_curator(username: str):
    """A staff member in the Editors and Reviewers groups."""
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"), Group.objects.get(name="Reviewers"))
    return user


@pytest.fixture
def curator():
    return make_curator("ed")


@pytest.fixture
def sign_in(browser, live_server):
    """Opens a fresh browser context and signs a user in through the login form."""
    contexts = []

    def open_signed_in(user) -> Page:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}{reverse('admin:index')}")
        expect(page).to_have_url(re.compile(r"/admin/login/"))
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        expect(page.locator("#user-tools strong")).to_have_text(user.username)
        return page

    yield open_signed_in
    for context in contexts:
        context.close()


@pytest.fixture
def page(sign_in, curator) -> Page:
    return sign_in(curator)


@pytest.fixture
def url(live_server):
    def absolute(name: str, *args) -> str:
        return f"{live_server.url}{reverse(name, args=args)}"

    return absolute


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


# Django admin's links fade their colours in over 0.15 s (base.css: `transition: color 0.15s,
# background 0.15s`): axe run right after a switch to dark mode or a new width reads a colour
# half way and reports a contrast no reader sees. The page is checked once it has settled.
SETTLED = """async () => {
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const finite = document.getAnimations().filter(
    (running) => running.effect && running.effect.getTiming().iterations !== Infinity);
  await Promise.all(finite.map((running) => running.finished.catch(() => null)));
}"""
AXE = Axe()


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the settled page, one line each: rule,
    impact, what it says and where (the first five elements)."""
    page.evaluate(SETTLED)
    found = AXE.run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def choose_in_autocomplete(page: Page, field: str, search: str, option: str) -> None:
    """Pick an option of an admin autocomplete (select2) widget as a person does: open it,
    type, click the result."""
    page.click(f".field-{field} .select2-selection")
    page.fill(".select2-container--open .select2-search__field", search)
    page.locator(".select2-container--open .select2-results__option", has_text=option).click()
    expect(page.locator(f"#select2-id_{field}-container")).to_contain_text(option)


def submit(page: Page, button: str = "input[name=_save]") -> None:
    """Press a form's button and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(button)


def saved(page: Page, message: str, button: str = "input[name=_save]") -> None:
    """Submit a form that should be accepted: say why at once if it is refused."""
    submit(page, button)
    refused = page.locator(".errornote, .errorlist li").all_inner_texts()
    assert not refused, f"the form was refused: {refused}"
    expect(page.locator(".messagelist .success")).to_contain_text(message)


def verdict_kind(page: Page) -> str:
    return page.locator("div.factsite-verdict .verdict-kind").inner_text()


def open_collapsed(page: Page, heading: str) -> None:
    """Open a collapsed fieldset of the admin form ("Description", "Record")."""
    page.locator("fieldset.collapse summary", has_text=heading).click()


# 1 -----------------------------------------------------------------------------------------


def test_an_editor_reads_an_article_with_its_claims_marked(page, seeds, url):
    article = Article.objects.get(slug=NI_ARTICLE)
    claims = list(article.claims.all())
    assert len(claims) == 22 and all(c.status == "verified" for c in claims)

    page.goto(url("admin:index"))
    page.get_by_role("link", name="Articles", exact=True).click()
    page.get_by_role("link", name=str(article)).click()
    expect(page).to_have_url(re.compile(rf"/admin/facts/article/{article.pk}/change/"))

    body = page.locator("div.factsite-article")
    expect(body).to_be_visible()
    marks = body.locator("mark.claim")
    # Two pairs of claims share a wording ("Fe. 10-20" starts and ends a period; Moscow and
    # Minsk are two actors), so 22 claims make 20 marks.
    spans = {(c.start, c.end) for c in claims}
    expect(marks).to_have_count(len(spans))
    expect(body.locator("mark.claim-verified")).to_have_count(len(spans))
    marked = marks.evaluate_all(
        "marks => marks.map(m => [m.textContent, m.dataset.claims.split(',').map(Number)])"
    )
    for claim in claims:
        text = "".join(t for t, ids in marked if claim.pk in ids)
        assert text == claim.wording, claim
    troops = body.locator("mark.claim", has_text="About 30,000 Russian troops")
    expect(troops).to_have_text("About 30,000 Russian troops")
    expect(troops).to_have_attribute("title", "Russian troops sent to Belarus: ~30,000 (verified)")
    expect(body).to_contain_text("About 30,000 Russian troops have moved into Belarus")
    screenshot(page, "article.png")

    # A click on a marked wording opens its claim.
    troops.click()
    claim = article.claims.get(wording="About 30,000 Russian troops")
    expect(page).to_have_url(re.compile(rf"/admin/facts/claim/{claim.pk}/change/"))


# 2 -----------------------------------------------------------------------------------------


def select_with_the_mouse(page: Page, passage: str) -> None:
    """Drag the mouse over a passage of the article's text, from its first character to its
    last, as a person selects words."""
    box = page.evaluate(
        """passage => {
            const container = document.querySelector("div.factsite-article");
            const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode()) && !node.data.includes(passage)) {}
            if (!node) { throw new Error("not in one text node: " + passage); }
            const at = node.data.indexOf(passage);
            const charRect = (i) => {
                const range = document.createRange();
                range.setStart(node, i);
                range.setEnd(node, i + 1);
                const rects = range.getClientRects();
                return rects[rects.length - 1];
            };
            window.scrollBy(0, charRect(at).top - window.innerHeight / 3);
            const first = charRect(at), last = charRect(at + passage.length - 1);
            return {
                x1: first.left + 1, y1: (first.top + first.bottom) / 2,
                x2: last.right - 1, y2: (last.top + last.bottom) / 2,
            };
        }""",
        passage,
    )
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move((box["x1"] + box["x2"]) / 2, (box["y1"] + box["y2"]) / 2, steps=4)
    page.mouse.move(box["x2"], box["y2"], steps=4)
    page.mouse.up()
    assert page.evaluate("() => window.getSelection().toString()") == passage


def test_an_editor_makes_a_claim_from_selected_words(page, seeds, url):
    article = Article.objects.get(slug=NI_ARTICLE)
    # Peskov's words, far into the text, after curly quotes and dashes; no claim covers them.
    passage = "the process of transferring the Russian personnel back to their garrisons"
    start = article.text.index(passage)
    end = start + len(passage)
    assert not article.claims.filter(start__lt=end, end__gt=start).exists()

    page.goto(url("admin:facts_article_change", article.pk))
    select_with_the_mouse(page, passage)
    link = page.locator("a.factsite-selection")
    expect(link).to_have_text(f"Make a claim of “{passage[:39]}…”")
    query = parse_qs(urlsplit(link.get_attribute("href")).query)
    assert query == {
        "article": [str(article.pk)],
        "wording": [passage],
        "start": [str(start)],
        "end": [str(end)],
        "status": ["draft"],
    }
    link.click()

    expect(page, "the link opens the claim add form").to_have_url(
        re.compile(r"/admin/facts/claim/add/\?")
    )
    expect(page.locator("#id_wording")).to_have_value(passage)
    expect(page.locator("#id_start")).to_have_value(str(start))
    expect(page.locator("#id_end")).to_have_value(str(end))
    expect(page.locator("#id_status")).to_have_value("draft")
    expect(page.locator("#select2-id_article-container")).to_contain_text(article.headline)

    choose_in_autocomplete(
        page, "fact", "stay in Belarus", "Russian troops stay in Belarus after the drills"
    )
    # A category is a choice of the fact's categories, offered once the fact is chosen.
    page.select_option("#id_category", "none stay")
    page.select_option("#id_attribution_mode", "indirect")
    choose_in_autocomplete(page, "actor", "Peskov", "Dmitry Peskov")
    page.fill("#id_attribution_cue", "adding that")
    # Peskov says "none stay" in other words of this article already: a duplicate, warned
    # with a link to the claim, and saved once the editor confirms it.
    submit(page)
    expect(page.locator(".factsite-warnings")).to_contain_text(
        "This article has a claim of this value on this fact by this actor already."
    )
    page.check("#id_confirm_warnings")
    saved(page, "was added successfully")
    claim = Claim.objects.get(article=article, wording=passage)
    assert (claim.start, claim.end, claim.status) == (start, end, "draft")
    assert claim.fact.property == "Russian troops stay in Belarus after the drills"
    assert (claim.category, claim.actor.name) == ("none stay", "Dmitry Peskov")

    page.goto(url("admin:facts_article_change", article.pk))
    mark = page.locator(f'div.factsite-article mark.claim[data-claims="{claim.pk}"]')
    expect(mark).to_have_text(passage)
    expect(mark).to_have_class("claim claim-draft")


# 3 -----------------------------------------------------------------------------------------


def test_a_reviewer_verifies_a_candidate_and_sees_the_verdict_change(page, seeds, url):
    fact = Fact.objects.get(subject__slug=SEED_SUBJECT, property="Su-35 fighters sent to Belarus")
    assert fact.verdict == "single_originator"
    article = ArticleFactory(
        outlet=OutletFactory(name="Minsk Daily"),
        headline="Su-35 fighters land in Belarus for the drills",
        text="Belarus's defence ministry said twelve Su-35 fighters had landed for the drills.",
    )
    candidate = ClaimFactory(
        fact=fact,
        article=article,
        status="candidate",
        wording="twelve Su-35 fighters",
        number=Decimal(12),
        bound="exact",
        hedge="",
        actor=ActorFactory(name="Belarusian defence ministry"),
        attribution_cue="Belarus's defence ministry said",
    )

    page.goto(url("admin:facts_fact_change", fact.pk))
    assert verdict_kind(page) == "SINGLE ORIGINATOR"
    expect(page.locator("svg.fact-chart .claim")).to_have_count(1)
    rows = page.locator("table.factsite-claims tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("table.factsite-claims tr.status-candidate")).to_contain_text(
        "twelve Su-35 fighters"
    )

    page.get_by_role("link", name="Claims", exact=True).first.click()
    page.locator("#changelist-filter").get_by_role("link", name="candidate", exact=True).click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    page.check(f"input.action-select[value='{candidate.pk}']")
    page.select_option("select[name=action]", label="Verify the selected claims")
    page.click("button[name=index]")
    # The action asks first, showing the claim's value, actor and outlet.
    chosen = page.locator("table.chosen-claims tbody tr")
    expect(chosen).to_have_count(1)
    for shown in ("twelve Su-35 fighters", "Belarusian defence ministry", "Minsk Daily"):
        expect(chosen).to_contain_text(shown)
    page.click("input[type=submit][value='Verify these claims']")
    expect(page.locator(".messagelist .success")).to_have_text("1 claim(s) are now verified.")

    page.goto(url("admin:facts_fact_change", fact.pk))
    assert verdict_kind(page) == "AGREED"
    expect(page.locator("div.factsite-verdict")).to_have_class(re.compile(r"\bverdict-agreed\b"))
    expect(page.locator("div.factsite-verdict")).to_contain_text("2 independent originators")
    expect(page.locator("svg.fact-chart .claim")).to_have_count(2)
    # A row per originator: the ministry Minsk Daily quotes, not the outlet.
    expect(page.locator("svg.fact-chart")).to_contain_text("Belarusian defence ministry")
    expect(page.locator("table.factsite-claims tr.status-verified")).to_have_count(2)
    screenshot(page, "fact.png")
    assert Fact.objects.get(pk=fact.pk).verdict == "agreed"


# 4 -----------------------------------------------------------------------------------------


def test_an_editor_fixes_a_wrong_claim(page, seeds, url):
    fact = Fact.objects.get(subject__slug=SEED_SUBJECT, property="Russian troops sent to Belarus")
    wrong = Claim.objects.get(article__slug=NI_ARTICLE, wording="About 30,000 Russian troops")
    claim_services.update_claim(user=SYSTEM, claim=wrong, number=Decimal(300_000))  # a slipped zero
    assert Fact.objects.get(pk=fact.pk).verdict != "agreed"

    page.goto(url("admin:facts_fact_change", fact.pk))
    row = page.locator("table.factsite-claims tr", has_text="About 30,000 Russian troops")
    expect(row).to_contain_text("270,000 to 330,000")
    assert verdict_kind(page) != "AGREED"
    row.get_by_role("link").click()

    expect(page).to_have_url(re.compile(rf"/admin/facts/claim/{wrong.pk}/change/"))
    expect(page.locator("#id_number")).to_have_value(
        "300000"
    )  # as written, not the column's six places
    page.fill("#id_number", "30000")
    saved(page, "was changed successfully")

    page.goto(url("admin:facts_fact_change", fact.pk))
    expect(row).to_contain_text("27,000 to 33,000")
    assert verdict_kind(page) == "AGREED"
    fixed = Claim.objects.get(pk=wrong.pk)
    assert fixed.number == 30_000 and fixed.status == "verified"

    # A wording the article does not hold is refused, and nothing changes.
    page.goto(url("admin:facts_claim_change", wrong.pk))
    page.fill("#id_wording", "About 40,000 Russian troops")
    page.fill("#id_number", "40000")
    submit(page)
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator(".field-wording .errorlist")).to_contain_text(
        "The wording does not stand in the article"
    )
    assert Claim.objects.get(pk=wrong.pk).version == fixed.version
    page.goto(url("admin:facts_fact_change", fact.pk))
    expect(row).to_contain_text("27,000 to 33,000")
    expect(page.locator("table.factsite-claims")).not_to_contain_text("40,000")


# 5 -----------------------------------------------------------------------------------------


def test_a_mistake_is_undone_from_the_history(page, curator, url):
    fact = FactFactory(description="How many troops the exercise brought together.")

    page.goto(url("admin:facts_fact_change", fact.pk))
    open_collapsed(page, "Description")
    page.fill("#id_description", "Pasted by mistake.")
    saved(page, "was changed successfully")
    assert Fact.objects.get(pk=fact.pk).description == "Pasted by mistake."

    page.goto(url("admin:facts_fact_change", fact.pk))
    page.click("a.historylink")
    expect(page).to_have_url(re.compile(rf"/admin/facts/fact/{fact.pk}/history/"))
    rows = page.locator("#change-history tbody tr")
    expect(rows).to_have_count(2)
    change = fact.history.order_by("-history_date").first()
    when = formats.date_format(timezone.localtime(change.history_date), "DATETIME_FORMAT")
    newest = rows.nth(0)
    expect(newest.locator("td").nth(1)).to_have_text(when)
    expect(newest.locator("td").nth(2)).to_have_text("Changed")
    expect(newest.locator("td").nth(3)).to_have_text(curator.username)
    expect(newest).to_contain_text("Pasted by mistake.")
    expect(rows.nth(1).locator("td").nth(2)).to_have_text("Created")

    rows.nth(1).get_by_role("link").click()
    expect(page.locator("#id_description")).to_have_value(
        "How many troops the exercise brought together."
    )
    saved(page, "was changed successfully", button="input[type=submit][value=Revert]")

    page.goto(url("admin:facts_fact_change", fact.pk))
    open_collapsed(page, "Description")
    expect(page.locator("#id_description")).to_have_value(
        "How many troops the exercise brought together."
    )
    assert Fact.objects.get(pk=fact.pk).description == (
        "How many troops the exercise brought together."
    )


# 6 -----------------------------------------------------------------------------------------


def test_a_stale_form_is_refused(sign_in, curator, url):
    fact = FactFactory(description="Before.")
    mine = sign_in(curator)
    theirs = sign_in(make_curator("rev"))
    for page in (mine, theirs):
        page.goto(url("admin:facts_fact_change", fact.pk))
        open_collapsed(page, "Description")

    theirs.fill("#id_description", "Their edit.")
    saved(theirs, "was changed successfully")

    mine.fill("#id_description", "My edit.")
    submit(mine)
    expect(mine.locator(".errornote")).to_be_visible()
    expect(mine.locator(".errorlist.nonfield")).to_contain_text(
        "Someone else saved this fact while you were editing it"
    )
    assert Fact.objects.get(pk=fact.pk).description == "Their edit."
    mine.goto(url("admin:facts_fact_change", fact.pk))
    open_collapsed(mine, "Description")
    expect(mine.locator("#id_description")).to_have_value("Their edit.")


# 7 -----------------------------------------------------------------------------------------


def test_an_editor_ingests_an_article_by_pasting_it_on_a_phone(sign_in, curator, url):
    OutletFactory(name="The Moscow Times")
    page = sign_in(curator)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url("admin:facts_article_ingest"))
    # The form fits the phone: the capture box made the page scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.select_option("#id_outlet", label="The Moscow Times")
    page.fill("#id_content", "Some 30,000 troops took part in the drills, the Kremlin said.")
    page.click(".ingest-form input[type=submit]")
    expect(page.locator(".messagelist")).to_contain_text("candidate claim(s) proposed")
    screenshot(page, "ingest-phone.png")
    assert Article.objects.get().text == (
        "Some 30,000 troops took part in the drills, the Kremlin said."
    )
