"""The CSV columns of each list: one fixed, flat, typed table per resource.

Each table is read with QuerySet.values() (the joins it needs, no model instances), not by
flattening the JSON serializers: the columns must not change with the data (a null nested
object dropped columns from one page and not the next), nothing may repeat (`fact` beside
`fact_detail.id`), and a column holds one type, so that pandas reads numbers as numbers and
dates as dates (`interval.low` held numbers for quantities and days for dates). docs/API.md
lists the columns; tests/test_csv_for_analysts.py reads them with pandas.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from facts.models import (
    Actor,
    ActorKind,
    AttributionMode,
    Bound,
    ClaimStatus,
    DatePrecision,
    OutletKind,
    SubjectKind,
    ValueKind,
    Verdict,
)
from facts.models.claims import display_value
from facts.models.listed_rows import ListedRow
from facts.services import verdicts

Row = dict[str, Any]

# The types a column can have, as docs/API.md names them and pandas reads them.
INTEGER, NUMBER, DATE, DATETIME, BOOLEAN, TEXT = (
    "integer",
    "number",
    "date",
    "datetime",
    "boolean",
    "text",
)

# Rows fetched from the database at a time by a streamed export: memory stays flat whatever
# the number of rows.
CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Column:
    """One column: its name, type and meaning, and where its value comes from: a values() path
    (`path`, the name by default) or a function of the row and the table's context."""

    name: str
    kind: str
    description: str
    path: str | None = None
    compute: Callable[[Row, Any], Any] | None = None
    # Integer columns that may be empty: pandas reads them as float64 unless told "Int64".
    nullable: bool = False

    def source(self) -> str | None:
        return None if self.compute else (self.path or self.name)


@dataclass(frozen=True)
class Table:
    """A resource's CSV: its columns, the extra values() paths the computed ones read, and a
    context loaded once per response (never per row, so the query count stays constant)."""

    resource: str
    columns: list[Column]
    reads: list[str] = field(default_factory=list)
    load_context: Callable[[], Any] = lambda: None

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]

    def paths(self) -> list[str]:
        found = [column.source() for column in self.columns]
        return list(dict.fromkeys([path for path in found if path] + self.reads))

    def rows(
        self, queryset: QuerySet, *, hidden: frozenset[str] = frozenset()
    ) -> Iterator[list[Any]]:
        """The rows of the queryset, in its order, as lists of typed cells (None when empty),
        fetched CHUNK_SIZE at a time. The `hidden` columns (the staff-only fields of a reader
        who is not staff, facts.api.visibility) stay in the header, empty and never read, so
        that every reader's table has the same columns."""
        context = self.load_context()
        shown = [column for column in self.columns if column.name not in hidden]
        paths = [path for path in self.paths() if path not in hidden]
        for row in queryset.values(*paths).iterator(chunk_size=CHUNK_SIZE):
            cells = {column.name: cell(column, row, context) for column in shown}
            yield [cells.get(column.name) for column in self.columns]


def cell(column: Column, row: Row, context: Any) -> Any:
    value = column.compute(row, context) if column.compute else row[column.source() or ""]
    return as_cell(value)


