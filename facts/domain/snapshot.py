"""The verdict snapshot: every fact's verdict in stable, readable terms, and a diff of two.

Pure Python, nothing from Django. The stored verdict (Fact.verdict* columns and verdict_detail)
names originators and outlets by database id and claims by pk; a snapshot names them by slug, so
that `fixtures/expected/verdicts.json` reads the same on every database and a person can review a
change to it line by line. The ORM side (facts/services/snapshots.py) only supplies the maps from
ids to slugs.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from facts.domain.seeding import FIXTURES_DIR

# One fact's expected verdict, as JSON: plain dicts, lists, strings and numbers.
Entry = dict[str, Any]
# Every fact's entry, keyed by "subject-slug/fact-slug".
Snapshot = dict[str, Entry]
Number = int | float

EXPECTED_PATH = FIXTURES_DIR / "expected" / "verdicts.json"


def fact_key(subject_slug: str, fact_slug: str) -> str:
    """The stable name of a fact: its natural key, as a person writes it."""
    return f"{subject_slug}/{fact_slug}"


def plain(value: float | None) -> Number | None:
    """A number as a person writes it: 30000, not 30000.0; 12 significant digits at most, so
    that a last-bit difference between database backends is no change of verdict."""
    if value is None or math.isinf(value):
        return None
    rounded = float(f"{value:.12g}")
    return int(rounded) if rounded.is_integer() else rounded


def iso_day(ordinal: float | None) -> str | None:
    """A date fact's consensus column (an ordinal day) as an ISO day."""
    if ordinal is None or math.isinf(ordinal):
        return None
    return dt.date.fromordinal(int(ordinal)).isoformat()


def _bound(value: object) -> object:
    # A group's bounds in verdict_detail are ISO days already for dates; numbers are floats.
    if isinstance(value, float):
        return plain(value)
    return value


def entry(
    *,
    property: str,
    value_kind: str,
    kind: str,
    low: float | None,
    best: float | None,
    high: float | None,
    category: str,
    counts: Mapping[str, int],
    detail: Mapping[str, Any],
    originators: Mapping[str, str],
    outlets: Mapping[int, str],
) -> Entry:
    """One fact's entry, from its stored verdict columns and verdict_detail.

    `originators` maps an originator key of the detail ("actor:12", "outlet:3") to its stable
    reference ("actor:nato"); `outlets` maps an outlet id to its slug. The keys come in the
    order a reviewer reads them: what the fact is, its verdict, then the evidence.
    """
    fmt = iso_day if value_kind == "date" else plain
    groups = [
        {
            "role": group["role"],
            "low": _bound(group["low"]),
            "best": _bound(group["best"]),
            "high": _bound(group["high"]),
            "category": group["category"],
            "originators": sorted(
                f"{originators.get(o['key'], o['key'])} ({o['name']})" for o in group["originators"]
            ),
            "outlets": sorted(outlets.get(o["id"], str(o["id"])) for o in group["outlets"]),
            "claims": len(group["claims"]),
            "articles": group["articles"],
        }
        for group in detail.get("groups", [])
    ]
    # Groups are numbered from 1 for a person; the detail numbers them from 0.
    differences = [
        f"{d['type']} (group {d['groups'][0] + 1} and group {d['groups'][1] + 1})"
        for d in detail.get("differences", [])
    ]
    return {
        "property": property,
        "kind": kind,
        "consensus": {"low": fmt(low), "best": fmt(best), "high": fmt(high), "category": category},
        "counts": {name: counts[name] for name in ("claims", "articles", "outlets", "originators")},
        "groups": groups,
        "differences": differences,
        "undisclosed": len(detail.get("undisclosed", [])),
    }


def render(snapshot: Mapping[str, Entry]) -> str:
    """The snapshot as the file holds it: facts in key order, UTF-8, two-space indent."""
    ordered = {key: snapshot[key] for key in sorted(snapshot)}
    return json.dumps(ordered, indent=2, ensure_ascii=False) + "\n"


