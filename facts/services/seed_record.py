"""Build the combined seed fixture (facts/domain/seed_record.py): load the six seed files as one
fixture into a database with no record, compute the verdicts the way `load_seeds` does, and
read them back."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from django.core.management import call_command

from facts.domain import seed_record
from facts.domain.seeding import FIXTURES_DIR
from facts.models import Fact
from facts.services import snapshots, stories, verdicts


def load_rows(*, rows: list[seed_record.Row]) -> None:
    """Load fixture rows with `loaddata`, as a file would be (loaddata reads files only)."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "rows.json"
        path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        call_command("loaddata", str(path), verbosity=0)


def build(*, directory: Path = FIXTURES_DIR) -> list[seed_record.Row]:
    """The rows of the combined seed fixture, verdicts included, from the seed files in
    `directory`. Needs a database with no record (see snapshots.empty_record_database) and
    leaves the seeds loaded in it: the caller's transaction decides whether they stay."""
    if not snapshots.record_is_empty():
        raise RuntimeError("The seed record is built in a database with no record in it.")
    rows = seed_record.read_sources(directory)
    load_rows(rows=rows)
    # What load_seeds does after loaddata, so that the verdicts are the ones it stores.
    stories.index_unindexed()
    verdicts.recompute_all(record_changes=False)
    stored = {
        (fact["subject__slug"], fact["slug"]): fact
        for fact in Fact.objects.values("subject__slug", "slug", *seed_record.VERDICT_COLUMNS)
    }
    return seed_record.with_verdicts(rows, stored)
