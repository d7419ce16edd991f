"""The seed record as one fixture, `fixtures/seed_record.json`: every row of the six seed files,
in their order, plus each fact's stored verdict, so that plain `manage.py loaddata seed_record`
(and a TestCase's `fixtures = ["seed_record"]`) gives the record `manage.py load_seeds` gives.

Pure Python on the fixtures' JSON, nothing from Django; `manage.py build_seed_record` computes
the verdicts and writes the file, which is generated, never edited by hand.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from facts.domain import agreement
from facts.domain.seeding import FIXTURES_DIR, read, seed_paths

Row = dict[str, Any]

SEED_RECORD_PATH = FIXTURES_DIR / "seed_record.json"
FACT_MODEL = "facts.fact"
CLAIM_MODEL = "facts.claim"

# The verdict columns the file carries. verdict_updated_at is left out: it is the time of a
# computation, not part of the record, and would change the file on every build.
# The likely value (facts.services.likely) is derived beside the verdict and stored with it.
VERDICT_COLUMNS = (
    *agreement.STORED_COLUMNS,
    "likely_value",
    "likely_confidence",
    "likely_detail",
)


def combine(sources: Sequence[Sequence[Row]]) -> list[Row]:
    """Every row of the source files, in order, each with a primary key.

    A row without one gets its position among its model's rows (1, 2, …), in the order the six
    files load it anyway on an empty database. Fixed keys matter: a stored verdict names its
    originators and outlets by id, and a database's sequence (PostgreSQL's never goes back,
    not even when a test's transaction is rolled back) would otherwise give other ids.
    """
    combined: list[Row] = []
    positions: dict[str, int] = {}
    for rows in sources:
        for row in rows:
            model = row["model"]
            positions[model] = positions.get(model, 0) + 1
            pk = row.get("pk", positions[model])
            combined.append({"model": model, "pk": pk, "fields": copy.deepcopy(row["fields"])})
    return combined


def read_sources(directory: Path = FIXTURES_DIR) -> list[Row]:
    """The six seed files of a fixtures directory, combined."""
    return combine([read(path) for path in seed_paths(directory)])


def fact_natural_key(row: Row) -> tuple[str, str]:
    """A fact row's natural key: its subject's slug and its own."""
    subject = row["fields"]["subject"]
    return (subject[0], row["fields"]["slug"])


def with_verdicts(rows: Sequence[Row], verdicts: Mapping[tuple[str, str], Row]) -> list[Row]:
    """The rows with each fact's verdict columns added, from `verdicts` keyed by natural key.

    KeyError names a fact that has no verdict: the verdicts must come from these very rows.
    """
    result = copy.deepcopy(list(rows))
    for row in result:
        if row["model"] == FACT_MODEL:
            columns = dict(verdicts[fact_natural_key(row)])
            # PostgreSQL's jsonb gives an object's keys back in its own order, SQLite in the
            # order written: sorted, the file is the same bytes whichever database built it.
            columns["verdict_detail"] = _sorted_keys(columns["verdict_detail"])
            columns["likely_detail"] = _sorted_keys(columns["likely_detail"])
            columns["likely_value"] = _sorted_keys(columns["likely_value"])
            row["fields"].update({name: columns[name] for name in VERDICT_COLUMNS})
    # Each claim's side in its fact's verdict is stored on the claim too (the outlet paths
    # count sides in SQL), by the same rule the verdict service writes it with.
    sides: dict[int, int] = {}
    for row in result:
        if row["model"] == FACT_MODEL:
            groups = row["fields"]["verdict_detail"].get("groups", [])
            sides.update(agreement.claim_sides((g["role"], g["claims"]) for g in groups))
    for row in result:
        if row["model"] == CLAIM_MODEL:
            row["fields"]["verdict_side"] = sides.get(row["pk"])
    return result


def _sorted_keys(value: Any) -> Any:
    """A JSON value with every object's keys in sorted order."""
    if isinstance(value, dict):
        return {key: _sorted_keys(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted_keys(item) for item in value]
    return value


def without_verdicts(rows: Sequence[Row]) -> list[Row]:
    """The rows with the verdict columns taken out: what the source files say."""
    result = copy.deepcopy(list(rows))
    for row in result:
        if row["model"] == FACT_MODEL:
            for name in VERDICT_COLUMNS:
                row["fields"].pop(name, None)
        if row["model"] == CLAIM_MODEL:
            row["fields"].pop("verdict_side", None)
    return result
