"""One review rule on every path: only reviewers verify or reject, and a non-reviewer's change
to what a verified claim says sends it back to draft, saying so (issue 8, item 3)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from facts.models import Claim, Fact
from facts.services import claims, review
from tests.admin_forms import posted_form
from tests.factories import ClaimFactory, FactFactory, UserFactory
from tests.problems import field_errors

pytestmark = pytest.mark.django_db


def member_of(*groups: str):
    user = UserFactory(is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def editor():
    return member_of("Editors")


@pytest.fixture
def reviewer():
    return member_of("Editors", "Reviewers")


def patch(client, claim: Claim, body: dict):
    tag = client.get(f"/api/claims/{claim.pk}/")["ETag"]
    return client.patch(
        f"/api/claims/{claim.pk}/", body, content_type="application/json", headers={"If-Match": tag}
    )


def test_an_editors_api_patch_of_a_verified_claims_number_sends_it_back_to_draft(client, editor):
    claim = ClaimFactory()
    client.force_login(editor)
    response = patch(client, claim, {"number": 31000})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "draft"
    assert "back to draft" in response["Warning"]
    fact = Fact.objects.get(pk=claim.fact_id)
    assert (fact.verdict, fact.counted_claims) == ("no_claims", 0)


def test_an_editors_api_move_of_a_verified_claim_to_another_fact_is_not_counted_there(
    client, editor
):
    claim, other = ClaimFactory(), FactFactory()
    client.force_login(editor)
    response = patch(client, claim, {"fact": other.pk})
    assert response.status_code == 200, response.json()
    assert Claim.objects.get(pk=claim.pk).status == "draft"
    assert Fact.objects.get(pk=other.pk).counted_claims == 0
    assert Fact.objects.get(pk=claim.fact_id).counted_claims == 0


def test_an_editors_note_on_a_verified_claim_keeps_it_verified(client, editor):
    claim = ClaimFactory()
    client.force_login(editor)
    response = patch(client, claim, {"note": "Checked against the original."})
    assert response.status_code == 200
    assert response.json()["status"] == "verified"


def test_an_editor_cannot_verify_through_the_api(client, editor):
    claim = ClaimFactory(status=Claim.Status.DRAFT)
    client.force_login(editor)
    response = patch(client, claim, {"status": "verified"})
    assert response.status_code == 400
    assert field_errors(response)["status"] == ["Only a reviewer may verify or reject a claim."]
    assert Claim.objects.get(pk=claim.pk).status == "draft"


def test_a_reviewers_api_patch_of_a_verified_claim_keeps_it_verified(client, reviewer):
    claim = ClaimFactory()
    client.force_login(reviewer)
    response = patch(client, claim, {"number": 31000})
    assert response.json()["status"] == "verified"
    assert Fact.objects.get(pk=claim.fact_id).counted_claims == 1


def test_an_editors_revert_from_history_says_the_claim_went_back_to_draft(client, editor):
    claim = ClaimFactory(status=Claim.Status.DRAFT)
    reviewer = member_of("Editors", "Reviewers")
    claims.update_claim(user=reviewer, claim=claim, status=Claim.Status.VERIFIED)
    claims.update_claim(user=reviewer, claim=claim, number=31000)
    first = claim.history.filter(number=30000, status="verified").first()
    client.force_login(editor)
    url = reverse("admin:facts_claim_simple_history", args=[claim.pk, first.history_id])
    response = client.post(url, posted_form(client, url), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "sends it back to draft" in page
    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.number, stored.status) == (30000, "draft")


def test_an_editors_admin_edit_of_a_verified_claim_sends_it_back_to_draft_and_says_so(
    client, editor
):
    claim = ClaimFactory()
    client.force_login(editor)
    url = reverse("admin:facts_claim_change", args=[claim.pk])
    data = posted_form(client, url)
    # Not the number: 31,000 for the wording "some 30,000 soldiers" is now a warning to confirm.
    data["attribution_cue"] = "Washington has said"
    response = client.post(url, data, follow=True)
    assert "sends it back to draft" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == "draft"


def test_the_rule_itself_refuses_an_editor_who_rejects():
    editor = member_of("Editors")
    with pytest.raises(review.ValidationError):
        review.status_after_change(
            user=editor, stored_status="draft", requested_status="rejected", changed=["status"]
        )


def test_a_long_rejection_reason_is_kept_whole_in_the_note_and_cut_in_the_history(reviewer):
    claim = ClaimFactory(status=Claim.Status.DRAFT)
    reason = "Rejected: " + "the figure is the organisers' own estimate; " * 30
    claims.set_claim_status(
        user=reviewer, claims=[claim], status=Claim.Status.REJECTED, note=reason
    )
    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.status, stored.note) == ("rejected", reason.strip())
    history = stored.history.first().history_change_reason
    assert len(history) == 100 and history.endswith("…")
