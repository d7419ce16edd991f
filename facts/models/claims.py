"""Claims: one article's statement of a fact's value, with its wording and attribution."""

from __future__ import annotations

import contextlib
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import F, Q
from django.db.models.functions import Length
from simple_history.models import HistoricalRecords

from facts.domain import storable, values
from facts.domain.search import words_pattern
from facts.models.actors import Actor
from facts.models.base import (
    DatePrecision,
    Tracked,
    choice_values,
)
from facts.models.listed_rows import ListedShape
from facts.models.planning import Common
from facts.models.readers import is_staff_reader
from facts.models.search import EqualsAny, candidate_claims, short_word_condition
from facts.models.sources import Article, Outlet
from facts.models.subjects import Fact, Subject, ValueKind

# Claims ----------------------------------------------------------------------------------

# The columns a claim carries from its fact and its article (facts.services.claim_placement).
PLACEMENT_FIELDS = ("subject", "outlet")


def validate_storable_number(number: Decimal) -> None:
    """Refuse a number that the database would not give back unchanged (too many digits)."""
    problem = storable.number_problem(number)
    if problem:
        raise ValidationError(problem, code="too_many_digits")


# The largest number stored, as a constraint: storable.number_problem also limits the digits
# after the point, which no SQL that SQLite and PostgreSQL share can count.
NUMBER_LIMIT = 10**storable.MAX_DIGITS

# The fields of each kind of value: a claim on a fact of one kind gives none of the others'.
VALUE_FIELDS_BY_KIND = {
    ValueKind.QUANTITY: ["number", "number_high", "unit", "bound", "hedge"],
    ValueKind.DATE: ["date_earliest", "date_latest", "date_precision"],
    ValueKind.CATEGORICAL: ["category"],
}


@lru_cache(maxsize=1)
def _bound_places() -> Decimal:
    """The smallest step the bound columns keep (0.000001 for 6 decimal places)."""
    return Decimal(1).scaleb(-Claim._meta.get_field("lower").decimal_places)  # type: ignore[arg-type]


# What a claim's listing shows of its relations (facts.api.serializers.ClaimSerializer: the
# brief fact, article and outlet, the attribution's actor and originator), by relation: the
# other fields of those rows stay unread (ClaimQuerySet.with_brief_relations).
_BRIEF_ACTOR = ["id", "slug", "name", "parent"]
BRIEF_RELATED_FIELDS: dict[str, list[str]] = {
    "fact": ["id", "slug", "subject", "property", "value_kind", "unit", "verdict"],
    "fact__subject": ["id", "slug"],
    "article": [
        "id",
        "slug",
        "headline",
        "published_earliest",
        "published_latest",
        "outlet",
        "wire_source",
    ],
    "article__outlet": ["id", "slug", "name"],
    "article__wire_source": ["id", "slug", "name"],
    "actor": _BRIEF_ACTOR,
    "actor__parent": _BRIEF_ACTOR,
    "actor__parent__parent": _BRIEF_ACTOR,
    "actor__parent__parent__parent": _BRIEF_ACTOR,
}


# A range of as_of days, said to SQLite to hold a large share of the claims: its index by as_of
# (migration 0031) serves `?ordering=-as_of`, and without statistics SQLite also took it for
# every as_of range and sorted the range's claims by id for one page (2.8 s for a year of a
# million claims), where walking the claims by id finds a page of a wide range at once. A
# narrow range read by id walks further, as it did before the index: docs/PERFORMANCE.md.
AS_OF_RANGE_SHARE = 0.9


