"""The fact table: outlets publish articles; articles make claims about facts of subjects."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from facts import agreement, values

models.CharField.register_lookup(Length)


def choice_values(choices: type[models.TextChoices]) -> list[str]:
    """The stored values of a choices class, for CheckConstraints."""
    return [value for value, _label in choices.choices]


class Tracked(models.Model):
    """Timestamps for sync and a version for optimistic concurrency, on every model."""

    # Defaults rather than auto_now, so that fixtures (saved raw) get them too.
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by one on every save."
    )

    class Meta:
        abstract = True

    def derive_fields(self) -> None:
        """Fill the fields that follow from others (a slug from a name), before validation
        and before saving alike."""

    def full_clean(self, *args, **kwargs) -> None:
        self.derive_fields()
        super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs) -> None:
        self.derive_fields()
        if self.pk is not None and not self._state.adding:
            # From the stored version, not this copy's: a copy restored from the history
            # carries an old one, and versions only ever go up.
            stored = type(self).objects.filter(pk=self.pk).values_list("version", flat=True).first()
            self.version = max(stored or 0, self.version or 0) + 1
        self.updated_at = timezone.now()
        # The verdicts that depend on this row change in the same transaction as the row.
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.refresh_verdicts(self.facts_depending())

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            facts = self.facts_depending()
            deleted = super().delete(*args, **kwargs)
            self.refresh_verdicts(facts)
        return deleted

    def facts_depending(self) -> set[int]:
        """The ids of the facts whose verdict depends on this row."""
        return set()

    @staticmethod
    def refresh_verdicts(fact_ids: set[int]) -> None:
        if fact_ids:
            from facts import verdicts

            verdicts.request_refresh(fact_ids)


class SlugManager(models.Manager):
    """Looks rows up by their slug, the natural key of the fixtures."""

    def get_by_natural_key(self, slug: str):
        return self.get(slug=slug)


def named_constraints(*, kind_choices: type[models.TextChoices]) -> list[models.BaseConstraint]:
    """The constraints every named row shares: a name, a slug and a kind from its list."""
    return [
        models.CheckConstraint(
            condition=Q(kind__in=choice_values(kind_choices)),
            name="%(class)s_kind_valid",
            violation_error_message="Choose a kind from the list.",
        ),
        models.CheckConstraint(
            condition=~Q(name=""),
            name="%(class)s_name_not_empty",
            violation_error_message="A name is needed.",
        ),
        models.CheckConstraint(
            condition=~Q(slug=""),
            name="%(class)s_slug_not_empty",
            violation_error_message="A slug is needed.",
        ),
    ]


class Named(Tracked):
    """A row known by a unique name and, in fixtures and URLs, by its slug."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)

    objects = SlugManager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def derive_fields(self) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:200]


def check_aliases(aliases: object) -> None:
    """Refuse aliases that are not a list of names."""
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
        raise ValidationError({"aliases": "Aliases are a list of names."})


class DatePrecision(models.TextChoices):
    DAY = "day", "day"
    WEEK = "week", "week"
    MONTH = "month", "month"
    QUARTER = "quarter", "quarter"
    YEAR = "year", "year"


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

    def save(self, *args, **kwargs) -> None:
        self.country = self.country.upper()
        self.domain = self.domain.lower()
        super().save(*args, **kwargs)

    def facts_depending(self) -> set[int]:
        claims = Claim.objects.filter(Q(article__outlet=self) | Q(article__wire_source=self))
        return set(claims.values_list("fact_id", flat=True)) if self.pk else set()


# Articles --------------------------------------------------------------------------------


class ArticleQuerySet(models.QuerySet):
    def for_outlet(self, outlet: Outlet) -> ArticleQuerySet:
        return self.filter(outlet=outlet)


class ArticleManager(SlugManager.from_queryset(ArticleQuerySet)):
    pass


