"""Ingest: a captured article (HTML or plain text) becomes one stored article, its boilerplate
left out, and the claims in it proposed as candidates for an editor. Nothing proposed is ever
verified by itself: candidates count in no verdict (ClaimQuerySet.counted).

One call is one transaction: a capture refused (empty, binary, wrongly encoded, too large,
script-laden) or an article that does not validate leaves nothing saved.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q

from facts.domain import boilerplate, candidates
from facts.domain.text import normalise_text
from facts.models import (
    Actor,
    Article,
    ArticleStory,
    BoilerplateRule,
    Claim,
    ClaimStatus,
    DatePrecision,
    Fact,
    Outlet,
    Subject,
    ValueKind,
)
from facts.models.base import slug_of
from facts.services import articles, claims, stories
from facts.services.review import PermissionHolder

ContentType = Literal["html", "text"]
CONTENT_TYPES: tuple[str, ...] = ("html", "text")

# Why a capture is refused: the field the message goes with, for forms and problem details.
FIELD = "raw"


@dataclass(frozen=True)
class IngestResult:
    """What an ingest did: the article (new, or the one stored already), how it was found to
    be stored already ("url", "text" or "near": a near-identical text of the same outlet; ""
    for a new article), the candidates proposed, and the other outlets' copies of its story."""

    article: Article
    created: bool
    duplicate_of: str = ""
    candidates: int = 0
    skipped: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    copies: tuple[int, ...] = field(default=())


def refuse(message: str, code: str) -> ValidationError:
    return ValidationError({FIELD: ValidationError(message, code=code)})


# Decoding and refusing ------------------------------------------------------------------

# Files that are not text at all, by their first bytes: PDF, PNG, JPEG, GIF, ZIP (DOCX, XLSX),
# gzip, and an executable.
MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"\x1f\x8b", b"\x7fELF")
# Control characters other than tab and line breaks do not occur in news text.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# UTF-8 read as Latin-1 or Windows-1252 ("Ukraineâ€™s", "cafÃ©"): decoded once too often.
MOJIBAKE = re.compile(r"â€[\x80-\xbf™œ˜”“šž¦]|Ã[\x80-\xbf©¨¼¶¤§]|Â[\xa0-\xbf ]")
# Markup that runs: never part of a news body, and refused rather than stored.
ACTIVE_MARKUP = re.compile(
    r"<\s*/?\s*(script|iframe|object|embed|style|svg|form|meta|link|base)\b"
    r"|\bjavascript\s*:|\bon[a-z]{3,20}\s*=\s*[\"']",
    re.IGNORECASE,
)
# A lone surrogate (text decoded with surrogateescape or surrogatepass): not storable text.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
HTML_SNIFF = re.compile(
    r"^\s*(<!doctype\s+html|<html\b|<head\b|<body\b)|<(p|div|article|h1|br)\b[^>]*>",
    re.IGNORECASE,
)
CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]{1,40})""", re.IGNORECASE)


def decode(raw: bytes | str) -> str:
    """The capture as text, or a refusal that says what is wrong with it."""
    limit: int = settings.INGEST_MAX_BYTES
    size = len(raw) if isinstance(raw, bytes) else len(raw.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise refuse(
            f"The capture is {size:,} bytes; at most {limit:,} are taken (INGEST_MAX_BYTES).",
            "too_large",
        )
    if isinstance(raw, bytes):
        if raw.startswith(MAGIC) or b"\x00" in raw:
            raise refuse(
                "The capture is a binary file, not text or HTML: send the article's text.",
                "binary",
            )
        text = _decode_bytes(raw)
    else:
        text = raw
    if not text.strip():
        raise refuse("The capture is empty: send the article's text or HTML.", "empty")
    if "\x00" in text or len(CONTROL.findall(text)) > 2:
        raise refuse(
            "The capture holds control characters, as a binary file does: send the article's "
            "text or HTML.",
            "binary",
        )
    if "\ufffd" in text or LONE_SURROGATE.search(text) or MOJIBAKE.search(text):
        raise refuse(
            "The capture is wrongly encoded (replacement characters or UTF-8 read as Latin-1, "
            "such as 'â€™'): send it as UTF-8.",
            "encoding",
        )
    return normalise_text(text.removeprefix("\ufeff"))


def _decode_bytes(raw: bytes) -> str:
    """UTF-8 (with or without a byte-order mark); else the charset an HTML page declares."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        declared = CHARSET.search(raw[:4096])
        if declared:
            name = declared.group(1).decode("ascii", "replace")
            try:
                return raw.decode(name)
            except (LookupError, UnicodeDecodeError):
                pass
        raise refuse(
            f"The capture is not UTF-8 (byte {error.start} cannot be read) and declares no "
            "charset it is written in: send it as UTF-8.",
            "encoding",
        ) from None