class ClaimQuerySet(models.QuerySet):
    def verified(self) -> ClaimQuerySet:
        return self.filter(status=Claim.Status.VERIFIED)

    def public(self) -> ClaimQuerySet:
        """The claims of the public record: the verified ones. Drafts, candidates and rejected
        claims are the desk's (facts.models.readers)."""
        return self.verified()

    def visible_to(self, user: Any) -> ClaimQuerySet:
        """Every claim for staff; the public record for anyone else."""
        return self if is_staff_reader(user) else self.public()

    def candidates(self) -> ClaimQuerySet:
        return self.filter(status=Claim.Status.CANDIDATE)

    def as_of_from(self, day: date) -> ClaimQuerySet:
        """The claims whose value is given as of this day or later."""
        return self.filter(Common(Q(as_of__gte=day), share=AS_OF_RANGE_SHARE))

    def as_of_until(self, day: date) -> ClaimQuerySet:
        """The claims whose value is given as of this day or earlier."""
        return self.filter(Common(Q(as_of__lte=day), share=AS_OF_RANGE_SHARE))

    def awaiting_review(self) -> ClaimQuerySet:
        """The drafts: new claims, and verified ones changed by a non-reviewer or orphaned by a
        corrected text (facts.services.review), until a reviewer verifies or rejects them."""
        return self.filter(status=Claim.Status.DRAFT)

    def review_counts(self) -> dict[str, int]:
        """How many claims wait for the reviewers, by kind, in one query: drafts, candidates and
        orphaned claims (an orphan may be a draft too: it is counted in both)."""
        return self.aggregate(
            drafts=models.Count("pk", filter=Q(status=Claim.Status.DRAFT)),
            candidates=models.Count("pk", filter=Q(status=Claim.Status.CANDIDATE)),
            orphaned=models.Count("pk", filter=Q(anchor_state=Claim.AnchorState.ORPHANED)),
        )

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

    def with_brief_relations(self) -> ClaimQuerySet:
        """The claims with what a listing shows of their relations, read in the same query:
        the fact's subject, the article's outlet and wire source, the actor's chain three
        bodies up; of each related row only its brief fields (BRIEF_RELATED_FIELDS). Read
        whole, each row brought its fact's verdict JSON (up to 63 KB, decoded again for every
        claim of the fact) and its article's text: most of a page's time (issue 16)."""
        own = [field.name for field in Claim._meta.concrete_fields]
        related = [
            f"{path}__{name}" for path, names in BRIEF_RELATED_FIELDS.items() for name in names
        ]
        return self.select_related(*BRIEF_RELATED_FIELDS).only(*own, *related)

    def listed(self) -> ClaimQuerySet:
        """The claims as a listing shows them, read as values: listed rows (dicts, no model
        instances) of every field of the claim with the same brief related rows as
        with_brief_relations() nested in them, and the claim's display_value; the same one
        query. A listing's page built ~7 model instances a row, which cost more than the
        query (issue 16). Start from the manager and filter after:
        `Claim.objects.listed().visible_to(user)` (facts.models.listed_rows says why)."""
        return LISTED_CLAIMS.read(self)

    def matching(self, text: str) -> ClaimQuerySet:
        """The claims whose wording, attribution cue or article's headline holds the words of
        a search (`q`) in order, each as a substring, any white space between, case aside
        (facts.domain.search); all of them for a search with no words.

        The regex decides on both databases; the search indexes (facts.models.search) only
        narrow the rows it is tried on. One query more than the list: the matching articles'
        ids on PostgreSQL, the ids the index finds on SQLite."""
        pattern = words_pattern(text)
        if pattern is None:
            return self
        in_claim = Q(wording__iregex=pattern) | Q(attribution_cue__iregex=pattern)
        in_headline = Q(article__headline__iregex=pattern)
        if connections[self.db].vendor == "postgresql":
            # pg_trgm's GIN indexes take the regex itself. The articles whose headline
            # matches are read first (a query of their own, by their index) and given as an
            # array of ids, so that every condition is on the claims' table with an estimate
            # the planner can trust: for a rare word it joins the three indexes (a BitmapOr),
            # for a frequent one it walks the claims in the list's order and stops at a page.
            # A subquery in its place (IN, or ANY(ARRAY(...)) whose size it cannot know) made
            # it walk all the claims for a word that matches nothing (docs/PERFORMANCE.md).
            article_ids = list(
                Article.objects.order_by()
                .filter(headline__iregex=pattern)
                .values_list("id", flat=True)
            )
            if article_ids:
                in_claim |= Q(EqualsAny("article_id", article_ids))
            return self.filter(in_claim)
        if connections[self.db].vendor == "sqlite":
            candidates = candidate_claims(text, claim_table=Claim._meta.db_table)
            few = candidates.few(using=self.db) if candidates is not None else None
            if few is not None:
                # SQLite's FTS5 finds the rows that may hold the words in order (nearly
                # exactly, facts.domain.search.trigram_match_queries): the regex keeps those.
                return self.filter(id__in=few).filter(in_claim | in_headline)
            short = short_word_condition(
                text, fields=("wording", "attribution_cue", "article__headline")
            )
            if short is not None:
                # One word of one or two characters, no trigram: the rows are read in the
                # list's order, each tried in C (LIKE) before the regex.
                return self.filter(short).filter(in_claim | in_headline)
        # Frequent words (a page is found soon in the list's order): the rows are read in order.
        return self.filter(in_claim | in_headline)


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
    # The article's text is not held yet: the wording is kept, with no offsets, and anchored
    # when the text arrives.
    UNANCHORED = "unanchored", "unanchored (no text yet)"


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
    number = models.DecimalField(
        max_digits=24,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[validate_storable_number],
    )
    number_high = models.DecimalField(
        max_digits=24,
        decimal_places=6,
        null=True,
        blank=True,
        help_text="A range's second number.",
        validators=[validate_storable_number],
    )
    unit = models.CharField(
        max_length=50,
        blank=True,
        help_text="The unit as stated ('mile'); for a count, empty or the noun counted ('troops').",
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
        null=True,
        blank=True,
        help_text="Where the wording starts in the article; found from the wording if left "
        "empty. Empty for an unanchored claim (its article's text is not held yet).",
    )
    end = models.PositiveIntegerField(null=True, blank=True)
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
    # Derived from the fact's stored verdict, written with it (facts.services.verdicts) so that
    # the outlet paths (outlet against outlet, an outlet's record) count sides in SQL instead of
    # decoding every shared fact's verdict JSON (issue 16). Meaningful on verified claims only,
    # the ones a verdict counts: the reads filter on them. Not in the history: not the desk's.
    verdict_side = models.SmallIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="The claim's side in its fact's verdict (facts.domain.agreement.claim_sides): "
        "0 with the consensus, 1, 2 … against it, -1, -2 … when no side leads; null in no group.",
    )
    # Where the claim is listed: its fact's subject and its article's outlet, copied onto the
    # claim (facts.services.claim_placement keeps them, on every write of a claim, a fact's
    # subject or an article's outlet) so that the claims of a subject or an outlet are read
    # from an index of their own in the list's order: reached through the fact or the article,
    # a page walked every verified claim until it had 51 of them, or sorted them all (issue 16,
    # docs/PERFORMANCE.md). Not the desk's: never in a form or an input, not in the history.
    # No index of their own: the list's indexes below begin with them.
    subject = models.ForeignKey(
        Subject,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,
        help_text="Copied from the fact.",
    )
    outlet = models.ForeignKey(
        Outlet,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,
        help_text="Copied from the article.",
    )
    history = HistoricalRecords(excluded_fields=["verdict_side", *PLACEMENT_FIELDS])

    objects = ClaimQuerySet.as_manager()

    # Set by the services for an orphaned claim saved without touching its wording or offsets
    # (a rejection, a note): its wording is not looked for in the text again.
    left_orphaned = False

    class Meta:
        ordering = ["article", "start", "fact"]
        permissions = [("verify_claim", "Can verify or reject claims")]
        indexes = [
            # The outlet paths (facts.api.comparison) group an outlet's verified claims by fact
            # and side, reached through its articles: covered by this index, a search per
            # article. Without it SQLite walked every verified claim by `status` (3.5 s at 1M
            # claims, docs/PERFORMANCE.md). The listed facts' wordings come by it too.
            models.Index(
                fields=["article", "status", "fact", "verdict_side"],
                name="claim_by_article_status_side",
            ),
            # The claims list in each order a client may ask for (?ordering=, newest first or
            # last; the public list is the verified claims): read in order from the index and
            # stopped at the page, instead of sorting every verified claim (0.5 s at 100,000
            # claims on SQLite, growing with the record; plans in docs/PERFORMANCE.md). Ordered
            # by id it walks the status index already.
            # By as_of: SQLite, which keeps no statistics of a column's values, would take it
            # for every ?as_of_after= filter too and sort a year's claims by id for one page
            # (2.8 s at 1M claims): those filters say they hold most claims (as_of_from()).
            # Newest first, PostgreSQL reads `DESC NULLS LAST` from an index of its own (0025).
            models.Index(fields=["status", "updated_at", "id"], name="claim_list_by_update"),
            models.Index(fields=["status", "as_of", "id"], name="claim_list_by_as_of"),
            models.Index(fields=["status", "start", "id"], name="claim_list_by_start"),
            # ?category=: one category of many (the first of the 1M corpus holds 799 of 850,306
            # verified claims), found by walking every verified claim until a page of it
            # (28 ms at 1M, 10 at 10k); read from the index in order, the page is flat.
            models.Index(fields=["status", "category", "id"], name="claim_list_by_category"),
            # ?subject= and ?outlet=: the public list is `subject_id = ? AND status = 'verified'
            # ORDER BY id DESC`, read backwards off the index and stopped at the page. Through
            # the fact or the article, a page of a subject holding 1 verified claim in 86 walked
            # 86 for each row on SQLite, and PostgreSQL gathered and sorted all of them.
            models.Index(fields=["subject", "status", "id"], name="claim_list_by_subject"),
            models.Index(fields=["outlet", "status", "id"], name="claim_list_by_outlet"),
            # ?actor= (an actor and those under it; most are one actor): PostgreSQL gathered
            # the actor's claims by the foreign key's index, joined all 20,000 articles to them
            # and sorted them for one page (15 ms of 34 at 1M claims against 14 ms at 10k);
            # read backwards off this index, one actor's page stops at 51 rows.
            models.Index(fields=["actor", "status", "id"], name="claim_list_by_actor"),
            # ?undisclosed=true: few claims are, and without an index of them a page walked
            # every verified claim to find none.
            models.Index(
                fields=["status", "id"],
                condition=Q(undisclosed=True),
                name="claim_list_undisclosed",
            ),
        ]
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
                violation_error_message="The anchor is anchored, orphaned or unanchored.",
            ),
            # Anchored: offsets in the text. Unanchored (no text yet): none. Orphaned: where it
            # stood, or none when the text arrived without its wording.
            models.CheckConstraint(
                condition=(
                    Q(start__isnull=True, end__isnull=True) & ~Q(anchor_state=AnchorState.ANCHORED)
                )
                | (
                    Q(start__isnull=False, end__isnull=False)
                    & ~Q(anchor_state=AnchorState.UNANCHORED)
                ),
                name="claim_offsets_unless_unanchored",
                violation_error_message="An anchored claim has offsets in its article's text; "
                "an unanchored one (the text not held yet) has none.",
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
                condition=Q(number__isnull=True) | Q(number__lt=NUMBER_LIMIT),
                name="claim_number_storable",
                violation_error_message=f"A number must be below {NUMBER_LIMIT:,}.",
            ),
            models.CheckConstraint(
                condition=Q(number_high__isnull=True) | Q(number_high__lt=NUMBER_LIMIT),
                name="claim_number_high_storable",
                violation_error_message=f"A number must be below {NUMBER_LIMIT:,}.",
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
            # Unanchored claims have no offsets: the wording tells them apart.
            models.UniqueConstraint(
                fields=["fact", "article", "wording", "actor"],
                condition=Q(start__isnull=True, actor__isnull=False),
                name="claim_unanchored_one_per_fact_wording_actor",
                violation_error_message="This wording is a claim on this fact by this actor already.",
            ),
            models.UniqueConstraint(
                fields=["fact", "article", "wording"],
                condition=Q(start__isnull=True, actor__isnull=True),
                name="claim_unanchored_one_per_fact_wording_own_voice",
                violation_error_message="This wording is a claim on this fact in the outlet's own voice already.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fact}: {self.display_value()} ({self.wording!r})"

    # Values ------------------------------------------------------------------------------

    def display_value(self) -> str:
        """The value in a short readable form: '~30,000', '2022-02-20', 'stay'."""
        return display_value(self)

    def complete_bound(self) -> None:
        """Fill a quantity's bound left empty from its hedge, or its hedge and bound from the
        hedge its wording starts with ("some 30,000 troops": "some", approximate), by the hedge
        rules; no hedge at all is exact. A bound given is kept, to be checked against the hedge."""
        if self.value_kind != ValueKind.QUANTITY or self.undisclosed or self.bound:
            return
        if not isinstance(self.wording, str):
            return  # clean_fields says what is wrong with it
        self.hedge, self.bound = values.complete_bound(
            bound=self.bound,
            hedge=self.hedge,
            wording=self.wording,
            has_number_high=self.number_high is not None,
        )

    def derive_bounds(self) -> None:
        """Set lower and upper from the quantity as written, by the hedge rules."""
        if self.value_kind != ValueKind.QUANTITY or self.undisclosed:
            self.lower = self.upper = None
            return
        lower, upper = values.quantity_bounds(
            bound=self.bound,
            number=self.number,
            number_high=self.number_high,
            hedge=self.hedge,
        )
        # To the places the columns keep, outwards, so the stored interval never shrinks: a
        # bound with more places would be refused by validation, or rounded by the database.
        places = _bound_places()
        with contextlib.suppress(InvalidOperation):
            lower = None if lower is None else lower.quantize(places, rounding=ROUND_FLOOR)
            upper = None if upper is None else upper.quantize(places, rounding=ROUND_CEILING)
        self.lower, self.upper = lower, upper

    def anchor_state_in(self, text: str) -> str:
        """Whether this claim's wording still stands in the text at its offsets (unanchored
        while there is no text)."""
        if not text:
            return self.AnchorState.UNANCHORED
        problem = values.anchor_problem(
            text,
            wording=self.wording,
            start=self.start,
            end=self.end,
            prefix=self.prefix,
            suffix=self.suffix,
        )
        return self.AnchorState.ORPHANED if problem else self.AnchorState.ANCHORED

    # Validation --------------------------------------------------------------------------

    def clean(self) -> None:
        if not self._typed():
            return  # clean_fields has said what is wrong with the types
        errors: dict[str, str] = {}
        fact = self.related("fact")
        article = self.related("article")
        if fact is not None:
            self.value_kind = fact.value_kind
            errors.update(self._value_errors(fact))
        if article is not None and self.wording and not article.text:
            if self.start is not None or self.end is not None:
                errors["start"] = (
                    "The article's text is not held yet, so the wording has no offsets in it: "
                    "leave start and end empty (the claim is anchored when the text arrives)."
                )
            # Derived, as the offsets are: the constraints checked next hold it to them.
            self.anchor_state = self.AnchorState.UNANCHORED
        elif article is not None and self.wording and not self.left_orphaned:
            text = article.text
            if self.start is not None and self.end is None:
                self.end = self.start + len(self.wording)
            # An edited wording is looked for again rather than refused at its old offsets;
            # the prefix and suffix then follow from where it stands.
            if self.start is None or text[self.start : self.end] != self.wording:
                self._locate_wording(text, errors)
            if not errors.keys() & {"wording", "start"}:
                self.prefix, self.suffix = values.anchor_context(text, self.start, self.end)
        credited = self.related("actor") is not None
        if self.attribution_mode == self.AttributionMode.OWN_VOICE and credited:
            errors["actor"] = "A claim in the outlet's own voice is credited to no actor."
        if self.attribution_mode != self.AttributionMode.OWN_VOICE and not credited:
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

    def _sentence_of_wording(self, text: str) -> tuple[str, int | None]:
        """The sentence of the article that holds the wording, and where the wording stands in
        it: at the claim's offsets, else where it stands once (after the prefix, if given);
        ("", None) when the text does not say where."""
        from facts.domain import tense

        start = self.start
        at_offsets = isinstance(start, int) and start >= 0
        if not at_offsets or text[start : start + len(self.wording)] != self.wording:
            found = values.occurrences(text, self.wording, prefix=self.prefix)
            if len(found) != 1:
                return "", None
            start = found[0]
        sentence, offset = tense.sentence_around(text, start, start + len(self.wording))
        return sentence, start - offset

    def _resolve_date_from_wording(self) -> None:
        """Fill a date left empty from its wording, read against the publication day
        ("on Thursday", "next week"), in the tense of the sentence around it in the article
        ("will start on Thursday" is the next Thursday) or of the wording alone when the text
        does not hold it; a range or an unclear wording is left to the editor."""
        if self.date_earliest or self.date_latest:
            return
        if self.related("article") is None:
            return
        article = self.article
        if not (self.wording and article.published_earliest):
            return
        from facts.domain import dates, tense

        sentence, at = self._sentence_of_wording(article.text or "")
        lean = tense.infer_tense(self.wording, sentence, start=at)
        try:
            value = dates.resolve_date_window(
                self.wording, article.published_earliest, article.published_latest, lean=lean
            )
        except dates.OutsideCalendar:
            raise values.InvalidValue(
                "date_earliest",
                f"{self.wording!r} cannot be read against a publication day of "
                f"{article.published_earliest.isoformat()}, so near an end of the calendar "
                "(years 1 to 9999): give the date itself.",
            ) from None
        if value is not None:
            self.date_earliest, self.date_latest = value.earliest, value.latest
            self.date_precision = value.precision

    def _value_errors(self, fact: Fact) -> dict[str, str]:
        errors: dict[str, str] = {}
        kind = fact.value_kind
        others = VALUE_FIELDS_BY_KIND
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
            self.complete_bound()
            if not self.bound:
                errors["bound"] = (
                    "Say how the number is bounded: exact, approximate, more than … "
                    f"(the hedge {self.hedge!r} is not one the hedge rules know, so it says "
                    "no bound)."
                )
                return errors
            try:
                self.derive_bounds()
            except values.InvalidValue as error:
                errors[error.field] = error.message
            from facts.domain import units

            problem = units.compatibility_problem(self.unit, fact.unit)
            if problem:
                errors["unit"] = problem
        elif kind == ValueKind.DATE:
            try:
                self._resolve_date_from_wording()
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

    def related(self, name: str) -> Any:
        """The fact, article or actor as set, saved or not (None when unset): the import
        validates its claims against the articles and facts it is about to create, before
        anything is written, and a new row has no id yet."""
        # As getattr(self, name) reads it, less its descriptor's steps when the object is set
        # (the import asks this of each of 10,000 claims five times): a relation's cache is
        # keyed by its name.
        cache = self._state.fields_cache
        if name in cache:
            return cache[name]
        if getattr(self, self._meta.get_field(name).attname) is None:  # type: ignore[union-attr]
            return None
        return getattr(self, name)

    def derive_context(self) -> None:
        """The value kind from the fact and the as-of day from the publication day (clean()
        derives the bounds itself, and says why a value has none)."""
        fact, article = self.related("fact"), self.related("article")
        if fact is not None:
            self.value_kind = fact.value_kind
        if self.as_of is None and article is not None:
            self.as_of = article.publication_day

    def derive_fields(self) -> None:
        """The fields that follow from others: the value kind from the fact, the as-of day from
        the publication day, the bounds from the number as written."""
        self.derive_context()
        if self._typed():
            self.complete_bound()
            # A value the hedge rules refuse is left for clean() to report beside its field.
            with contextlib.suppress(values.InvalidValue):
                self.derive_bounds()


def display_value(claim: Any) -> str:
    """A claim's value in a short readable form: '~30,000', '2022-02-20', 'stay'. Of a claim
    or of a listed row of one (facts.models.listed_rows): both read by attribute."""
    if claim.undisclosed:
        return "not disclosed"
    if claim.value_kind == ValueKind.DATE and claim.date_earliest:
        if claim.date_earliest == claim.date_latest:
            return claim.date_earliest.isoformat()
        return f"{claim.date_earliest.isoformat()} to {claim.date_latest.isoformat()}"
    if claim.value_kind == ValueKind.CATEGORICAL:
        return claim.category
    unit = f" {claim.unit}" if claim.unit else ""
    if claim.bound == Bound.VAGUE:
        return f"{claim.hedge}{unit}"
    number = _plain(claim.number)
    if claim.bound == Bound.RANGE:
        return f"{number}-{_plain(claim.number_high)}{unit}"
    sign = {
        "approximate": "~",
        "at_least": ">=",
        "more_than": ">",
        "at_most": "<=",
        "less_than": "<",
    }.get(claim.bound, "")
    return f"{sign}{number}{unit}"


# How the claims list reads its rows (ClaimQuerySet.listed).
# Its query joins ten tables, in the order the planner takes anyway: planned in that order
# (facts.models.planning.joins_as_written).
LISTED_CLAIMS = ListedShape(
    Claim,
    BRIEF_RELATED_FIELDS,
    derived={"display_value": display_value},
    joins_as_written=True,
)


def _plain(number) -> str:
    """A decimal without trailing zeros, with thousands separators: 30000.000000 -> 30,000."""
    if number is None:
        return "?"
    normal = number.normalize()
    if normal == normal.to_integral():
        return f"{int(normal):,}"
    return f"{normal:,f}"