def as_cell(value: Any) -> Any:
    """A value as CSV writes it: dates and times in ISO 8601, booleans as true/false like the JSON,
    exact decimals as floats (at most 15 digits are stored, so nothing is lost), lists and
    objects as JSON text; None stays empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        # Always with microseconds: one format down a column, which pandas parses fast.
        return value.isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def day(ordinal: float | None) -> date | None:
    """A date stored as its ordinal day (a verdict's consensus), as a date."""
    return None if ordinal is None else date.fromordinal(int(ordinal))


def one_of(choices: Any) -> str:
    """The stored values of a choices class, for a column's description: 'a, b or c'."""
    values = [value for value, _label in choices.choices]
    return f"{', '.join(values[:-1])} or {values[-1]}."


def tracked() -> list[Column]:
    return [
        Column("version", INTEGER, "Rises by one with every save; the ETag's number."),
        Column("created_at", DATETIME, "When the row was made (UTC)."),
        Column("updated_at", DATETIME, "When the row was last saved (UTC)."),
    ]


# Outlets ------------------------------------------------------------------------------------

OUTLETS = Table(
    "outlets",
    [
        Column("id", INTEGER, "The outlet's id."),
        Column("slug", TEXT, "Its slug, as in /api/outlets/{slug}/."),
        Column("name", TEXT, "Its name."),
        Column("domain", TEXT, "Its web domain, e.g. themoscowtimes.com."),
        Column("country", TEXT, "ISO 3166-1 alpha-2 country code."),
        Column("kind", TEXT, one_of(OutletKind)),
        *tracked(),
    ],
)


# Articles -----------------------------------------------------------------------------------

ARTICLES = Table(
    "articles",
    [
        Column("id", INTEGER, "The article's id."),
        Column("slug", TEXT, "Its slug."),
        Column("outlet_id", INTEGER, "The publishing outlet's id."),
        Column("outlet_slug", TEXT, "Its slug.", path="outlet__slug"),
        Column("outlet_name", TEXT, "Its name.", path="outlet__name"),
        Column("url", TEXT, "Where it was published."),
        Column("headline", TEXT, "The headline."),
        Column("byline", TEXT, "The byline."),
        Column("published_earliest", DATE, "Published on or after this day."),
        Column("published_latest", DATE, "Published on or before this day."),
        Column("published_precision", TEXT, one_of(DatePrecision)),
        Column("published_inferred", BOOLEAN, "Whether the date was inferred, not stated."),
        Column("published_note", TEXT, "How the date was inferred."),
        Column("language", TEXT, "Language code, e.g. en."),
        Column(
            "wire_source_id",
            INTEGER,
            "The wire agency whose story this is, if any.",
            nullable=True,
        ),
        Column("wire_source_slug", TEXT, "Its slug.", path="wire_source__slug"),
        Column("wire_source_name", TEXT, "Its name.", path="wire_source__name"),
        Column("text", TEXT, "The news body."),
        Column("text_hash", TEXT, "SHA-256 of the text."),
        *tracked(),
    ],
)


# Actors -------------------------------------------------------------------------------------

# (id, slug, name) of an actor or outlet.
Brief = tuple[int, str, str]

# Bodies above an actor read with each row, as the JSON's select_related does: every chain in
# practice. A deeper chain is looked up in the map of all actors, loaded once if ever needed.
ORIGINATOR_DEPTH = 3


def chain_paths(prefix: str) -> list[str]:
    """The values() paths of an actor (named by `prefix`: "actor__" from a claim, "" from an
    actor) and the bodies above it, and whether the chain goes on past them."""
    paths = []
    for level in range(ORIGINATOR_DEPTH + 1):
        at = prefix + "parent__" * level
        paths += [f"{at}id", f"{at}slug", f"{at}name"]
    return [*paths, f"{prefix}{'parent__' * ORIGINATOR_DEPTH}parent_id"]


def actor_originators() -> dict[int, Brief]:
    """Every actor's originator by actor id, in one query over the actors (thousands at most)."""
    actors = {a["id"]: a for a in Actor.objects.values("id", "parent_id", "slug", "name")}
    found: dict[int, Brief] = {}
    for actor_id in actors:
        node, seen = actors[actor_id], {actor_id}
        while node["parent_id"] is not None and node["parent_id"] not in seen:
            seen.add(node["parent_id"])
            node = actors[node["parent_id"]]
        found[actor_id] = (node["id"], node["slug"], node["name"])
    return found


class Originators:
    """The independent originator an actor counts under: the top of its chain of bodies, from
    the chain read with the row; no query unless a chain is deeper than ORIGINATOR_DEPTH."""

    def __init__(self) -> None:
        self.deep: dict[int, Brief] | None = None

    def top(self, row: Row, prefix: str) -> Brief | None:
        actor_id = row[f"{prefix}id"]
        if actor_id is None:
            return None
        if row[f"{prefix}{'parent__' * ORIGINATOR_DEPTH}parent_id"] is not None:
            if self.deep is None:
                self.deep = actor_originators()
            # An actor made since the map was read counts under itself meanwhile.
            return self.deep.get(actor_id, (actor_id, row[f"{prefix}slug"], row[f"{prefix}name"]))
        for level in range(ORIGINATOR_DEPTH, -1, -1):
            at = prefix + "parent__" * level
            if row[f"{at}id"] is not None:
                return (row[f"{at}id"], row[f"{at}slug"], row[f"{at}name"])
        return None


def originator_of_actor(part: int) -> Callable[[Row, Originators], Any]:
    def value(row: Row, originators: Originators) -> Any:
        top = originators.top(row, "")
        return None if top is None else top[part]

    return value


ACTORS = Table(
    "actors",
    [
        Column("id", INTEGER, "The actor's id."),
        Column("slug", TEXT, "Its slug."),
        Column("name", TEXT, "Its name."),
        Column("kind", TEXT, one_of(ActorKind)),
        Column("aliases", TEXT, 'Other names, as a JSON list: ["…", "…"].'),
        Column("parent_id", INTEGER, "The body it speaks for, if any.", nullable=True),
        Column("parent_slug", TEXT, "Its slug.", path="parent__slug"),
        Column("parent_name", TEXT, "Its name.", path="parent__name"),
        Column(
            "originator_id",
            INTEGER,
            "The independent originator it counts under: the top of its chain (itself "
            "when it has no parent).",
            compute=originator_of_actor(0),
        ),
        Column("originator_slug", TEXT, "Its slug.", compute=originator_of_actor(1)),
        Column("originator_name", TEXT, "Its name.", compute=originator_of_actor(2)),
        Column("description", TEXT, "Who it is."),
        *tracked(),
    ],
    reads=chain_paths(""),
    load_context=Originators,
)


# Subjects -----------------------------------------------------------------------------------

SUBJECTS = Table(
    "subjects",
    [
        Column("id", INTEGER, "The subject's id."),
        Column("slug", TEXT, "Its slug."),
        Column("name", TEXT, "Its name."),
        Column("kind", TEXT, one_of(SubjectKind)),
        Column("aliases", TEXT, "Other names, as a JSON list."),
        Column("description", TEXT, "What it is."),
        *tracked(),
    ],
)


# Facts --------------------------------------------------------------------------------------


def quantity(name: str) -> Callable[[Row, Any], Any]:
    """A stored number of a quantity fact (empty for a date or a category)."""
    return lambda row, _: row[name] if row["value_kind"] == ValueKind.QUANTITY else None


def as_date(name: str) -> Callable[[Row, Any], Any]:
    """A stored ordinal day of a date fact, as a date (empty for the other kinds)."""
    return lambda row, _: day(row[name]) if row["value_kind"] == ValueKind.DATE else None


def likely(part: str, kind: str) -> Callable[[Row, Any], Any]:
    """A part of the likely value (stored as JSON: a category, or low/best/high with a date as
    YYYY-MM-DD), in the column of its kind."""

    def value(row: Row, _: Any) -> Any:
        stored = row["likely_value"] or {}
        if row["value_kind"] != kind:
            return None
        found = stored.get(part)
        if kind == ValueKind.DATE and found is not None:
            return date.fromisoformat(found)
        return found

    return value


def likely_detail(part: str) -> Callable[[Row, Any], Any]:
    return lambda row, _: (row["likely_detail"] or {}).get(part) if row["likely_value"] else None


FACTS = Table(
    "facts",
    [
        Column("id", INTEGER, "The fact's id."),
        Column("slug", TEXT, "Its slug (unique within its subject)."),
        Column("subject_id", INTEGER, "The subject it is about."),
        Column("subject_slug", TEXT, "Its slug.", path="subject__slug"),
        Column("subject_name", TEXT, "Its name.", path="subject__name"),
        Column("property", TEXT, "What of the subject is measured, e.g. troop count."),
        Column("value_kind", TEXT, one_of(ValueKind)),
        Column("unit", TEXT, "A quantity's canonical unit (empty for a count)."),
        Column("categories", TEXT, "A categorical fact's allowed values, as a JSON list."),
        Column("description", TEXT, "What the fact is."),
        Column("verdict", TEXT, "The verdict's kind: " + one_of(Verdict)),
        Column("verdict_summary", TEXT, "The verdict in a sentence."),
        Column(
            "consensus_low",
            NUMBER,
            "A quantity's consensus: low end, in the fact's unit.",
            compute=quantity("consensus_low"),
        ),
        Column("consensus_best", NUMBER, "Best value.", compute=quantity("consensus_best")),
        Column("consensus_high", NUMBER, "High end.", compute=quantity("consensus_high")),
        Column(
            "consensus_earliest",
            DATE,
            "A date's consensus: earliest day.",
            compute=as_date("consensus_low"),
        ),
        Column("consensus_date", DATE, "Best day.", compute=as_date("consensus_best")),
        Column("consensus_latest", DATE, "Latest day.", compute=as_date("consensus_high")),
        Column("consensus_category", TEXT, "A categorical fact's consensus."),
        Column("counted_claims", INTEGER, "Verified claims the verdict counts."),
        Column("counted_articles", INTEGER, "Their articles."),
        Column("counted_outlets", INTEGER, "Their outlets."),
        Column("counted_originators", INTEGER, "Their independent originators."),
        Column("verdict_updated_at", DATETIME, "When the verdict was last computed."),
        Column(
            "verdict_stale",
            BOOLEAN,
            "True while a job refreshes a busy fact's verdict after a write: the verdict does "
            "not count that write yet.",
        ),
        Column(
            "likely_low",
            NUMBER,
            "The likely value (originators weighed by their track records), a quantity's "
            "low end in the fact's unit.",
            compute=likely("low", ValueKind.QUANTITY),
        ),
        Column("likely_best", NUMBER, "Best value.", compute=likely("best", ValueKind.QUANTITY)),
        Column("likely_high", NUMBER, "High end.", compute=likely("high", ValueKind.QUANTITY)),
        Column(
            "likely_earliest",
            DATE,
            "A date's likely value: earliest day.",
            compute=likely("low", ValueKind.DATE),
        ),
        Column("likely_date", DATE, "Best day.", compute=likely("best", ValueKind.DATE)),
        Column("likely_latest", DATE, "Latest day.", compute=likely("high", ValueKind.DATE)),
        Column(
            "likely_category",
            TEXT,
            "A categorical fact's likely value.",
            compute=likely("category", ValueKind.CATEGORICAL),
        ),
        Column("likely_confidence", NUMBER, "How sure, 0 to 1."),
        Column(
            "likely_tied",
            BOOLEAN,
            "Whether two values tied (false with no likely value, as in the JSON).",
            compute=lambda row, _: bool((row["likely_detail"] or {}).get("tied", False)),
        ),
        Column("likely_method", TEXT, "How it was reached.", compute=likely_detail("method")),
        *tracked(),
    ],
    reads=[
        "value_kind",
        "consensus_low",
        "consensus_best",
        "consensus_high",
        "likely_value",
        "likely_detail",
    ],
)


# Claims -------------------------------------------------------------------------------------


def interval_number(name: str) -> Callable[[Row, Originators], Any]:
    """A quantity claim's interval end, converted from the claim's unit to its fact's."""

    def value(row: Row, _: Originators) -> float | None:
        if row["value_kind"] != ValueKind.QUANTITY or row["undisclosed"] or row[name] is None:
            return None
        unit, fact_unit = row["unit"], row["fact__unit"]
        factor = 1.0 if unit == fact_unit else verdicts.unit_factor(unit, fact_unit)
        return float(row[name]) * factor

    return value


def interval_day(name: str) -> Callable[[Row, Originators], Any]:
    """A date claim's interval end."""
    return lambda row, _: row[name] if row["value_kind"] == ValueKind.DATE else None


def claim_value(row: Row, _: Originators) -> str:
    """The value in a short readable form ('~30,000', '2022-02-20'), by the model's own rule
    (facts.models.claims.display_value), read from the row's values: no model made a row."""
    return display_value(ListedRow({name: row[name] for name in VALUE_FIELDS}))


VALUE_FIELDS = [
    "value_kind",
    "undisclosed",
    "number",
    "number_high",
    "unit",
    "bound",
    "hedge",
    "date_earliest",
    "date_latest",
    "category",
]


def originator(part: int, kind: bool = False) -> Callable[[Row, Originators], Any]:
    """Who originates the claim: the actor's top body, or the outlet (its wire source's
    story) for the outlet's own voice."""

    def value(row: Row, originators: Originators) -> Any:
        top = originators.top(row, "actor__")
        if top is not None:
            return "actor" if kind else top[part]
        if kind:
            return "outlet"
        prefix = "article__wire_source" if row["article__wire_source_id"] else "article__outlet"
        return (row[f"{prefix}_id"], row[f"{prefix}__slug"], row[f"{prefix}__name"])[part]

    return value


CLAIMS = Table(
    "claims",
    [
        Column("id", INTEGER, "The claim's id."),
        Column("status", TEXT, one_of(ClaimStatus)),
        Column("fact_id", INTEGER, "The fact it gives a value of."),
        Column("fact_slug", TEXT, "Its slug.", path="fact__slug"),
        Column("fact_property", TEXT, "Its property, e.g. troop count.", path="fact__property"),
        Column("subject_id", INTEGER, "The fact's subject.", path="fact__subject_id"),
        Column("subject_slug", TEXT, "Its slug.", path="fact__subject__slug"),
        Column("value_kind", TEXT, "quantity, date or categorical (the fact's)."),
        Column("fact_unit", TEXT, "The fact's unit: the interval's.", path="fact__unit"),
        Column("verdict", TEXT, "The fact's verdict kind (as in facts).", path="fact__verdict"),
        Column("article_id", INTEGER, "The article it is in."),
        Column("article_slug", TEXT, "Its slug.", path="article__slug"),
        Column("article_headline", TEXT, "Its headline.", path="article__headline"),
        Column(
            "published_earliest",
            DATE,
            "The article was published on or after this day.",
            path="article__published_earliest",
        ),
        Column(
            "published_latest",
            DATE,
            "… and on or before this day.",
            path="article__published_latest",
        ),
        Column("outlet_id", INTEGER, "The article's outlet.", path="article__outlet_id"),
        Column("outlet_slug", TEXT, "Its slug.", path="article__outlet__slug"),
        Column("outlet_name", TEXT, "Its name.", path="article__outlet__name"),
        Column(
            "actor_id",
            INTEGER,
            "Whom the outlet credits the value to; empty for its own voice.",
            nullable=True,
        ),
        Column("actor_slug", TEXT, "Its slug.", path="actor__slug"),
        Column("actor_name", TEXT, "Its name.", path="actor__name"),
        Column(
            "originator_kind",
            TEXT,
            "actor, or outlet for the outlet's own voice.",
            compute=originator(0, kind=True),
        ),
        Column(
            "originator_id",
            INTEGER,
            "The independent originator: the actor's top body, or the outlet (its wire "
            "source, for a wire story). An actor's id or an outlet's, by originator_kind.",
            compute=originator(0),
        ),
        Column("originator_slug", TEXT, "Its slug.", compute=originator(1)),
        Column("originator_name", TEXT, "Its name.", compute=originator(2)),
        Column("attribution_cue", TEXT, "The cue as written: 'the United States has said'."),
        Column("attribution_mode", TEXT, one_of(AttributionMode)),
        Column("wording", TEXT, "The words in the article that state the value."),
        Column("prefix", TEXT, "The text just before the wording."),
        Column("suffix", TEXT, "The text just after it."),
        Column("start", INTEGER, "Where the wording starts in the article's text.", nullable=True),
        Column("end", INTEGER, "Where it ends.", nullable=True),
        Column("anchor_state", TEXT, "anchored, orphaned or unanchored."),
        Column("value", TEXT, "The value, readable: '~30,000', '2022-02-20'.", compute=claim_value),
        Column("undisclosed", BOOLEAN, "The article says the value was not disclosed."),
        Column("number", NUMBER, "A quantity's number as written, in `unit`."),
        Column("number_high", NUMBER, "A range's second number."),
        Column("unit", TEXT, "The unit as written ('mile'; for a count the noun, 'troops')."),
        Column("bound", TEXT, one_of(Bound)),
        Column("hedge", TEXT, "The hedge as written: 'some', 'over'."),
        Column(
            "interval_low",
            NUMBER,
            "A quantity claim's interval: low end, in the fact's unit (fact_unit); empty "
            "when open.",
            compute=interval_number("lower"),
        ),
        Column("interval_high", NUMBER, "High end.", compute=interval_number("upper")),
        Column(
            "interval_earliest",
            DATE,
            "A date claim's interval: earliest day.",
            compute=interval_day("date_earliest"),
        ),
        Column("interval_latest", DATE, "Latest day.", compute=interval_day("date_latest")),
        Column("date_precision", TEXT, "A date's precision: " + one_of(DatePrecision)),
        Column("category", TEXT, "A categorical claim's value."),
        Column("as_of", DATE, "When the value holds."),
        Column("note", TEXT, "The editor's note; staff only, empty for other readers."),
        *tracked(),
    ],
    reads=[
        *VALUE_FIELDS,
        "lower",
        "upper",
        "article__wire_source_id",
        "article__wire_source__slug",
        "article__wire_source__name",
        *chain_paths("actor__"),
    ],
    load_context=Originators,
)


TABLES = {table.resource: table for table in [OUTLETS, ARTICLES, ACTORS, SUBJECTS, FACTS, CLAIMS]}
