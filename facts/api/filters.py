"""The API's filters (django-filter): what clients ask of each list."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q, QuerySet, Subquery
from django.db.models.expressions import BaseExpression
from django_filters.rest_framework import DjangoFilterBackend

from facts.domain.search import MAX_SEARCH_LENGTH, words_pattern
from facts.models import (
    Actor,
    ActorKind,
    Article,
    Claim,
    ClaimStatus,
    DatePrecision,
    Fact,
    NamesText,
    Outlet,
    OutletKind,
    Subject,
    SubjectKind,
    ValueKind,
    Verdict,
)


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, leaving a list asked with none of its filters as it is without
    making the filterset: its form (a class made and every filter deep-copied, on each
    request) was a tenth of the claims list's time (issue 16). A filterset given no value
    filters nothing: django-filter skips every filter whose value is empty."""

    def filter_queryset(self, request, queryset: QuerySet, view) -> QuerySet:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and filterset_class.base_filters.keys().isdisjoint(
            request.query_params.keys()
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)


class FilterSet(filters.FilterSet):
    """django-filter's FilterSet with its form class made once a process rather than on every
    request: django-filter builds a form field for every filter and a new form class each
    time (4% of the claims list's CPU under load, py-spy). The form's fields depend on the
    filters' declarations alone here (no filter reads the request, as a ModelChoiceFilter
    with a callable queryset would), so one class serves every request; each form still
    copies its fields (Django's BaseForm), so no request sees another's."""

    _form_classes: dict[type, type] = {}

    def get_form_class(self) -> type:
        form_class = self._form_classes.get(type(self))
        if form_class is None:
            form_class = self._form_classes[type(self)] = super().get_form_class()
        return form_class


class SearchFilter(filters.CharFilter):
    """Search over some text fields, word by word in order (facts.domain.search), read
    row by row: for the short lists (outlets, actors, subjects, facts)."""

    def __init__(
        self,
        *args,
        fields: list[str],
        expressions: dict[str, BaseExpression] | None = None,
        **kwargs,
    ) -> None:
        kwargs.setdefault("max_length", MAX_SEARCH_LENGTH)
        super().__init__(*args, **kwargs)
        # Texts computed in the query (a JSON list of aliases as its names), searched by the
        # names given here as they are in `fields`.
        self.expressions = expressions or {}
        self.fields = fields

    def filter(self, queryset: QuerySet, value: str) -> QuerySet:
        pattern = words_pattern(value or "")
        if pattern is None:
            return queryset
        if self.expressions:
            queryset = queryset.alias(**self.expressions)
        condition = Q()
        for field in self.fields:
            condition |= Q(**{f"{field}__iregex": pattern})
        return queryset.filter(condition)


class MatchingFilter(filters.CharFilter):
    """Search by the list's own `matching` queryset method, which knows its search indexes
    (claims and articles, the long lists)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("max_length", MAX_SEARCH_LENGTH)
        super().__init__(*args, **kwargs)

    def filter(self, queryset: QuerySet, value: str) -> QuerySet:
        return queryset.matching(value or "")


def slug_or_id(value: str) -> dict:
    """The lookup for a row named by its slug or its id ("the-moscow-times" or "1")."""
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return {"id": int(value)}
    return {"slug": value}


class SlugOrIdFilter(filters.CharFilter):
    """A related row by its slug or its id."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def filter(self, queryset: QuerySet, value: str) -> QuerySet:
        if not value:
            return queryset
        ((key, lookup),) = slug_or_id(value).items()
        return queryset.filter(**{f"{self.field_name}__{key}": lookup})


class PlacedFilter(SlugOrIdFilter):
    """A claim's subject or outlet by its slug or its id, on the claim's own column
    (facts.services.claim_placement) so that the list reads the index that begins with it in
    its order. A slug is looked up in a subquery that gives one id: a join to the subject or
    outlet would leave PostgreSQL unable to see that the claims come in id order (it sorted all
    of them), and asking for the id first would be a query more."""

    def __init__(self, *args, named: type[Subject] | type[Outlet], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Not `model`: django-filter sets that to the list's own model.
        self.named = named

    def filter(self, queryset: QuerySet, value: str) -> QuerySet:
        if not value:
            return queryset
        ((key, lookup),) = slug_or_id(value).items()
        if key == "id":
            return queryset.filter(**{f"{self.field_name}_id": lookup})
        row = self.named.objects.order_by().filter(slug=lookup).values("id")[:1]
        return queryset.filter(**{f"{self.field_name}_id": Subquery(row)})


VERDICT_CHOICES = Verdict.choices


class ColumnChoiceFilter(filters.MultipleChoiceFilter):
    """Any of several values of a column of the list's own rows, or of a row they point to
    (a claim's fact's verdict): no row can come twice, so no SELECT DISTINCT, which
    django-filter adds by default and which compared every column of every row (issue 16)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)


class StrictBooleanFilter(filters.TypedChoiceFilter):
    """true or false (1 or 0); anything else is a 400, not silently ignored."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault(
            "choices", [("true", "true"), ("false", "false"), ("1", "true"), ("0", "false")]
        )
        kwargs.setdefault("coerce", lambda value: value in ("true", "1"))
        super().__init__(*args, **kwargs)


class OutletFilter(FilterSet):
    kind = ColumnChoiceFilter(choices=OutletKind.choices)
    country = filters.CharFilter(lookup_expr="iexact", max_length=2)
    q = SearchFilter(fields=["name", "domain"], label="Search names and domains")

    class Meta:
        model = Outlet
        fields = ["kind", "country", "q"]