class Article(Tracked):
    """One published text: its news body only, with boilerplate left out."""

    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="articles")
    slug = models.SlugField(max_length=200, unique=True)
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
    text = models.TextField(help_text="The news body. Offsets of wordings count its characters.")
    text_hash = models.CharField(max_length=64, editable=False, db_index=True)
    wire_source = models.ForeignKey(
        Outlet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="syndicated_articles",
        help_text="The wire agency whose story this article carries, if any.",
    )
    history = HistoricalRecords()

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
                condition=~Q(text=""),
                name="article_text_not_empty",
                violation_error_message="An article needs its news body.",
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
        self.text_hash = self.hash_text(self.text)
        if not self.slug and self.outlet_id:
            self.slug = slugify(f"{self.outlet.slug} {self.headline or self.text[:60]}")[:200]

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
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        text_changed = self.pk is not None and self.text_hash != self.hash_text(self.text)
        super().save(*args, **kwargs)
        if text_changed:
            self.recheck_anchors()

    def facts_depending(self) -> set[int]:
        return set(self.claims.values_list("fact_id", flat=True)) if self.pk else set()

    def recheck_anchors(self) -> int:
        """Flag every claim whose wording no longer stands at its offsets; never move one.

        Returns how many claims are orphaned now.
        """
        orphaned = 0
        for claim in self.claims.all():
            state = claim.anchor_state_in(self.text)
            if state != claim.anchor_state:
                Claim.objects.filter(pk=claim.pk).update(anchor_state=state)
            orphaned += state == Claim.AnchorState.ORPHANED
        return orphaned


# Actors ----------------------------------------------------------------------------------


class ActorKind(models.TextChoices):
    GOVERNMENT = "government", "government"
    ALLIANCE = "alliance", "alliance"
    MILITARY = "military", "military"
    OFFICIAL = "official", "official"
    MEDIA = "media", "media"
    ANONYMOUS = "anonymous", "anonymous"
    ORGANISATION = "organisation", "organisation"
    PERSON = "person", "person"


class Actor(Named):
    """Whoever a claim is credited to; a spokesman belongs to the body he speaks for."""

    Kind = ActorKind

    kind = models.CharField(max_length=20, choices=Kind.choices)
    aliases = models.JSONField(default=list, blank=True, help_text="Other names, as a list.")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text="The body this actor speaks for: the Kremlin for its spokesman.",
    )
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta(Named.Meta):
        constraints = [
            *named_constraints(kind_choices=ActorKind),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="actor_not_own_parent",
                violation_error_message="An actor cannot be its own parent.",
            ),
        ]

    def ancestors(self) -> list[Actor]:
        """The chain of bodies above this actor, nearest first."""
        chain, seen, node = [], {self.pk}, self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain

    def originator(self) -> Actor:
        """The independent originator this actor speaks for: the top of its chain."""
        chain = self.ancestors()
        return chain[-1] if chain else self

    def descendants(self) -> set[int]:
        """The ids of this actor and every actor below it."""
        found, frontier = {self.pk}, {self.pk}
        while frontier:
            frontier = set(Actor.objects.filter(parent__in=frontier).values_list("pk", flat=True))
            frontier -= found
            found |= frontier
        return found

    def facts_depending(self) -> set[int]:
        if self.pk is None:
            return set()
        claims = Claim.objects.filter(actor__in=self.descendants())
        return set(claims.values_list("fact_id", flat=True))

    def clean(self) -> None:
        check_aliases(self.aliases)
        if self.parent_id is not None:
            if self.pk is not None and self.parent_id == self.pk:
                raise ValidationError({"parent": "An actor cannot be its own parent."})
            if self.pk is not None and any(a.pk == self.pk for a in self.parent.ancestors()):
                raise ValidationError({"parent": "That parent would make a cycle."})


# Subjects and facts ----------------------------------------------------------------------


class SubjectKind(models.TextChoices):
    EVENT = "event", "event"
    ENTITY = "entity", "entity"
    PLACE = "place", "place"
    ORGANISATION = "organisation", "organisation"
    PERSON = "person", "person"


class Subject(Named):
    """What facts are about: an event or an entity."""

    Kind = SubjectKind

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.EVENT)
    aliases = models.JSONField(default=list, blank=True, help_text="Other names, as a list.")
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta(Named.Meta):
        constraints = named_constraints(kind_choices=SubjectKind)

    def clean(self) -> None:
        check_aliases(self.aliases)


class ValueKind(models.TextChoices):
    QUANTITY = "quantity", "quantity"
    DATE = "date", "date"
    CATEGORICAL = "categorical", "categorical"


