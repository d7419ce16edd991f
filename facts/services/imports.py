"""Bulk import of claims, set-based, all or none.

An import runs in two phases, so that a large one holds the database's write lock (SQLite has
one for the whole file) only while it writes:

1. Check, with no transaction and no lock: every outlet, article, actor, subject and fact the
   rows name is fetched in one query per model; the rows that give one in full are built and
   validated in memory; every claim is built against them and validated in Python by the
   model's own field checks and `clean()` (the rules the admin and the single-claim API apply);
   duplicates are found within the batch and against the stored claims in one query. Every
   problem of every row is collected, and the import stops there if there is one.
2. Write, in one transaction: the new outlets, actors, subjects, facts and articles through
   their services (they are few, and each has rules of its own: stories, slugs), then the
   claims with `bulk_create` and their history rows in bulk, then each touched fact's verdict
   once. The database's constraints stand behind the Python checks: a refusal there (another
   writer's row saved meanwhile) rolls everything back and is reported.

`validate_unique` and `validate_constraints` are left out of the per-claim checks on purpose:
each runs a query per constraint per row (about 75 statements a row before), and what they
check is checked here on the batch: the value rules by `clean()`, which mirrors every
CheckConstraint, and uniqueness by one query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DataError, IntegrityError, models, transaction
from django.db.models import Q
from django.db.models.base import ModelState
from django.utils import timezone

from facts.domain.text import normalise_text
from facts.models import Actor, Article, Claim, Fact, Outlet, Subject
from facts.models.base import Named
from facts.services import bulk_insert, claim_placement, records, review, stories, verdicts
from facts.services.base import history_user_id


class PermissionHolder(Protocol):
    """A user, as far as the import asks about one."""

    def has_perm(self, perm: str, obj: object = None) -> bool: ...


@dataclass(frozen=True)
class RowError:
    """One problem: the row's index (None for the request as a whole), the field at fault
    ("wording", "article.outlet", "row" for the row as a whole) and a message for a person."""

    index: int | None
    field: str
    message: str


@dataclass(frozen=True)
class ImportResult:
    """What an import saved: the claims' ids in row order (a period row gives two), the ids of
    the rows an upsert found stored already, and how many rows of each kind it created."""

    claim_ids: list[int]
    articles_created: int = 0
    subjects_created: int = 0
    facts_created: int = 0
    outlets_created: int = 0
    actors_created: int = 0
    unchanged_ids: list[int] = field(default_factory=list)
    updated_ids: list[int] = field(default_factory=list)

    @property
    def created(self) -> int:
        """How many claims were saved new."""
        return len(self.claim_ids)


class ImportRejected(Exception):
    """Some rows are bad, so nothing was saved; `errors` lists every problem of every row."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problem(s) in the import; nothing was saved.")
        self.errors = errors


class ImportForbidden(Exception):
    """The user lacks a permission some rows need; `errors` names the rows and permissions."""

    def __init__(self, errors: list[RowError], *, missing: dict[str, list[int | None]]) -> None:
        self.errors = errors
        needs = "; ".join(
            permission + _rows_suffix(indexes) for permission, indexes in missing.items()
        )
        self.message = f"This import needs permissions you do not have: {needs}."
        super().__init__(self.message)


def _rows_suffix(indexes: list[int | None]) -> str:
    rows = [str(i) for i in indexes if i is not None]
    if not rows:
        return ""
    shown = ", ".join(rows[:10]) + (" …" if len(rows) > 10 else "")
    return f" (row{'s' if len(rows) > 1 else ''} {shown})"


class Mode:
    """What an import does with a row whose claim is stored already."""

    # Refuse it as a duplicate: the import adds claims.
    CREATE = "create"
    # Leave it as it is when it says the same, or update it: a retried import changes nothing.
    UPSERT = "upsert"
    choices = (CREATE, UPSERT)


# A row, with its JSON types checked by the API ------------------------------------------------

Reference = str | dict[str, Any] | None


