#!/usr/bin/env python3
"""Run the English extraction cases of ../shared/benchmarks/extraction through the candidate
extractor (facts/domain/candidates.py) and print the share passed per file.

    .venv/bin/python bench/extraction.py --data ../shared/benchmarks/extraction

The cases (see each folder's SOURCES.md) and when one passes:
- quantulum3 quantities(.ambiguity).json, Recognizers-Text Number/NumberWithUnit models
  (numbers, ranges, dimensions, currency, age, temperature): every expected result is overlapped
  by a quantity candidate with the same number (a range's two numbers for a range), and a case
  expecting nothing gets no quantity candidate;
- Recognizers-Text Date/DatePeriod extractors: every expected span is overlapped by a date
  candidate, and a case expecting nothing gets none;
- Recognizers-Text Date/DatePeriod parsers: as the extractors, and the candidate's days are the
  expected ones (the future or the past resolution, read against the case's reference day; a
  period's end either inclusive or exclusive, as the specs write both).

The extractor is built for news ("30,000 troops", "on Thursday"), not for every phrasing of a
chat assistant's calendar: the shares say how far it carries beyond the seeds, not a goal.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from facts.domain.candidates import Candidate, propose  # noqa: E402

REFERENCE = date(2016, 11, 7)  # the Recognizers-Text specs' usual reference day

Case = dict[str, Any]


def _overlaps(candidate: Candidate, start: int, end: int) -> bool:
    return candidate.start < end and start < candidate.end


def _decimal(value: object) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _kind(text: str, kind: str, published: date = REFERENCE) -> list[Candidate]:
    return [c for c in propose(text, published=published) if c.kind == kind]


def quantulum_case(case: Case) -> bool:
    text, expected = case["req"], case["res"]
    found = _kind(text, "quantity")
    if not expected:
        return not found
    for result in expected:
        start = text.find(result["surface"])
        if start < 0:
            return False
        end = start + len(result["surface"])
        value = _decimal(result["value"])
        if not any(_overlaps(c, start, end) and c.number == value for c in found):
            return False
    return True


_RANGE = re.compile(r"^[\[(](?P<low>[^,]*),(?P<high>[^\])]*)[\])]$")


def recognizers_quantity_case(case: Case) -> bool:
    text, expected = case["Input"], case["Results"]
    found = _kind(text, "quantity")
    if not expected:
        return not found
    for result in expected:
        start, end = result["Start"], result["End"] + 1  # End is inclusive
        value = str(result.get("Resolution", {}).get("value", ""))
        ranged = _RANGE.match(value)
        if ranged:
            low, high = _decimal(ranged["low"]), _decimal(ranged["high"])

            def agrees(
                c: Candidate, low: Decimal | None = low, high: Decimal | None = high
            ) -> bool:
                return (c.number, c.number_high) == (low, high) or (
                    high is None and c.number == low
                )
        else:
            number = _decimal(value)

            def agrees(c: Candidate, number: Decimal | None = number) -> bool:
                return c.number == number

        if not any(_overlaps(c, start, end) and agrees(c) for c in found):
            return False
    return True


def _reference(case: Case) -> date:
    context = case.get("Context") or {}
    stamp = context.get("ReferenceDateTime")
    return date.fromisoformat(stamp[:10]) if stamp else REFERENCE


def date_extractor_case(case: Case) -> bool:
    text, expected = case["Input"], case["Results"]
    found = _kind(text, "date", _reference(case))
    if not expected:
        return not found
    return all(
        any(_overlaps(c, r["Start"], r["Start"] + r["Length"]) for c in found) for r in expected
    )


def date_parser_case(case: Case) -> bool:
    text, expected = case["Input"], case["Results"]
    found = _kind(text, "date", _reference(case))
    if not expected:
        return not found
    for result in expected:
        start, end = result["Start"], result["Start"] + result["Length"]
        mine = [c for c in found if _overlaps(c, start, end)]
        value = result.get("Value") or {}
        wanted = [value.get("FutureResolution") or {}, value.get("PastResolution") or {}]
        if not any(_resolves(mine, w) for w in wanted if w):
            return False
    return True


def _resolves(mine: list[Candidate], wanted: dict[str, str]) -> bool:
    if "date" in wanted:
        day = date.fromisoformat(wanted["date"][:10])
        return any((c.date_earliest, c.date_latest) == (day, day) for c in mine)
    if "startDate" in wanted and "endDate" in wanted:
        first = date.fromisoformat(wanted["startDate"][:10])
        last = date.fromisoformat(wanted["endDate"][:10])
        ends = {last, last - timedelta(days=1)}  # the specs write both kinds of end
        whole = any(c.date_earliest == first and c.date_latest in ends for c in mine)
        parts = any(c.part == "start" and c.date_earliest == first for c in mine) and any(
            c.part == "end" and c.date_latest in ends for c in mine
        )
        return whole or parts
    return False


FILES: dict[str, Callable[[Case], bool]] = {
    "quantulum3/quantities.json": quantulum_case,
    "quantulum3/quantities.ambiguity.json": quantulum_case,
    "recognizers_text/Number/English/NumberModel.json": recognizers_quantity_case,
    "recognizers_text/Number/English/NumberRangeModel.json": recognizers_quantity_case,
    "recognizers_text/NumberWithUnit/English/DimensionModel.json": recognizers_quantity_case,
    "recognizers_text/NumberWithUnit/English/CurrencyModel.json": recognizers_quantity_case,
    "recognizers_text/NumberWithUnit/English/AgeModel.json": recognizers_quantity_case,
    "recognizers_text/NumberWithUnit/English/TemperatureModel.json": recognizers_quantity_case,
    "recognizers_text/DateTime/English/DateExtractor.json": date_extractor_case,
    "recognizers_text/DateTime/English/DatePeriodExtractor.json": date_extractor_case,
    "recognizers_text/DateTime/English/DateParser.json": date_parser_case,
    "recognizers_text/DateTime/English/DatePeriodParser.json": date_parser_case,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, type=Path, help="benchmarks/extraction")
    args = parser.parse_args()
    print(f"{'file':<60}{'cases':>7}{'passed':>8}{'share':>7}{'ms/case':>9}")
    for name, check in FILES.items():
        path = args.data / name
        if not path.exists():
            print(f"{name:<60} missing")
            continue
        cases = json.loads(path.read_text(encoding="utf-8-sig"))
        began = time.perf_counter()
        passed = 0
        for case in cases:
            try:
                passed += check(case)
            except Exception as error:  # a crash is a failed case, and said
                print(f"  error on {str(case)[:80]!r}: {error!r}")
        elapsed = (time.perf_counter() - began) * 1000 / max(1, len(cases))
        share = passed / len(cases) if cases else 0.0
        print(f"{name:<60}{len(cases):>7}{passed:>8}{share:>7.2f}{elapsed:>9.1f}")


if __name__ == "__main__":
    main()
