"""Background imports: a big import (or ?async=true) answers 202 with a job that a worker runs,
all or nothing; the job is a resource its creator polls. Tasks run only where a test runs them
(the database worker, or the immediate backend): everywhere else a job just waits queued."""

from __future__ import annotations

import gc
import json
import signal
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from facts.models import Article, Claim, Fact, ImportJob
from facts.services import jobs
from tests.factories import ActorFactory, ArticleFactory, FactFactory, UserFactory

URL = "/api/claims/import/"
EDITOR = ["add_claim", "add_article", "add_subject", "add_fact", "verify_claim"]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def user_with(*codenames: str, **fields):
    user = UserFactory(**fields)
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def row(article: Article, fact: Fact, /, **fields) -> dict:
    """A verified claim of "some 30,000 soldiers", credited to the actor us-government."""
    return {
        "article": article.slug,
        "fact": [fact.subject.slug, fact.slug],
        "wording": "some 30,000 soldiers",
        "number": "30000",
        "bound": "approximate",
        "hedge": "some",
        "actor": "us-government",
        "attribution_mode": "indirect",
        "attribution_cue": "The United States has said",
        "status": "verified",
        **fields,
    }


def post(client, rows: list[dict], query: str = ""):
    return client.post(URL + query, json.dumps({"claims": rows}), content_type="application/json")


@pytest.fixture
def stored():
    ActorFactory(slug="us-government")
    return {"article": ArticleFactory(), "facts": [FactFactory(), FactFactory()]}


@pytest.fixture
def editor(client):
    user = user_with(*EDITOR)
    client.force_login(user)
    client.user = user
    return client


@contextmanager
def signals_kept():
    """The database worker takes over SIGINT and SIGTERM for its graceful stop; give them back
    to pytest afterwards."""
    kept = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        yield
    finally:
        for number, handler in kept.items():
            signal.signal(number, handler)


def run_database_worker() -> None:
    """`manage.py db_worker --batch`: run every queued task, then stop."""
    with signals_kept():
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


# Which imports are jobs --------------------------------------------------------------------


@pytest.mark.django_db
def test_an_import_over_the_synchronous_limit_answers_202_with_a_job_to_poll(
    editor, stored, settings
):
    settings.IMPORT_SYNC_MAX_ROWS = 1
    rows = [row(stored["article"], fact) for fact in stored["facts"]]
    response = post(editor, rows)
    assert response.status_code == 202, response.json()
    job = ImportJob.objects.get()
    assert response["Location"] == f"/api/imports/{job.pk}/"
    body = response.json()
    assert body["state"] == "queued"
    assert body["progress"] == {"done": 0, "total": 2}
    assert (body["errors"], body["result"]) == ([], None)
    assert job.rows == rows
    assert job.created_by == editor.user
    assert not Claim.objects.exists()


@pytest.mark.django_db
def test_async_true_makes_a_job_of_a_small_import(editor, stored):
    response = post(editor, [row(stored["article"], stored["facts"][0])], "?async=true")
    assert response.status_code == 202
    assert response.json()["progress"] == {"done": 0, "total": 1}


@pytest.mark.django_db
def test_an_import_within_the_synchronous_limit_is_still_imported_in_the_request(editor, stored):
    response = post(editor, [row(stored["article"], stored["facts"][0])], "?async=false")
    assert response.status_code == 201
    assert response.json()["created"] == 1
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_an_async_value_that_is_no_yes_or_no_is_a_400(editor, stored):
    response = post(editor, [row(stored["article"], stored["facts"][0])], "?async=maybe")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["index"], error["field"]) == (None, "async")


@pytest.mark.django_db
def test_a_job_needs_the_permission_to_add_claims(client, stored):
    client.force_login(user_with("view_claim"))
    response = post(client, [row(stored["article"], stored["facts"][0])], "?async=true")
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


