"""The truth-discovery benchmark: public data with known answers, loaded through the claim
import (the service behind POST /api/claims/import/), then scored for majority vote,
TruthFinder, the plain verdict's consensus and the likely value, with one normalisation.

Every set is read into Records whose value is already normalised (an author list's sorted last
names, a population, a time of day in minutes); the raw text is kept as the claim's wording and
the normalised value is what the claim stores. Every method then reads the same stored claims
back (as the verdicts do: claim_rows, Context, evidence_from_row), so the one normalisation is
the one in the database, and the gold goes through the same functions.
"""

from __future__ import annotations

import csv
import hashlib
import html
import re
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from facts.api.importing import ImportRejected, import_claims
from facts.domain import agreement, truth
from facts.domain.text import normalise_text
from facts.models import Actor, Article, Claim, Fact, Outlet, Subject, ValueKind
from facts.services import likely, records, verdicts

BATCH = 1000  # rows per import call, as a client would send them (the import's maximum)
CATEGORY_MAX = 200  # Claim.category's max_length
MAX_DIGITS = 15  # the most significant digits a claim's number holds (validate_storable_number)
SUBJECT_PREFIX = "truth-benchmark-"
BENCHMARK_USER = "truth-benchmark"


class BenchmarkRefused(Exception):
    """The database holds data that is not the benchmark's."""


@dataclass(frozen=True)
class Record:
    """One source's value for one item: the text as the source gave it, and its normal form."""

    item: str
    source: str
    raw: str
    value: str | float


@dataclass
class Dataset:
    name: str
    kind: str  # ValueKind.CATEGORICAL or ValueKind.QUANTITY
    unit: str
    records: list[Record]
    gold: dict[str, str | float]
    labels: dict[str, str] = field(default_factory=dict)
    # Whether a category is a list ("; "-separated), a shorter one nested in a longer.
    lists: bool = False
    # Values the claims cannot hold, left out for every method, with why.
    left_out: dict[str, int] = field(default_factory=dict)
    # Hierarchical categories (places): per item, {narrower: broader} for the fact's
    # category_within, so that "USA" backs "Minneapolis" as a less precise claim.
    within: dict[str, dict[str, str]] = field(default_factory=dict)
    # The true path of a hierarchical gold value, most specific first (to count an answer
    # that is right but coarser).
    gold_paths: dict[str, list[str]] = field(default_factory=dict)


def clean_raw(text: str) -> str:
    """A raw value as it can stand in an article: printable characters, NFC, trimmed."""
    printable = "".join(ch if ch.isprintable() else " " for ch in text)
    return normalise_text(re.sub(r"\s+", " ", printable)).strip()


# Normalisation -------------------------------------------------------------------------------

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
# Words that name a role, not a person: "Speegle, Gregory (Author)", "edited by".
_ROLES = re.compile(
    r"\b(edited by|foreword by|introduction by|translated by|compiled by|illustrated by|"
    r"editors?|eds?|authors?|translators?|compilers?|illustrators?|contributors?|by)\b\.?"
)
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "phd", "md", "dr", "prof", "mr", "mrs", "ms"}
_MISSING = {"", "not available", "n/a", "na", "none", "unknown", "various", "anonymous"}


def _unescaped(text: str) -> str:
    # Some stores print HTML entities ("Marcad&eacute;", "Pilhofer &amp; Puder"): decoded
    # before "&" is read as a separator.
    return html.unescape(html.unescape(text))