@dataclass
class ParsedRow:
    """A row with its JSON types checked: references as slugs, slug pairs or field dicts (an
    article's outlet and an actor's parent may in turn be a slug or a dict)."""

    index: int
    article: Reference = None
    subject: Reference = None
    fact: tuple[str, str] | dict[str, Any] | None = None
    # A period ("Feb. 10-20"): the fact its end day is a claim on; `fact` takes the start.
    end_fact: tuple[str, str] | dict[str, Any] | None = None
    actor: Reference = None
    # The claim's own fields, each checked already by its model field's validators (the API
    # reads them with the ModelSerializer fields built from the model: lengths, choices,
    # digits, storable text).
    claim: dict[str, Any] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    def fail(self, name: str, message: str) -> None:
        self.errors.append(RowError(self.index, name, message))

    @property
    def subject_slug(self) -> str | None:
        """The slug of the subject the row names, if it names one."""
        return self.subject["slug"] if isinstance(self.subject, dict) else self.subject


# What is stored already -----------------------------------------------------------------------


@dataclass
class Known:
    """The rows the import refers to, fetched in one query per model, and the rows it will
    create (unsaved until the write phase), by natural key."""

    outlets: dict[str, Outlet]
    articles: dict[str, Article]
    articles_by_url: dict[str, Article]
    subjects: dict[str, Subject]
    facts: dict[tuple[str, str], Fact]
    actors: dict[str, Actor]
    # The rows given in full that this import creates, in the order it first met them, each
    # with the row that first gave it.
    new: list[tuple[ParsedRow, str, models.Model]] = field(default_factory=list)
    # The articles it creates, in bulk, each with the row that first gave it.
    new_articles: list[tuple[ParsedRow, Article]] = field(default_factory=list)
    # (model name, natural key) -> the first row that failed to build that row: later rows
    # that refer to it are told why it is missing.
    failed: dict[tuple[str, object], int] = field(default_factory=dict)


def _slug_of(reference: Reference) -> str | None:
    """The slug a reference names: given, or (for an outlet or actor given in full without
    one) derived from its name, as the model derives it."""
    if isinstance(reference, dict):
        slug = reference.get("slug") or Named.slug_for(reference.get("name") or "")
        return slug if isinstance(slug, str) and slug else None
    return reference


def load_known(*, rows: Sequence[ParsedRow]) -> Known:
    """Fetch every outlet, article, subject, fact and actor the rows name: one query each."""
    outlets: set[str | None] = set()
    articles: set[str | None] = set()
    urls: set[str] = set()
    subjects: set[str | None] = set()
    actors: set[str | None] = set()
    fact_keys: set[tuple[str, str]] = set()
    for row in rows:
        if isinstance(row.article, dict):
            articles.add(_slug_of(row.article))
            if row.article.get("url"):
                urls.add(row.article["url"])
            for name in ("outlet", "wire_source"):
                outlets.add(_slug_of(row.article.get(name)))
        else:
            articles.add(row.article)
        subjects.add(row.subject_slug)
        for fact in (row.fact, row.end_fact):
            if isinstance(fact, tuple):
                fact_keys.add(fact)
            elif isinstance(fact, dict) and row.subject_slug:
                fact_keys.add((row.subject_slug, fact["slug"]))
        actors.add(_slug_of(row.actor))
        if isinstance(row.actor, dict):
            actors.add(_slug_of(row.actor.get("parent")))
    facts = Fact.objects.select_related("subject").filter(
        subject__slug__in={s for s, _ in fact_keys}, slug__in={f for _, f in fact_keys}
    )
    found_articles = list(
        Article.objects.select_related("outlet").filter(
            Q(slug__in=articles - {None, ""}) | Q(url__in=urls)
        )
    )
    return Known(
        outlets=_by_slug(Outlet, outlets),
        articles={a.slug: a for a in found_articles},
        articles_by_url={a.url: a for a in found_articles if a.url},
        subjects=_by_slug(Subject, subjects),
        facts={
            (fact.subject.slug, fact.slug): fact
            for fact in facts
            if (fact.subject.slug, fact.slug) in fact_keys
        },
        actors=_by_slug(Actor, actors),
    )


def _by_slug(model: type[models.Model], slugs: set[str | None]) -> dict[str, Any]:
    wanted = slugs - {None, ""}
    found = model._default_manager.filter(slug__in=wanted) if wanted else []
    return {row.slug: row for row in found}  # type: ignore[attr-defined]


# Permissions ----------------------------------------------------------------------------------


