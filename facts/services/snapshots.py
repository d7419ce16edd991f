"""Read the stored verdicts as a snapshot (facts/domain/snapshot.py), and give the commands that
build from the seeds a database with no record in it. Reads only; the scratch database is
rolled back or destroyed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

from facts.domain import snapshot
from facts.models import Actor, Article, Claim, Fact, Outlet, Subject


def current_verdicts() -> snapshot.Snapshot:
    """Every fact's stored verdict, in the stable terms of a snapshot."""
    # Originator keys in verdict_detail are "actor:<id>" (the top of the actor's chain) or
    # "outlet:<id>" (an outlet's own voice); slugs are what stays the same across databases.
    originators = {
        f"actor:{pk}": f"actor:{slug}" for pk, slug in Actor.objects.values_list("pk", "slug")
    }
    outlets = dict(Outlet.objects.values_list("pk", "slug"))
    originators.update({f"outlet:{pk}": f"outlet:{slug}" for pk, slug in outlets.items()})
    found: snapshot.Snapshot = {}
    for fact in Fact.objects.select_related("subject").order_by("subject__slug", "slug"):
        found[snapshot.fact_key(fact.subject.slug, fact.slug)] = snapshot.entry(
            property=fact.property,
            value_kind=fact.value_kind,
            kind=fact.verdict,
            low=fact.consensus_low,
            best=fact.consensus_best,
            high=fact.consensus_high,
            category=fact.consensus_category,
            counts={
                "claims": fact.counted_claims,
                "articles": fact.counted_articles,
                "outlets": fact.counted_outlets,
                "originators": fact.counted_originators,
            },
            detail=fact.verdict_detail,
            originators=originators,
            outlets=outlets,
        )
    return found


RECORD_MODELS = (Outlet, Article, Actor, Subject, Fact, Claim)


def record_is_empty() -> bool:
    """Whether the database is migrated and holds no row of the record (users and groups do
    not count)."""
    tables = set(connection.introspection.table_names())
    if not all(model._meta.db_table in tables for model in RECORD_MODELS):
        return False
    return not any(model.objects.exists() for model in RECORD_MODELS)


class _Rollback(Exception):
    """Leaves the transaction of empty_record_database, undoing what was loaded in it."""


@contextmanager
def empty_record_database() -> Iterator[None]:
    """A database with no record in it, for the seeds to be loaded into and read back; nothing
    of it stays afterwards.

    When this database is migrated and holds no record, the block runs inside a transaction that is rolled
    back. Otherwise it runs in a scratch database made and destroyed the way the test runner
    and `manage.py testserver` do (SQLite in memory; on PostgreSQL a database named after this
    one), so that an editor's data is neither read nor touched.
    """
    if record_is_empty():
        try:
            with transaction.atomic():
                yield
                raise _Rollback
        except _Rollback:
            pass
        return
    settings = connection.settings_dict
    if connection.vendor != "sqlite":
        # Not the test runner's own name: a test run on the same server keeps its database.
        settings.setdefault("TEST", {})["NAME"] = f"{settings['NAME']}_seed_scratch"
    old_name = settings["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