def _letters(text: str) -> str:
    """Lower-case ASCII letters and single spaces: "O'Reilly" -> "oreilly"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z ]", "", ascii_text.lower().replace("-", "")).split())


def _words(part: str) -> list[str]:
    return [w for w in _letters(part).split() if w not in _SUFFIXES]


def author_last_names(text: str) -> list[str]:
    """The sorted last names of an author list, however a store printed it.

    Published evaluations of this set compare author lists after lower-casing, stripping
    punctuation and sorting (Yin et al. 2007; Dong et al.), because stores differ in order,
    case, initials and "Last, First" against "First Last"; last names alone survive all four.
    Authors are separated by ";", "&", "and", "with" or "/". Within one piece commas are read
    as "Last, First[, Last, First]" unless every comma-separated part has two words or more
    ("Donald Knuth, John Fuller"), when each part is "First Last". A bracket ("(Author)",
    "(Baylor University, USA)") and role words are dropped. A list run together without any
    separator ("Donald E. Knuth John Fuller") cannot be split and reads as one author.
    """
    lowered = _BRACKETS.sub(" ", _unescaped(text)).lower()
    if _letters(lowered) in _MISSING:
        return []
    lowered = _ROLES.sub(" ", lowered)
    names: set[str] = set()
    for piece in re.split(r";|&|/|\band\b|\bwith\b", lowered):
        parts = [p for p in (_words(part) for part in piece.split(",")) if p]
        if not parts:
            continue
        if len(parts) == 1 or all(len(p) >= 2 for p in parts):
            names.update(p[-1] for p in parts)  # "First Last" each
        else:
            names.update(" ".join(p) for p in parts[0::2])  # "Last, First, Last, First"
    return sorted(names)


def author_key(text: str) -> str:
    """One author list's normal form, fit for a category (at most 200 characters)."""
    key = "; ".join(author_last_names(text))
    if len(key) > CATEGORY_MAX:
        digest = hashlib.sha1(key.encode()).hexdigest()[:10]
        key = f"{key[: CATEGORY_MAX - 12]}~{digest}"
    return key


_TIME = re.compile(r"(\d{1,2}):(\d{2})\s*([ap])?", re.IGNORECASE)


def minutes_of_day(text: str) -> float | None:
    """A time as written by a flight site ("7:10 a.m.", "6:59aDec 1", "Thu  20:00",
    "12/02/2011 5:50 a.m.", "3:20 p.m. (Runway)") in minutes after midnight; the first time in
    the text counts (a "(+0:10)" delay after it does not); None when there is none."""
    match = _TIME.search(text)
    if match is None:
        return None
    hours, minutes, half = int(match[1]), int(match[2]), (match[3] or "").lower()
    if hours > 23 or minutes > 59 or (half and not 1 <= hours <= 12):
        return None
    if half == "a" and hours == 12:
        hours = 0
    elif half == "p" and hours != 12:
        hours += 12
    return float(hours * 60 + minutes)


# The sets ----------------------------------------------------------------------------------


def read_book_author(folder: Path) -> Dataset:
    records = []
    with open(folder / "book.txt", encoding="utf-8", errors="replace", newline="") as lines:
        for line in lines:
            fields = line.rstrip("\r\n").split("\t")
            if len(fields) < 4:
                continue
            source, isbn, raw = fields[0].strip(), fields[1].strip(), clean_raw(fields[3])
            key = author_key(raw)
            if source and isbn and raw and key:
                records.append(Record(isbn, source, raw, key))
    gold: dict[str, str | float] = {}
    with open(folder / "book_golden.txt", encoding="utf-8", errors="replace") as lines:
        for line in lines:
            isbn, _, authors = line.rstrip("\r\n").partition("\t")
            if isbn.strip():
                gold[isbn.strip()] = author_key(authors)
    labels = {r.item: f"Authors of ISBN {r.item}" for r in records}
    return Dataset("book_author", ValueKind.CATEGORICAL, "", records, gold, labels, lists=True)


def read_population(folder: Path) -> Dataset:
    records = []
    too_long = 0
    # Mostly ASCII with a few bytes of a legacy 8-bit encoding (SOURCES.md): latin-1 reads all.
    with open(folder / "population-new-new.txt", encoding="latin-1") as lines:
        for line in lines:
            fields = line.rstrip("\r\n").split("\t")
            if len(fields) < 3 or not fields[2].strip().isdigit():
                continue
            obj, source, raw = clean_raw(fields[0]), clean_raw(fields[1]), fields[2].strip()
            if len(raw.lstrip("0")) > MAX_DIGITS:
                # A vandal's figure the claim cannot hold (the model refuses it, rightly).
                too_long += 1
                continue
            records.append(Record(obj, source, raw, float(raw)))
    gold: dict[str, str | float] = {}
    with open(folder / "population-gd.txt", encoding="latin-1") as lines:
        for line in lines:
            parts = [p.strip() for p in line.strip().split(", ")]
            if len(parts) >= 3 and parts[-1].isdigit():
                gold[clean_raw(", ".join(parts[:-2]) + "_" + parts[-2])] = float(parts[-1])
    labels = {r.item: f"Population of {r.item}" for r in records}
    left_out = {f"numbers over {MAX_DIGITS} digits": too_long} if too_long else {}
    return Dataset("population", ValueKind.QUANTITY, "", records, gold, labels, left_out=left_out)