def check_permissions(*, rows: Sequence[ParsedRow], known: Known, user: PermissionHolder) -> None:
    """Raise ImportForbidden unless the user may do all that the rows ask, in row order."""
    if not user.has_perm("facts.add_claim"):
        message = "Adding claims needs the permission facts.add_claim."
        raise ImportForbidden(
            [RowError(None, "claims", message)], missing={"facts.add_claim": [None]}
        )
    errors: list[RowError] = []
    missing: dict[str, list[int | None]] = {}
    seen: dict[str, set[object]] = {
        "outlet": set(known.outlets),
        "article": set(known.articles) | {("url", u) for u in known.articles_by_url},
        "subject": set(known.subjects),
        "fact": set(known.facts),
        "actor": set(known.actors),
    }
    held: dict[str, bool] = {}

    def need(row: ParsedRow, name: str, model: str, key: object, doing: str) -> None:
        if key is None or key in seen[model]:
            return
        seen[model].add(key)
        permission = f"facts.add_{model}"
        if permission not in held:
            held[permission] = user.has_perm(permission)
        if not held[permission]:
            errors.append(RowError(row.index, name, f"{doing} needs the permission {permission}."))
            missing.setdefault(permission, []).append(row.index)

    def creating(name: str, key: object) -> str:
        return f"Creating the {name} {key!r}"

    # In row order, as the import runs: a row may use what an earlier row creates.
    for row in rows:
        if isinstance(row.article, dict):
            for part in ("outlet", "wire_source"):
                outlet = row.article.get(part)
                if isinstance(outlet, dict):
                    key = _slug_of(outlet) or outlet.get("name")
                    need(row, f"article.{part}", "outlet", key, creating("outlet", key))
            slug = _slug_of(row.article)
            url = row.article.get("url")
            stored = slug in seen["article"] or ("url", url) in seen["article"]
            if not stored:
                key = slug or url
                need(row, "article", "article", key, creating("article", key))
                if url:
                    seen["article"].add(("url", url))
        if isinstance(row.actor, dict):
            key = _slug_of(row.actor) or row.actor.get("name")
            need(row, "actor", "actor", key, creating("actor", key))
        if isinstance(row.subject, dict):
            slug = row.subject["slug"]
            need(row, "subject", "subject", slug, creating("subject", slug))
        for name, fact in (("fact", row.fact), ("end_fact", row.end_fact)):
            if isinstance(fact, dict) and row.subject_slug:
                key = (row.subject_slug, fact["slug"])
                need(row, name, "fact", key, f"Creating the fact {list(key)}")
        status = row.claim.get("status")
        if status in review.SETTLED and not user.has_perm(review.REVIEW_PERMISSION):
            errors.append(
                RowError(
                    row.index,
                    "status",
                    f"Importing a claim as {status} needs the permission "
                    f"{review.REVIEW_PERMISSION}.",
                )
            )
            missing.setdefault(review.REVIEW_PERMISSION, []).append(row.index)
    if errors:
        raise ImportForbidden(errors, missing=missing)


# Building the rows in memory ------------------------------------------------------------------


def _report(row: ParsedRow, error: ValidationError, *, prefix: str) -> None:
    """A model's ValidationError as the row's errors, under the field path at fault."""
    for name, messages in error.message_dict.items():
        if name == NON_FIELD_ERRORS:
            target = prefix or "row"
        else:
            target = f"{prefix}.{name}" if prefix else name
        for message in messages:
            row.fail(target, message)


def _missing(row: ParsedRow, name: str, key: object, known: Known, model: str) -> None:
    """Say a row refers to something that is neither stored nor given in full (saying which
    earlier row failed to give it, if one did)."""
    failed = known.failed.get((model, key))
    why = f" (row {failed}, which gives it in full, has errors)" if failed is not None else ""
    shown = f"{key[1]!r} of the subject {key[0]!r}" if isinstance(key, tuple) else repr(key)
    row.fail(name, f"There is no {model} {shown}{why}.")


def _validated(
    row: ParsedRow,
    instance: models.Model,
    *,
    prefix: str,
    exclude: Iterable[str] = (),
    batch_checked: bool = False,
) -> bool:
    """Validate a row given in full, in memory. Fields that point at rows this import creates
    are left out of the checks that would look them up; batch_checked: its uniqueness and
    constraints are checked for the whole batch at once instead (articles, see
    check_new_articles), not by a query per row and constraint."""
    try:
        instance.full_clean(
            exclude=list(exclude) or None,
            validate_unique=not batch_checked,
            validate_constraints=not batch_checked,
        )
    except ValidationError as error:
        _report(row, error, prefix=prefix)
        return False
    return True


