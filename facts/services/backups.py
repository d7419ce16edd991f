"""Whole-database backups with the database's own tools, history tables included.

JSON (dumpdata/loaddata) cannot be trusted for this: natural keys fail once the history points
at deleted rows, and DjangoJSONEncoder cuts timestamps to milliseconds. So SQLite is copied page
by page with its online backup API and PostgreSQL goes through pg_dump's custom format and
pg_restore: both give back every row and every microsecond.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.executor import MigrationExecutor

# The first bytes of each engine's backup file, to tell a backup from any other file and to
# refuse a backup of the wrong engine before anything is touched.
MAGIC = {"sqlite": b"SQLite format 3\x00", "postgresql": b"PGDMP"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Every Django database has it; a database file without it is not a backup of this site.
MIGRATIONS_TABLE = "django_migrations"
TABLE_DATA_ENTRY = re.compile(r"^\d+; \d+ \d+ TABLE DATA \S+ (\S+) ", re.MULTILINE)


class BackupError(Exception):
    """A backup or restore that was refused or failed; the message says why and what to do."""


@dataclass(frozen=True)
class Summary:
    """What a backup holds or what a restore brought back."""

    path: Path
    engine: str
    size: int
    tables: int
    rows: int
    # Migrations of the code that the restored database has not applied (a backup older than
    # the code): the site needs `migrate` before it serves again.
    unapplied_migrations: int = 0
    # Tables of the live database that the backup does not have (made by a later migration):
    # pg_restore --clean drops only what the backup holds, so these are left as they were.
    tables_not_in_backup: tuple[str, ...] = ()


def backup(*, path: Path, force: bool = False, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Write a consistent copy of the whole database to path; refuse to overwrite without force."""
    connection = _supported(using=using)
    if path.exists() and not force:
        raise BackupError(
            f"{path} exists already; choose another path or pass --force to replace it."
        )
    if path.exists() and not path.is_file():
        raise BackupError(f"{path} is not a file; a backup cannot replace it.")
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write beside the target and rename at the end: a failed backup leaves no half-written
    # file, and a forced one replaces the old backup only once the new one is complete.
    # mkstemp also makes it readable by its owner only: a backup holds password hashes and API
    # tokens.
    handle, partial_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    partial = Path(partial_name)
    try:
        if connection.vendor == "sqlite":
            tables, rows = _sqlite_backup(connection=connection, target=partial)
        else:
            tables, rows = _postgresql_backup(connection=connection, target=partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return Summary(
        path=path, engine=connection.vendor, size=path.stat().st_size, tables=tables, rows=rows
    )


def check_restorable(*, path: Path, using: str = DEFAULT_DB_ALIAS) -> None:
    """Refuse, before anyone is asked to confirm, a file that restore would not take."""
    connection = _supported(using=using)
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file.")
    engine = backup_engine(path=path)
    if engine is None:
        raise BackupError(f"{path} is not a backup made by `manage.py backup`.")
    if engine != connection.vendor:
        raise BackupError(
            f"{path} is a backup of a {ENGINE_NAMES[engine]} database, but this site's database "
            f"is {ENGINE_NAMES[connection.vendor]}; restore it into a {ENGINE_NAMES[engine]} database."
        )
    if connection.vendor == "sqlite":
        _check_sqlite_backup(path=path)
    else:
        _check_postgresql_backup(path=path)


def restore(*, path: Path, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Replace the whole database with the backup at path; every row not in it is gone."""
    check_restorable(path=path, using=using)
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a transaction: it replaces the database.")
    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        raise BackupError("The database is in memory; there is no database file to restore into.")
    # The restore works through its own connection (or pg_restore's); Django's must not hold
    # a cached page, a snapshot or a lock meanwhile. It reconnects on the next query.
    connections.close_all()
    if connection.vendor == "sqlite":
        _sqlite_restore(connection=connection, source=path)
        leftovers: tuple[str, ...] = ()  # the backup API replaces every page of the file
    else:
        restored = _postgresql_restore(connection=connection, source=path)
        leftovers = tuple(sorted(set(connection.introspection.table_names()) - restored))
    # Content types are cached by id per process; the restored table may number them otherwise.
    ContentType.objects.clear_cache()
    tables, rows = count_rows(using=using)
    return Summary(
        path=path,
        engine=connection.vendor,
        size=path.stat().st_size,
        tables=tables,
        rows=rows,
        unapplied_migrations=_unapplied_migrations(connection=connection),
        tables_not_in_backup=leftovers,
    )


def backup_engine(*, path: Path) -> str | None:
    """The engine whose backup the file is, by its first bytes; None for any other file."""
    with path.open("rb") as file:
        head = file.read(max(len(magic) for magic in MAGIC.values()))
    return next((engine for engine, magic in MAGIC.items() if head.startswith(magic)), None)


def count_rows(*, using: str = DEFAULT_DB_ALIAS) -> tuple[int, int]:
    """The number of tables in the database and of rows in them all."""
    connection = connections[using]
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
        rows = 0
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")
            rows += cursor.fetchone()[0]
    return len(names), rows


def _supported(*, using: str) -> BaseDatabaseWrapper:
    connection = connections[using]
    if connection.vendor not in MAGIC:
        raise BackupError(
            f"Backups support SQLite and PostgreSQL; this database's engine is "
            f"{connection.settings_dict['ENGINE']}. Use that database's own backup tools."
        )
    return connection


# SQLite ----------------------------------------------------------------------------------------


def _sqlite_file(connection: BaseDatabaseWrapper) -> str:
    if connection.is_in_memory_db():  # type: ignore[attr-defined]  # SQLite's wrapper only
        raise BackupError("The database is in memory; it has no file to back up or restore.")
    return str(connection.settings_dict["NAME"])


def _sqlite_backup(*, connection: BaseDatabaseWrapper, target: Path) -> tuple[int, int]:
    # A connection of our own, not Django's: the backup API reads one committed snapshot, and
    # never what a transaction of the caller has not committed yet.
    with (
        closing(sqlite3.connect(_sqlite_file(connection))) as live,
        closing(sqlite3.connect(target)) as copy,
    ):
        live.backup(copy)
        # The copy inherits WAL mode from the live database; a backup is better one
        # self-contained file, with no -wal or -shm beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        return _sqlite_counts(copy)


def _sqlite_counts(database: sqlite3.Connection) -> tuple[int, int]:
    names = [
        name
        for (name,) in database.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    quoted = ['"{}"'.format(name.replace('"', '""')) for name in names]
    rows = sum(database.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0] for name in quoted)
    return len(names), rows


def _check_sqlite_backup(*, path: Path) -> None:
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as copy:
            check = copy.execute("PRAGMA quick_check").fetchone()[0]
            django = copy.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                (MIGRATIONS_TABLE,),
            ).fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a readable SQLite database: {error}.") from error
    if check != "ok":
        raise BackupError(f"{path} is damaged (SQLite quick_check: {check}); it was not restored.")
    if django is None:
        raise BackupError(f"{path} is an SQLite database, but not one of a Django site.")


def _sqlite_restore(*, connection: BaseDatabaseWrapper, source: Path) -> None:
    # The backup API in the other direction rather than a file copy: it writes through SQLite's
    # locks and the WAL, so a -wal file left beside the live database cannot resurrect old pages,
    # and other processes see the restored database at once.
    with (
        closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as copy,
        closing(sqlite3.connect(_sqlite_file(connection))) as live,
    ):
        copy.backup(live)


# PostgreSQL ------------------------------------------------------------------------------------


def _postgresql_command(
    *, program: str, connection: BaseDatabaseWrapper, arguments: list[str]
) -> tuple[list[str], dict[str, str]]:
    """A command line for pg_dump or pg_restore and its environment, for the live database.

    The password goes in PGPASSWORD, never on the command line, where `ps` would show it; the
    environment comes from Django's own dbshell client so that sslmode, service and passfile
    options are passed the same way.
    """
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"{program} was not found on PATH; install PostgreSQL's client tools "
            "(Debian: apt-get install postgresql-client) in the server's major version or newer."
        )
    settings = connection.settings_dict  # the test database's name under pytest, not settings'
    _, env = DatabaseClient.settings_to_cmd_args_env(settings, [])
    command = [executable, "--no-password"]  # fail rather than wait for a password at a prompt
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            command.append(f"{option}={settings[key]}")
    command += [f"--dbname={settings['NAME']}", *arguments]
    return command, {**os.environ, **(env or {})}


def _run(command: list[str], env: dict[str, str], *, what: str) -> str:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        # stderr names the database and the failing object, never the password (it is in env).
        raise BackupError(f"{what} failed (exit {result.returncode}):\n{result.stderr.strip()}")
    return result.stdout


def _postgresql_backup(*, connection: BaseDatabaseWrapper, target: Path) -> tuple[int, int]:
    # Rows are counted just before the dump, for the report only: pg_dump reads its own
    # snapshot, so writes in between would make the count differ from the file.
    tables, rows = count_rows(using=connection.alias)
    command, env = _postgresql_command(
        program="pg_dump", connection=connection, arguments=["--format=custom", f"--file={target}"]
    )
    _run(command, env, what="pg_dump")
    return tables, rows


def _postgresql_listing(*, path: Path) -> str:
    executable = shutil.which("pg_restore")
    if executable is None:
        raise BackupError("pg_restore was not found on PATH; install PostgreSQL's client tools.")
    return _run([executable, "--list", str(path)], dict(os.environ), what=f"Reading {path}")


def _postgresql_tables(*, path: Path) -> set[str]:
    """The tables whose rows a pg_dump archive holds, from its table of contents."""
    # Entries read "3456; 0 16386 TABLE DATA public auth_group postgres", one for every table,
    # empty or not; a schema-only dump has none, and restoring one would empty the database.
    return {match[1] for match in TABLE_DATA_ENTRY.finditer(_postgresql_listing(path=path))}


def _check_postgresql_backup(*, path: Path) -> None:
    if MIGRATIONS_TABLE not in _postgresql_tables(path=path):
        raise BackupError(f"{path} is a PostgreSQL backup, but not one of a Django site.")


def _postgresql_restore(*, connection: BaseDatabaseWrapper, source: Path) -> set[str]:
    command, env = _postgresql_command(
        program="pg_restore",
        connection=connection,
        arguments=[
            "--clean",  # drop each object of the backup before it is recreated
            "--if-exists",  # and do not fail on one that the live database lacks
            "--no-owner",  # the objects belong to whoever restores, as on a new server
            "--single-transaction",  # all or nothing: a failed restore leaves the database as it was
            str(source),
        ],
    )
    _run(command, env, what="pg_restore")
    return _postgresql_tables(path=source)


def _unapplied_migrations(*, connection: BaseDatabaseWrapper) -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