class Verdict(models.TextChoices):
    AGREED = agreement.AGREED, "agreed"
    SINGLE_ORIGINATOR = agreement.SINGLE_ORIGINATOR, "single originator"
    PRECISION_DIFFERENCE = agreement.PRECISION_DIFFERENCE, "precision difference"
    CHANGE_OVER_TIME = agreement.CHANGE_OVER_TIME, "change over time"
    ATTRIBUTION_SPLIT = agreement.ATTRIBUTION_SPLIT, "attribution split"
    VALUE_CONFLICT = agreement.VALUE_CONFLICT, "value conflict"
    NOT_DISCLOSED = agreement.NOT_DISCLOSED, "not disclosed"
    NO_CLAIMS = agreement.NO_CLAIMS, "no claims"


VERDICT_FIELDS = [
    "verdict",
    "verdict_summary",
    "verdict_detail",
    "consensus_low",
    "consensus_high",
    "consensus_best",
    "consensus_category",
    "counted_claims",
    "counted_articles",
    "counted_outlets",
    "counted_originators",
    "verdict_updated_at",
]


class FactQuerySet(models.QuerySet):
    def disputed(self) -> FactQuerySet:
        return self.filter(verdict__in=agreement.DISPUTES)

    def with_verdict(self, *verdicts: str) -> FactQuerySet:
        return self.filter(verdict__in=verdicts)


class FactManager(models.Manager.from_queryset(FactQuerySet)):
    def get_by_natural_key(self, subject_slug: str, slug: str) -> Fact:
        return self.get(subject__slug=subject_slug, slug=slug)