FLIGHT_TIMES = ("sched_dep_time", "act_dep_time", "sched_arr_time", "act_arr_time")


def read_flights(folder: Path) -> Dataset:
    records = []
    with open(folder / "dirty.csv", encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows):
            for name in FLIGHT_TIMES:
                raw = clean_raw(row[name] or "")
                value = minutes_of_day(raw)
                if value is not None:
                    records.append(Record(f"{row['flight']} {name}", row["src"], raw, value))
    gold: dict[str, str | float] = {}
    with open(folder / "clean.csv", encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows):
            for name in FLIGHT_TIMES:
                value = minutes_of_day(row[name] or "")
                if value is not None:
                    gold.setdefault(f"{row['flight']} {name}", value)
    labels = {r.item: f"{r.item.replace('_', ' ')} (minutes after midnight)" for r in records}
    return Dataset("flights_raha", ValueKind.QUANTITY, "minute", records, gold, labels)


def _hierarchy(path: Path) -> dict[str, list[list[str]]]:
    """Every place name in a TDH hierarchy.csv (`ID, name, parentID`, the root's parent -1)
    with its paths, the name first and the most general last ("Bombay" -> [Bombay, Maharashtra,
    India], [Bombay, Bombay Presidency, British India], ...: a name can stand for several
    places)."""
    with open(path, encoding="utf-8", newline="") as rows:
        nodes = {
            row["ID"]: (clean_raw(row["name"]), row["parentID"]) for row in csv.DictReader(rows)
        }
    roots = {key for key, (_, parent) in nodes.items() if parent == "-1"}
    paths: dict[str, list[list[str]]] = defaultdict(list)
    for key, (name, _) in nodes.items():
        if key in roots:
            continue
        found, node, seen = [], key, set()
        while node in nodes and node not in roots and node not in seen:
            seen.add(node)
            found.append(nodes[node][0])
            node = nodes[node][1]
        paths[name].append(found)
    return dict(paths)


def _place_path(name: str, claimed: set[str], paths: dict[str, list[list[str]]]) -> list[str]:
    """The path of a claimed place name: of the places the name can stand for, the one whose
    broader places the item's other claims name most often (the other sources' "Maharashtra"
    places a "Bombay" in India), the first in the file on a tie. Only the claims decide, never
    the gold."""
    candidates = paths.get(name) or [[name]]
    return max(candidates, key=lambda path: len(set(path[1:]) & claimed))


def nesting_of(claimed: set[str], paths: dict[str, list[list[str]]]) -> dict[str, str]:
    """An item's {narrower: broader} for category_within from the paths of its claimed names;
    a name keeps the first broader place it is given, and an edge that would close a circle is
    left out (the fact refuses a nesting that goes round)."""
    within: dict[str, str] = {}
    for name in sorted(claimed):
        path = _place_path(name, claimed, paths)
        for narrow, broad in pairwise(path):
            if narrow in within or narrow == broad:
                continue
            if narrow in agreement.broader(broad, within)[0] + [broad]:
                continue
            within[narrow] = broad
    return within


