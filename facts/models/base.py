"""What every row shares: timestamps and a version, names and slugs, date precisions."""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.text import slugify
from text_unidecode import unidecode

from facts.domain import storable

models.CharField.register_lookup(Length)


def slug_of(text: str) -> str:
    """A slug for a row that has none, made from its name: names in any script are
    transliterated first ("Віктар Хрэнін" -> "viktar-khrenin"), where Django's slugify alone
    would drop every letter and leave the row with no slug. text-unidecode is the kept,
    dependency-free transliteration table that python-slugify uses too; Latin names give the
    same slug as before."""
    return slugify(unidecode(text))[:200]


# A slug field left blank where the name gave nothing to make one from ("!!!").
SLUG_NEEDED = {"blank": "Give a slug: nothing in the name can make one (letters or digits)."}


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

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        """Django's checks of each field, and then, on the fields that passed them, that every
        text (in a JSON list or object too) can be stored: a NUL or a lone surrogate saved on
        SQLite would break every page that shows the row, and PostgreSQL refuses them with a
        500. Here rather than on each field, so that no text field of any model is missed."""
        errors: dict[str, list] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if field.name in errors or (exclude and field.name in exclude):
                continue
            value = getattr(self, field.attname)
            if isinstance(value, str | list | dict):
                problem = storable.value_problem(value)
                if problem:
                    errors[field.name] = [problem]
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        self.derive_fields()
        if self.pk is not None and not self._state.adding:
            # From the stored version, not this copy's: a copy restored from the history
            # carries an old one, and versions only ever go up.
            stored = type(self).objects.filter(pk=self.pk).values_list("version", flat=True).first()
            self.version = max(stored or 0, self.version or 0) + 1
        self.updated_at = timezone.now()
        # Derived fields only: the rules of the record (review, verdicts, anchors) live in
        # facts/services/, which every write goes through.
        super().save(*args, **kwargs)


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
    slug = models.SlugField(max_length=200, unique=True, error_messages=SLUG_NEEDED)

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
            self.slug = self.slug_for(self.name)

    @staticmethod
    @lru_cache(maxsize=4096)
    def slug_for(name: str) -> str:
        """The slug a name gives a row that has none. Cached: an import asks it for the same
        few names on every row that gives an actor or outlet in full (transliterating and
        slugifying run a handful of regular expressions)."""
        return slug_of(name)


def check_aliases(aliases: object) -> None:
    """Refuse aliases that are not a list of names."""
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
        raise ValidationError({"aliases": "Aliases are a list of names."})


# Between two names of a list: a character no one types in a search, so that a search never
# matches words that stand only in two neighbouring names ("Viktar" + "Khrenin's office").
NAMES_SEPARATOR = "\x1f"


class NamesText(models.Func):
    """A JSON list of names (aliases) as one text to search, the names as written: a cast of
    the JSON would search its quotes, and on SQLite its \\u escapes instead of "Хрэнін".
    SQLite reads the list with json_each, PostgreSQL with jsonb_array_elements_text; a row
    with no names (or no list) gives an empty text."""

    arity = 1
    output_field = models.TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return (
            f"COALESCE((SELECT group_concat(value, %s) FROM json_each({sql})), '')",
            [NAMES_SEPARATOR, *params],
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return (
            f"CASE WHEN jsonb_typeof({sql}) = 'array' THEN COALESCE((SELECT string_agg(value, %s) "
            f"FROM jsonb_array_elements_text({sql}) AS value), '') ELSE '' END",
            [*params, NAMES_SEPARATOR, *params],
        )

    def as_sql(self, compiler, connection, **extra_context):
        # The supported databases are SQLite and PostgreSQL (see factsite/settings.py).
        raise NotImplementedError(f"Searching names is not written for {connection.vendor}.")


class DatePrecision(models.TextChoices):
    DAY = "day", "day"
    WEEK = "week", "week"
    MONTH = "month", "month"
    QUARTER = "quarter", "quarter"
    YEAR = "year", "year"