def sniff(text: str) -> ContentType:
    return "html" if HTML_SNIFF.search(text[:2048]) else "text"


# Extraction ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Extracted:
    text: str
    headline: str = ""
    byline: str = ""
    url: str = ""
    published: date | None = None


def extract_html(html: str) -> Extracted:
    """The main text and metadata of a page. trafilatura: well kept, and best among the
    open-source main-text extractors in its own and others' published evaluations (the
    ScrapingHub article-extraction benchmark); htmldate for the publication date, from the
    page's markup and metadata only (extensive_search=False: a date in the text is a date the
    news reports, not when it was published)."""
    # Imported here: lxml and the extractor's models load in a quarter second, which commands
    # and pages that never ingest should not pay.
    import htmldate
    import trafilatura

    body = trafilatura.extract(
        html,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        favor_precision=True,
        deduplicate=False,
    )
    metadata = trafilatura.extract_metadata(html)
    found = htmldate.find_date(html, extensive_search=False, original_date=True)
    published = date.fromisoformat(found) if found else None
    return Extracted(
        text=body or "",
        headline=(metadata.title or "") if metadata else "",
        byline=(metadata.author or "") if metadata else "",
        url=(metadata.url or "") if metadata else "",
        published=published,
    )


# The ingest ----------------------------------------------------------------------------


def ingest_article(
    *,
    user: PermissionHolder,
    raw: bytes | str,
    content_type: ContentType | None,
    outlet: Outlet,
    url: str = "",
    published: date | None = None,
    headline: str = "",
    byline: str = "",
    known: KnownRecord | None = None,
) -> IngestResult:
    """Store a captured article once and propose its candidate claims.

    known: what a batch of ingests reads once (see KnownRecord); without it, read for this
    article alone.

    Raises ValidationError (on the field "raw" for the capture, else the article's fields)
    and saves nothing then.
    """
    capture = decode(raw)
    kind: ContentType = content_type or sniff(capture)
    if kind not in CONTENT_TYPES:
        raise ValidationError({"content_type": "Give html or text."})
    if kind == "html":
        found = extract_html(capture)
        if not found.text.strip():
            raise refuse(
                "No news text was found in the HTML (a page of scripts or markup only).",
                "no_text",
            )
        text = normalise_text(found.text)
    else:
        found = Extracted(text=capture)
        text = capture
    if ACTIVE_MARKUP.search(text) or ACTIVE_MARKUP.search(f"{headline} {byline}"):
        raise refuse(
            "The text holds scripts or active markup (<script>, on...= handlers, javascript: "
            "links): send the article's text, or its page as HTML.",
            "script",
        )
    known = known if known is not None else KnownRecord.read()
    rules = known.rules_for(outlet)
    cleaned = boilerplate.strip(
        text, rules, headline=headline or found.headline, byline=byline or found.byline
    )
    if not cleaned.body:
        raise refuse("Nothing but boilerplate is left of the capture.", "empty")
    url = url or found.url
    with transaction.atomic():
        stored, placement = _stored_already(outlet=outlet, url=url, body=cleaned.body)
        if stored is not None and stored[0].text:
            article, how = stored
            return IngestResult(
                article=article, created=False, duplicate_of=how, copies=_copies(article)
            )
        article = stored[0] if stored is not None else Article(outlet=outlet, url=url)
        article.text = cleaned.body
        article.capture, article.capture_type = capture, kind
        article.headline = (headline or cleaned.headline or found.headline)[:500]
        article.byline = (byline or cleaned.byline or found.byline)[:500]
        _set_published(article, given=published, from_page=found.published)
        if not article.slug:
            article.slug = _free_slug(outlet, article.headline or cleaned.body[:60] or url)
        # A new article's URL and text were looked up above, its published days are one and
        # its slug free: the constraints hold. One known by its URL is checked in full. The
        # story its text joins was found above too: the save does not look for it again.
        articles.save_article(
            user=user,
            article=article,
            reason="Ingested",
            constraints_checked=stored is None,
            placement=placement if stored is None else None,
        )
        proposed, skipped = propose_candidates(
            user=user, article=article, known=known, new_article=stored is None
        )
    # A new article's story is the one it was placed in (the save stored it so).
    story = placement.story if stored is None and placement is not None else None
    return IngestResult(
        article=article,
        created=stored is None,
        candidates=proposed,
        skipped=skipped,
        removed=cleaned.removed,
        copies=_copies(article, story=story),
    )


