"""`manage.py backup` and `manage.py restore`: the whole database, history included, round-trips
exactly, deleted subjects and facts and microsecond timestamps too; wrong files are refused."""

from __future__ import annotations

import datetime as dt
import io
import os
import sqlite3
import subprocess
from contextlib import closing

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from facts.models import Claim, Fact, Subject
from tests.factories import FactFactory

# The backup reads committed rows through a connection of its own (or pg_dump's), and a restore
# replaces the database under Django's connection: neither can happen inside a test transaction.
pytestmark = pytest.mark.django_db(transaction=True)

# A timestamp a person chose, microseconds and all; a JSON round trip would keep 12:34:56.789.
KNOWN_MOMENT = dt.datetime(2022, 2, 10, 12, 34, 56, 789123, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module", autouse=True)
def database_in_a_file(django_db_setup, django_db_blocker, tmp_path_factory):
    """On SQLite, run these tests on a database file, as the site does, not on the in-memory
    test database, which has no file to back up. The in-memory database stays open meanwhile,
    for the other tests, and comes back afterwards as it was."""
    wrapper = connections["default"]
    if wrapper.vendor != "sqlite" or not wrapper.is_in_memory_db():
        yield
        return
    file = tmp_path_factory.mktemp("backups") / "test_factsite.sqlite3"
    in_memory_name = wrapper.settings_dict["NAME"]
    with django_db_blocker.unblock():
        wrapper.ensure_connection()
        in_memory = wrapper.connection
        with closing(sqlite3.connect(file)) as copy:
            in_memory.backup(copy)  # the migrated schema and the rows the migrations made
        # Django never closes an in-memory database (that would drop it): detach it instead,
        # and let the next query connect to the file.
        wrapper.connection = None
        wrapper.settings_dict["NAME"] = str(file)
        yield
        wrapper.close()
        wrapper.settings_dict["NAME"] = in_memory_name
        wrapper.connection = in_memory


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order, as the database driver returns it."""
    with connection.cursor() as cursor:
        tables = {}
        for name in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(name)}")
            tables[name] = sorted(cursor.fetchall(), key=repr)
    return tables


def delete_subject(subject: Subject) -> None:
    """Delete a subject with its facts and their claims (they protect one another)."""
    facts = list(subject.facts.all())
    for fact in facts:
        for claim in fact.claims.all():
            claim.delete()
        fact.delete()
    subject.delete()


def test_it_restores_a_deleted_fact_with_its_history_rows(seeds, tmp_path):
    fact = Fact.objects.filter(claims__isnull=False).order_by("pk").first()
    fact_id = fact.pk  # delete() forgets it
    history = list(Fact.history.filter(id=fact_id).values_list("history_id", "history_type"))
    claim_ids = set(fact.claims.values_list("pk", flat=True))
    run("backup", tmp_path / "site.backup")

    for claim in fact.claims.all():
        claim.delete()
    fact.delete()
    assert Fact.history.filter(id=fact_id).latest("history_id").history_type == "-"
    run("restore", tmp_path / "site.backup", "--no-input")

    assert Fact.objects.get(pk=fact_id).property == fact.property
    assert set(Claim.objects.filter(fact_id=fact_id).values_list("pk", flat=True)) == claim_ids
    # Its history as it was at the backup: the creation is back, the deletion is gone.
    assert list(Fact.history.filter(id=fact_id).values_list("history_id", "history_type")) == (
        history
    )


def test_it_keeps_a_history_timestamp_to_the_microsecond(seeds, tmp_path):
    record = Fact.history.order_by("history_id").first()
    Fact.history.filter(history_id=record.history_id).update(history_date=KNOWN_MOMENT)
    run("backup", tmp_path / "site.backup")

    Fact.history.filter(history_id=record.history_id).update(
        history_date=dt.datetime.now(dt.timezone.utc)
    )
    run("restore", tmp_path / "site.backup", "--no-input")

    assert Fact.history.get(history_id=record.history_id).history_date == KNOWN_MOMENT


def test_every_row_of_every_table_is_back_after_deletions_and_additions(seeds, tmp_path):
    before = snapshot()
    run("backup", tmp_path / "site.backup")

    delete_subject(Subject.objects.order_by("pk").first())
    FactFactory()
    assert snapshot() != before
    run("restore", tmp_path / "site.backup", "--no-input")

    after = snapshot()
    assert {name: len(rows) for name, rows in after.items()} == {
        name: len(rows) for name, rows in before.items()
    }
    assert after == before


def test_a_backup_taken_after_deletions_restores_them_as_deleted(seeds, tmp_path):
    # The case that breaks dumpdata --natural-foreign: history rows of a subject that is gone.
    subject_id = Subject.objects.order_by("pk").first().pk
    delete_subject(Subject.objects.get(pk=subject_id))
    before = snapshot()
    run("backup", tmp_path / "site.backup")

    Subject.history.filter(id=subject_id).delete()
    run("restore", tmp_path / "site.backup", "--no-input")

    assert snapshot() == before
    assert not Subject.objects.filter(pk=subject_id).exists()
    assert [r.history_type for r in Subject.history.filter(id=subject_id)] == ["-", "+"]


def test_the_site_writes_new_rows_after_a_restore(seeds, tmp_path):
    # The sequences come back with the rows: a new fact must not collide with a restored one.
    run("backup", tmp_path / "site.backup")
    FactFactory()
    run("restore", tmp_path / "site.backup", "--no-input")

    fact = FactFactory()
    assert Fact.objects.filter(pk=fact.pk).count() == 1
    assert Fact.history.filter(id=fact.pk).count() == 1


def test_it_says_what_it_backed_up_and_restored(seeds, tmp_path):
    path = tmp_path / "site.backup"
    tables = len(connection.introspection.table_names())

    backed_up = run("backup", path)
    restored = run("restore", path, "--no-input")

    assert str(path) in backed_up and str(path) in restored
    assert f"{tables} tables" in backed_up and f"{tables} tables" in restored
    assert ("KB" in backed_up or "MB" in backed_up) and " rows" in restored


def test_a_backup_does_not_overwrite_a_file_without_force(seeds, tmp_path):
    path = tmp_path / "site.backup"
    path.write_text("an earlier backup")

    with pytest.raises(CommandError, match=r"exists already.*--force"):
        run("backup", path)
    assert path.read_text() == "an earlier backup"

    run("backup", path, "--force")
    assert path.read_bytes() != b"an earlier backup"
    run("restore", path, "--no-input")


def test_restore_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run("restore", tmp_path / "nowhere.backup", "--no-input")


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a database")

    with pytest.raises(CommandError, match="not a backup made by"):
        run("restore", path, "--no-input")


def test_restore_refuses_a_backup_of_the_other_engine(seeds, tmp_path):
    path = tmp_path / "other.backup"
    if connection.vendor == "sqlite":
        path.write_bytes(b"PGDMP\x01\x0e\x00")  # how every pg_dump custom archive begins
        expected = "backup of a PostgreSQL database, but this site's database is SQLite"
    else:
        with closing(sqlite3.connect(path)) as other:
            other.execute("CREATE TABLE django_migrations (id integer)")
        expected = "backup of a SQLite database, but this site's database is PostgreSQL"
    facts = Fact.objects.count()

    with pytest.raises(CommandError, match=expected):
        run("restore", path, "--no-input")
    assert Fact.objects.count() == facts


def test_restore_refuses_a_database_of_another_site(tmp_path):
    path = tmp_path / "other.backup"
    if connection.vendor == "sqlite":
        with closing(sqlite3.connect(path)) as other:
            other.execute("CREATE TABLE notes (body text)")
    else:
        # An archive of one table only stands for another site's database here: the tests may
        # not create a database of their own on the shared server.
        settings = connection.settings_dict
        options = [
            f"--{o}={settings[k]}" for o, k in (("host", "HOST"), ("port", "PORT")) if settings[k]
        ]
        subprocess.run(
            [
                "pg_dump",
                *options,
                f"--username={settings['USER']}",
                f"--dbname={settings['NAME']}",
                "--format=custom",
                "--table=facts_fact",
                f"--file={path}",
            ],
            env={**os.environ, "PGPASSWORD": settings["PASSWORD"] or ""},
            check=True,
        )

    with pytest.raises(CommandError, match="not one of a Django site"):
        run("restore", path, "--no-input")


def test_backup_and_restore_refuse_an_unsupported_engine(tmp_path, monkeypatch):
    monkeypatch.setattr(connections["default"], "vendor", "mysql")

    with pytest.raises(CommandError, match="support SQLite and PostgreSQL"):
        run("backup", tmp_path / "site.backup")
    with pytest.raises(CommandError, match="support SQLite and PostgreSQL"):
        run("restore", tmp_path / "site.backup", "--no-input")
    assert not (tmp_path / "site.backup").exists()


def test_restore_changes_nothing_unless_the_person_says_yes(seeds, tmp_path, monkeypatch):
    path = tmp_path / "site.backup"
    run("backup", path)
    fact = FactFactory()
    questions = []
    monkeypatch.setattr("builtins.input", lambda question: questions.append(question) or "no")

    assert "cancelled" in run("restore", path)
    assert "replaces the whole database" in questions[0]
    assert Fact.objects.filter(pk=fact.pk).exists()

    monkeypatch.setattr("builtins.input", lambda question: "yes")
    run("restore", path)
    assert not Fact.objects.filter(pk=fact.pk).exists()
