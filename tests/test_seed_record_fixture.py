"""fixtures/seed_record.json: plain `loaddata seed_record` (and a TestCase's fixtures) gives the
record `manage.py load_seeds` gives, and the file is what the seed fixtures generate."""

import io
import json
from typing import Any

import pytest
from django.core import serializers
from django.core.management import call_command
from django.test import TestCase

from facts.domain import seed_record, seeding
from facts.models import Fact
from facts.services import seed_record as seed_record_service
from facts.services import snapshots

# When a row was written is no part of the record; verdict_detail names rows by database id,
# which the snapshot (compared apart) names by slug.
NOT_COMPARED = {
    "created_at",
    "updated_at",
    "version",
    "verdict_updated_at",
    "verdict_detail",
    "likely_detail",
}


def stable_likely(detail: dict) -> dict:
    """A fact's likely_detail with its originators named, not keyed by database ids (which
    PostgreSQL's sequences give differently from the file's fixed keys)."""
    originators = [
        {k: v for k, v in o.items() if k != "key"} for o in detail.get("originators", [])
    ]
    return {**detail, "originators": originators}


def the_record() -> dict[str, Any]:
    """Every row of the record, named by natural keys, with its verdicts in stable terms."""
    rows = []
    for model in snapshots.RECORD_MODELS:
        for row in serializers.serialize(
            "python",
            model.objects.order_by("pk"),
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        ):
            fields = {k: v for k, v in row["fields"].items() if k not in NOT_COMPARED}
            if "likely_detail" in row["fields"]:
                fields["likely_detail"] = json.dumps(
                    stable_likely(row["fields"]["likely_detail"] or {}), sort_keys=True
                )
            # Claims have no natural key: their pks come from claims.json.
            rows.append((row["model"], row.get("pk"), sorted(fields.items(), key=str)))
    return {"rows": sorted(rows, key=str), "verdicts": snapshots.current_verdicts()}


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_committed_seed_record_is_what_the_seed_fixtures_generate():
    # Regenerated here, in this empty database, and compared row by row with the file.
    assert seed_record_service.build() == seeding.read(seed_record.SEED_RECORD_PATH)


@pytest.mark.django_db
def test_the_build_command_writes_the_same_file_elsewhere(tmp_path):
    output = tmp_path / "seed_record.json"
    assert "Wrote 254 rows" in run("build_seed_record", "--output", str(output))
    assert output.read_bytes() == seed_record.SEED_RECORD_PATH.read_bytes()
    assert "up to date" in run("build_seed_record", "--check")
    assert snapshots.record_is_empty()


def test_the_seed_record_holds_every_row_of_the_six_seed_files_in_their_order():
    combined = seed_record.without_verdicts(seeding.read(seed_record.SEED_RECORD_PATH))
    sources = [row for path in seeding.seed_paths() for row in seeding.read(path)]
    assert [row["fields"] for row in combined] == [row["fields"] for row in sources]
    assert [row["model"] for row in combined] == [row["model"] for row in sources]


@pytest.mark.django_db
def test_loaddata_seed_record_gives_the_record_load_seeds_gives(empty_the_database):
    call_command("load_seeds", verbosity=0)
    by_load_seeds = the_record()
    empty_the_database()
    call_command("loaddata", "seed_record", verbosity=0)
    assert the_record() == by_load_seeds
    assert "Every stored verdict matches" in run("check_verdicts")


class SeedRecordAsATestCaseFixture(TestCase):
    """What the README shows: a plain Django TestCase gets the seeds by fixture name."""

    fixtures = ["seed_record"]

    def test_the_troops_sent_to_belarus_are_agreed_at_about_30000(self) -> None:
        troops = Fact.objects.get(subject__slug="allied-resolve-2022", slug="russian-troops-sent")
        self.assertEqual(troops.verdict, "agreed")
        self.assertEqual(troops.consensus_best, 30_000)
        self.assertEqual((troops.consensus_low, troops.consensus_high), (27_000, 33_000))

    def test_every_stored_verdict_matches_its_claims(self) -> None:
        self.assertIn("Every stored verdict matches", run("check_verdicts"))