def _stored_already(
    *, outlet: Outlet, url: str, body: str
) -> tuple[tuple[Article, str] | None, stories.Placement | None]:
    """The article stored already: by URL (an article known by its URL only is completed),
    by the very text in this outlet, or by a near-identical text of this outlet (the story
    index: a copy in another outlet is a copy, not the same article). With it, where the
    text goes among the stories when it was looked up there (the save of a new article uses
    it rather than looking again)."""
    # Each lookup asks for the id only, and the article is read by it when found (seldom):
    # a query for every column of the articles (and of their stories) cost twice as much
    # to build and read, for every new article.
    if url:
        # One at most (the URL is unique): by id, not the articles' ordering with its join.
        by_url = Article.objects.filter(url=url).order_by("pk").values_list("pk", flat=True)
        if (pk := by_url.first()) is not None:
            return (Article.objects.get(pk=pk), "url"), None
    text_hash = Article.hash_text(body)
    by_text = Article.objects.filter(outlet=outlet, text_hash=text_hash).order_by("pk")
    if (pk := by_text.values_list("pk", flat=True).first()) is not None:
        return (Article.objects.get(pk=pk), "text"), None
    probe = Article(outlet=outlet, text=body, text_hash=text_hash)
    placement = stories.place(article=probe)
    near = ArticleStory.objects.filter(key=placement.story, article__outlet=outlet)
    if (pk := near.order_by("article_id").values_list("article_id", flat=True).first()) is not None:
        return (Article.objects.get(pk=pk), "near"), placement
    return None, placement


def _copies(article: Article, *, story: str | None = None) -> tuple[int, ...]:
    """The other outlets' articles of the same story (story: the article's, when known)."""
    story = stories.story_of(article) if story is None else story
    if not story:
        return ()
    others = ArticleStory.objects.filter(key=story).exclude(article__outlet_id=article.outlet_id)
    return tuple(sorted(others.values_list("article_id", flat=True)))


def _set_published(article: Article, *, given: date | None, from_page: date | None) -> None:
    """The publication day given wins; else the one the page's markup prints (htmldate)."""
    day = given or from_page
    if day is None:
        return
    article.published_earliest = article.published_latest = day
    article.published_precision = DatePrecision.DAY
    article.published_inferred = False
    if given is None:
        article.published_note = "From the page's markup and metadata (htmldate)."


def _free_slug(outlet: Outlet, words: str) -> str:
    base = slug_of(f"{outlet.slug} {words}")[:190].strip("-") or slug_of(outlet.slug)
    # A set: the articles' ordering (a join to their outlets, and a sort) is left out.
    found = Article.objects.filter(slug__startswith=base).order_by()
    taken = set(found.values_list("slug", flat=True))
    if base not in taken:
        return base
    return next(f"{base}-{n}" for n in range(2, len(taken) + 3) if f"{base}-{n}" not in taken)


# Candidates ----------------------------------------------------------------------------

UNSORTED_SUBJECT = "unsorted-candidates"
# A candidate of no known fact waits on the unsorted fact of its value kind, with the
# extractor's suggestion in its note, for an editor to move it to its fact.
UNSORTED_FACTS = {
    ValueKind.QUANTITY: ("Unsorted quantity", []),
    ValueKind.DATE: ("Unsorted date", []),
    ValueKind.CATEGORICAL: ("Unsorted statement", ["quotation", "attribution", "statement"]),
}
# Their slugs, as unsorted_fact makes them.
UNSORTED_SLUGS = {slug_of(property_): kind for kind, (property_, _) in UNSORTED_FACTS.items()}
KIND_VALUES = {
    "quantity": ValueKind.QUANTITY,
    "count": ValueKind.QUANTITY,
    "date": ValueKind.DATE,
    "categorical": ValueKind.CATEGORICAL,
    "quotation": ValueKind.CATEGORICAL,
    "attribution": ValueKind.CATEGORICAL,
}