class Fact(Tracked):
    """One timeless thing about a subject that can be measured or classified."""

    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="facts")
    property = models.CharField(
        max_length=300,
        help_text="What is measured or classified: 'Russian troops sent to Belarus'.",
    )
    slug = models.SlugField(max_length=200)
    value_kind = models.CharField(max_length=20, choices=ValueKind.choices)
    unit = models.CharField(
        max_length=50,
        blank=True,
        help_text="The canonical unit of a quantity ('kilometer', 'day'); empty for a count.",
    )
    categories = models.JSONField(
        default=list,
        blank=True,
        help_text="The allowed values of a categorical fact, as a list.",
    )
    description = models.TextField(blank=True)
    # The stored verdict over the verified claims, refreshed with every change to them.
    verdict = models.CharField(
        max_length=30,
        choices=Verdict.choices,
        default=Verdict.NO_CLAIMS,
        editable=False,
        db_index=True,
    )
    verdict_summary = models.TextField(blank=True, editable=False)
    verdict_detail = models.JSONField(default=dict, blank=True, editable=False)
    consensus_low = models.FloatField(
        null=True,
        blank=True,
        editable=False,
        help_text="In the fact's unit; a date as an ordinal day.",
    )
    consensus_high = models.FloatField(null=True, blank=True, editable=False)
    consensus_best = models.FloatField(null=True, blank=True, editable=False)
    consensus_category = models.CharField(max_length=200, blank=True, editable=False)
    counted_claims = models.PositiveIntegerField(default=0, editable=False)
    counted_articles = models.PositiveIntegerField(default=0, editable=False)
    counted_outlets = models.PositiveIntegerField(default=0, editable=False)
    counted_originators = models.PositiveIntegerField(default=0, editable=False)
    verdict_updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=VERDICT_FIELDS)

    objects = FactManager()

    class Meta:
        ordering = ["subject__name", "property"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "property"],
                name="fact_one_per_subject_property",
                violation_error_message="This subject has a fact with this property already.",
            ),
            models.UniqueConstraint(
                fields=["subject", "slug"],
                name="fact_slug_unique_per_subject",
                violation_error_message="This subject has a fact with this slug already.",
            ),
            models.CheckConstraint(
                condition=Q(verdict__in=choice_values(Verdict)),
                name="fact_verdict_valid",
                violation_error_message="Choose a verdict from the list.",
            ),
            models.CheckConstraint(
                condition=Q(consensus_low__isnull=True)
                | Q(consensus_high__isnull=True)
                | Q(consensus_low__lte=F("consensus_high")),
                name="fact_consensus_in_order",
                violation_error_message="The consensus cannot run backwards.",
            ),
            models.CheckConstraint(
                condition=Q(value_kind__in=choice_values(ValueKind)),
                name="fact_value_kind_valid",
                violation_error_message="Choose quantity, date or categorical.",
            ),
            models.CheckConstraint(
                condition=Q(value_kind=ValueKind.QUANTITY) | Q(unit=""),
                name="fact_unit_only_for_quantity",
                violation_error_message="Only a quantity has a unit.",
            ),
            models.CheckConstraint(
                condition=~Q(property=""),
                name="fact_property_not_empty",
                violation_error_message="A fact needs a property.",
            ),
            models.CheckConstraint(
                condition=~Q(slug=""),
                name="fact_slug_not_empty",
                violation_error_message="A fact needs a slug.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject}: {self.property}"

    def natural_key(self) -> tuple[str, str]:
        return (*self.subject.natural_key(), self.slug)

    natural_key.dependencies = ["facts.subject"]

    def clean(self) -> None:
        errors = {}
        if self.value_kind == ValueKind.CATEGORICAL:
            cats = self.categories
            if (
                not isinstance(cats, list)
                or len(cats) < 2
                or not all(isinstance(c, str) and c for c in cats)
            ):
                errors["categories"] = "A categorical fact needs a list of at least two categories."
            elif len(set(cats)) != len(cats):
                errors["categories"] = "Each category is listed once."
        elif self.categories:
            errors["categories"] = "Only a categorical fact has categories."
        if self.unit and self.value_kind != ValueKind.QUANTITY:
            errors["unit"] = "Only a quantity has a unit."
        elif self.unit:
            from facts import units

            problem = units.unit_problem(self.unit)
            if problem:
                errors["unit"] = problem
        if self.pk is not None:
            stored = Fact.objects.filter(pk=self.pk).values_list("value_kind", flat=True).first()
            if stored and stored != self.value_kind and self.claims.exists():
                errors["value_kind"] = "The value kind cannot change while the fact has claims."
        if errors:
            raise ValidationError(errors)

    def derive_fields(self) -> None:
        if not self.slug:
            self.slug = slugify(self.property)[:200]

    def facts_depending(self) -> set[int]:
        return {self.pk} if self.pk else set()


class DisputedFact(Fact):
    """The facts whose sources disagree: a view of Fact for the editors' to-do list."""

    class Meta:
        proxy = True
        verbose_name = "disputed fact"
        verbose_name_plural = "disputed facts"


# Claims ----------------------------------------------------------------------------------


class ClaimQuerySet(models.QuerySet):
    def verified(self) -> ClaimQuerySet:
        return self.filter(status=Claim.Status.VERIFIED)

    def candidates(self) -> ClaimQuerySet:
        return self.filter(status=Claim.Status.CANDIDATE)

    def counted(self, *, include_drafts: bool = False) -> ClaimQuerySet:
        """The claims that count towards a verdict: verified, and drafts when asked."""
        statuses = [Claim.Status.VERIFIED] + ([Claim.Status.DRAFT] if include_drafts else [])
        return self.filter(status__in=statuses)

    def for_outlet(self, outlet: Outlet) -> ClaimQuerySet:
        return self.filter(article__outlet=outlet)

    def for_fact(self, fact: Fact) -> ClaimQuerySet:
        return self.filter(fact=fact)

    def orphaned(self) -> ClaimQuerySet:
        return self.filter(anchor_state=Claim.AnchorState.ORPHANED)


class ClaimStatus(models.TextChoices):
    CANDIDATE = "candidate", "candidate"
    DRAFT = "draft", "draft"
    VERIFIED = "verified", "verified"
    REJECTED = "rejected", "rejected"


class Bound(models.TextChoices):
    EXACT = "exact", "exact"
    APPROXIMATE = "approximate", "approximate"
    AT_LEAST = "at_least", "at least"
    MORE_THAN = "more_than", "more than"
    AT_MOST = "at_most", "at most"
    LESS_THAN = "less_than", "less than"
    RANGE = "range", "range"
    VAGUE = "vague", "vague"


class AttributionMode(models.TextChoices):
    DIRECT_QUOTE = "direct_quote", "direct quotation"
    INDIRECT = "indirect", "indirect report"
    OWN_VOICE = "own_voice", "the outlet's own voice"


class AnchorState(models.TextChoices):
    ANCHORED = "anchored", "anchored"
    ORPHANED = "orphaned", "orphaned"


class Claim(Tracked):
    """One article's statement of a fact's value, with its wording and attribution."""

    Status = ClaimStatus
    Bound = Bound
    AttributionMode = AttributionMode
    AnchorState = AnchorState

    fact = models.ForeignKey(Fact, on_delete=models.PROTECT, related_name="claims")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="claims")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    value_kind = models.CharField(
        max_length=20,
        choices=ValueKind.choices,
        editable=False,
        help_text="Copied from the fact.",
    )
    undisclosed = models.BooleanField(
        default=False, help_text="The article says the value was not disclosed."
    )
    # A quantity, as written, and the interval derived from it by data/hedges.json.
    number = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    number_high = models.DecimalField(
        max_digits=24,
        decimal_places=6,
        null=True,
        blank=True,
        help_text="A range's second number.",
    )
    unit = models.CharField(
        max_length=50,
        blank=True,
        help_text="The unit as stated ('mile'); empty for a count.",
    )
    bound = models.CharField(max_length=20, choices=Bound.choices, blank=True)
    hedge = models.CharField(
        max_length=50,
        blank=True,
        help_text="The hedge as written: 'some', 'over', 'thousands'.",
    )
    lower = models.DecimalField(
        max_digits=24, decimal_places=6, null=True, blank=True, editable=False
    )
    upper = models.DecimalField(
        max_digits=24, decimal_places=6, null=True, blank=True, editable=False
    )
    # A date: an interval of days with its precision.
    date_earliest = models.DateField(null=True, blank=True)
    date_latest = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=10, choices=DatePrecision.choices, blank=True)
    # A categorical value: one of the fact's categories.
    category = models.CharField(max_length=200, blank=True)
    as_of = models.DateField(
        null=True,
        blank=True,
        help_text="When the value holds; by default the publication day.",
    )
    # The wording, anchored in the article's text like a W3C Web Annotation quote.
    wording = models.TextField()
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    start = models.PositiveIntegerField(
        blank=True,
        help_text="Where the wording starts in the article; found from the wording if left empty.",
    )
    end = models.PositiveIntegerField(blank=True)
    anchor_state = models.CharField(
        max_length=10,
        choices=AnchorState.choices,
        default=AnchorState.ANCHORED,
        editable=False,
    )
    # Whom the outlet credits the value to.
    actor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    attribution_cue = models.CharField(
        max_length=300,
        blank=True,
        help_text="The cue as written: 'the United States has said'.",
    )
    attribution_mode = models.CharField(
        max_length=20,
        choices=AttributionMode.choices,
        default=AttributionMode.OWN_VOICE,
    )
    note = models.TextField(blank=True, help_text="The editor's note.")
    history = HistoricalRecords()

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["article", "start", "fact"]
        permissions = [("verify_claim", "Can verify or reject claims")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=choice_values(ClaimStatus)),
                name="claim_status_valid",
                violation_error_message="Choose a status from the list.",
            ),
            models.CheckConstraint(
                condition=Q(value_kind__in=choice_values(ValueKind)),
                name="claim_value_kind_valid",
                violation_error_message="Choose quantity, date or categorical.",
            ),
            models.CheckConstraint(
                condition=Q(bound="") | Q(bound__in=choice_values(Bound)),
                name="claim_bound_valid",
                violation_error_message="Choose a bound kind from the list.",
            ),
            models.CheckConstraint(
                condition=Q(date_precision="") | Q(date_precision__in=choice_values(DatePrecision)),
                name="claim_date_precision_valid",
                violation_error_message="Choose a date precision from the list.",
            ),
            models.CheckConstraint(
                condition=Q(attribution_mode__in=choice_values(AttributionMode)),
                name="claim_attribution_mode_valid",
                violation_error_message="Choose an attribution mode from the list.",
            ),
            models.CheckConstraint(
                condition=Q(anchor_state__in=choice_values(AnchorState)),
                name="claim_anchor_state_valid",
                violation_error_message="The anchor is either anchored or orphaned.",
            ),
            # lower <= number <= number_high <= upper, wherever each is known.
            models.CheckConstraint(
                condition=Q(lower__isnull=True) | Q(upper__isnull=True) | Q(lower__lte=F("upper")),
                name="claim_lower_not_above_upper",
                violation_error_message="The lower bound cannot be above the upper bound.",
            ),
            models.CheckConstraint(
                condition=Q(lower__isnull=True)
                | Q(number__isnull=True)
                | Q(lower__lte=F("number")),
                name="claim_lower_not_above_number",
                violation_error_message="The number cannot be below its lower bound.",
            ),
            models.CheckConstraint(
                condition=Q(upper__isnull=True)
                | Q(number__isnull=True)
                | Q(number__lte=F("upper"), number_high__isnull=True)
                | Q(number_high__isnull=False, number_high__lte=F("upper")),
                name="claim_number_not_above_upper",
                violation_error_message="The number cannot be above its upper bound.",
            ),
            models.CheckConstraint(
                condition=Q(number_high__isnull=True)
                | Q(bound="range", number__isnull=False, number__lte=F("number_high")),
                name="claim_range_in_order",
                violation_error_message="Only a range has a second number, and it is not below the first.",
            ),
            models.CheckConstraint(
                condition=~Q(bound="range") | Q(number_high__isnull=False),
                name="claim_range_has_two_numbers",
                violation_error_message="A range needs its second number.",
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gte=0),
                name="claim_number_not_negative",
                violation_error_message="A quantity cannot be negative.",
            ),
            models.CheckConstraint(
                condition=~Q(bound="vague") | (Q(number__isnull=True) & ~Q(hedge="")),
                name="claim_vague_has_word_not_number",
                violation_error_message="A vague quantity has a vague word and no number.",
            ),
            models.CheckConstraint(
                condition=Q(date_earliest__isnull=True)
                | Q(date_latest__isnull=True)
                | Q(date_earliest__lte=F("date_latest")),
                name="claim_date_in_order",
                violation_error_message="A date's latest day cannot come before its earliest.",
            ),
            # The value's shape follows the fact's value kind, and "not disclosed" holds no value.
            models.CheckConstraint(
                condition=Q(
                    value_kind=ValueKind.QUANTITY,
                    date_earliest__isnull=True,
                    date_latest__isnull=True,
                    date_precision="",
                    category="",
                )
                & (
                    Q(
                        undisclosed=True,
                        number__isnull=True,
                        lower__isnull=True,
                        upper__isnull=True,
                        bound="",
                    )
                    | (
                        Q(undisclosed=False)
                        & ~Q(bound="")
                        & (Q(number__isnull=False) | Q(bound="vague"))
                    )
                )
                | Q(
                    value_kind=ValueKind.DATE,
                    number__isnull=True,
                    number_high__isnull=True,
                    lower__isnull=True,
                    upper__isnull=True,
                    bound="",
                    unit="",
                    category="",
                )
                & (
                    Q(
                        undisclosed=True,
                        date_earliest__isnull=True,
                        date_latest__isnull=True,
                        date_precision="",
                    )
                    | (
                        Q(
                            undisclosed=False,
                            date_earliest__isnull=False,
                            date_latest__isnull=False,
                        )
                        & ~Q(date_precision="")
                    )
                )
                | Q(
                    value_kind=ValueKind.CATEGORICAL,
                    number__isnull=True,
                    number_high__isnull=True,
                    lower__isnull=True,
                    upper__isnull=True,
                    bound="",
                    unit="",
                    date_earliest__isnull=True,
                    date_latest__isnull=True,
                    date_precision="",
                )
                & (Q(undisclosed=True, category="") | (Q(undisclosed=False) & ~Q(category=""))),
                name="claim_value_matches_kind",
                violation_error_message="The value does not fit the fact's value kind, or a value that was not disclosed has a value.",
            ),
            models.CheckConstraint(
                condition=~Q(wording=""),
                name="claim_wording_not_empty",
                violation_error_message="A claim needs its wording.",
            ),
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("wording")),
                name="claim_offsets_span_wording",
                violation_error_message="The offsets must span the wording exactly.",
            ),
            models.CheckConstraint(
                condition=Q(attribution_mode="own_voice", actor__isnull=True)
                | (~Q(attribution_mode="own_voice") & Q(actor__isnull=False)),
                name="claim_attribution_has_actor_unless_own_voice",
                violation_error_message="A quotation or an indirect report needs an actor; the outlet's own voice has none.",
            ),
            # One claim per fact, wording and actor: "Moscow and Minsk have not disclosed" is
            # two claims on one wording, one for each actor credited.
            models.UniqueConstraint(
                fields=["fact", "article", "start", "end", "actor"],
                condition=Q(actor__isnull=False),
                name="claim_one_per_fact_wording_actor",
                violation_error_message="This wording is a claim on this fact by this actor already.",
            ),
            models.UniqueConstraint(
                fields=["fact", "article", "start", "end"],
                condition=Q(actor__isnull=True),
                name="claim_one_per_fact_wording_own_voice",
                violation_error_message="This wording is a claim on this fact in the outlet's own voice already.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fact}: {self.display_value()} ({self.wording!r})"

    # Values ------------------------------------------------------------------------------

    def display_value(self) -> str:
        """The value in a short readable form: '~30,000', '2022-02-20', 'stay'."""
        if self.undisclosed:
            return "not disclosed"
        if self.value_kind == ValueKind.DATE and self.date_earliest:
            if self.date_earliest == self.date_latest:
                return self.date_earliest.isoformat()
            return f"{self.date_earliest.isoformat()} to {self.date_latest.isoformat()}"
        if self.value_kind == ValueKind.CATEGORICAL:
            return self.category
        unit = f" {self.unit}" if self.unit else ""
        if self.bound == self.Bound.VAGUE:
            return f"{self.hedge}{unit}"
        number = _plain(self.number)
        if self.bound == self.Bound.RANGE:
            return f"{number}-{_plain(self.number_high)}{unit}"
        sign = {
            "approximate": "~",
            "at_least": ">=",
            "more_than": ">",
            "at_most": "<=",
            "less_than": "<",
        }.get(self.bound, "")
        return f"{sign}{number}{unit}"

    def derive_bounds(self) -> None:
        """Set lower and upper from the quantity as written, by the hedge rules."""
        if self.value_kind != ValueKind.QUANTITY or self.undisclosed:
            self.lower = self.upper = None
            return
        self.lower, self.upper = values.quantity_bounds(
            bound=self.bound,
            number=self.number,
            number_high=self.number_high,
            hedge=self.hedge,
        )

    def anchor_state_in(self, text: str) -> str:
        """Whether this claim's wording still stands in the text at its offsets."""
        problem = values.anchor_problem(
            text,
            wording=self.wording,
            start=self.start,
            end=self.end,
            prefix=self.prefix,
            suffix=self.suffix,
        )
        return self.AnchorState.ORPHANED if problem else self.AnchorState.ANCHORED

    def anchor_to(self, text: str, *, near: int | None = None) -> None:
        """Find the wording in the text (after the prefix given, else nearest `near`) and set
        its offsets, prefix and suffix."""
        self.start, self.end = values.find_anchor(
            text,
            self.wording,
            near=self.start if near is None else near,
            prefix=self.prefix,
        )
        self.prefix, self.suffix = values.anchor_context(text, self.start, self.end)

    # Validation --------------------------------------------------------------------------

    def clean(self) -> None:
        if not self._typed():
            return  # clean_fields has said what is wrong with the types
        errors: dict[str, str] = {}
        fact = self.fact if self.fact_id else None
        article = self.article if self.article_id else None
        if fact is not None:
            self.value_kind = fact.value_kind
            errors.update(self._value_errors(fact))
        if article is not None and self.wording:
            text = article.text
            if self.start is not None and self.end is None:
                self.end = self.start + len(self.wording)
            # An edited wording is looked for again rather than refused at its old offsets;
            # the prefix and suffix then follow from where it stands.
            if self.start is None or text[self.start : self.end] != self.wording:
                self._locate_wording(text, errors)
            if not errors.keys() & {"wording", "start"}:
                self.prefix, self.suffix = values.anchor_context(text, self.start, self.end)
        if self.attribution_mode == self.AttributionMode.OWN_VOICE and self.actor_id:
            errors["actor"] = "A claim in the outlet's own voice is credited to no actor."
        if self.attribution_mode != self.AttributionMode.OWN_VOICE and not self.actor_id:
            errors["actor"] = "A quotation or an indirect report needs the actor it is credited to."
        if errors:
            raise ValidationError(errors)

    def _typed(self) -> bool:
        """Whether the value fields hold their Python types (full_clean calls clean even when
        clean_fields has refused a value such as number="abc")."""
        numbers = (self.number, self.number_high)
        days = (self.date_earliest, self.date_latest, self.as_of)
        offsets = (self.start, self.end)
        return (
            all(v is None or isinstance(v, Decimal) for v in numbers)
            and all(v is None or isinstance(v, date) for v in days)
            and all(v is None or isinstance(v, int) for v in offsets)
            and isinstance(self.wording, str)
        )

    def _locate_wording(self, text: str, errors: dict[str, str]) -> None:
        """Fill the offsets from the wording when it stands in the article just once (or once
        after the prefix given)."""
        occurrences = values.occurrences(text, self.wording, prefix=self.prefix)
        if not occurrences:
            errors["wording"] = (
                "The wording does not stand in the article. Copy it exactly as written."
            )
        elif len(occurrences) > 1:
            errors["start"] = (
                f"The wording stands {len(occurrences)} times in the article: "
                "give its start offset or a prefix to say which."
            )
        else:
            self.start = occurrences[0]
            self.end = self.start + len(self.wording)
            self.prefix, self.suffix = values.anchor_context(text, self.start, self.end)

    def _resolve_date_from_wording(self) -> None:
        """Fill a date left empty from its wording, read against the publication day
        ("on Thursday", "next week"); a range or an unclear wording is left to the editor."""
        if self.date_earliest or self.date_latest or not self.article_id:
            return
        article = self.article
        if not (self.wording and article.published_earliest):
            return
        from facts import dates

        value = dates.resolve_date_window(
            self.wording, article.published_earliest, article.published_latest
        )
        if value is not None:
            self.date_earliest, self.date_latest = value.earliest, value.latest
            self.date_precision = value.precision

    def _value_errors(self, fact: Fact) -> dict[str, str]:
        errors: dict[str, str] = {}
        kind = fact.value_kind
        others = {
            ValueKind.QUANTITY: ["number", "number_high", "unit", "bound", "hedge"],
            ValueKind.DATE: ["date_earliest", "date_latest", "date_precision"],
            ValueKind.CATEGORICAL: ["category"],
        }
        for other_kind, names in others.items():
            if other_kind == kind:
                continue
            for name in names:
                if name == "hedge":
                    continue
                if getattr(self, name) not in (None, ""):
                    errors[name] = f"A {kind} fact takes no {name.replace('_', ' ')}."
        if errors:
            return errors
        if self.undisclosed:
            for name in others[kind]:
                if name != "hedge" and name != "unit" and getattr(self, name) not in (None, ""):
                    errors[name] = "A value that was not disclosed has no value."
            return errors
        if kind == ValueKind.QUANTITY:
            if not self.bound:
                errors["bound"] = "Say how the number is bounded: exact, approximate, more than …"
                return errors
            try:
                self.derive_bounds()
            except values.InvalidValue as error:
                errors[error.field] = error.message
            from facts import units

            problem = units.compatibility_problem(self.unit, fact.unit)
            if problem:
                errors["unit"] = problem
        elif kind == ValueKind.DATE:
            self._resolve_date_from_wording()
            try:
                values.check_date_interval(
                    self.date_earliest, self.date_latest, self.date_precision
                )
            except values.InvalidValue as error:
                errors[error.field] = error.message
        elif kind == ValueKind.CATEGORICAL and self.category not in fact.categories:
            allowed = ", ".join(fact.categories)
            errors["category"] = (
                f"{self.category!r} is not one of the fact's categories ({allowed})."
            )
        return errors

    def save(self, *args, **kwargs) -> None:
        if self.fact_id:
            self.value_kind = self.fact.value_kind
        if self.as_of is None and self.article_id:
            self.as_of = self.article.publication_day
        self.derive_bounds()
        if self.article_id:
            self.anchor_state = self.anchor_state_in(self.article.text)
        # A claim moved to another fact leaves a verdict behind to refresh too.
        self._fact_before = (
            Claim.objects.filter(pk=self.pk).values_list("fact_id", flat=True).first()
            if self.pk
            else None
        )
        super().save(*args, **kwargs)

    def facts_depending(self) -> set[int]:
        return {self.fact_id, getattr(self, "_fact_before", None)} - {None}


def _plain(number) -> str:
    """A decimal without trailing zeros, with thousands separators: 30000.000000 -> 30,000."""
    if number is None:
        return "?"
    normal = number.normalize()
    if normal == normal.to_integral():
        return f"{int(normal):,}"
    return f"{normal:,f}"
