"""The review desk (issue 14, item 4): the admin index counts what waits for the reviewers and
links to it; a draft shows what changed since it was verified; the reject and verify pages tell
apart two claims on the same words by their value, actor and outlet."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from facts.models import Claim
from facts.services import articles, claims
from tests.factories import (
    ActorFactory,
    ArticleFactory,
    ClaimFactory,
    FactFactory,
    OutletFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")
CLAIMS = reverse("admin:facts_claim_changelist")


@pytest.fixture
def reviewer(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"), Group.objects.get(name="Reviewers"))
    client.force_login(user)
    return user


@pytest.fixture
def editor():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def desk_counts(page: str) -> dict[str, int]:
    """The desk's counts as a reader sees them: {"disputed facts": 1, ...}."""
    found = re.findall(
        r'<span class="desk-count">([\d,]+)</span>\s*<span class="desk-label">([^<]+)</span>',
        page,
    )
    return {label.strip(): int(count.replace(",", "")) for count, label in found}


def desk_link(page: str, label: str) -> str:
    """The address of the desk's link whose label is given."""
    match = re.search(
        r'<a href="([^"]+)"[^>]*>\s*<span class="desk-count">[\d,]+</span>\s*'
        rf'<span class="desk-label">{re.escape(label)}</span>',
        page,
    )
    assert match, f"no desk link for {label!r}"
    return match.group(1).replace("&amp;", "&")


def listed_claims(client, address: str) -> set[int]:
    response = client.get(address)
    assert response.status_code == 200
    return {row.pk for row in response.context["cl"].result_list}


@pytest.fixture
def waiting(editor):
    """One disputed fact, two drafts, three candidates and one orphaned claim."""
    split = FactFactory(categorical=True)
    ClaimFactory(fact=split, categorical=True, category="none stay")
    ClaimFactory(fact=split, categorical=True, category="some stay")
    drafts = [ClaimFactory(status="draft"), ClaimFactory(status="draft", own_voice=True)]
    candidates = [ClaimFactory(status="candidate") for _ in range(3)]
    gone = ClaimFactory()
    # The wording is corrected away: the claim no longer stands in the text.
    articles.update_article_text(
        user=editor,
        article=gone.article,
        text=gone.article.text.replace("some 30,000 soldiers", "some troops"),
    )
    gone.refresh_from_db()
    assert gone.anchor_state == "orphaned"
    return {"split": split, "drafts": drafts, "candidates": candidates, "orphaned": gone}


def test_the_index_counts_what_waits_for_review(client, reviewer, waiting):
    page = client.get(INDEX).content.decode()
    counts = desk_counts(page)
    # The orphaned claim left verified when it was orphaned: it waits as a draft too.
    assert counts == {
        "disputed facts": 1,
        "drafts awaiting review": 3,
        "candidates": 3,
        "orphaned claims": 1,
    }


def test_the_index_keeps_the_model_list(client, reviewer, waiting):
    page = client.get(INDEX).content.decode()
    assert 'id="review-desk"' in page
    assert 'class="app-facts module' in page
    assert f'href="{CLAIMS}"' in page


def test_the_index_says_what_an_orphaned_claim_is(client, reviewer, waiting):
    page = client.get(INDEX).content.decode()
    assert "no longer stands in its article" in page


def test_each_count_links_to_the_claims_it_counts(client, reviewer, waiting):
    page = client.get(INDEX).content.decode()
    drafts = {c.pk for c in waiting["drafts"]} | {waiting["orphaned"].pk}
    assert listed_claims(client, desk_link(page, "drafts awaiting review")) == drafts
    candidates = {c.pk for c in waiting["candidates"]}
    assert listed_claims(client, desk_link(page, "candidates")) == candidates
    assert listed_claims(client, desk_link(page, "orphaned claims")) == {waiting["orphaned"].pk}
    disputed = client.get(desk_link(page, "disputed facts"))
    assert [f.pk for f in disputed.context["cl"].result_list] == [waiting["split"].pk]


def test_a_draft_shows_what_changed_since_it_was_verified(client, reviewer, editor):
    claim = ClaimFactory(actor=ActorFactory(name="US (test)"))
    other = ActorFactory(name="NATO (test)")
    # An editor who is not a reviewer changes a verified claim: it goes back to draft.
    claims.update_claim(user=editor, claim=claim, number=Decimal(3000), actor=other)
    assert Claim.objects.get(pk=claim.pk).status == "draft"
    page = client.get(INDEX).content.decode()
    desk = page[page.index('id="review-desk"') :]
    assert re.search(r"value</th>\s*<td>~30,000</td>\s*<td>~3,000</td>", desk), desk
    assert re.search(r"actor</th>\s*<td>US \(test\)</td>\s*<td>NATO \(test\)</td>", desk)
    # Fields that did not change are not listed.
    assert "hedge</th>" not in desk