RowT = TypeVar("RowT", bound=models.Model)


def _stored(
    row: ParsedRow, path: str, key: Any, rows: dict[Any, RowT], known: Known, model: str
) -> RowT | None:
    """The row a reference names by its natural key, or None with the reason on the row."""
    found = rows.get(key)
    if found is None:
        _missing(row, path, key, known, model)
    return found


def _adopt(
    row: ParsedRow,
    path: str,
    instance: RowT,
    *,
    key: Any,
    rows: dict[Any, RowT],
    known: Known,
    model: str,
    exclude: Iterable[str] = (),
) -> RowT | None:
    """A row given in full: the one with its key this import has met already, or this one,
    validated and kept for the write (None, with the reason on the row, if it is refused;
    later rows that name it are told which row failed)."""
    if key in rows:
        return rows[key]
    if not _validated(row, instance, prefix=path, exclude=exclude):
        known.failed.setdefault((model, key), row.index)
        return None
    rows[key] = instance
    known.new.append((row, path, instance))
    return instance


def outlet_of(row: ParsedRow, reference: Reference, known: Known, *, path: str) -> Outlet | None:
    """A stored outlet by its slug, or one given in full (created once, however many rows
    give it)."""
    if reference is None:
        return None
    if isinstance(reference, str):
        return _stored(row, path, reference, known.outlets, known, "outlet")
    met = known.outlets.get(_slug_of(reference))  # type: ignore[arg-type]
    if met is not None:
        return met  # as _adopt would: built only the first time (see actor_of)
    outlet = Outlet(**reference)
    outlet.derive_fields()
    return _adopt(
        row, path, outlet, key=outlet.slug, rows=known.outlets, known=known, model="outlet"
    )


def article_of(row: ParsedRow, known: Known) -> Article | None:
    if isinstance(row.article, str):
        return _stored(row, "article", row.article, known.articles, known, "article")
    if not isinstance(row.article, dict):
        return None
    fields = dict(row.article)
    slug, url = fields.get("slug"), fields.get("url") or ""
    stored = known.articles.get(slug) if slug else None
    if stored is None and url:
        stored = known.articles_by_url.get(url)
    if stored is not None:
        text = normalise_text(fields.get("text") or "")
        if stored.pk is not None and text and stored.text and stored.text != text:
            row.fail(
                "article.text",
                f"The article {stored.slug!r} is stored already with another text: refer to "
                "it by its slug, or give this one another slug.",
            )
            return None
        return stored
    # Every problem at once: the outlets and the article's own fields are all checked.
    outlets = {
        name: outlet_of(row, fields.pop(name, None), known, path=f"article.{name}")
        for name in ("outlet", "wire_source")
    }
    if isinstance(fields.get("text"), str):
        fields["text"] = normalise_text(fields["text"])
    article = Article(**fields, **{k: v for k, v in outlets.items() if v is not None})
    # The outlets are objects in hand (stored, new, or missing and reported already): left
    # out of the field checks, which would look each up again; the rest is checked all the same.
    valid = _validated(
        row, article, prefix="article", exclude=["outlet", "wire_source"], batch_checked=True
    )
    if not valid or outlets["outlet"] is None:
        known.failed.setdefault(("article", slug or url), row.index)
        return None
    known.articles[article.slug] = article
    if article.url:
        known.articles_by_url[article.url] = article
    known.new_articles.append((row, article))
    return article


def check_new_articles(known: Known) -> None:
    """What the articles' unique constraints hold, for the new articles at once: a derived slug
    already taken gets a number; one outlet's text stored twice is refused. One query."""
    if not known.new_articles:
        return
    slugs = {a.slug for _, a in known.new_articles}
    hashes = {a.text_hash for _, a in known.new_articles if a.text_hash}
    stored = Article.objects.filter(Q(slug__in=slugs) | Q(text_hash__in=hashes)).values_list(
        "slug", "outlet__slug", "text_hash"
    )
    taken = set()
    texts: dict[tuple[str, str], str] = {}
    for slug, outlet, text_hash in stored:
        taken.add(slug)
        if text_hash:
            texts[(outlet, text_hash)] = slug
    for row, article in known.new_articles:
        if article.text_hash:
            other = texts.setdefault((article.outlet.slug, article.text_hash), article.slug)
            if other != article.slug:
                row.fail(
                    "article.text",
                    f"This outlet's article with this very text is stored already as {other!r}: "
                    "refer to it by its slug.",
                )
        if article.slug in taken:
            base, number = article.slug[:190], 2
            while f"{base}-{number}" in taken or f"{base}-{number}" in known.articles:
                number += 1
            article.slug = f"{base}-{number}"
        taken.add(article.slug)


