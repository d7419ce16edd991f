"""The editors' workspace in the admin: marked articles, fact pages with verdict and chart,
bulk curation, roles, stale forms and history."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from facts.models import Claim, Fact
from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db


def change_url(row) -> str:
    return reverse(f"admin:facts_{row._meta.model_name}_change", args=[row.pk])


@pytest.fixture
def reviewer(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"), Group.objects.get(name="Reviewers"))
    client.force_login(user)
    return user


@pytest.fixture
def editor(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return user


def test_the_article_page_marks_each_wording_by_status(client, reviewer):
    verified = ClaimFactory()
    article = verified.article
    draft = ClaimFactory(article=article, status="draft", date=True)
    candidate = ClaimFactory(
        article=article,
        status="candidate",
        categorical=True,
        wording="Russian troops will leave Belarus",
    )
    page = client.get(change_url(article)).content.decode()
    assert f'class="claim claim-verified" data-claims="{verified.pk}"' in page
    assert f'class="claim claim-draft" data-claims="{draft.pk}"' in page
    assert f'class="claim claim-candidate" data-claims="{candidate.pk}"' in page
    assert f'data-article="{article.pk}"' in page
    assert "facts/workspace.js" in page


def test_a_selection_opens_the_claim_form_with_its_offsets_filled_in(client, reviewer):
    claim = ClaimFactory()
    article = claim.article
    start = article.text.index("until Feb. 20")
    params = {"article": article.pk, "wording": "until Feb. 20", "start": start, "end": start + 13}
    page = client.get(reverse("admin:facts_claim_add"), params).content.decode()
    assert ">\nuntil Feb. 20</textarea>" in page
    assert f'name="start" value="{start}"' in page


def test_the_fact_page_shows_the_verdict_the_chart_and_the_claims_side_by_side(client, reviewer):
    claim = ClaimFactory()
    ClaimFactory(fact=claim.fact)
    page = client.get(change_url(claim.fact)).content.decode()
    assert "factsite-verdict verdict-agreed" in page
    assert "<svg" in page and 'class="consensus"' in page
    assert page.count('class="claim"') >= 2
    assert "factsite-claims" in page and "some 30,000 soldiers" in page


def test_verifying_in_bulk_changes_the_verdict(client, reviewer):
    first = ClaimFactory()
    second = ClaimFactory(fact=first.fact, status="candidate")
    assert Fact.objects.get(pk=first.fact_id).verdict == "single_originator"
    # The action asks first (tests/test_review_desk.py), then verifies.
    response = client.post(
        reverse("admin:facts_claim_changelist"),
        {"action": "verify", "_selected_action": [second.pk], "apply": "1"},
        follow=True,
    )
    assert "1 claim(s) are now verified" in response.content.decode()
    assert Claim.objects.get(pk=second.pk).status == "verified"
    assert Fact.objects.get(pk=first.fact_id).verdict == "agreed"


def test_rejecting_in_bulk_asks_for_a_reason_and_keeps_it(client, reviewer):
    claim = ClaimFactory(status="candidate")
    url = reverse("admin:facts_claim_changelist")
    asked = client.post(url, {"action": "reject", "_selected_action": [claim.pk]})
    assert "Reject with this reason" in asked.content.decode()
    client.post(
        url, {"action": "reject", "_selected_action": [claim.pk], "apply": "1", "reason": "a typo"}
    )
    claim.refresh_from_db()
    assert claim.status == "rejected" and "Rejected: a typo" in claim.note


def test_sending_back_to_draft_takes_a_claim_out_of_the_verdict(client, reviewer):
    claim = ClaimFactory()
    client.post(
        reverse("admin:facts_claim_changelist"),
        {"action": "back_to_draft", "_selected_action": [claim.pk]},
    )
    assert Claim.objects.get(pk=claim.pk).status == "draft"
    assert Fact.objects.get(pk=claim.fact_id).verdict == "no_claims"


def test_an_editor_who_is_not_a_reviewer_cannot_verify(client, editor):
    claim = ClaimFactory(status="candidate")
    changelist = client.get(reverse("admin:facts_claim_changelist")).content.decode()
    assert 'value="verify"' not in changelist
    client.post(
        reverse("admin:facts_claim_changelist"),
        {"action": "verify", "_selected_action": [claim.pk]},
    )
    assert Claim.objects.get(pk=claim.pk).status == "candidate"
    form = client.get(change_url(claim)).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        status="verified",
        fact=claim.fact_id,
        article=claim.article_id,
        actor=claim.actor_id,
        seen_version=claim.version,
    )
    response = client.post(change_url(claim), data)
    assert "Only a reviewer may verify or reject a claim." in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == "candidate"


def form_data(client, row) -> dict:
    """The change form of a row as the browser would post it back."""
    return form_data_from(client, change_url(row))


def test_a_stale_form_is_refused_and_the_other_edit_kept(client, reviewer):
    claim = ClaimFactory()
    data = form_data(client, claim)
    fact = claim.fact
    # Someone else saves the fact meanwhile.
    other = Fact.objects.get(pk=fact.pk)
    other.description = "Their edit"
    other.save()
    fact_data = form_data(client, fact)
    fact_data["seen_version"] = fact.version  # the version this editor had opened
    fact_data["description"] = "My edit"
    response = client.post(change_url(fact), fact_data)
    assert "Someone else saved this fact while you were editing it" in response.content.decode()
    assert Fact.objects.get(pk=fact.pk).description == "Their edit"
    assert data  # the claim form could be read


def test_a_change_is_kept_in_the_history_with_who_and_can_be_reverted(client, reviewer):
    claim = ClaimFactory()
    fact = claim.fact
    fact.description = "First"
    fact.save()
    fact.description = "Second"
    fact.save()
    history = client.get(reverse("admin:facts_fact_history", args=[fact.pk])).content.decode()
    assert "Changed" in history or "changed" in history
    first = fact.history.filter(description="First").first()
    version = Fact.objects.get(pk=fact.pk).version
    revert_url = reverse("admin:facts_fact_simple_history", args=[fact.pk, first.history_id])
    data = form_data_from(client, revert_url)
    response = client.post(revert_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    restored = Fact.objects.get(pk=fact.pk)
    assert restored.description == "First"
    assert restored.version == version + 1


def form_data_from(client, url) -> dict:
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.setdefault("claims-TOTAL_FORMS", "0")
    data.setdefault("claims-INITIAL_FORMS", "0")
    return data


def test_the_disputed_facts_are_listed_from_the_admin_index(client, reviewer, seeds):
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:facts_disputedfact_changelist") in index
    listing = client.get(reverse("admin:facts_disputedfact_changelist")).content.decode()
    assert "Russian troops stay in Belarus after the drills" in listing
    assert "“some stay” according to Western governments" in listing
    assert "Russian troops sent to Belarus" not in listing


def test_the_groups_hold_the_permissions_of_their_role():
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    reviewers = set(
        Group.objects.get(name="Reviewers").permissions.values_list("codename", flat=True)
    )
    assert {"add_claim", "change_claim", "add_article"} <= editors
    assert "verify_claim" not in editors
    assert {"verify_claim", "change_claim"} <= reviewers


def test_claims_filter_by_the_verdict_of_their_fact(client, reviewer):
    ClaimFactory()
    url = reverse("admin:facts_claim_changelist")
    assert client.get(url, {"fact__verdict": "single_originator"}).context["cl"].result_count == 1
    assert client.get(url, {"fact__verdict": "agreed"}).context["cl"].result_count == 0


def test_an_article_with_no_text_yet_says_its_claims_wait_and_opens_its_text_box(client, reviewer):
    from tests.factories import ArticleFactory

    article = ArticleFactory(text="")
    claim = ClaimFactory(article=article, wording="some 30,000 troops", start=None, end=None)
    assert claim.anchor_state == Claim.AnchorState.UNANCHORED
    page = client.get(change_url(article))
    assert page.status_code == 200
    html = page.content.decode()
    assert "not held yet" in html and "1 claim(s) wait unanchored" in html
    # The text's fieldset is open (not collapsed) so that the body can be pasted at once.
    assert '<fieldset class="module aligned collapse' not in html.split("Edit the text")[0][-300:]
    claim_page = client.get(change_url(claim))
    assert claim_page.status_code == 200
    assert "unanchored (no text yet)" in claim_page.content.decode()


def test_every_seed_facts_page_opens_date_facts_included(admin_client, seeds):
    # A date claim's interval names no unit; the fact page's panel read one and was a 500.
    from facts.models import Fact

    for fact in Fact.objects.all():
        response = admin_client.get(f"/admin/facts/fact/{fact.pk}/change/")
        assert response.status_code == 200, (fact.pk, fact.value_kind)