def test_a_draft_never_verified_says_so(client, reviewer):
    ClaimFactory(status="draft")
    page = client.get(INDEX).content.decode()
    assert "never verified" in page


def make_drafts(editor, count: int) -> None:
    for _ in range(count):
        claim = ClaimFactory()
        claims.update_claim(
            user=editor,
            claim=claim,
            number=Decimal(3000),
            actor=ActorFactory(),
            fact=FactFactory(),
        )


def index_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(INDEX).status_code == 200
    return len(queries)


def test_the_index_reads_in_a_constant_number_of_queries(client, reviewer, editor):
    make_drafts(editor, 1)
    ClaimFactory(status="candidate")
    one = index_queries(client)
    make_drafts(editor, 6)
    assert index_queries(client) == one
    # Session, user, permissions, the admin log, and the desk's reads.
    assert one <= 14


def test_the_desk_counts_only_what_the_user_may_see(client, waiting):
    reader = UserFactory(is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_fact"))
    client.force_login(reader)
    page = client.get(INDEX).content.decode()
    assert desk_counts(page) == {"disputed facts": 1}
    assert "some 30,000 soldiers" not in page


def test_only_staff_see_the_desk(client, waiting):
    client.force_login(UserFactory(is_staff=False))
    response = client.get(INDEX)
    assert response.status_code == 302 and "/login/" in response["Location"]


# Reject and verify ----------------------------------------------------------------------------


@pytest.fixture
def twins():
    """Two claims on the same words of the same fact, told apart by value, actor and outlet."""
    fact = FactFactory()
    text = "Officials said some 30,000 soldiers were sent."
    first = ClaimFactory(
        fact=fact,
        status="candidate",
        article=ArticleFactory(text=text, outlet=OutletFactory(name="Daily Alpha")),
        actor=ActorFactory(name="Pentagon (test)"),
    )
    second = ClaimFactory(
        fact=fact,
        status="candidate",
        article=ArticleFactory(text=text, outlet=OutletFactory(name="Beta Times")),
        actor=ActorFactory(name="Kremlin (test)"),
        number=Decimal(3000),
    )
    return first, second


def chosen_rows(page: str) -> list[str]:
    """The text of each row of the chosen claims' table, cells joined by " | "."""
    table = page[page.index('class="chosen-claims"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)[1:]
    cells = [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.S) for row in rows]
    return [" | ".join(re.sub(r"<[^>]+>|\s+", " ", c).strip() for c in row) for row in cells]


def test_the_reject_page_tells_two_claims_on_the_same_words_apart(client, reviewer, twins):
    first, second = twins
    response = client.post(CLAIMS, {"action": "reject", "_selected_action": [first.pk, second.pk]})
    rows = chosen_rows(response.content.decode())
    assert sorted(rows) == sorted(
        [
            f"“some 30,000 soldiers” | ~30,000 | {first.fact} | Pentagon (test) | Daily Alpha"
            f" | {first.article.headline} | candidate",
            f"“some 30,000 soldiers” | ~3,000 | {first.fact} | Kremlin (test) | Beta Times"
            f" | {second.article.headline} | candidate",
        ]
    )


def test_verifying_asks_first_and_shows_value_actor_and_outlet(client, reviewer, twins):
    first, second = twins
    asked = client.post(CLAIMS, {"action": "verify", "_selected_action": [first.pk, second.pk]})
    page = asked.content.decode()
    assert "Verify these 2 claim(s)?" in page
    assert any("Beta Times" in row and "~3,000" in row for row in chosen_rows(page))
    assert set(Claim.objects.values_list("status", flat=True)) == {"candidate"}
    done = client.post(
        CLAIMS,
        {"action": "verify", "_selected_action": [first.pk], "apply": "1"},
        follow=True,
    )
    assert "1 claim(s) are now verified." in done.content.decode()
    assert Claim.objects.get(pk=first.pk).status == "verified"
    assert Claim.objects.get(pk=second.pk).status == "candidate"


@pytest.mark.parametrize("action", ["reject", "verify"])
def test_the_confirmation_pages_read_in_a_constant_number_of_queries(client, reviewer, action):
    def asked(count: int) -> int:
        chosen = [ClaimFactory(status="candidate").pk for _ in range(count)]
        with CaptureQueriesContext(connection) as queries:
            response = client.post(CLAIMS, {"action": action, "_selected_action": chosen})
        assert response.status_code == 200 and "chosen-claims" in response.content.decode()
        return len(queries)

    assert asked(1) == asked(5)