def actor_of(row: ParsedRow, reference: Reference, known: Known, *, path: str) -> Actor | None:
    if reference is None:
        return None
    if isinstance(reference, str):
        return _stored(row, path, reference, known.actors, known, "actor")
    fields = dict(reference)
    parent = actor_of(row, fields.pop("parent", None), known, path=f"{path}.parent")
    met = known.actors.get(_slug_of(reference))  # type: ignore[arg-type]
    if met is not None:
        # Stored, or given in full by an earlier row: as _adopt would return it, without
        # building the model (rows repeat their actors in full, and an Actor() costs tens of
        # µs). Its key is the slug the model derives (_slug_of); the parent is resolved first
        # all the same, so a row's missing parent is still reported.
        return met
    actor = Actor(**fields, parent=parent)
    actor.derive_fields()
    # Actor.clean refuses a name that is another actor's name or alias, and says whose.
    exclude: list[str] = ["parent"] if parent is not None and parent.pk is None else []
    return _adopt(
        row,
        path,
        actor,
        key=actor.slug,
        rows=known.actors,
        known=known,
        model="actor",
        exclude=exclude,
    )


def subject_of(row: ParsedRow, known: Known) -> Subject | None:
    if isinstance(row.subject, dict):
        key = row.subject["slug"]
        if key in known.subjects:
            return known.subjects[key]
        subject = Subject(**row.subject)
        return _adopt(
            row, "subject", subject, key=key, rows=known.subjects, known=known, model="subject"
        )
    if row.subject is None:
        return None
    return _stored(row, "subject", row.subject, known.subjects, known, "subject")


def fact_of(
    row: ParsedRow,
    reference: tuple[str, str] | dict[str, Any] | None,
    subject: Subject | None,
    known: Known,
    *,
    path: str,
) -> Fact | None:
    if isinstance(reference, tuple):
        return _stored(row, path, reference, known.facts, known, "fact")
    if not isinstance(reference, dict) or subject is None:
        return None
    key = (subject.slug, reference["slug"])
    if key in known.facts:
        return known.facts[key]
    fact = Fact(subject=subject, **reference)
    return _adopt(
        row,
        path,
        fact,
        key=key,
        rows=known.facts,
        known=known,
        model="fact",
        exclude=["subject"] if subject.pk is None else [],
    )


# The claims -----------------------------------------------------------------------------------


def claims_of(row: ParsedRow, known: Known) -> list[Claim]:
    """Resolve a row's references (building those given in full) and build its claims;
    every problem goes to row.errors, all of them at once."""
    article = article_of(row, known)
    subject = subject_of(row, known)
    fact = fact_of(row, row.fact, subject, known, path="fact")
    end_fact = fact_of(row, row.end_fact, subject, known, path="end_fact")
    actor = actor_of(row, row.actor, known, path="actor")
    if row.article is None or row.fact is None:
        return []  # reported when the row was read
    if article is None or fact is None or (row.end_fact is not None and end_fact is None):
        if not row.errors:
            # Never a row dropped in silence: each way to get here reports why, and this says
            # so should one not.
            row.fail("row", "This row names no article or fact that could be found.")
        return []
    if row.errors or (row.actor is not None and actor is None):
        return []
    fields = {
        name: normalise_text(value) if name in ("wording", "prefix", "suffix") else value
        for name, value in row.claim.items()
    }
    if actor is not None and "attribution_mode" not in fields:
        # Credited to an actor and no mode said: the article reports what the actor says.
        fields["attribution_mode"] = Claim.AttributionMode.INDIRECT
    if end_fact is None:
        return [new_claim(article=article, fact=fact, actor=actor, **fields)]
    return period_claims(row, fields, article=article, start=fact, end=end_fact, actor=actor)