# Jobs run by a worker ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_202_job_run_by_the_database_worker_ends_succeeded_with_the_claims_saved(editor, stored):
    rows = [row(stored["article"], fact) for fact in stored["facts"]]
    response = post(editor, rows, "?async=true")
    assert response.status_code == 202
    job = ImportJob.objects.get()
    assert job.task_id, "the task is enqueued once the job is committed"
    assert not Fact.objects.filter(likely_value__isnull=False).exists()

    run_database_worker()

    polled = editor.get(response["Location"]).json()
    assert polled["state"] == "succeeded", polled
    assert polled["progress"] == {"done": 2, "total": 2}
    assert polled["errors"] == []
    saved = list(Claim.objects.order_by("id").values_list("id", flat=True))
    assert polled["result"] == {
        "created": 2,
        "claims": saved,
        "articles_created": 0,
        "subjects_created": 0,
        "facts_created": 0,
        "outlets_created": 0,
        "actors_created": 0,
        "unchanged": [],
        "updated": [],
    }
    assert polled["started_at"] and polled["finished_at"]
    job.refresh_from_db()
    assert job.rows is None, "the rows are dropped once the job ends"
    # The import refreshed two verdicts, so a refresh of the likely values was queued after
    # its commit, and the same worker ran it: each fact's one claim, "some 30,000" (within
    # 10%), is its likely value.
    for fact in Fact.objects.filter(pk__in=[f.pk for f in stored["facts"]]):
        assert fact.likely_value == {"low": 27000.0, "best": 30000.0, "high": 33000.0}


