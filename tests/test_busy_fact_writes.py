"""A write to a busy fact (more counted claims than settings.VERDICT_INLINE_MAX_CLAIMS) costs what
a write to a small one costs: the fact is marked stale and a job refreshes its verdict, which then
equals a full recomputation; readers see the verdict stale, and fresh again, by the fact's ETag
(issue 16)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from facts.models import Actor, Article, Claim, Fact
from facts.services import claims, jobs, verdicts
from facts.services.review import SYSTEM
from tests.factories import ActorFactory, ArticleFactory, ClaimFactory, FactFactory

pytestmark = pytest.mark.django_db

BUSY_FROM = 5  # counted claims past which a fact is busy, in these tests
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def fact_with_claims(n: int) -> Fact:
    """A fact with n verified claims from n originators (some disagreeing), its verdict fresh."""
    fact = FactFactory()
    for i in range(n):
        ClaimFactory(fact=fact, actor=ActorFactory(parent=ActorFactory()), number=30000 + i % 3)
    # Past BUSY_FROM the writes above left the verdict to a job: refreshed here instead.
    verdicts.refresh([fact.pk])
    fact.refresh_from_db()
    assert fact.counted_claims == n
    return fact


@pytest.fixture
def busy(settings) -> int:
    settings.VERDICT_INLINE_MAX_CLAIMS = BUSY_FROM
    settings.TASKS = DATABASE_BACKEND
    return BUSY_FROM


@contextmanager
def writes_counted() -> Iterator[dict[str, int]]:
    """Count the statements sent to the database and the size of the values they carry."""
    counted = {"statements": 0, "bytes": 0}

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        counted["statements"] += 1
        counted["bytes"] += len(str(params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield counted


def one_write(fact: Fact, article: Article, actor: Actor) -> dict[str, int]:
    with writes_counted() as counted:
        claims.create_claim(
            user=SYSTEM,
            fact=fact,
            article=article,
            actor=actor,
            status=Claim.Status.VERIFIED,
            number=31000,
            bound=Claim.Bound.APPROXIMATE,
            hedge="some",
            wording="some 30,000 soldiers",
            attribution_cue="The United States has said",
            attribution_mode=Claim.AttributionMode.INDIRECT,
        )
    return counted


def test_a_write_to_a_busy_fact_sends_the_same_statements_and_bytes_for_8_or_80_claims(busy):
    small, large = fact_with_claims(8), fact_with_claims(80)
    # The claim's own rows (article, actor) made beforehand: only the write is counted.
    sources = [(ArticleFactory(), ActorFactory()) for _ in range(2)]
    few = one_write(small, *sources[0])
    many = one_write(large, *sources[1])
    assert few["statements"] == many["statements"], (few, many)
    # The same values but for ids and times: a few characters, not the ten times more claim ids
    # of a verdict recomputed and rewritten in the write.
    assert many["bytes"] <= few["bytes"] + 100, (few, many)


def test_a_write_to_a_busy_fact_marks_it_stale_and_the_job_makes_it_equal_a_full_recompute(
    busy, django_capture_on_commit_callbacks
):
    fact = fact_with_claims(8)
    before = Fact.objects.get(pk=fact.pk)
    with django_capture_on_commit_callbacks(execute=True):
        one_write(fact, ArticleFactory(), ActorFactory())
        ClaimFactory(fact=fact, number=90000, wording="some 30,000 soldiers", hedge="some")
        claims.delete_claims(user=SYSTEM, claims=Claim.objects.filter(fact=fact)[:2])
    stale = Fact.objects.get(pk=fact.pk)
    assert stale.verdict_stale
    # The stored verdict is the last one computed until the job runs.
    assert stale.counted_claims == before.counted_claims == 8
    assert stale.verdict_detail == before.verdict_detail
    # One job waits for the three writes.
    waiting = DBTaskResult.objects.filter(task_path=jobs.VERDICT_TASK_PATH, status="READY")
    assert waiting.count() == 1

    assert verdicts.refresh_stale() == 1
    fresh = Fact.objects.get(pk=fact.pk)
    assert not fresh.verdict_stale
    assert fresh.counted_claims == 8 + 2 - 2
    assert fresh.version > stale.version > before.version
    # The oracle: a full recomputation changes no verdict and no claim's side.
    sides = dict(Claim.objects.values_list("id", "verdict_side"))
    assert verdicts.drifted() == []
    verdicts.recompute_all()
    assert dict(Claim.objects.values_list("id", "verdict_side")) == sides
    assert Fact.objects.get(pk=fact.pk).version == fresh.version


def test_a_small_fact_is_still_refreshed_in_the_write(busy):
    fact = fact_with_claims(3)
    one_write(fact, ArticleFactory(), ActorFactory())
    stored = Fact.objects.get(pk=fact.pk)
    assert stored.counted_claims == 4 and not stored.verdict_stale


def test_with_a_worker_that_runs_jobs_at_once_a_busy_fact_is_fresh_after_each_write(
    busy, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    fact = fact_with_claims(6)
    with django_capture_on_commit_callbacks(execute=True):
        one_write(fact, ArticleFactory(), ActorFactory())
    stored = Fact.objects.get(pk=fact.pk)
    assert stored.counted_claims == 7 and not stored.verdict_stale
    assert verdicts.drifted() == []


def test_readers_see_a_busy_facts_verdict_stale_and_fresh_again_by_its_etag(busy, client):
    fact = fact_with_claims(6)
    url = f"/api/facts/{fact.pk}/"
    first = client.get(url)
    assert first.json()["verdict"]["stale"] is False
    one_write(fact, ArticleFactory(), ActorFactory())
    second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert second.json()["verdict"]["stale"] is True
    assert second.json()["verdict"]["counts"]["claims"] == 6
    verdicts.refresh_stale()
    third = client.get(url, HTTP_IF_NONE_MATCH=second["ETag"])
    assert third.status_code == 200
    assert third.json()["verdict"]["stale"] is False
    assert third.json()["verdict"]["counts"]["claims"] == 7
    assert len({first["ETag"], second["ETag"], third["ETag"]}) == 3


def test_marking_a_fact_stale_and_fresh_again_shows_in_the_changes_feed(busy):
    fact = fact_with_claims(6)
    one_write(fact, ArticleFactory(), ActorFactory())
    verdicts.refresh_stale()
    reasons = list(
        Fact.history.filter(id=fact.pk)
        .order_by("history_id")
        .values_list("history_change_reason", "version")
    )
    stored = Fact.objects.get(pk=fact.pk)
    assert reasons[-2:] == [
        ("Verdict refresh queued", stored.version - 1),
        ("Verdict refreshed", stored.version),
    ]


def test_a_draft_saved_on_a_busy_fact_leaves_its_verdict_and_version_alone(busy):
    fact = fact_with_claims(6)
    version = Fact.objects.get(pk=fact.pk).version
    draft = ClaimFactory(fact=fact, status=Claim.Status.DRAFT)
    claims.update_claim(user=SYSTEM, claim=draft, number=31000)
    stored = Fact.objects.get(pk=fact.pk)
    assert (stored.verdict_stale, stored.version) == (False, version)


def test_the_facts_csv_says_a_busy_facts_verdict_is_stale_until_the_job_refreshes_it(busy, client):
    fact = fact_with_claims(6)

    def stale_in_csv() -> str:
        response = client.get("/api/facts/", {"format": "csv", "all": "true"})
        text = b"".join(response.streaming_content).decode()
        (row,) = list(csv.DictReader(io.StringIO(text)))
        assert row["id"] == str(fact.pk)
        return row["verdict_stale"]

    assert stale_in_csv() == "false"
    one_write(fact, ArticleFactory(), ActorFactory())
    assert stale_in_csv() == "true"
    verdicts.refresh_stale()
    assert stale_in_csv() == "false"