# A claim with every field at its default, copied for each new claim: Model.__init__ works out
# each of a claim's 37 fields' defaults and descriptors anew (about 40 µs, a tenth of an
# import's time a row); a copy of the defaults' values costs a few. Only plain values are
# copied (no mutable default), and the relations are set through their descriptors.
_BLANK_CLAIM = Claim()


def new_claim(**values: Any) -> Claim:
    """A new, unsaved claim with these values, as Claim(**values) makes it."""
    claim = Claim.__new__(Claim)
    claim.__dict__.update(_BLANK_CLAIM.__dict__)
    claim._state = ModelState()
    for name, value in values.items():
        if name in RELATION_FIELDS:
            # As the relation's descriptor sets it, less its checks (the rows are in hand):
            # the object cached, and its id (None until a new row is saved: see write()).
            # (The id first: setting an id that differs drops the object cached.)
            relation = RELATION_FIELDS[name]
            setattr(claim, relation.attname, None if value is None else value.pk)
            relation.set_cached_value(claim, value)
        else:
            setattr(claim, name, value)
    return claim


RELATION_FIELDS: dict[str, Any] = {
    name: Claim._meta.get_field(name) for name in ("article", "fact", "actor")
}


def period_claims(
    row: ParsedRow,
    fields: dict[str, Any],
    *,
    article: Article,
    start: Fact,
    end: Fact,
    actor: Actor | None,
) -> list[Claim]:
    """A period's wording ("Feb. 10-20") read into a claim on its start fact and one on its
    end fact, each with the day (or days) it gives."""
    from facts.domain import dates

    day_fields = ("date_earliest", "date_latest", "date_precision")
    given = [name for name in day_fields if fields.get(name) not in (None, "")]
    if given:
        row.fail(given[0], "A period row gives no dates: they are read from its wording.")
        return []
    if not article.published_earliest:
        row.fail(
            "end_fact",
            "A period is read against the article's publication day, and this article has none.",
        )
        return []
    period = dates.read_period(
        fields.get("wording", ""),
        article.published_earliest,
        article.published_latest or article.published_earliest,
    )
    if period is None:
        row.fail(
            "wording",
            "This wording does not read as a period (such as 'Feb. 10-20'): give a row for "
            "each day instead.",
        )
        return []
    made = []
    for fact, day in zip((start, end), period, strict=True):
        made.append(
            new_claim(
                article=article,
                fact=fact,
                actor=actor,
                **fields,
                date_earliest=day.earliest,
                date_latest=day.latest,
                date_precision=day.precision,
            )
        )
    return made


# Why no field checks (Model.clean_fields) here: every field a row gives was checked when the
# row was read, by that model field's own validators (ParsedRow.claim), and the fields the model
# derives (the bounds, offsets, context, as-of day, value kind) are made within their columns by
# the model's derivations themselves (a number below 10^15 keeps its bounds within the digits
# kept). The database's constraints stand behind both. Checking every field again cost a fifth
# of an import's time.


def validate_claim(row: ParsedRow, claim: Claim, user: PermissionHolder) -> bool:
    """The model's clean() (every value rule, the anchoring) and the review rule, in memory:
    no query."""
    try:
        # full_clean less what the batch checks at once (uniqueness, by one query) or needs
        # not check again (the fields: see above); the relations are objects in hand.
        claim.derive_context()
        claim.clean()
        claim.anchor_state = claim.anchor_state_in(claim.article.text)
        outcome = review.status_after_change(
            user=user, stored_status=None, requested_status=claim.status, changed=()
        )
    except ValidationError as error:
        _report(row, error, prefix="")
        return False
    claim.status = outcome.status
    return True


# The natural key of a claim: one claim per fact, article, place in the text and actor.
ClaimKey = tuple[object, ...]


def claim_key(claim: Claim) -> ClaimKey:
    """What the unique constraints hold: the offsets, or the wording while unanchored."""
    where = (claim.start, claim.end) if claim.start is not None else (claim.wording,)
    return (id(claim.fact), id(claim.article), id(claim.actor) if claim.actor else None, *where)


