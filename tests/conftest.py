"""Shared fixtures for the test suite."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection


@pytest.fixture
def seeds(db):
    """The seed articles and their curated facts, loaded from fixtures/."""
    call_command("load_seeds", verbosity=0)


@pytest.fixture
def empty_the_database(db):
    """Empty the test database (`manage.py flush`) inside the test's transaction, as if the
    next load went into a new database."""

    def flush() -> None:
        # PostgreSQL refuses to TRUNCATE tables with foreign-key checks still deferred in this
        # transaction ("pending trigger events"): run them now, as loaddata does at its end.
        connection.check_constraints()
        call_command("flush", interactive=False, verbosity=0)

    return flush


@pytest.fixture
def admin_client_logged_in(client, django_user_model):
    """A test client signed in as a superuser."""
    user = django_user_model.objects.create_superuser("boss", "boss@example.org", "a long password")
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def plain_http(settings):
    """The test client speaks plain HTTP; production's redirect to HTTPS is tested on its own."""
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def static_files_without_manifest(settings):
    """Pages render without collectstatic's manifest, which only a deployment builds."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def fresh_throttles():
    """Each test starts with empty throttle counters: the cache outlives a test otherwise."""
    cache.clear()
