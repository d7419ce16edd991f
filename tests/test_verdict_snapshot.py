"""The verdict snapshot: fixtures/expected/verdicts.json pins every seed verdict, and a change to
the engine that moves one fails until a person has reviewed the file."""

import copy
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from facts.domain import snapshot
from facts.services import snapshots

TROOPS = "allied-resolve-2022/russian-troops-sent"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def an_entry(**changes: object) -> snapshot.Entry:
    base: snapshot.Entry = {
        "property": "Russian troops sent to Belarus",
        "kind": "agreed",
        "consensus": {"low": 27000, "best": 30000, "high": 33000, "category": ""},
        "counts": {"claims": 3, "articles": 2, "outlets": 2, "originators": 2},
        "groups": [
            {
                "role": "consensus",
                "low": 27000,
                "best": 30000,
                "high": 33000,
                "category": "",
                "originators": ["actor:nato (NATO)", "actor:united-states (United States)"],
                "outlets": ["the-moscow-times", "the-national-interest"],
                "claims": 3,
                "articles": 2,
            }
        ],
        "differences": [],
        "undisclosed": 0,
    }
    base.update(changes)
    return base


# The pure comparison, without a database ---------------------------------------------------


def test_the_same_snapshot_has_no_difference():
    assert snapshot.diff({TROOPS: an_entry()}, {TROOPS: an_entry()}) == []


def test_a_changed_kind_is_named_with_its_fact_and_both_values():
    lines = snapshot.diff({TROOPS: an_entry()}, {TROOPS: an_entry(kind="value_conflict")})
    assert lines == [f"{TROOPS}: kind agreed -> value_conflict"]


def test_a_moved_consensus_names_the_bound_that_moved():
    moved = an_entry(consensus={"low": 27000, "best": 31000, "high": 33000, "category": ""})
    assert snapshot.diff({TROOPS: an_entry()}, {TROOPS: moved}) == [
        f"{TROOPS}: consensus.best 30000 -> 31000"
    ]


def test_an_originator_that_leaves_a_group_is_named_by_its_slug():
    after = an_entry()
    after["groups"][0]["originators"] = ["actor:nato (NATO)"]
    assert snapshot.diff({TROOPS: an_entry()}, {TROOPS: after}) == [
        f"{TROOPS}: group 1.originators: -actor:united-states (United States)"
    ]


def test_a_new_rival_group_is_named_with_its_role_and_originators():
    after = an_entry()
    rival = copy.deepcopy(after["groups"][0])
    rival.update(role="rival", originators=["actor:kremlin (The Kremlin)"])
    after["groups"].append(rival)
    assert snapshot.diff({TROOPS: an_entry()}, {TROOPS: after}) == [
        f"{TROOPS}: group 2 added: rival [actor:kremlin (The Kremlin)]"
    ]


def test_facts_that_appear_or_disappear_are_named():
    lines = snapshot.diff({TROOPS: an_entry()}, {"new-subject/new-fact": an_entry()})
    assert lines == [
        f"{TROOPS}: no longer in the record (expected agreed)",
        "new-subject/new-fact: not in the snapshot (now agreed)",
    ]


def test_a_whole_number_written_with_a_decimal_point_is_the_same_number():
    written = an_entry(consensus={"low": 27000.0, "best": 30000, "high": 33000, "category": ""})
    assert snapshot.diff({TROOPS: written}, {TROOPS: an_entry()}) == []


def test_numbers_are_plain_and_dates_are_iso_days():
    assert snapshot.plain(30000.0) == 30000
    assert snapshot.plain(0.1 + 0.2) == 0.3
    assert snapshot.plain(float("inf")) is None
    assert snapshot.iso_day(738206.0) == "2022-02-20"


def test_the_file_lists_facts_in_key_order_and_reads_back_the_same():
    text = snapshot.render({"b/fact": an_entry(), "a/fact": an_entry()})
    assert list(json.loads(text)) == ["a/fact", "b/fact"]
    assert snapshot.parse(text) == {"a/fact": an_entry(), "b/fact": an_entry()}
    assert text.endswith("}\n")


def test_an_entry_names_originators_and_outlets_by_slug_not_by_id():
    detail = {
        "groups": [
            {
                "role": "consensus",
                "claims": [31, 57],
                "low": 27000.0,
                "high": 33000.0,
                "best": 30000.0,
                "category": "",
                "originators": [{"key": "actor:17", "name": "NATO"}],
                "outlets": [{"id": 2, "name": "The National Interest"}],
                "articles": 2,
            }
        ],
        "differences": [],
        "undisclosed": [40],
    }
    made = snapshot.entry(
        property="Russian troops sent to Belarus",
        value_kind="quantity",
        kind="agreed",
        low=27000.0,
        best=30000.0,
        high=33000.0,
        category="",
        counts={"claims": 2, "articles": 2, "outlets": 1, "originators": 1},
        detail=detail,
        originators={"actor:17": "actor:nato"},
        outlets={2: "the-national-interest"},
    )
    group = made["groups"][0]
    assert group["originators"] == ["actor:nato (NATO)"]
    assert group["outlets"] == ["the-national-interest"]
    assert group["claims"] == 2 and made["undisclosed"] == 1
    assert "17" not in json.dumps(made) and "31" not in json.dumps(made)


# Against the loaded seeds ------------------------------------------------------------------


@pytest.mark.django_db
def test_every_seed_verdict_matches_the_reviewed_snapshot(seeds):
    assert "All 68 verdicts match" in run("verdict_snapshot", "--check")


@pytest.mark.django_db
def test_the_snapshot_has_the_troops_sent_to_belarus_agreed_at_about_30000(seeds):
    troops = snapshot.read()[TROOPS]
    assert troops["kind"] == "agreed"
    assert troops["consensus"] == {"low": 27000, "best": 30000, "high": 33000, "category": ""}
    assert troops["groups"][0]["originators"] == [
        "actor:nato (NATO)",
        "actor:united-states (United States)",
    ]
    assert snapshots.current_verdicts()[TROOPS] == troops


@pytest.mark.django_db
def test_a_changed_verdict_fails_the_check_and_names_the_fact(seeds, tmp_path: Path):
    expected = snapshot.read()
    expected[TROOPS]["kind"] = "value_conflict"
    path = tmp_path / "verdicts.json"
    snapshot.write(expected, path)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 fact\\(s\\) differ"):
        call_command("verdict_snapshot", "--check", "--file", str(path), stdout=out)
    assert out.getvalue() == f"{TROOPS}: kind value_conflict -> agreed\n"


@pytest.mark.django_db
def test_write_records_the_verdicts_that_check_then_accepts(seeds, tmp_path: Path):
    path = tmp_path / "expected" / "verdicts.json"
    assert "Wrote 68" in run("verdict_snapshot", "--write", "--file", str(path))
    assert path.read_text(encoding="utf-8") == snapshot.EXPECTED_PATH.read_text(encoding="utf-8")
    assert "match" in run("verdict_snapshot", "--check", "--file", str(path))


@pytest.mark.django_db
def test_the_seeds_option_checks_the_seed_verdicts_and_leaves_nothing_behind():
    assert "All 68 verdicts match" in run("verdict_snapshot", "--check", "--seeds")
    assert snapshots.record_is_empty()
