"""The seed fixtures: which files, in which order, and how their derived fields are completed.

Pure Python on the fixtures' JSON, nothing from Django, so that a maintainer can add a claim
by its wording alone and let `manage.py complete_fixtures` fill in what follows from it.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from facts.domain import values

FIXTURES_DIR = Path(__file__).resolve().parents[2] / "fixtures"
SEED_FILES = ("outlets", "articles", "actors", "subjects", "facts", "claims")


def seed_paths(directory: Path = FIXTURES_DIR) -> list[Path]:
    """The seed fixture files, in the order they load."""
    return [directory / f"{name}.json" for name in SEED_FILES]


def read(path: Path) -> list[dict[str, Any]]:
    """Read one fixture file."""
    rows: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return rows


def write(path: Path, rows: list[dict[str, Any]]) -> None:
    """Write one fixture file, readable and stable (UTF-8, two-space indent)."""
    path.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _decimal_text(number: Decimal | None) -> str | None:
    if number is None:
        return None
    return format(number.quantize(Decimal("0.000001")), "f")


def complete_article(fields: dict[str, Any]) -> None:
    """Fill an article's text hash."""
    fields["text_hash"] = hashlib.sha256(fields["text"].encode("utf-8")).hexdigest()


def complete_claim(
    fields: dict[str, Any], *, article: dict[str, Any], fact: dict[str, Any]
) -> None:
    """Fill a claim's anchor (offsets, prefix, suffix), value kind, subject and outlet, bounds
    and as-of date.

    The wording is looked up after the prefix given (a hint), else nearest the start given.
    Raises LookupError or values.InvalidValue with what is wrong.
    """
    text = article["text"]
    hint_start = fields.get("start") or 0
    start, end = values.find_anchor(
        text, fields["wording"], near=hint_start, prefix=fields.get("prefix", "")
    )
    fields["start"], fields["end"] = start, end
    fields["prefix"], fields["suffix"] = values.anchor_context(text, start, end)
    fields["anchor_state"] = "anchored"
    fields["value_kind"] = fact["value_kind"]
    # Where the claim is listed (facts.services.claim_placement's rule): loaddata writes rows as
    # they are, so the fixture carries its fact's subject and its article's outlet.
    fields["subject"] = list(fact["subject"])
    fields["outlet"] = list(article["outlet"])
    if fact["value_kind"] == "quantity" and not fields.get("undisclosed"):
        number = fields.get("number")
        number_high = fields.get("number_high")
        lower, upper = values.quantity_bounds(
            bound=fields["bound"],
            number=None if number is None else Decimal(str(number)),
            number_high=None if number_high is None else Decimal(str(number_high)),
            hedge=fields.get("hedge", ""),
        )
        fields["number"] = _decimal_text(None if number is None else Decimal(str(number)))
        fields["number_high"] = _decimal_text(
            None if number_high is None else Decimal(str(number_high))
        )
        fields["lower"], fields["upper"] = _decimal_text(lower), _decimal_text(upper)
    else:
        fields["lower"] = fields["upper"] = None
    if not fields.get("as_of"):
        fields["as_of"] = article["published_earliest"]


def complete_all(directory: Path = FIXTURES_DIR) -> list[str]:
    """Complete every seed fixture in place; return the problems found (empty when all is well)."""
    problems: list[str] = []
    articles_path = directory / "articles.json"
    articles = read(articles_path)
    for row in articles:
        complete_article(row["fields"])
    write(articles_path, articles)
    by_article = {row["fields"]["slug"]: row["fields"] for row in articles}
    facts_rows = read(directory / "facts.json")
    by_fact = {
        (row["fields"]["subject"][0], row["fields"]["slug"]): row["fields"] for row in facts_rows
    }
    claims_path = directory / "claims.json"
    claims = read(claims_path)
    for row in claims:
        fields = row["fields"]
        label = f"claim {row.get('pk')} ({fields.get('wording')!r})"
        article = by_article.get(fields["article"][0])
        fact = by_fact.get(tuple(fields["fact"]))
        if article is None or fact is None:
            problems.append(f"{label}: unknown article or fact")
            continue
        try:
            complete_claim(fields, article=article, fact=fact)
        except (LookupError, values.InvalidValue) as error:
            problems.append(f"{label}: {error}")
    write(claims_path, claims)
    return problems