class KnownRecord:
    """What the ingest reads of the record rather than of the capture: the known actors and
    facts the extractor matches (as plain values), the rows of those its candidates name, the
    "Unsorted" facts, and each outlet's boilerplate rules. Each is read on first use and kept.

    A batch (the command's paths, a background job, the benchmark) makes one and gives it to
    every ingest: read once an article, these reads were a fifth of an ingest's time. It is a
    picture taken when first read: an actor or fact added while a batch runs is matched from
    the next batch on, as a batch in one transaction would not see it either. Rows the ingest
    itself makes (an "Unsorted" fact on first use) are not kept, as they may be rolled back
    with the article that made them.
    """

    def __init__(self) -> None:
        self._actor_rows: dict[str, Actor] = {}
        self._fact_rows: dict[int, Fact] = {}
        self._unsorted: dict[str, Fact] | None = None
        self._rules: dict[int | None, list[boilerplate.Rule]] = {}

    @classmethod
    def read(cls) -> KnownRecord:
        """A record for one batch (nothing is read before it is needed)."""
        return cls()

    def rules_for(self, outlet: Outlet) -> list[boilerplate.Rule]:
        """The general boilerplate rules and the outlet's own."""
        if outlet.pk not in self._rules:
            rows = BoilerplateRule.objects.for_outlet(outlet)
            self._rules[outlet.pk] = [rule.as_rule() for rule in rows]
        return self._rules[outlet.pk]

    @cached_property
    def actors(self) -> tuple[candidates.KnownActor, ...]:
        # Plain values (no model rows: an ingest a second must not build thousands of objects);
        # the rows are read only for the keys candidates name (actor_rows).
        return tuple(
            candidates.KnownActor(key=slug, name=name, aliases=tuple(aliases or ()))
            for slug, name, aliases in Actor.objects.values_list("slug", "name", "aliases")
        )

    @cached_property
    def facts(self) -> tuple[candidates.KnownFact, ...]:
        rows = Fact.objects.exclude(subject__slug=UNSORTED_SUBJECT).values_list(
            "pk", "subject__name", "subject__aliases", "property", "value_kind", "unit"
        )
        return tuple(
            candidates.KnownFact(
                key=str(pk),
                subject=subject,
                property=property_,
                value_kind=kind,
                unit=unit,
                # A subject is named in a text by its name or any of its aliases.
                subject_names=(subject, *(aliases or ())),
            )
            for pk, subject, aliases, property_, kind, unit in rows
        )

    def actor_rows(self, keys: Collection[str]) -> dict[str, Actor]:
        """The actors of these keys (slugs), read once each."""
        missing = set(keys) - self._actor_rows.keys()
        if missing:
            self._actor_rows.update(Actor.objects.in_bulk(missing, field_name="slug"))
        return self._actor_rows

    def fact_rows(self, ids: Collection[int]) -> tuple[dict[str, Fact], dict[str, Fact]]:
        """The facts of these ids, by their key (str of the id), and the "Unsorted" fact of
        each value kind there is one of: those not read yet in one query."""
        missing = set(ids) - self._fact_rows.keys()
        if missing or self._unsorted is None:
            wanted = Q(pk__in=missing)
            if self._unsorted is None:
                wanted |= Q(subject__slug=UNSORTED_SUBJECT)
            rows = Fact.objects.filter(wanted).annotate(subject_slug=F("subject__slug"))
            unsorted = self._unsorted if self._unsorted is not None else {}
            for row in rows:
                if row.pk in missing:
                    self._fact_rows[row.pk] = row
                if row.subject_slug == UNSORTED_SUBJECT and row.slug in UNSORTED_SLUGS:
                    unsorted[UNSORTED_SLUGS[row.slug]] = row
            self._unsorted = unsorted
        known = {str(pk): self._fact_rows[pk] for pk in ids if pk in self._fact_rows}
        # A copy: one this article makes is its own (see the class's docstring).
        return known, dict(self._unsorted)


