"""The claim form end to end, in chromium (issue 14): opened from selected words it is filled as
the ingest reads them; a contradicting value is warned and must be confirmed; "NATO" picks NATO;
a stale save is resolved keeping both edits; axe finds no serious or critical violation at a
desk's and a phone's size.

Screenshots land in tests/screenshots/ (git-ignored): claim-form-*.png."""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from facts.models import Claim
from tests import test_e2e_admin as e2e
from tests.factories import ActorFactory, ArticleFactory, ClaimFactory, FactFactory
from tests.test_e2e_admin import make_curator, saved, screenshot, serious_violations, submit

# The browser, the live server and signing in, as the workspace's browser tests have them.
browser = e2e.browser
live_server = e2e.live_server
plain_http_cookies = e2e.plain_http_cookies
role_groups = e2e.role_groups
curator = e2e.curator
sign_in = e2e.sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = (
    "NATO said around 30,000 troops had arrived in Belarus for the drills. "
    "The drills end on Feb. 20, the Kremlin said."
)
WORDS = "around 30,000 troops"
DESK = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def drills():
    article = ArticleFactory(text=TEXT)
    fact = FactFactory(property="Troops sent to Belarus for the drills")
    nato = ActorFactory(name="NATO", slug="nato", aliases=["North Atlantic Treaty Organization"])
    ActorFactory(
        name="Jens Stoltenberg",
        slug="jens-stoltenberg",
        aliases=["Stoltenberg"],
        description="Secretary General of NATO.",
    )
    return article, fact, nato


def add_url(server, article) -> str:
    start = TEXT.index(WORDS)
    query = urlencode(
        {
            "article": article.pk,
            "wording": WORDS,
            "start": start,
            "end": start + len(WORDS),
            "status": "draft",
        }
    )
    return f"{server.url}{reverse('admin:facts_claim_add')}?{query}"


def test_the_form_from_selected_words_is_filled_and_warns_of_a_contradicting_value(
    sign_in, curator, live_server, drills
):
    article, fact, nato = drills
    page = sign_in(curator)
    page.set_viewport_size(DESK)
    page.goto(add_url(live_server, article))

    # Filled as the ingest reads the words; the offsets are shown in the sentence, not typed.
    expect(page.locator(".factsite-selected-words mark")).to_have_text(WORDS)
    expect(page.locator("#id_number")).to_have_value("30000")
    expect(page.locator("#id_bounded_as")).to_have_value("approximate:around")
    expect(page.locator("#select2-id_fact-container")).to_contain_text(fact.property)
    expect(page.locator("#select2-id_actor-container")).to_contain_text("NATO")
    expect(page.locator("#id_start")).to_be_hidden()
    # A quantity claim shows the quantity's fields, not a date's or a category's.
    expect(page.locator("fieldset.factsite-kind-quantity")).to_be_visible()
    expect(page.locator("fieldset.factsite-kind-date")).to_be_hidden()
    expect(page.locator("fieldset.factsite-kind-categorical")).to_be_hidden()
    assert serious_violations(page) == []
    screenshot(page, "claim-form-desk.png")
    page.set_viewport_size(PHONE)
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    screenshot(page, "claim-form-phone.png")
    page.set_viewport_size(DESK)
    page.emulate_media(color_scheme="dark")
    assert serious_violations(page) == []
    screenshot(page, "claim-form-dark.png")
    page.emulate_media(color_scheme="light")

    # "NATO" typed in the actor box puts NATO first, so Enter picks it.
    page.click(".field-actor .select2-selection")
    page.fill(".select2-container--open .select2-search__field", "NATO")
    expect(page.locator(".select2-container--open .select2-results__option").first).to_have_text(
        "NATO"
    )
    page.keyboard.press("Enter")
    expect(page.locator("#select2-id_actor-container")).to_contain_text("NATO")

    # A value that contradicts the wording is warned beside the value, before anything is saved.
    page.fill("#id_number", "3000")
    submit(page)
    expect(page.locator(".field-number .errorlist")).to_contain_text(
        "The wording says “around 30,000 troops”, read as approximate 30,000; "
        "the value given is approximate 3,000."
    )
    assert not Claim.objects.exists()
    assert serious_violations(page) == []
    screenshot(page, "claim-form-warned.png")

    # Back to the wording's value, it saves at once.
    page.fill("#id_number", "30000")
    saved(page, "was added successfully")
    claim = Claim.objects.get()
    assert (claim.number, claim.bound, claim.hedge, claim.actor) == (
        Decimal(30000),
        "approximate",
        "around",
        nato,
    )


def test_a_stale_save_is_resolved_keeping_both_edits(sign_in, curator, live_server, drills):
    article, fact, nato = drills
    claim = ClaimFactory(
        article=article,
        fact=fact,
        wording=WORDS,
        number=Decimal(30000),
        hedge="around",
        actor=nato,
        attribution_cue="NATO said",
        note="",
    )
    change = f"{live_server.url}{reverse('admin:facts_claim_change', args=[claim.pk])}"
    mine = sign_in(curator)
    theirs = sign_in(make_curator("rev"))
    for page in (mine, theirs):
        page.set_viewport_size(DESK)
        page.goto(change)

    theirs.fill("#id_note", "Checked against NATO's statement.")
    saved(theirs, "was changed successfully")

    mine.fill("#id_attribution_cue", "the alliance said")
    submit(mine)
    stale = mine.locator(".factsite-stale")
    expect(stale).to_contain_text("rev saved this claim while you were editing it")
    expect(stale.locator('tr[data-field="note"]')).to_contain_text(
        "Checked against NATO's statement."
    )
    expect(stale.locator('tr[data-field="attribution_cue"]')).to_contain_text("the alliance said")
    expect(mine.locator("#id_note")).to_have_value("Checked against NATO's statement.")
    assert serious_violations(mine) == []
    screenshot(mine, "claim-form-stale.png")

    with mine.expect_navigation():
        mine.get_by_role("button", name="Keep mine on the new version").click()
    expect(mine.locator(".messagelist .success")).to_contain_text("was changed successfully")
    expect(mine).to_have_url(re.compile(r"/admin/facts/claim/$"))
    claim.refresh_from_db()
    assert claim.note == "Checked against NATO's statement."
    assert claim.attribution_cue == "the alliance said"