@pytest.mark.django_db
def test_a_job_with_bad_rows_ends_failed_with_every_rows_errors_and_nothing_saved(
    editor, stored, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    first, second = stored["facts"]
    rows = [
        row(stored["article"], first),
        row(stored["article"], second, number="lots"),
        row(stored["article"], second, fact=["no-such-subject", "no-such-fact"]),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = post(editor, rows, "?async=true")
    assert response.status_code == 202
    polled = editor.get(response["Location"]).json()
    assert polled["state"] == "failed"
    assert {error["index"] for error in polled["errors"]} == {1, 2}
    assert {(e["index"], e["field"]) for e in polled["errors"]} >= {(1, "number"), (2, "fact")}
    assert polled["result"] is None
    assert polled["progress"] == {"done": 0, "total": 3}
    assert "nothing was saved" in polled["detail"]
    assert not Claim.objects.exists()


@pytest.mark.django_db
def test_a_job_that_needs_a_permission_its_creator_lacks_fails_naming_it(
    client, stored, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    client.force_login(user_with("add_claim"))
    rows = [row(stored["article"], stored["facts"][0], status="draft")]
    rows[0]["article"] = {
        "slug": "new-article",
        "outlet": stored["article"].outlet.slug,
        "headline": "Drills",
        "text": stored["article"].text,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, rows, "?async=true")
    polled = client.get(response["Location"]).json()
    assert polled["state"] == "failed"
    assert "facts.add_article" in polled["detail"]
    assert [(e["index"], e["field"]) for e in polled["errors"]] == [(0, "article")]
    assert not Article.objects.filter(slug="new-article").exists()


@pytest.mark.django_db
def test_a_job_runs_with_the_cyclic_garbage_collector_paused_and_resumes_it(
    editor, stored, monkeypatch
):
    seen_during = []
    real_import_rows = jobs_importing().import_rows

    def import_rows(**kwargs):
        seen_during.append(gc.isenabled())
        return real_import_rows(**kwargs)

    monkeypatch.setattr(jobs_importing(), "import_rows", import_rows)
    job = jobs.submit_import(user=editor.user, rows=[row(stored["article"], stored["facts"][0])])
    assert gc.isenabled()
    assert jobs.run_import_job(job_id=job.pk) == "succeeded"
    assert seen_during == [False]
    assert gc.isenabled()


@pytest.mark.django_db
def test_a_failed_job_resumes_the_cyclic_garbage_collector_too(editor, monkeypatch):
    job = jobs.submit_import(user=editor.user, rows=[{"article": "no-such-article"}])
    assert jobs.run_import_job(job_id=job.pk) == "failed"
    assert gc.isenabled()


@pytest.mark.django_db
def test_a_job_leaves_a_collector_paused_before_it_paused(editor, stored):
    job = jobs.submit_import(user=editor.user, rows=[row(stored["article"], stored["facts"][0])])
    gc.disable()
    try:
        assert jobs.run_import_job(job_id=job.pk) == "succeeded"
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.django_db
def test_a_job_whose_rows_hold_a_nul_or_a_lone_surrogate_reports_them_as_rows_errors(
    editor, stored
):
    # The API refuses such a body before it makes a job; a job submitted otherwise failed at
    # its store on PostgreSQL (jsonb refuses \u0000), before the import could say why.
    good = row(stored["article"], stored["facts"][0])
    rows = [{**good, "note": "a\u0000note"}, {**good, "wording": "some 30,000 \ud800"}]
    job = jobs.submit_import(user=editor.user, rows=rows)
    assert jobs.run_import_job(job_id=job.pk) == "failed"
    job.refresh_from_db()
    assert [(e["index"], e["field"]) for e in job.errors] == [(0, "note"), (1, "wording")]
    assert not Claim.objects.exists()


def jobs_importing():
    """The API's import module, which the job runs (imported where used, as the job does)."""
    from facts.api import importing

    return importing


@pytest.mark.django_db
def test_a_job_runs_once_even_when_its_task_is_run_twice(editor, stored):
    job = jobs.submit_import(user=editor.user, rows=[row(stored["article"], stored["facts"][0])])
    assert jobs.run_import_job(job_id=job.pk) == "succeeded"
    assert jobs.run_import_job(job_id=job.pk) == "skipped"
    assert Claim.objects.count() == 1


@pytest.mark.django_db
def test_a_running_job_shows_the_progress_its_import_reported(editor, stored):
    job = jobs.submit_import(user=editor.user, rows=[{}] * 300)
    jobs.mark_running(job_id=job.pk)
    jobs.record_progress(job_id=job.pk, done=200)
    polled = editor.get(f"/api/imports/{job.pk}/").json()
    assert (polled["state"], polled["progress"]) == ("running", {"done": 200, "total": 300})


# Who sees a job --------------------------------------------------------------------------------


@pytest.fixture
def job(stored):
    owner = user_with(*EDITOR)
    return jobs.submit_import(user=owner, rows=[row(stored["article"], stored["facts"][0])])


@pytest.mark.django_db
def test_a_job_is_shown_to_its_creator(client, job):
    client.force_login(job.created_by)
    response = client.get(f"/api/imports/{job.pk}/")
    assert response.status_code == 200
    assert response.json()["id"] == job.pk


@pytest.mark.django_db
def test_a_job_is_shown_to_staff(client, job):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(f"/api/imports/{job.pk}/").status_code == 200


@pytest.mark.django_db
def test_another_users_job_is_not_found(client, job):
    client.force_login(user_with(*EDITOR))
    assert client.get(f"/api/imports/{job.pk}/").status_code == 404


@pytest.mark.django_db
def test_jobs_are_not_shown_to_anonymous_clients(client, job):
    assert client.get(f"/api/imports/{job.pk}/").status_code == 401
    assert client.get("/api/imports/").status_code == 401


@pytest.mark.django_db
def test_the_list_holds_your_own_jobs_newest_first(client, stored, job):
    user = user_with(*EDITOR)
    mine = [
        jobs.submit_import(user=user, rows=[row(stored["article"], stored["facts"][0])])
        for _ in range(3)
    ]
    client.force_login(user)
    body = client.get("/api/imports/?page_size=2").json()
    assert [j["id"] for j in body["results"]] == [mine[2].pk, mine[1].pk]
    rest = client.get(body["next"]).json()
    assert [j["id"] for j in rest["results"]] == [mine[0].pk]


# Queries -------------------------------------------------------------------------------------


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_the_list_of_jobs_costs_the_same_queries_for_5_as_for_50(client, stored):
    user = user_with(*EDITOR)
    client.force_login(user)
    rows = [row(stored["article"], stored["facts"][0])]
    for _ in range(5):
        jobs.submit_import(user=user, rows=rows)
    few = queries_of(client, "/api/imports/?page_size=100")
    for _ in range(45):
        jobs.submit_import(user=user, rows=rows)
    assert queries_of(client, "/api/imports/?page_size=100") == few


@pytest.mark.django_db
def test_a_job_costs_a_fixed_number_of_queries(client, job):
    client.force_login(job.created_by)
    # The session, the user, the job.
    assert queries_of(client, f"/api/imports/{job.pk}/") == 3


# Verdicts recomputed by a worker -----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_recompute_verdicts_in_the_background_is_run_by_the_worker(stored):
    # A verified claim stored past the services, so its fact's verdict is stale until a
    # recomputation: the worker, not the command, brings it up to date.
    from tests.factories import ClaimFactory

    claim = ClaimFactory(status="verified")
    Fact.objects.filter(pk=claim.fact_id).update(counted_claims=0)
    call_command("recompute_verdicts", background=True, verbosity=0)
    assert Fact.objects.get(pk=claim.fact_id).counted_claims == 0, "queued, not run yet"
    run_database_worker()
    assert Fact.objects.get(pk=claim.fact_id).counted_claims == 1
