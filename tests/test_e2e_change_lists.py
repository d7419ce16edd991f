"""Every change list of the workspace in a real browser: axe-core finds no serious or critical
violation on a laptop (1366x900) or a phone (390x844). The facts, disputed facts and boilerplate
rules lists had links in running text told by colour alone (the breadcrumbs, "N results (M
total)"): link-in-text-block, serious, at 390 px. Screenshots: tests/screenshots/list-*.png."""

# The fixtures imported from the workspace tests are pytest's to pass in by name.
# ruff: noqa: F811
from __future__ import annotations

import pytest

from tests.factories import UserFactory
from tests.test_e2e_admin import (  # noqa: F401
    browser,
    live_server,
    plain_http_cookies,
    role_groups,
    screenshot,
    serious_violations,
    sign_in,
    url,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHANGE_LISTS = [
    "admin:facts_fact_changelist",
    "admin:facts_disputedfact_changelist",
    "admin:facts_claim_changelist",
    "admin:facts_article_changelist",
    "admin:facts_outlet_changelist",
    "admin:facts_actor_changelist",
    "admin:facts_subject_changelist",
    "admin:facts_boilerplaterule_changelist",
]
SIZES = {"laptop": (1366, 900), "phone": (390, 844)}


@pytest.mark.parametrize("size", SIZES)
def test_every_change_list_has_no_serious_accessibility_violation(seeds, sign_in, url, size):
    owner = UserFactory(username="owner", is_staff=True, is_superuser=True)
    page = sign_in(owner)
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    found = {}
    for name in CHANGE_LISTS:
        page.goto(url(name))
        found[name] = serious_violations(page)
        screenshot(page, f"list-{name.split('_')[1]}-{size}.png")
    assert found == {name: [] for name in CHANGE_LISTS}