def stored_key(claim: Claim, known_rows: dict[tuple[str, int], models.Model]) -> ClaimKey:
    """A stored claim's key, in the terms of claim_key (the rows the import holds)."""
    fact = known_rows[("fact", claim.fact_id)]
    article = known_rows[("article", claim.article_id)]
    actor = known_rows.get(("actor", claim.actor_id)) if claim.actor_id else None
    where = (claim.start, claim.end) if claim.start is not None else (claim.wording,)
    return (id(fact), id(article), id(actor) if claim.actor_id else None, *where)


# A claim's own fields that a row gives besides its wording and offsets (the API reads these):
# what an upsert compares with the stored claim.
VALUE_FIELDS = (
    "status",
    "undisclosed",
    "number",
    "number_high",
    "unit",
    "bound",
    "hedge",
    "date_earliest",
    "date_latest",
    "date_precision",
    "category",
    "as_of",
    "attribution_cue",
    "attribution_mode",
    "note",
)


def stored_claims(built: list[tuple[ParsedRow, Claim]], known: Known) -> dict[ClaimKey, Claim]:
    """The stored claims that share a fact and an article with the built ones: one query."""
    facts = {c.fact.pk for _, c in built if c.fact.pk is not None}
    articles = {c.article.pk for _, c in built if c.article.pk is not None}
    if not facts or not articles:
        return {}
    rows: dict[tuple[str, int], models.Model] = {}
    for _, claim in built:
        if claim.fact.pk is not None:
            rows[("fact", claim.fact.pk)] = claim.fact
        if claim.article.pk is not None:
            rows[("article", claim.article.pk)] = claim.article
        if claim.actor is not None and claim.actor.pk is not None:
            rows[("actor", claim.actor.pk)] = claim.actor
    found: dict[ClaimKey, Claim] = {}
    for claim in Claim.objects.filter(fact_id__in=facts, article_id__in=articles):
        if claim.actor_id and ("actor", claim.actor_id) not in rows:
            continue  # credited to an actor no row names: no row's key
        found[stored_key(claim, rows)] = claim
    return found


DUPLICATE_MESSAGES = {
    True: "This wording is a claim on this fact by this actor already.",
    False: "This wording is a claim on this fact in the outlet's own voice already.",
}


# The import -----------------------------------------------------------------------------------