def propose_candidates(
    *,
    user: PermissionHolder,
    article: Article,
    known: KnownRecord | None = None,
    new_article: bool = False,
) -> tuple[int, tuple[str, ...]]:
    """Store what the extractor proposes in the article as claims with status candidate, at
    their exact offsets, through the claim service (each validated; one it refuses is listed,
    not stored). Returns how many were stored and why the others were not.

    known: the batch's record (see KnownRecord). new_article: the article was stored by this
    ingest, so no claim of it is stored yet to compare the candidates with.
    """
    known = known if known is not None else KnownRecord.read()
    proposed = candidates.propose(
        article.text,
        published=article.published_earliest,
        published_latest=article.published_latest,
        actors=known.actors,
        facts=known.facts,
    )
    if not proposed:
        return 0, ()
    fact_ids = [int(c.fact_key) for c in proposed if c.fact_key and c.fact_key.isdigit()]
    # The facts the candidates name and the "Unsorted" fact of each value kind.
    known_facts, unsorted = known.fact_rows(fact_ids)
    known_actors = known.actor_rows([c.actor_key for c in proposed if c.actor_key])
    skipped: list[str] = []
    built = []
    for candidate in proposed:
        claim = _claim_of(candidate, article, known_actors, known_facts, unsorted)
        if claim is None:
            skipped.append(f"“{candidate.wording}”: no value kind for {candidate.kind!r}")
            continue
        built.append(claim)
    # All in one insert: the claim service validates each as a new claim's save does.
    stored, refused = claims.add_candidates(
        user=user, candidates=built, reason="Proposed by the ingest", new_articles=new_article
    )
    skipped += [f"“{claim.wording}”: {why}" for claim, why in refused]
    return len(stored), tuple(skipped)


def _claim_of(
    candidate: candidates.Candidate,
    article: Article,
    known_actors: dict[str, Actor],
    known_facts: dict[str, Fact],
    unsorted: dict[str, Fact],
) -> Claim | None:
    fact = known_facts.get(candidate.fact_key or "")
    value_kind = fact.value_kind if fact else KIND_VALUES.get(candidate.kind)
    if value_kind is None:
        return None
    if fact is None:
        if value_kind not in unsorted:
            unsorted[value_kind] = unsorted_fact(value_kind)
        fact = unsorted[value_kind]
    actor = known_actors.get(candidate.actor_key or "")
    note = f"Suggested fact: {candidate.fact_suggestion}" if candidate.fact_suggestion else ""
    if candidate.speaker and actor is None:
        note = f"{note}\nSpeaker not matched to a known actor: {candidate.speaker}".strip()
    claim = Claim(
        fact=fact,
        article=article,
        status=ClaimStatus.CANDIDATE,
        wording=candidate.wording,
        start=candidate.start,
        end=candidate.end,
        actor=actor,
        attribution_cue=candidate.attribution_cue[:300],
        # An attribution to no known actor stays in the outlet's voice until an editor names
        # the actor: never a silent guess.
        attribution_mode=candidate.attribution_mode if actor else Claim.AttributionMode.OWN_VOICE,
        note=note,
    )
    if value_kind == ValueKind.QUANTITY:
        claim.number, claim.number_high = candidate.number, candidate.number_high
        claim.unit, claim.hedge, claim.bound = candidate.unit, candidate.hedge, candidate.bound
        # "have not disclosed how many troops": a claim that the number was not given.
        claim.undisclosed = candidate.undisclosed
    elif value_kind == ValueKind.DATE:
        claim.date_earliest, claim.date_latest = candidate.date_earliest, candidate.date_latest
        claim.date_precision = candidate.date_precision
    else:
        claim.category = candidate.category or candidate.kind
    return claim


def unsorted_fact(value_kind: str) -> Fact:
    """The fact a candidate of no known fact waits on (made on first use)."""
    subject, _ = Subject.objects.get_or_create(
        slug=UNSORTED_SUBJECT,
        defaults={
            "name": "Unsorted candidates",
            "description": "Candidates the ingest proposed for no known fact: move each to "
            "its fact, or reject it.",
        },
    )
    property_, categories = UNSORTED_FACTS[ValueKind(value_kind)]
    fact: Fact
    fact, _ = Fact.objects.get_or_create(
        subject=subject,
        slug=slug_of(property_),
        defaults={"property": property_, "value_kind": value_kind, "categories": categories},
    )
    return fact