def read_tdh(folder: Path, name: str) -> Dataset:
    """One set of Jung, Kim & Shim (EDBT 2019): claims.csv (`obj, src, value`: a place at any
    level), groundtruths.csv (`obj, value`: the true path, most specific first) and
    hierarchy.csv. A claim's category is the place name as the source gave it; the gold is the
    most specific place of the true path, so a coarser answer ("USA" for Minneapolis) counts as
    wrong in the accuracy (and is counted apart as an ancestor of the gold)."""
    paths = _hierarchy(folder / "hierarchy.csv")
    records = []
    with open(folder / "claims.csv", encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows):
            item, source, raw = (
                clean_raw(row["obj"]),
                clean_raw(row["src"]),
                clean_raw(row["value"]),
            )
            if item and source and raw:
                records.append(Record(item, source, raw, raw[:CATEGORY_MAX]))
    gold: dict[str, str | float] = {}
    gold_paths: dict[str, list[str]] = {}
    with open(folder / "groundtruths.csv", encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows):
            path = [clean_raw(part) for part in next(csv.reader([row["value"]]))]
            if path and path[0]:
                gold[clean_raw(row["obj"])] = path[0][:CATEGORY_MAX]
                gold_paths[clean_raw(row["obj"])] = path
    claimed: dict[str, set[str]] = defaultdict(set)
    for r in records:
        claimed[r.item].add(str(r.value))
    within = {item: nesting_of(names, paths) for item, names in claimed.items()}
    labels = {r.item: f"{name.capitalize()}: place of {r.item}"[:300] for r in records}
    return Dataset(
        name,
        ValueKind.CATEGORICAL,
        "",
        records,
        gold,
        labels,
        within=within,
        gold_paths=gold_paths,
    )


READERS: dict[str, Callable[[Path], Dataset]] = {
    "book_author": read_book_author,
    "population": read_population,
    "flights_raha": read_flights,
    "tdh_birthplaces": lambda folder: read_tdh(folder, "tdh_birthplaces"),
    "tdh_heritages": lambda folder: read_tdh(folder, "tdh_heritages"),
}
# Where each set lies in the benchmark folder.
FOLDERS = {
    "book_author": "book_author",
    "population": "population",
    "flights_raha": "flights_raha",
    "tdh_birthplaces": "tdh_hierarchical/birthplaces",
    "tdh_heritages": "tdh_hierarchical/heritages",
}


def limited(dataset: Dataset, limit: int | None) -> Dataset:
    """The first `limit` items (gold items first, in file order) and all their records."""
    if not limit:
        return dataset
    order = list(dict.fromkeys([i for i in dataset.gold] + [r.item for r in dataset.records]))
    present = {r.item for r in dataset.records}
    keep = set([i for i in order if i in present][:limit])
    return Dataset(
        dataset.name,
        dataset.kind,
        dataset.unit,
        [r for r in dataset.records if r.item in keep],
        {i: v for i, v in dataset.gold.items() if i in keep},
        {i: v for i, v in dataset.labels.items() if i in keep},
        dataset.lists,
        dataset.left_out,
        {i: v for i, v in dataset.within.items() if i in keep},
        {i: v for i, v in dataset.gold_paths.items() if i in keep},
    )


# Loading through the import -----------------------------------------------------------------


def refuse_unless_fresh() -> None:
    """The benchmark writes thousands of outlets and facts: only into a database that holds
    nothing else (a fresh one, e.g. DATABASE_URL=sqlite:////tmp/truth.sqlite3 after migrate),
    so its figures are not mixed with real data nor real data with its outlets."""
    stored = {
        "subjects": Subject.objects.count(),
        "outlets": Outlet.objects.count(),
        "articles": Article.objects.count(),
        "actors": Actor.objects.count(),
        "claims": Claim.objects.count(),
    }
    found = {name: count for name, count in stored.items() if count}
    if found:
        listed = ", ".join(f"{count} {name}" for name, count in found.items())
        raise BenchmarkRefused(
            f"This database holds {listed}: run the benchmark on a fresh database "
            "(DATABASE_URL=sqlite:////tmp/truth.sqlite3 manage.py migrate, then again with "
            "truth_benchmark)."
        )


def benchmark_user() -> Any:
    """The reviewer on whose behalf the claims are imported as verified."""
    user, _ = get_user_model().objects.get_or_create(
        username=BENCHMARK_USER, defaults={"is_staff": True, "is_superuser": True}
    )
    return user


def _outlets(dataset: Dataset, user: Any) -> dict[str, str]:
    """Each source as its own outlet (speaking in its own voice): source -> outlet slug."""
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for index, source in enumerate(sorted({r.source for r in dataset.records})):
        name = f"{dataset.name}: {source}"[:190]
        while name.lower() in taken:
            name = f"{name[:180]} ({index})"
        taken.add(name.lower())
        slug = f"tb-{dataset.name.replace('_', '-')}-{index}"
        records.save_record(user=user, row=Outlet(name=name, slug=slug))
        slugs[source] = slug
    return slugs


