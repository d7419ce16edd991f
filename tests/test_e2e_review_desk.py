"""The review desk and the reviewers' pages in a real browser (issue 14, items 4 and 6): axe-core
finds no serious or critical violation on the desk index, the claims changelist and the reject
page, on a laptop (1366x900) and a phone (390x844), and in dark mode.

Screenshots land in tests/screenshots/ (git-ignored): desk-*.png, claims-*.png, reject-*.png."""

# The fixtures imported from the workspace tests are pytest's to pass in by name, which the
# tests' parameters then shadow.
# ruff: noqa: F811
from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from facts.models import Claim
from facts.services import claims as claim_services
from tests.factories import ActorFactory, ClaimFactory, UserFactory

# The browser, the live server and signing in are the workspace tests' (skipped, as they are,
# without chromium).
from tests.test_e2e_admin import (  # noqa: F401
    browser,
    curator,
    live_server,
    plain_http_cookies,
    role_groups,
    screenshot,
    serious_violations,
    sign_in,
    url,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Name: (width, height, colour scheme). Dark mode follows the browser's preference (the admin's
# dark_mode.css), at one size.
SIZES = {
    "laptop": (1366, 900, "light"),
    "phone": (390, 844, "light"),
    "laptop-dark": (1366, 900, "dark"),
}


@pytest.fixture
def waiting(seeds):
    """The seed record, with a draft an editor changed, and two candidates on the same words."""
    editor = UserFactory(username="editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    changed = Claim.objects.filter(wording="About 30,000 Russian troops").first()
    claim_services.update_claim(user=editor, claim=changed, number=Decimal(3000))
    twins = [
        ClaimFactory(status="candidate", actor=ActorFactory(name=name))
        for name in ("Desk test A", "Desk test B")
    ]
    return twins


@pytest.mark.parametrize("size", SIZES)
def test_the_reviewers_pages_have_no_serious_accessibility_violation(
    sign_in, curator, url, waiting, size
):
    width, height, scheme = SIZES[size]
    page = sign_in(curator)
    page.set_viewport_size({"width": width, "height": height})
    page.emulate_media(color_scheme=scheme)
    problems = {}

    page.goto(url("admin:index"))
    expect(page.locator("#review-desk")).to_contain_text("drafts awaiting review")
    expect(page.locator("table.desk-changes").first).to_contain_text("~3,000")
    screenshot(page, f"desk-{size}.png")
    problems["desk"] = serious_violations(page)

    page.goto(url("admin:facts_claim_changelist") + "?status__exact=candidate")
    expect(page.locator("#result_list")).to_be_visible()
    screenshot(page, f"claims-{size}.png")
    problems["claims"] = serious_violations(page)

    for claim in waiting:
        page.check(f"input.action-select[value='{claim.pk}']")
    page.select_option("select[name=action]", label="Reject the selected claims, with a reason")
    page.click("button[name=index]")
    expect(page.locator("table.chosen-claims tbody tr")).to_have_count(2)
    screenshot(page, f"reject-{size}.png")
    problems["reject"] = serious_violations(page)

    found = [f"{name}: {line}" for name, lines in problems.items() for line in lines]
    assert not found, "\n".join(found)
