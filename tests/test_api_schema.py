"""The OpenAPI schema validates, and every operation, fuzzed by schemathesis against it, answers
without a server error and as its schema says."""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from tests.factories import UserFactory

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
# Bounded so the whole run stays in CI's time (both databases side by side on two cores, under
# 30 minutes): each operation gets this many derandomized cases, the same ones on every run.
# FACTSITE_FUZZ_EXAMPLES=200 makes a longer hunt before a release.
EXAMPLES_PER_OPERATION = int(os.environ.get("FACTSITE_FUZZ_EXAMPLES", "15"))


def test_the_schema_validates_with_no_warning(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    assert "/api/claims/" in (tmp_path / "s.yml").read_text()


@pytest.fixture(autouse=True)
def connections_kept_open():
    """Keep the test's transaction open across the fuzzer's requests, as Django's own test
    client does: a request's end would otherwise close the connection inside it."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def settings_for_fuzzing(settings, monkeypatch):
    """No throttling and plain HTTP: the fuzzer sends thousands of requests in a minute."""
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None})
    settings.SECURE_SSL_REDIRECT = False
    settings.ALLOWED_HOSTS = ["*"]


# Requests say they came through a TLS proxy, as in production, so HTTPS redirects stay out of
# the way. The schema is loaded once, at collection: its view needs no database.
BEHIND_TLS = {"X-Forwarded-Proto": "https"}
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/?format=json", get_wsgi_application(), headers=BEHIND_TLS
)


@pytest.fixture
def editor_token(seeds, db):
    user = UserFactory(is_staff=True, is_superuser=True)
    return Token.objects.create(user=user).key


@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_operation_answers_without_a_server_error_as_its_schema_says(case, editor_token):
    headers = {**BEHIND_TLS, "Authorization": f"Token {editor_token}"}
    case.call_and_validate(headers=headers, checks=CHECKS)


# The stateful phase: workflows that follow the schema's links (create a row, then read,
# change and delete it with the ETag it answered with), each response checked as above.
STATEFUL_RUNS = int(os.environ.get("FACTSITE_FUZZ_WORKFLOWS", "12"))
STATEFUL_STEPS = 6


@pytest.mark.django_db(transaction=False)
def test_workflows_that_follow_the_links_answer_as_the_schema_says(editor_token):
    headers = {**BEHIND_TLS, "Authorization": f"Token {editor_token}"}

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        """Each run starts from the seeds: what a run wrote is rolled back after it, or the
        next run would find other rows and other links to follow."""

        def __init__(self) -> None:
            super().__init__()
            self.savepoint = transaction.savepoint()

        def teardown(self) -> None:
            transaction.savepoint_rollback(self.savepoint)

        def get_call_kwargs(self, case):
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS)

    run_state_machine_as_test(
        Workflow,
        settings=settings(
            max_examples=STATEFUL_RUNS,
            stateful_step_count=STATEFUL_STEPS,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        ),
    )


def test_the_schema_links_each_creation_to_the_rows_operations():
    links = schema.raw_schema["paths"]["/api/claims/"]["post"]["responses"]["201"]["links"]
    assert links["claims_partial_update"]["parameters"] == {
        "id": "$response.body#/id",
        "header.If-Match": "$response.header.ETag",
    }
    assert set(links) >= {
        "claims_retrieve",
        "claims_update",
        "claims_partial_update",
        "claims_destroy",
    }