def rows_of(dataset: Dataset, outlets: dict[str, str]) -> list[dict[str, Any]]:
    """The import's rows: one article per source listing its values, a claim per value in the
    outlet's own voice, verified; the subject, facts and articles given in full once."""
    subject_slug = SUBJECT_PREFIX + dataset.name.replace("_", "-")
    items = sorted({r.item for r in dataset.records})
    fact_slugs = {item: f"i{n}" for n, item in enumerate(items)}
    values: dict[str, set[str]] = defaultdict(set)
    for r in dataset.records:
        values[r.item].add(str(r.value))
    by_source: dict[str, list[Record]] = defaultdict(list)
    for r in dataset.records:
        by_source[r.source].append(r)
    rows = []
    subject_sent = False
    facts_sent: set[str] = set()
    for source in sorted(by_source):
        lines = [f"Values given by {source} ({dataset.name}).\n"]
        offsets = []
        position = len(lines[0])
        for r in by_source[source]:
            prefix = f"{dataset.labels[r.item]}: "
            offsets.append(position + len(prefix))
            line = f"{prefix}{r.raw}\n"
            lines.append(line)
            position += len(line)
        article = {
            "slug": outlets[source],
            "outlet": outlets[source],
            "headline": f"{dataset.name}: {source}"[:500],
            "text": "".join(lines),
        }
        for index, (r, start) in enumerate(zip(by_source[source], offsets, strict=True)):
            row: dict[str, Any] = {
                "article": article if index == 0 else outlets[source],
                "wording": r.raw,
                "start": start,
                "status": Claim.Status.VERIFIED,
                "attribution_mode": Claim.AttributionMode.OWN_VOICE,
            }
            if r.item in facts_sent:
                row["fact"] = [subject_slug, fact_slugs[r.item]]
            else:
                facts_sent.add(r.item)
                nesting = dataset.within.get(r.item, {})
                categories = sorted(values[r.item] | set(nesting) | set(nesting.values()))
                if dataset.kind == ValueKind.CATEGORICAL and len(categories) < 2:
                    # A categorical fact lists two categories at least; the second is never claimed.
                    categories.append("(no other value claimed)")
                row["fact"] = {
                    "slug": fact_slugs[r.item],
                    "property": dataset.labels[r.item][:300],
                    "value_kind": dataset.kind,
                    "unit": dataset.unit,
                    "categories": categories if dataset.kind == ValueKind.CATEGORICAL else [],
                }
                if nesting:
                    row["fact"]["category_within"] = nesting
                row["subject"] = (
                    subject_slug
                    if subject_sent
                    else {"slug": subject_slug, "name": f"Truth benchmark: {dataset.name}"}
                )
                subject_sent = True
            if dataset.kind == ValueKind.CATEGORICAL:
                row["category"] = r.value
            else:
                row.update(number=f"{r.value:.0f}", unit=dataset.unit, bound=Claim.Bound.EXACT)
            rows.append(row)
    return rows


def batches(
    rows: Sequence[dict[str, Any]], size: int = BATCH
) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


@dataclass
class Timing:
    outlets: float = 0.0
    imports: list[float] = field(default_factory=list)
    recompute: float = 0.0

    @property
    def imported(self) -> float:
        return sum(self.imports)


def load(dataset: Dataset, user: Any) -> Timing:
    """Create the set's outlets, then import its rows in batches through import_claims, and
    recompute every verdict (and likely value) as the product does."""
    timing = Timing()
    started = time.perf_counter()
    outlets = _outlets(dataset, user)
    timing.outlets = time.perf_counter() - started
    for batch in batches(rows_of(dataset, outlets)):
        started = time.perf_counter()
        try:
            import_claims(rows=batch, user=user)
        except ImportRejected as rejected:
            shown = "; ".join(f"row {e.index} {e.field}: {e.message}" for e in rejected.errors[:5])
            raise ValidationError(f"The import refused {dataset.name}: {shown}") from rejected
        timing.imports.append(time.perf_counter() - started)
    started = time.perf_counter()
    verdicts.recompute_all()
    timing.recompute = time.perf_counter() - started
    return timing