def parse(text: str) -> Snapshot:
    """A snapshot file's contents; ValueError if it is not one."""
    data = json.loads(text)
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise ValueError("A verdict snapshot is an object of facts, each an object.")
    return data


def read(path: Path = EXPECTED_PATH) -> Snapshot:
    """Read a snapshot file."""
    return parse(path.read_text(encoding="utf-8"))


def write(snapshot: Mapping[str, Entry], path: Path = EXPECTED_PATH) -> None:
    """Write a snapshot file, creating its directory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(snapshot), encoding="utf-8")


# Diff -------------------------------------------------------------------------------------


def show(value: object) -> str:
    """A value in a diff line: strings bare, none as "none", lists in brackets."""
    if value is None:
        return "none"
    if isinstance(value, str):
        return value if value else '""'
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _group_label(group: object) -> str:
    if isinstance(group, dict):
        return f"{group.get('role')} {show(group.get('originators'))}"
    return show(group)


def _changes(old: object, new: object, path: str) -> Iterator[str]:
    """What changed from old to new, one readable line per changed value."""
    if isinstance(old, dict) and isinstance(new, dict):
        for name in [*old, *(k for k in new if k not in old)]:
            if name not in new:
                yield f"{_join(path, name)} removed (was {show(old[name])})"
            elif name not in old:
                yield f"{_join(path, name)} added: {show(new[name])}"
            else:
                yield from _changes(old[name], new[name], _join(path, name))
    elif isinstance(old, list) and isinstance(new, list) and path.endswith("groups"):
        # Groups are compared in order: the first is the consensus, each later one a rival.
        for index in range(max(len(old), len(new))):
            label = f"group {index + 1}"
            if index >= len(new):
                yield f"{label} removed (was {_group_label(old[index])})"
            elif index >= len(old):
                yield f"{label} added: {_group_label(new[index])}"
            else:
                yield from _changes(old[index], new[index], label)
    elif isinstance(old, list) and isinstance(new, list):
        if old == new:
            return
        gone = [v for v in old if v not in new]
        came = [v for v in new if v not in old]
        if not gone and not came:
            yield f"{path} reordered: {show(old)} -> {show(new)}"
        else:
            parts = [f"-{show(v)}" for v in gone] + [f"+{show(v)}" for v in came]
            yield f"{path}: {', '.join(parts)}"
    elif old != new or (type(old) is not type(new) and not _same_number(old, new)):
        yield f"{path} {show(old)} -> {show(new)}"


def _same_number(old: object, new: object) -> bool:
    # 30000 and 30000.0 are one number, whichever way the JSON wrote it.
    numbers = (int, float)
    return (
        isinstance(old, numbers)
        and isinstance(new, numbers)
        and not isinstance(old, bool)
        and not isinstance(new, bool)
        and old == new
    )


def diff(expected: Mapping[str, Entry], actual: Mapping[str, Entry]) -> list[str]:
    """Every difference between the expected snapshot and the actual one, one line each,
    named by fact: "allied-resolve-2022/russian-troops-sent: kind agreed -> value_conflict".
    Empty when they are the same."""
    lines: list[str] = []
    for key in sorted(expected.keys() | actual.keys()):
        if key not in actual:
            lines.append(f"{key}: no longer in the record (expected {expected[key].get('kind')})")
        elif key not in expected:
            lines.append(f"{key}: not in the snapshot (now {actual[key].get('kind')})")
        else:
            lines.extend(f"{key}: {line}" for line in _changes(expected[key], actual[key], ""))
    return lines


def summary(lines: Sequence[str]) -> str:
    """How many facts differ, for the last line of a check."""
    facts = {line.split(": ", 1)[0] for line in lines}
    return f"{len(facts)} fact(s) differ from the snapshot in {len(lines)} way(s)."
