"""Shared fixtures for the test suite."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection


def pytest_configure(config):
    """Tests count the API's rate limits in each process's memory: the shared cache (the
    database's, or Redis) would add its queries to every endpoint's query count. The shared
    cache itself is tested on its own, across processes (tests/test_throttling.py)."""
    from django.conf import settings

    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    # Passwords hashed the production way (PBKDF2, a million rounds) cost about half a second
    # each, and the suite makes and checks hundreds; what a test checks is who may sign in,
    # not the hash's strength, which Django's own tests cover.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The rows `load_seeds` writes, table by table, kept from the first test that loads them.
SeedRows = list[tuple[str, list[str], list[tuple]]]
_seed_rows: SeedRows | None = None


@pytest.fixture
def seeds(db):
    """The seed articles and their curated facts, loaded from fixtures/ by `load_seeds`.

    The first test that asks for them runs the command (about 1,000 queries, a second or two);
    the rows it wrote are kept, and every later test gets them by one insert per table. A
    hundred and fifty tests use the seeds, so this saves minutes on each database; the
    command itself is tested on its own (tests/test_commands.py, tests/test_seed_*.py)."""
    global _seed_rows
    if _seed_rows is not None:
        _insert_rows(_seed_rows)
        return
    before = _rows_by_table()
    call_command("load_seeds", verbosity=0)
    # Kept only when loaded into an empty record: rows a test made first could have changed
    # what the command computed (a verdict, a story).
    if not any(rows for _columns, rows in before.values()):
        _seed_rows = _new_rows(before, _rows_by_table())


def _seed_tables() -> list[tuple[str, str]]:
    """The facts app's tables (history included), with their primary key columns."""
    from django.apps import apps

    # The boilerplate rules are rows of a data migration, there before any seed: not the seeds'.
    return [
        (model._meta.db_table, model._meta.pk.column)
        for model in apps.get_app_config("facts").get_models()
        if not model._meta.model_name.endswith("boilerplaterule")
    ]


def _rows_by_table() -> dict[str, tuple[list[str], list[tuple]]]:
    found = {}
    with connection.cursor() as cursor:
        for table, _pk in _seed_tables():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [c[0] for c in cursor.description]
            found[table] = (columns, [_storable(row) for row in cursor.fetchall()])
    return found


def _storable(row: tuple) -> tuple:
    # psycopg reads bytea as memoryview; write it back as bytes.
    return tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)


def _new_rows(before: dict, after: dict) -> SeedRows:
    rows = []
    for table, (columns, written) in after.items():
        kept = set(before[table][1])
        new = [row for row in written if row not in kept]
        if new:
            rows.append((table, columns, new))
    return rows


def _insert_rows(rows: SeedRows) -> None:
    from django.apps import apps
    from django.core.management.color import no_style

    wrap = _json_wrapper()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, columns, values in rows:
            marks = ", ".join(["%s"] * len(columns))
            names = ", ".join(quote(c) for c in columns)
            cursor.executemany(
                f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})",
                [tuple(wrap(v) for v in row) for row in values],
            )
        # PostgreSQL's sequences past the ids inserted (SQLite's follow by themselves).
        models = list(apps.get_app_config("facts").get_models())
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def _json_wrapper():
    """psycopg reads jsonb as Python lists and dicts; they go back as jsonb."""
    if connection.vendor != "postgresql":
        return lambda value: value
    from psycopg.types.json import Jsonb

    return lambda value: Jsonb(value) if isinstance(value, dict | list) else value


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


@pytest.fixture
def staff_client(client):
    """A client signed in as a member of the Editors group: staff, who read drafts and notes."""
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    return client


@pytest.fixture
def editor_client(client):
    """A client signed in as an editor: every permission of the record's models."""
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    user = UserFactory()
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="facts"))
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