# Scoring ------------------------------------------------------------------------------------


@dataclass
class Scores:
    """One set's figures: per method, how many gold items it got right (and the errors of
    numbers), and per verdict kind, how many gold items and how many the consensus got right."""

    name: str
    claims: int
    sources: int
    items: int
    gold_items: int
    correct: dict[str, int] = field(default_factory=dict)
    absolute_error: dict[str, list[float]] = field(default_factory=dict)
    relative_error: dict[str, list[float]] = field(default_factory=dict)
    calibration: dict[str, list[int]] = field(default_factory=dict)
    likely_ties: int = 0
    # The likely value's confidence, binned: bin index -> [gold items, right].
    confidence_bins: dict[int, list[int]] = field(default_factory=dict)
    # Hierarchical sets: per method, gold items given a broader place on the true path
    # (right but less specific; wrong in the accuracy).
    coarser: dict[str, int] = field(default_factory=dict)

    def accuracy(self, method: str) -> float:
        return self.correct.get(method, 0) / self.gold_items if self.gold_items else 0.0


METHODS = ("majority", "truthfinder", "consensus", "likely")
# The likely value's confidence bins for its calibration table: [0, 0.2), ..., [0.8, 1].
CONFIDENCE_BINS = (0.0, 0.2, 0.4, 0.6, 0.8)


def confidence_bin(confidence: float) -> int:
    return max(index for index, low in enumerate(CONFIDENCE_BINS) if confidence >= low)


def stored_votes(subject_slug: str) -> tuple[dict[str, Any], list[truth.Vote]]:
    """The set's facts by slug, and its counted claims as votes (item: the fact's id), read
    back from the database as the verdicts read them."""
    facts = {
        f["id"]: f
        for f in Fact.objects.filter(subject__slug=subject_slug).values(
            *verdicts.FACT_COLUMNS,
            "slug",
            "verdict",
            "consensus_low",
            "consensus_high",
            "consensus_best",
            "consensus_category",
        )
    }
    claims = Claim.objects.verified().filter(fact__subject__slug=subject_slug)
    return {f["slug"]: f for f in facts.values()}, likely.votes(claims, facts)


def _consensus(fact: dict[str, Any]) -> str | float | None:
    if fact["value_kind"] == ValueKind.CATEGORICAL:
        return fact["consensus_category"] or None
    if fact["consensus_best"] is not None:
        return float(fact["consensus_best"])
    low, high = fact["consensus_low"], fact["consensus_high"]
    return (low + high) / 2 if low is not None and high is not None else None


def right(found: str | float | None, gold: str | float) -> bool:
    if found is None:
        return False
    if isinstance(gold, str):
        return found == gold
    # Integers (people, minutes): the same to within rounding.
    return isinstance(found, float | int) and abs(float(found) - gold) < 0.5


