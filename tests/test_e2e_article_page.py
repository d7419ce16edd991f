"""The article page and a fact page in a real browser (issue 14, items 1, 5 and 6): axe-core
finds no serious or critical violation at a desk's and a phone's size, light and dark; the
claim lists fit the window; a claim is made from words selected with the keyboard; marks
over several claims list them all; a split fact's chart reads by originator.

Screenshots land in tests/screenshots/ (git-ignored), named by page, size and scheme."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from facts.models import Article, Fact
from tests import test_e2e_admin as e2e  # skips this module too where chromium is missing

# The browser, the live server and the roles of tests/test_e2e_admin.py, shared as fixtures.
browser = e2e.browser
live_server = e2e.live_server
plain_http_cookies = e2e.plain_http_cookies
role_groups = e2e.role_groups
curator = e2e.curator
url = e2e.url
NI_ARTICLE = e2e.NI_ARTICLE
PASSWORD = e2e.PASSWORD
SCREENSHOTS = e2e.SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desk": (1366, 900), "phone": (390, 844)}
SPLIT = "Russian troops stay in Belarus after the drills"


@pytest.fixture
def open_page(browser, live_server, curator):
    """A signed-in page at a size and colour scheme."""
    contexts = []

    def signed_in(size: str = "desk", scheme: str = "light") -> Page:
        width, height = SIZES[size]
        context = browser.new_context(
            viewport={"width": width, "height": height}, color_scheme=scheme
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}{reverse('admin:login')}")
        page.fill("#id_username", curator.username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        expect(page.locator("#user-tools strong")).to_have_text(curator.username)
        return page

    yield signed_in
    for context in contexts:
        context.close()


serious_violations = e2e.serious_violations


def save_screenshot(page: Page, name: str, *, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page)


def overflow(page: Page, selector: str) -> float:
    """How far the widest element matched reaches past the window's right edge (px)."""
    return page.evaluate(
        """selector => Math.max(0, ...Array.from(document.querySelectorAll(selector))
            .map(e => e.getBoundingClientRect().right - document.documentElement.clientWidth))""",
        selector,
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", list(SIZES))
def test_it_finds_no_serious_axe_violation_and_nothing_wider_than_the_window(
    open_page, seeds, url, size, scheme
):
    page = open_page(size, scheme)
    article = Article.objects.get(slug=NI_ARTICLE)
    page.goto(url("admin:facts_article_change", article.pk))
    expect(page.locator("table.factsite-article-claims")).to_be_visible()
    assert overflow(page, "table.factsite-claims, div.factsite-article") <= 1
    # Measured at 12,560 elements and 754 inputs with an editable row per claim.
    elements, inputs = page.evaluate(
        "() => [document.getElementsByTagName('*').length,"
        " document.querySelectorAll('input, select, textarea').length]"
    )
    assert elements < 1_500 and inputs < 60  # 700 and 20 now
    save_screenshot(page, f"article-{size}-{scheme}.png")
    found = serious_violations(page)
    assert found == [], "\n".join(found)

    fact = Fact.objects.get(property=SPLIT)
    page.goto(url("admin:facts_fact_change", fact.pk))
    expect(page.locator("svg.fact-chart")).to_be_visible()
    assert overflow(page, "table.factsite-claims, svg.fact-chart") <= 1
    save_screenshot(page, f"fact-{size}-{scheme}.png")
    found = serious_violations(page)
    assert found == [], "\n".join(found)


def contrast(page: Page, selector: str) -> float:
    """The WCAG contrast of an element's text colour on its own background colour."""
    return page.evaluate(
        """selector => {
            const style = getComputedStyle(document.querySelector(selector));
            const rgb = c => c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
            const lum = ([r, g, b]) => [r, g, b].map(v => {
                v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
            }).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
            const [a, b] = [lum(rgb(style.color)), lum(rgb(style.backgroundColor))];
            return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        }""",
        selector,
    )


@pytest.mark.parametrize("size", list(SIZES))
def test_an_editor_makes_a_claim_of_words_selected_with_the_keyboard(open_page, seeds, url, size):
    page = open_page(size, "dark" if size == "phone" else "light")
    article = Article.objects.get(slug=NI_ARTICLE)
    passage = "About 30,000 Russian troops have moved into Belarus"
    assert article.text.startswith(passage)
    page.goto(url("admin:facts_article_change", article.pk))

    # Tab into the text: the caret starts at its first word; Shift and the arrows select.
    body = page.locator("div.factsite-article")
    body.focus()
    for _ in passage:
        page.keyboard.press("Shift+ArrowRight")
    assert page.evaluate("() => window.getSelection().toString()") == passage

    card = page.get_by_role("region", name="New claim")
    expect(card).to_be_visible()
    expect(card.locator(".sentence strong")).to_have_text(passage)
    expect(card.locator(".sentence")).to_contain_text("for drills that are expected to conclude")
    link = card.locator("a.factsite-selection")
    expect(link).to_have_text(f"Make a claim of “{passage[:39]}…”")
    assert contrast(page, "a.factsite-selection") >= 4.5
    box = card.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= SIZES[size][0]
    # What the editor sees: the card beside the text, or over the foot of a phone's screen.
    save_screenshot(page, f"claim-card-{size}.png", full_page=False)

    # Enter in the text moves to the card's link; Enter follows it.
    page.keyboard.press("Enter")
    expect(link).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/admin/facts/claim/add/\?"))
    query = parse_qs(urlsplit(page.url).query)
    assert query == {
        "article": [str(article.pk)],
        "wording": [passage],
        "start": ["0"],
        "end": [str(len(passage))],
        "status": ["draft"],
    }


def test_every_mark_is_reached_by_tab_and_overlapping_marks_list_all_their_claims(
    open_page, seeds, url
):
    page = open_page()
    article = Article.objects.get(slug=NI_ARTICLE)
    page.goto(url("admin:facts_article_change", article.pk))
    marks = page.locator("div.factsite-article mark.claim")
    assert marks.evaluate_all("marks => marks.every(m => m.tabIndex === 0 && m.role === 'button')")
    overlap = page.locator("div.factsite-article mark.claim-overlap").first
    ids = overlap.get_attribute("data-claims").split(",")
    assert len(ids) >= 2
    expect(overlap).to_have_attribute("aria-label", re.compile(rf"^{len(ids)} claims: "))

    overlap.focus()
    page.keyboard.press("Enter")
    listing = page.get_by_role("dialog", name="Claims on these words")
    links = listing.get_by_role("link")
    expect(links).to_have_count(len(ids))
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert [h.rstrip("/").split("/")[-2] for h in hrefs] == ids
    expect(links.first).to_be_focused()
    save_screenshot(page, "overlap-list.png", full_page=False)
    page.keyboard.press("Escape")
    expect(listing).to_have_count(0)
    expect(overlap).to_be_focused()


@pytest.mark.parametrize("size", list(SIZES))
def test_a_reader_sees_who_says_what_in_a_split_facts_chart(open_page, seeds, url, size):
    page = open_page(size)
    fact = Fact.objects.get(property=SPLIT)
    page.goto(url("admin:facts_fact_change", fact.pk))
    chart = page.locator("svg.fact-chart")
    labels = chart.locator("text.row-label").all_text_contents()
    assert sorted(labels) == ["Belarusian government", "The Kremlin", "Western governments"]
    legend = chart.locator(".legend text").all_text_contents()
    assert legend == ["side 1: “none stay”", "side 2: “some stay”"]
    # Legible on a phone: each label drawn at 10 px or more.
    heights = chart.locator("text.row-label").evaluate_all(
        "texts => texts.map(t => t.getBoundingClientRect().height)"
    )
    assert min(heights) >= 10, heights


@pytest.mark.parametrize("size", list(SIZES))
def test_a_reader_sees_the_consensus_band_named_and_the_axis_with_its_unit(
    open_page, seeds, url, size
):
    page = open_page(size, "dark" if size == "phone" else "light")
    troops = Fact.objects.get(property="Russian troops sent to Belarus")
    page.goto(url("admin:facts_fact_change", troops.pk))
    chart = page.locator("svg.fact-chart")
    expect(chart.locator("text.consensus-label")).to_have_text("consensus range")
    expect(chart.locator("text.axis-label")).to_have_text("value (a count)")
    # Ticks are written for people: "25,000", not "25000.000000".
    ticks = [t for t in chart.locator("text").all_text_contents() if re.fullmatch(r"[\d,]+", t)]
    assert ticks and all(re.fullmatch(r"\d{1,3}(,\d{3})*", t) for t in ticks), ticks
    chart.screenshot(path=str(SCREENSHOTS / f"chart-agreed-{size}.png"))

    withdrawal = Fact.objects.get(property="Time to withdraw the Russian troops after the drills")
    page.goto(url("admin:facts_fact_change", withdrawal.pk))
    expect(page.locator("svg.fact-chart text.axis-label")).to_have_text("value, in days")
