"""`manage.py export_fixture` freezes a part of the record as a fixture that loads on its own
into an empty database and gives back the same verdicts: a real case as a regression test."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from facts.models import Actor, Claim, Fact
from facts.services import snapshots

pytestmark = pytest.mark.django_db

DRILLS = "allied-resolve-2022"
KREMLIN_SAYS = "tmt-2022-02-08-kremlin-says-russian-troops-will-return"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def export(tmp_path: Path, *args: str) -> Path:
    path = tmp_path / "case.json"
    run("export_fixture", *args, "--output", str(path))
    return path


def verdicts_of(subject: str) -> dict:
    return {
        key: entry
        for key, entry in snapshots.current_verdicts().items()
        if key.startswith(f"{subject}/")
    }


def test_an_exported_subject_loads_into_an_empty_database_with_the_same_verdicts(
    seeds, tmp_path, empty_the_database
):
    before = verdicts_of(DRILLS)
    path = export(tmp_path, "--subject", DRILLS)
    empty_the_database()
    assert not Fact.objects.exists()
    call_command("loaddata", str(path), verbosity=0)
    assert verdicts_of(DRILLS) == before
    assert set(Fact.objects.values_list("subject__slug", flat=True)) == {DRILLS}
    assert "Every stored verdict matches" in run("check_verdicts")


def test_the_troops_sent_to_belarus_are_still_agreed_at_about_30000_after_the_round_trip(
    seeds, tmp_path, empty_the_database
):
    path = export(tmp_path, "--subject", DRILLS)
    empty_the_database()
    call_command("loaddata", str(path), verbosity=0)
    troops = Fact.objects.get(subject__slug=DRILLS, slug="russian-troops-sent")
    assert troops.verdict == "agreed"
    assert (troops.consensus_low, troops.consensus_best, troops.consensus_high) == (
        27_000,
        30_000,
        33_000,
    )


def test_an_exported_article_brings_every_claim_about_the_facts_it_reports(
    seeds, tmp_path, empty_the_database
):
    facts = set(Claim.objects.filter(article__slug=KREMLIN_SAYS).values_list("fact", flat=True))
    claims_about_them = Claim.objects.filter(fact__in=facts).count()
    rows = json.loads(export(tmp_path, "--article", KREMLIN_SAYS).read_text(encoding="utf-8"))
    assert sum(row["model"] == "facts.fact" for row in rows) == len(facts)
    assert sum(row["model"] == "facts.claim" for row in rows) == claims_about_them
    empty_the_database()
    call_command("loaddata", str(tmp_path / "case.json"), verbosity=0)
    assert "Every stored verdict matches" in run("check_verdicts")


def test_an_actor_comes_with_the_body_it_speaks_for_which_comes_first(seeds, tmp_path):
    rows = json.loads(export(tmp_path, "--subject", DRILLS).read_text(encoding="utf-8"))
    actors = [row["fields"]["slug"] for row in rows if row["model"] == "facts.actor"]
    for slug in actors:
        parent = Actor.objects.get(slug=slug).parent
        if parent is not None:
            assert parent.slug in actors
            assert actors.index(parent.slug) < actors.index(slug)


def test_rows_point_to_each_other_by_natural_key_and_carry_no_timestamps(seeds, tmp_path):
    rows = json.loads(export(tmp_path, "--subject", DRILLS).read_text(encoding="utf-8"))
    claim = next(row["fields"] for row in rows if row["model"] == "facts.claim")
    assert claim["fact"][0] == DRILLS and isinstance(claim["article"], list)
    assert not any("created_at" in row["fields"] or "version" in row["fields"] for row in rows)


def test_without_an_output_file_the_fixture_goes_to_standard_output(seeds):
    rows = json.loads(run("export_fixture", "--subject", DRILLS))
    assert rows[0]["model"] == "facts.outlet"


def test_an_unknown_slug_is_refused_with_its_name(seeds):
    with pytest.raises(CommandError, match="no-such-subject"):
        run("export_fixture", "--subject", "no-such-subject")