def score(dataset: Dataset) -> Scores:
    """Score every method on the gold items of a loaded set."""
    subject_slug = SUBJECT_PREFIX + dataset.name.replace("_", "-")
    facts, votes = stored_votes(subject_slug)
    if dataset.lists:
        # The stored category is the sorted names joined by "; " (author_key): its members
        # let TruthFinder and the likely value read a shorter list as nested in a longer one.
        votes = [
            truth.Vote(
                v.item, v.source, truth.category(v.value.category, v.value.category.split("; "))
            )
            for v in votes
        ]
    items = sorted({r.item for r in dataset.records})
    item_of = {f"i{n}": item for n, item in enumerate(items)}
    gold = {slug: dataset.gold[item] for slug, item in item_of.items() if item in dataset.gold}
    results = {name: truth.METHODS[name](votes) for name in ("majority", "truthfinder", "likely")}
    scores = Scores(
        name=dataset.name,
        claims=len(votes),
        sources=len({v.source for v in votes}),
        items=len(facts),
        gold_items=len(gold),
    )
    for slug, answer in sorted(gold.items()):
        found: dict[str, str | float | None] = {"consensus": _consensus(facts[slug])}
        for name, result in results.items():
            estimate = result.estimates.get(str(facts[slug]["id"]))
            found[name] = estimate.value.key if estimate is not None else None
        for name in METHODS:
            scores.correct[name] = scores.correct.get(name, 0) + right(found[name], answer)
            value = found[name]
            if isinstance(answer, float) and isinstance(value, float | int):
                error = abs(float(value) - answer)
                scores.absolute_error.setdefault(name, []).append(error)
                scores.relative_error.setdefault(name, []).append(error / answer if answer else 0)
        kind = facts[slug]["verdict"]
        row = scores.calibration.setdefault(kind, [0, 0, 0, 0])
        row[0] += 1
        row[1] += right(found["consensus"], answer)
        row[2] += right(found["likely"], answer)
        # The consensus on the true path (right, or right but less specific): hierarchical sets.
        on_path = dataset.gold_paths.get(item_of[slug], [])
        row[3] += bool(on_path) and found["consensus"] in on_path
        estimate = results["likely"].estimates.get(str(facts[slug]["id"]))
        scores.likely_ties += bool(estimate and estimate.tied)
        if estimate is not None:
            binned = scores.confidence_bins.setdefault(confidence_bin(estimate.confidence), [0, 0])
            binned[0] += 1
            binned[1] += right(found["likely"], answer)
        broader_places = dataset.gold_paths.get(item_of[slug], [])[1:]
        for name in METHODS:
            if broader_places and found[name] in broader_places:
                scores.coarser[name] = scores.coarser.get(name, 0) + 1
    return scores


def report(
    scores: Scores, timing: Timing | None, left_out: dict[str, int] | None = None
) -> list[str]:
    """The printed lines for one set."""
    lines = [
        f"## {scores.name}: {scores.claims} claims, {scores.sources} sources, "
        f"{scores.items} items, {scores.gold_items} with gold",
        *(f"left out: {count} {why}" for why, count in (left_out or {}).items()),
        "method       accuracy",
    ]
    for name in METHODS:
        lines.append(
            f"{name:<12} {scores.accuracy(name):.3f}  ({scores.correct.get(name, 0)}/"
            f"{scores.gold_items})"
        )
    if scores.absolute_error:
        lines.append(
            "method       mean abs error   mean rel error   (over gold items given a value)"
        )
        for name in METHODS:
            errors = scores.absolute_error.get(name, [])
            relative = scores.relative_error.get(name, [])
            if errors:
                lines.append(
                    f"{name:<12} {sum(errors) / len(errors):>14,.1f}   "
                    f"{sum(relative) / len(relative):>14.4f}   (n={len(errors)})"
                )
    lines.append("verdict              items  consensus right  likely right")
    for kind, (count, consensus, likely_right, on_path) in sorted(scores.calibration.items()):
        lines.append(
            f"{kind:<20} {count:>5}  {consensus:>5} ({consensus / count:.3f})"
            f"  {likely_right:>5} ({likely_right / count:.3f})"
            + (f"  consensus on the true path {on_path} ({on_path / count:.3f})" if on_path else "")
        )
    if scores.coarser:
        lines.append(
            "a broader place on the true path (right but less specific, wrong above): "
            + ", ".join(f"{name} {scores.coarser.get(name, 0)}" for name in METHODS)
        )
    lines.append("likely confidence   items  likely right")
    bounds = [*CONFIDENCE_BINS, 1.0]
    for index, (count, right_count) in sorted(scores.confidence_bins.items()):
        closing = "]" if index == len(CONFIDENCE_BINS) - 1 else ")"
        lines.append(
            f"[{bounds[index]:.1f}, {bounds[index + 1]:.1f}{closing}{'':<9} {count:>5}  "
            f"{right_count:>5} ({right_count / count:.3f})"
        )
    lines.append(f"likely-value ties among gold items: {scores.likely_ties}")
    if timing is not None:
        rows = scores.claims
        lines.append(
            f"timing: outlets {timing.outlets:.1f} s; import {timing.imported:.1f} s in "
            f"{len(timing.imports)} call(s) of up to {BATCH} rows"
            f" ({rows / timing.imported if timing.imported else 0:.0f} rows/s, slowest call "
            f"{max(timing.imports, default=0):.1f} s); recompute {timing.recompute:.1f} s"
        )
    return lines
