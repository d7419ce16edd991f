"""Where claims come from: outlets and the articles they publish."""

from __future__ import annotations

import hashlib

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connections, models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from facts.domain import values
from facts.domain.search import words_pattern
from facts.models.base import (
    SLUG_NEEDED,
    DatePrecision,
    Named,
    SlugManager,
    Tracked,
    choice_values,
    named_constraints,
    slug_of,
)
from facts.models.search import (
    ARTICLE_SEARCH_COLUMNS,
    FREQUENT_ARTICLES,
    candidate_articles,
    short_word_condition,
)

# Outlets ---------------------------------------------------------------------------------


class OutletKind(models.TextChoices):
    WIRE = "wire", "wire agency"
    STATE_MEDIA = "state_media", "state media"
    INDEPENDENT = "independent", "independent"
    NEWSPAPER = "newspaper", "newspaper"
    BROADCASTER = "broadcaster", "broadcaster"
    MAGAZINE = "magazine", "magazine"
    ONLINE = "online", "online outlet"
    OTHER = "other", "other"


class Outlet(Named):
    """A publisher: a newspaper, a broadcaster, a wire agency, state media."""

    Kind = OutletKind

    domain = models.CharField(max_length=253, blank=True, help_text="e.g. themoscowtimes.com")
    country = models.CharField(
        max_length=2,
        blank=True,
        help_text="ISO 3166-1 alpha-2 code of its home country.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    history = HistoricalRecords()

    class Meta(Named.Meta):
        constraints = named_constraints(kind_choices=OutletKind)

    def derive_fields(self) -> None:
        super().derive_fields()
        self.country = self.country.upper()
        self.domain = self.domain.lower()


# Articles --------------------------------------------------------------------------------


class ArticleQuerySet(models.QuerySet):
    def for_outlet(self, outlet: Outlet) -> ArticleQuerySet:
        return self.filter(outlet=outlet)

    def matching(self, text: str) -> ArticleQuerySet:
        """The articles whose headline, text or byline holds the words of a search (`q`), as
        claims match theirs (ClaimQuerySet.matching); all of them for a search with no words."""
        pattern = words_pattern(text)
        if pattern is None:
            return self
        condition = (
            Q(headline__iregex=pattern) | Q(text__iregex=pattern) | Q(byline__iregex=pattern)
        )
        if connections[self.db].vendor == "sqlite":
            candidates = candidate_articles(text, columns=ARTICLE_SEARCH_COLUMNS)
            few = (
                candidates.few(using=self.db, frequent=FREQUENT_ARTICLES)
                if candidates is not None
                else None
            )
            if few is not None:
                return self.filter(id__in=few).filter(condition)
            short = short_word_condition(text, fields=ARTICLE_SEARCH_COLUMNS)
            if short is not None:
                return self.filter(short).filter(condition)
        # PostgreSQL: pg_trgm's GIN indexes take the regex itself, each OR'd column by its own
        # index (a BitmapOr), since all three are on this table. SQLite: frequent or short
        # words, read in the list's order.
        return self.filter(condition)


class ArticleManager(SlugManager.from_queryset(ArticleQuerySet)):
    pass


class Article(Tracked):
    """One published text: its news body only, with boilerplate left out."""

    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="articles")
    slug = models.SlugField(max_length=200, unique=True, error_messages=SLUG_NEEDED)
    url = models.URLField(max_length=1000, blank=True, help_text="Unique when known.")
    headline = models.CharField(max_length=500, blank=True)
    byline = models.CharField(max_length=500, blank=True)
    published_earliest = models.DateField(
        null=True,
        blank=True,
        help_text="The first day the article may have been published.",
    )
    published_latest = models.DateField(
        null=True, blank=True, help_text="The last day it may have been published."
    )
    published_precision = models.CharField(max_length=10, choices=DatePrecision.choices, blank=True)
    published_inferred = models.BooleanField(
        default=False,
        help_text="The date was inferred from the text, not printed with it.",
    )
    published_note = models.TextField(blank=True, help_text="How the date was inferred.")
    language = models.CharField(max_length=10, default="en")
    # Empty until the body arrives: a client with only facts imports an article by its URL, and
    # its claims wait unanchored until the text is given (facts.services.articles anchors them).
    text = models.TextField(
        blank=True,
        help_text="The news body. Offsets of wordings count its characters. Empty while only "
        "the URL is known: its claims are unanchored until the text is given.",
    )
    text_hash = models.CharField(max_length=64, editable=False, db_index=True)
    # The page or text as the ingest received it, boilerplate and markup included, kept for
    # reference (what was taken out, and why); staff-only, never shown unescaped.
    capture = models.TextField(
        blank=True, editable=False, help_text="The capture as received, before extraction."
    )
    capture_type = models.CharField(
        max_length=10,
        choices=[("html", "HTML"), ("text", "plain text")],
        blank=True,
        editable=False,
    )
    wire_source = models.ForeignKey(
        Outlet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="syndicated_articles",
        help_text="The wire agency whose story this article carries, if any.",
    )
    # The capture stays out of the history: it can run to megabytes and never changes after the
    # ingest, so a copy in every history row (one a save) would only repeat it. A revert from
    # the history keeps the article's capture (django-simple-history reads excluded fields
    # from the stored row).
    history = HistoricalRecords(excluded_fields=["capture"])

    objects = ArticleManager()

    class Meta:
        ordering = ["-published_earliest", "outlet__name", "headline"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"],
                condition=~Q(url=""),
                name="article_url_unique",
                violation_error_message="An article with this URL is stored already.",
            ),
            models.UniqueConstraint(
                fields=["outlet", "text_hash"],
                condition=~Q(text_hash=""),
                name="article_stored_once_per_outlet",
                violation_error_message="This outlet's article with this very text is stored already.",
            ),
            models.CheckConstraint(
                condition=Q(published_earliest__isnull=True)
                | Q(published_latest__isnull=True)
                | Q(published_earliest__lte=F("published_latest")),
                name="article_published_in_order",
                violation_error_message="The latest publication day cannot come before the earliest.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(published_earliest__isnull=True)
                    & Q(published_latest__isnull=True)
                    & Q(published_precision="")
                )
                | (
                    Q(published_earliest__isnull=False)
                    & Q(published_latest__isnull=False)
                    & Q(published_precision__in=choice_values(DatePrecision))
                ),
                name="article_published_complete",
                violation_error_message="Give the earliest and latest publication day with a precision, or none of the three.",
            ),
            models.CheckConstraint(
                condition=~Q(text="") | ~Q(url=""),
                name="article_text_or_url",
                violation_error_message="An article needs its news body or, until the body "
                "arrives, its URL.",
            ),
            models.CheckConstraint(
                condition=Q(text="", text_hash="") | (~Q(text="") & ~Q(text_hash="")),
                name="article_text_hash_of_text",
                violation_error_message="A text's hash is kept with the text, and only then.",
            ),
            models.CheckConstraint(
                condition=~Q(slug=""),
                name="article_slug_not_empty",
                violation_error_message="An article needs a slug.",
            ),
            models.CheckConstraint(
                condition=~Q(wire_source=F("outlet")),
                name="article_wire_source_not_itself",
                violation_error_message="An outlet is not its own wire source.",
            ),
        ]

    def __str__(self) -> str:
        return self.headline or self.slug

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def get_absolute_url(self) -> str:
        return reverse("admin:facts_article_change", args=[self.pk])

    @staticmethod
    def hash_text(text: str) -> str:
        """The SHA-256 of a news body, which tells a text already stored."""
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def publication_day(self):
        """The day claims default to as their as-of date: the earliest possible."""
        return self.published_earliest

    def derive_fields(self) -> None:
        # No hash for no text: two articles known only by their URLs are not "the same text".
        self.text_hash = self.hash_text(self.text) if self.text else ""
        if not self.slug and (self.outlet_id or Article.outlet.is_cached(self)):
            words = self.headline or self.text[:60] or self.url
            self.slug = slug_of(f"{self.outlet.slug} {words}")

    def clean(self) -> None:
        errors = {}
        early, late = self.published_earliest, self.published_latest
        if (early is None) != (late is None):
            errors["published_latest"] = (
                "Give both the earliest and the latest publication day, or neither."
            )
        elif early is not None:
            try:
                values.check_date_interval(early, late, self.published_precision)
            except values.InvalidValue as error:
                field = {
                    "date_latest": "published_latest",
                    "date_precision": "published_precision",
                }
                errors[field.get(error.field, "published_earliest")] = error.message
        elif self.published_precision:
            errors["published_precision"] = "A precision needs a publication date."
        if self.wire_source_id and self.wire_source_id == self.outlet_id:
            errors["wire_source"] = "An outlet is not its own wire source."
        if not self.text and not self.url:
            errors[NON_FIELD_ERRORS] = (
                "An article needs its news body or, until the body arrives, its URL."
            )
        if errors:
            raise ValidationError(errors)