class ArticleFilter(FilterSet):
    outlet = SlugOrIdFilter(field_name="outlet", label="Outlet slug or id")
    published_after = filters.DateFilter(
        field_name="published_latest", lookup_expr="gte", label="Published on or after"
    )
    published_before = filters.DateFilter(
        field_name="published_earliest", lookup_expr="lte", label="Published on or before"
    )
    language = filters.CharFilter(max_length=10)
    q = MatchingFilter(label="Search headlines and texts")

    class Meta:
        model = Article
        fields = ["outlet", "published_after", "published_before", "language", "q"]


class ActorFilter(FilterSet):
    kind = ColumnChoiceFilter(choices=ActorKind.choices)
    parent = SlugOrIdFilter(field_name="parent", label="Parent slug or id")
    q = SearchFilter(
        fields=["name", "aliases_text", "description"],
        expressions={"aliases_text": NamesText("aliases")},
        label="Search names, aliases and descriptions",
    )

    class Meta:
        model = Actor
        fields = ["kind", "parent", "q"]


class SubjectFilter(FilterSet):
    kind = ColumnChoiceFilter(choices=SubjectKind.choices)
    q = SearchFilter(fields=["name", "description"], label="Search names and descriptions")

    class Meta:
        model = Subject
        fields = ["kind", "q"]


class FactFilter(FilterSet):
    subject = SlugOrIdFilter(field_name="subject", label="Subject slug or id")
    verdict = ColumnChoiceFilter(choices=VERDICT_CHOICES)
    disputed = StrictBooleanFilter(method="filter_disputed", label="Only disputed facts")
    value_kind = filters.ChoiceFilter(choices=ValueKind.choices)
    outlet = filters.CharFilter(
        method="filter_outlet", label="Reported by this outlet (slug or id)"
    )
    min_originators = filters.NumberFilter(
        field_name="counted_originators", lookup_expr="gte", min_value=0, max_value=10**9
    )
    q = SearchFilter(fields=["property", "description", "subject__name"], label="Search facts")

    class Meta:
        model = Fact
        fields = ["subject", "verdict", "disputed", "value_kind", "outlet", "min_originators", "q"]

    def filter_disputed(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.disputed_in_list_order() if value else queryset.undisputed()

    def filter_outlet(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        ((key, lookup),) = slug_or_id(value).items()
        claims = Claim.objects.verified().filter(**{f"article__outlet__{key}": lookup})
        return queryset.filter(id__in=claims.values("fact_id"))


# Bounds of what a value-range filter accepts: past these no claim can be, and PostgreSQL
# would refuse the number.
VALUE_LIMIT = 10**15


class ClaimFilter(FilterSet):
    subject = PlacedFilter(field_name="subject", named=Subject, label="Subject slug or id")
    fact = filters.NumberFilter(field_name="fact", min_value=1, max_value=2**62)
    outlet = PlacedFilter(field_name="outlet", named=Outlet, label="Outlet slug or id")
    actor = filters.CharFilter(
        method="filter_actor", max_length=200, label="Actor slug or id, with those under it"
    )
    article = SlugOrIdFilter(field_name="article", label="Article slug or id")
    status = ColumnChoiceFilter(choices=ClaimStatus.choices)
    verdict = ColumnChoiceFilter(field_name="fact__verdict", choices=VERDICT_CHOICES)
    value_kind = filters.ChoiceFilter(choices=ValueKind.choices)
    undisclosed = StrictBooleanFilter()
    published_after = filters.DateFilter(field_name="article__published_latest", lookup_expr="gte")
    published_before = filters.DateFilter(
        field_name="article__published_earliest", lookup_expr="lte"
    )
    as_of_after = filters.DateFilter(method="filter_as_of_after", label="As of this day or later")
    as_of_before = filters.DateFilter(
        method="filter_as_of_before", label="As of this day or earlier"
    )
    value_min = filters.NumberFilter(
        method="filter_value_min",
        min_value=-VALUE_LIMIT,
        max_value=VALUE_LIMIT,
        label="Intervals reaching at least this value (in the claim's unit)",
    )
    value_max = filters.NumberFilter(
        method="filter_value_max",
        min_value=-VALUE_LIMIT,
        max_value=VALUE_LIMIT,
        label="Intervals reaching at most this value (in the claim's unit)",
    )
    date_after = filters.DateFilter(field_name="date_latest", lookup_expr="gte")
    date_before = filters.DateFilter(field_name="date_earliest", lookup_expr="lte")
    date_precision = filters.ChoiceFilter(choices=DatePrecision.choices)
    category = filters.CharFilter(max_length=200)
    q = MatchingFilter(label="Search wordings, headlines and attribution cues")

    class Meta:
        model = Claim
        fields = [
            "subject",
            "fact",
            "outlet",
            "actor",
            "article",
            "status",
            "verdict",
            "value_kind",
            "undisclosed",
            "q",
        ]

    def filter_actor(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        actor = Actor.objects.filter(**slug_or_id(value)).first()
        if actor is None:
            return queryset.none()
        return queryset.filter(actor__in=actor.descendants())

    def filter_as_of_after(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset if value is None else queryset.as_of_from(value)

    def filter_as_of_before(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset if value is None else queryset.as_of_until(value)

    # A quantity's interval overlaps [value_min, value_max] when it reaches both; an open end
    # (null bound) reaches everything on its side.
    def filter_value_min(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(value_kind=ValueKind.QUANTITY, undisclosed=False).filter(
            Q(upper__isnull=True) | Q(upper__gte=value)
        )

    def filter_value_max(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(value_kind=ValueKind.QUANTITY, undisclosed=False).filter(
            Q(lower__isnull=True) | Q(lower__lte=value)
        )
