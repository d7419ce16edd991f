"""A hypothesis state machine drives random sequences of create, edit, move, verify, reject,
delete and revert through the API and the admin, as editors and reviewers; after every step,
`check_verdicts` finds no stored verdict that differs from its claims (issue 8, item 4)."""

from __future__ import annotations

import pytest
from django.contrib.admin import helpers
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from facts.models import Claim
from facts.services import verdicts
from tests.admin_forms import posted_form
from tests.factories import ActorFactory, ArticleFactory, FactFactory, UserFactory

pytestmark = pytest.mark.django_db

WORDINGS = ["some 30,000 soldiers", "until Feb. 20", "Thursday"]


def signed_in(*groups: str) -> Client:
    user = UserFactory(is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=groups))
    client = Client()
    client.force_login(user)
    return client


class RecordMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        # Each example runs in a savepoint rolled back at its end, so every example starts
        # from the same empty record and a failing one replays exactly.
        self.example = transaction.atomic()
        self.example.__enter__()
        self.facts = [FactFactory().pk for _ in range(2)]
        self.articles = [ArticleFactory().pk for _ in range(2)]
        self.editor = signed_in("Editors")
        self.reviewer = signed_in("Editors", "Reviewers")
        self.claims: list[int] = []

    def client(self, reviewer: bool) -> Client:
        return self.reviewer if reviewer else self.editor

    def patch(self, client: Client, claim_id: int, body: dict) -> None:
        response = client.get(f"/api/claims/{claim_id}/")
        if response.status_code == 404:
            return
        client.patch(
            f"/api/claims/{claim_id}/",
            body,
            content_type="application/json",
            headers={"If-Match": response["ETag"]},
        )

    @rule(
        fact=st.integers(0, 1),
        article=st.integers(0, 1),
        status=st.sampled_from(["draft", "verified"]),
        number=st.integers(1, 100_000),
        reviewer=st.booleans(),
    )
    def create(self, fact: int, article: int, status: str, number: int, reviewer: bool) -> None:
        body = {
            "fact": self.facts[fact],
            "article": self.articles[article],
            "wording": WORDINGS[0],
            "number": str(number),
            "bound": "approximate",
            "hedge": "some",
            "status": status,
            "actor": ActorFactory().pk,
            "attribution_mode": "indirect",
        }
        response = self.client(reviewer).post("/api/claims/", body, content_type="application/json")
        if response.status_code == 201:
            self.claims.append(response.json()["id"])

    @precondition(lambda self: self.claims)
    @rule(data=st.data(), number=st.integers(1, 100_000), reviewer=st.booleans())
    def edit(self, data: st.DataObject, number: int, reviewer: bool) -> None:
        claim = data.draw(st.sampled_from(self.claims))
        self.patch(self.client(reviewer), claim, {"number": str(number)})

    @precondition(lambda self: self.claims)
    @rule(data=st.data(), fact=st.integers(0, 1), reviewer=st.booleans())
    def move(self, data: st.DataObject, fact: int, reviewer: bool) -> None:
        claim = data.draw(st.sampled_from(self.claims))
        self.patch(self.client(reviewer), claim, {"fact": self.facts[fact]})

    @precondition(lambda self: self.claims)
    @rule(data=st.data(), action=st.sampled_from(["verify", "back_to_draft"]))
    def bulk_status_in_the_admin(self, data: st.DataObject, action: str) -> None:
        chosen = data.draw(st.lists(st.sampled_from(self.claims), min_size=1, unique=True))
        self.reviewer.post(
            reverse("admin:facts_claim_changelist"),
            # "apply": verify asks first, and this is the answer.
            {"action": action, helpers.ACTION_CHECKBOX_NAME: chosen, "apply": "1"},
        )

    @precondition(lambda self: self.claims)
    @rule(data=st.data())
    def reject(self, data: st.DataObject) -> None:
        claim = data.draw(st.sampled_from(self.claims))
        self.patch(self.reviewer, claim, {"status": "rejected"})

    @precondition(lambda self: self.claims)
    @rule(data=st.data(), in_the_admin=st.booleans())
    def delete(self, data: st.DataObject, in_the_admin: bool) -> None:
        claim = data.draw(st.sampled_from(self.claims))
        self.claims.remove(claim)
        if in_the_admin:
            self.reviewer.post(
                reverse("admin:facts_claim_changelist"),
                {"action": "delete_selected", helpers.ACTION_CHECKBOX_NAME: [claim], "post": "yes"},
            )
        else:
            tag = self.reviewer.get(f"/api/claims/{claim}/")["ETag"]
            self.reviewer.delete(f"/api/claims/{claim}/", headers={"If-Match": tag})

    @precondition(lambda self: self.claims)
    @rule(data=st.data(), reviewer=st.booleans())
    def revert(self, data: st.DataObject, reviewer: bool) -> None:
        claim = Claim.objects.get(pk=data.draw(st.sampled_from(self.claims)))
        first = claim.history.order_by("history_id").first()
        url = reverse("admin:facts_claim_simple_history", args=[claim.pk, first.history_id])
        client = self.client(reviewer)
        client.post(url, posted_form(client, url))

    @invariant()
    def no_stored_verdict_drifts(self) -> None:
        assert verdicts.drifted() == []

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.example.__exit__(None, None, None)


def test_no_sequence_of_writes_leaves_a_stored_verdict_behind_its_claims(db):
    machine = settings(
        max_examples=12,
        stateful_step_count=12,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )(RecordMachine)
    machine.TestCase().runTest()