def import_rows(
    *,
    rows: Sequence[ParsedRow],
    user: PermissionHolder,
    mode: str = Mode.CREATE,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Check every row, then save them all in one transaction; or save none and raise
    ImportRejected with every problem of every row (ImportForbidden for a missing permission).

    `progress(done, total)`, when given, is told how many rows have been checked; the write
    that follows is one step. In mode "upsert", a row whose claim is stored already is left
    as it is when it says the same, and updated otherwise."""
    known = load_known(rows=rows)
    check_permissions(rows=rows, known=known, user=user)

    built: list[tuple[ParsedRow, Claim]] = []
    for done, row in enumerate(rows, start=1):
        # A row whose fields are wrong still has its references looked up, so that all its
        # problems come in one answer; its claims are built only when nothing is wrong.
        made = claims_of(row, known)
        if not row.errors:
            built += [(row, claim) for claim in made if validate_claim(row, claim, user)]
        if progress is not None and (done % 1000 == 0 or done == len(rows)):
            progress(done, len(rows))

    check_new_articles(known)
    stored = stored_claims(built, known)
    new: list[tuple[ParsedRow, Claim]] = []
    unchanged: list[int] = []
    changed: list[tuple[ParsedRow, Claim, Claim]] = []
    seen: dict[ClaimKey, int] = {}
    for row, claim in built:
        key = claim_key(claim)
        if key in seen:
            row.fail(
                "row",
                DUPLICATE_MESSAGES[claim.actor is not None].removesuffix(".")
                + f" (row {seen[key]} gives it).",
            )
            continue
        seen[key] = row.index
        found = stored.get(key)
        if found is None:
            new.append((row, claim))
        elif mode != Mode.UPSERT:
            row.fail("row", DUPLICATE_MESSAGES[claim.actor is not None])
        elif all(getattr(found, n) == getattr(claim, n) for n in VALUE_FIELDS):
            unchanged.append(found.pk)
        else:
            changed.append((row, claim, found))

    errors = [error for row in rows for error in row.errors]
    if errors:
        raise ImportRejected(errors)
    return write(
        known=known, new=new, changed=changed, unchanged=unchanged, user=user, rows=len(rows)
    )


def write(
    *,
    known: Known,
    new: list[tuple[ParsedRow, Claim]],
    changed: list[tuple[ParsedRow, Claim, Claim]],
    unchanged: list[int],
    user: PermissionHolder,
    rows: int,
) -> ImportResult:
    """Save what the checks let through, in one transaction."""
    created: dict[str, int] = {}
    try:
        with transaction.atomic(), verdicts.deferred_refresh():
            for row, path, instance in known.new:
                save_new(row, path, instance, user=user)
                name = instance._meta.model_name or ""
                created[name] = created.get(name, 0) + 1
            now = timezone.now()
            moved = write_articles([a for _, a in known.new_articles], user=user, now=now)
            created["article"] = len(known.new_articles)
            claims = [claim for _, claim in new]
            for claim in claims:
                # Each relation's id from its object (saved just above if it is new). Setting an
                # id drops the object cached: the rows are taken first, and placed from.
                fact, article = claim.fact, claim.article
                claim.article_id, claim.fact_id = article.pk, fact.pk
                claim.actor_id = claim.actor.pk if claim.actor is not None else None
                claim_placement.place_on(claim, fact=fact, article=article)
                claim.created_at = claim.updated_at = now
            bulk_insert.insert(Claim, claims)
            bulk_insert.insert_history(
                Claim,
                claims,
                history_date=now,
                history_type="+",
                history_user_id=history_user_id(user),
                history_change_reason="Imported",
            )
            updated = []
            for _row, claim, found in changed:
                for name in VALUE_FIELDS:
                    setattr(found, name, getattr(claim, name))
                saved = records.save_record(user=user, row=found, reason="Imported again")
                if saved.wrote:
                    updated.append(found.pk)
            verdicts.request_refresh(
                {c.fact_id for c in claims if c.status == Claim.Status.VERIFIED}
                | stories.facts_of(moved)
            )
    except RowRefused as refusal:
        raise ImportRejected(refusal.row.errors) from refusal
    except (IntegrityError, DataError) as error:
        raise ImportRejected(
            [
                RowError(
                    None,
                    "claims",
                    "The database refused the import: it conflicts with rows saved meanwhile, "
                    f"or holds a value out of range ({type(error).__name__}). Nothing was "
                    "saved; send the import again.",
                )
            ]
        ) from error
    return ImportResult(
        claim_ids=[claim.pk for claim in claims],
        articles_created=created.get("article", 0),
        subjects_created=created.get("subject", 0),
        facts_created=created.get("fact", 0),
        outlets_created=created.get("outlet", 0),
        actors_created=created.get("actor", 0),
        unchanged_ids=unchanged,
        updated_ids=updated,
    )


def write_articles(articles: list[Article], *, user: PermissionHolder, now: Any) -> set[int]:
    """Insert the new articles with their history rows, and index their stories. Returns the
    stored articles whose story changed (see stories.index_new)."""
    for article in articles:
        article.outlet_id = article.outlet.pk
        article.wire_source_id = article.wire_source.pk if article.wire_source else None
        article.created_at = article.updated_at = now
    bulk_insert.insert(Article, articles)
    bulk_insert.insert_history(
        Article,
        articles,
        history_date=now,
        history_type="+",
        history_user_id=history_user_id(user),
        history_change_reason="Imported",
    )
    return stories.index_new(articles=articles)


class RowRefused(Exception):
    """A row given in full was refused at its save (a row saved meanwhile by another writer
    clashes with it); its errors are on the row."""

    def __init__(self, row: ParsedRow) -> None:
        super().__init__(row.errors)
        self.row = row


def save_new(row: ParsedRow, path: str, instance: models.Model, *, user: PermissionHolder) -> None:
    """Save a row given in full through its service, once the rows it points at are saved."""
    for relation in ("outlet", "wire_source", "parent", "subject"):
        # Relations set before their targets were saved: take their ids now.
        target = getattr(instance, relation, None) if hasattr(instance, f"{relation}_id") else None
        if target is not None:
            setattr(instance, relation, target)
    try:
        records.save_record(user=user, row=instance, reason="Imported")  # type: ignore[arg-type]
    except ValidationError as error:
        _report(row, error, prefix=path)
        raise RowRefused(row) from error
