"""Editors' CSV and XLSX import and export of outlets, articles and claims, in the admin.

Related rows are named by their natural keys (slugs), never by database ids, so a file reads
the same in any copy of the database. Every imported row goes through the model's full_clean,
as the admin form and the API do, and an import is all or none: one bad row and nothing is
saved, in the preview and in the confirm step alike.

Cell formats, the same for CSV and XLSX:
- days as YYYY-MM-DD only (or a spreadsheet's date cell): 02/03/2022 would be a guess;
- numbers written plainly, "30000" or "2.5", with no thousands separator;
- yes/no as 1 or 0 (true/false and yes/no are read too); a blank cell is the model's default;
- a text that a spreadsheet would run as a formula (=, +, -, @, a tab or a carriage return
  first) is exported behind an apostrophe, by the rule the API's CSV follows
  (facts.domain.spreadsheets), and read back without it: XLSX gets no formula cell, and a
  file exported and imported again changes nothing. Number columns keep their numbers;
- text is kept exactly as written: offsets count a wording's every character. An XLSX cell
  cannot hold a carriage return (XML reads \\r\\n as \\n), so a text that differs from the
  stored one only in its line breaks is left as stored.

A file's `version` column is never written, but when it is given for a stored row that the file
changes, it must still be the stored version: like the admin form and the API's ETags, an import
does not overwrite an edit saved since the file was exported.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import tablib
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.results import Result
from import_export.tmp_storages import TempFolderStorage

from facts.domain.spreadsheets import as_written, inert
from facts.domain.text import normalise_text
from facts.models import Actor, Article, Claim, Fact, Outlet
from facts.services import records, review, verdicts

VERSION_COLUMN = "version"
FACT_SUBJECT_COLUMN = "fact_subject"
# The largest whole number a cell may hold: ids and offsets are 64-bit at most, and a bigger
# one would only cost time to convert.
LARGEST_WHOLE = 2**63 - 1


def _text(value: object) -> str:
    """A cell as stripped text; an empty cell is ''."""
    return "" if value is None else str(value).strip()


# Widgets: how one cell reads and writes ---------------------------------------------------


class DayWidget(widgets.DateWidget):
    """A day as YYYY-MM-DD, or a spreadsheet's date cell."""

    def __init__(self, **kwargs: Any) -> None:
        # One format only: Django's default input formats would read 02/03/2022 as February 3.
        super().__init__(format="%Y-%m-%d", **kwargs)

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> Any:
        """Read a day; an XLSX date cell arrives as a datetime at midnight."""
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, str):
            value = value.strip()
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(f"Write the day as YYYY-MM-DD; got {value!r}.") from None


def _decimal(value: Any, example: str) -> Decimal:
    """A cell as a finite Decimal, or a ValueError saying how to write one."""
    if isinstance(value, bool):
        raise ValueError(f"Write a number such as {example}; got {value!r}.")
    try:
        # str() first: a float from an XLSX cell reads as it shows (0.1, not 0.1000000000000000055).
        number = Decimal(_text(value))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValueError(f"Write a number such as {example}, without separators; got {value!r}.")
    return number


class PlainDecimalWidget(widgets.DecimalWidget):
    """A decimal written plainly: "30000", not "30000.000000" or "30,000"."""

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> Decimal | None:
        """Read a number; anything else is the row's error, not a crash."""
        if self.is_empty(value):
            return None
        return _decimal(value, "30000 or 2.5")

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        """Write the number without trailing zeros (XLSX gets the number itself)."""
        if kwargs.get("force_native_type"):
            return value
        return "" if value is None else f"{value.normalize():f}"


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number: an id, an offset, a version."""

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> int | None:
        """Read a whole number; 12.5 is refused rather than cut to 12."""
        if self.is_empty(value):
            return None
        number = _decimal(value, "12")
        if number != number.to_integral_value() or abs(number) > LARGEST_WHOLE:
            raise ValueError(f"Write a whole number such as 12; got {value!r}.")
        return int(number)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        """Write the number as digits, whatever the locale."""
        if kwargs.get("force_native_type"):
            return value
        return "" if value is None else str(value)


class YesNoWidget(widgets.BooleanWidget):
    """1 or 0; true/false and yes/no are read too. A blank cell is the model's default."""

    TRUE_WORDS = frozenset({"1", "true", "yes", "y"})
    FALSE_WORDS = frozenset({"0", "false", "no", "n"})

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> bool | None:
        """Read yes or no; anything else is refused (the stock widget reads "ja" as no)."""
        if isinstance(value, bool):
            return value
        word = _text(value).lower()
        if isinstance(value, int | float) and value in (0, 1):
            word = str(int(value))
        if not word:
            return None
        if word in self.TRUE_WORDS:
            return True
        if word in self.FALSE_WORDS:
            return False
        raise ValueError(f"Write 1 for yes or 0 for no; got {value!r}.")


class SlugWidget(widgets.ForeignKeyWidget):
    """A related row named by its slug."""

    def __init__(self, model: type[models.Model], **kwargs: Any) -> None:
        super().__init__(model, field="slug", **kwargs)

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> models.Model | None:
        """The row with this slug; an unknown slug is the row's error, naming it."""
        slug = _text(value)
        if not slug:
            return None
        try:
            return self.model.objects.get(slug=slug)
        except self.model.DoesNotExist:
            raise ValueError(f"There is no {self.model._meta.verbose_name} {slug!r}.") from None


class FactWidget(widgets.ForeignKeyWidget):
    """A fact named by two columns: its subject's slug (fact_subject) and its own (fact_slug)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(Fact, field="slug", **kwargs)

    def clean(self, value: Any, row: dict | None = None, **kwargs: Any) -> Fact | None:
        """The fact of this subject with this slug, read from both columns of the row."""
        slug, subject = _text(value), _text((row or {}).get(FACT_SUBJECT_COLUMN))
        if not slug and not subject:
            return None
        if not (slug and subject):
            raise ValueError(
                "Give the fact's subject slug in fact_subject and its own slug in fact_slug."
            )
        try:
            return Fact.objects.select_related("subject").get(subject__slug=subject, slug=slug)
        except Fact.DoesNotExist:
            raise ValueError(f"There is no fact {slug!r} of the subject {subject!r}.") from None


class KeyPartField(fields.Field):
    """A column that another field's widget reads along with its own (fact_subject, read with
    fact_slug): exported, listed as imported, but it sets nothing by itself."""

    def save(self, instance: models.Model, row: dict, is_m2m: bool = False, **kwargs: Any) -> None:
        """Set nothing: the fact is set by the fact_slug field."""


def export_only(attribute: str, widget: widgets.Widget | None = None) -> fields.Field:
    """A column the export writes and the import ignores: a derived or record field."""
    return fields.Field(attribute=attribute, widget=widget, readonly=True)


# Resources --------------------------------------------------------------------------------


class AllOrNoneResource(resources.ModelResource):
    """A model's rows in a file: each row cleaned by the model's full_clean, all saved or none,
    verdicts refreshed once per fact at the end, stale rows refused."""

    WIDGETS_MAP = {
        **resources.ModelResource.WIDGETS_MAP,
        # The stock map leaves TextField to a widget that keeps an empty XLSX cell as None,
        # which a NOT NULL text column refuses at the insert.
        "TextField": widgets.CharWidget,
        "DecimalField": PlainDecimalWidget,
        "DateField": DayWidget,
        "BooleanField": YesNoWidget,
        "IntegerField": WholeNumberWidget,
        "PositiveIntegerField": WholeNumberWidget,
        "BigIntegerField": WholeNumberWidget,
        "AutoField": WholeNumberWidget,
        "BigAutoField": WholeNumberWidget,
    }

    class Meta:
        use_transactions = True
        clean_model_instances = True
        # An unchanged row is not saved again (no new version, no history): a file exported
        # and imported back changes nothing.
        skip_unchanged = True
        report_skipped = True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user: Any = None

    def import_data(self, dataset: tablib.Dataset, dry_run: bool = False, **kwargs: Any) -> Result:
        """Import every row in one transaction, or none of them."""
        # The admin's confirm step leaves rollback_on_validation_errors at its default, False,
        # which would save the good rows of a file with a bad one.
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, dry_run=dry_run, **kwargs)

    def import_data_inner(self, dataset: tablib.Dataset, *args: Any, **kwargs: Any) -> Result:
        """Run the rows with verdicts refreshed once per fact, at the end."""
        # Inside import_data's transaction: a rolled-back import rolls its verdicts back too.
        with verdicts.deferred_refresh():
            return super().import_data_inner(dataset, *args, **kwargs)

    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        """Remember who imports (the admin passes the user; a script is the project's own)."""
        self.user = kwargs.get("user") or review.SYSTEM

    def do_instance_save(self, instance: models.Model, is_create: bool) -> None:
        """Save through the services, which apply the record's rules and refresh verdicts."""
        records.save_record(user=self.user or review.SYSTEM, row=instance)

    def delete_instance(self, instance: models.Model, row: dict, **kwargs: Any) -> None:
        self.before_delete_instance(instance, row, **kwargs)
        records.delete_records(user=self.user or review.SYSTEM, rows=[instance])
        self.after_delete_instance(instance, row, **kwargs)

    def export_field(self, field: fields.Field, instance: models.Model, **kwargs: Any) -> Any:
        """A cell as the file gets it: a text a spreadsheet would run as a formula made inert;
        a number column's cell left a number (its widget writes digits, never a formula)."""
        value = super().export_field(field, instance, **kwargs)
        if isinstance(field.widget, widgets.NumberWidget):
            return value
        return inert(value)

    def before_import_row(self, row: dict, **kwargs: Any) -> None:
        """Read inert cells back as the texts they stand for (see export_field); refuse NUL
        characters before any cell reaches the database."""
        for name, value in row.items():
            row[name] = as_written(value)
        # PostgreSQL refuses NUL in a query parameter, and the failed query would spoil the
        # import's transaction for the rows after this one.
        bad = [name for name, value in row.items() if isinstance(value, str) and "\x00" in value]
        if bad:
            raise ValidationError({name: "Null characters are not allowed." for name in bad})

    def get_instance(self, instance_loader: Any, row: dict) -> models.Model | None:
        """The stored row the file's row names, if any; a malformed key is the row's error."""
        try:
            return super().get_instance(instance_loader, row)
        except ValueError as error:
            raise ValidationError({self.get_import_id_fields()[0]: str(error)}) from None

    def after_init_instance(
        self, instance: models.Model, new: bool, row: dict, **kwargs: Any
    ) -> None:
        """Remember the stored version, to refuse a row exported before someone's edit, and the
        stored texts, to keep their line breaks."""
        instance._import_stored_version = None if new else instance.version
        texts = {}
        if not new:
            texts = {
                field.attname: getattr(instance, field.attname)
                for field in instance._meta.concrete_fields
                if isinstance(field, models.CharField | models.TextField)
            }
        instance._import_stored_texts = texts

    def import_instance(self, instance: models.Model, row: dict, **kwargs: Any) -> None:
        """Set the row's values on the instance; collect every problem of the row."""
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name, stored in instance._import_stored_texts.items():
            value = getattr(instance, name)
            # An XLSX file cannot carry a carriage return (XML reads \r\n as \n), so an article
            # typed into the admin form (\r\n) would come back changed, its claims' offsets and
            # context with it. A text that differs only in its line breaks is unchanged.
            if not isinstance(value, str) or value == stored:
                continue
            if normalise_text(value) == normalise_text(stored):
                setattr(instance, name, stored)
        instance._import_seen_version = None
        if VERSION_COLUMN in row:
            try:
                instance._import_seen_version = WholeNumberWidget().clean(row[VERSION_COLUMN])
            except ValueError as error:
                errors.setdefault(VERSION_COLUMN, []).append(str(error))
        if errors:
            raise ValidationError(errors)

    def validate_instance(
        self,
        instance: models.Model,
        import_validation_errors: dict | None = None,
        validate_unique: bool = True,
    ) -> None:
        """Run full_clean, and refuse a row that changes a row saved since it was exported
        (called only for rows that change something)."""
        errors = dict(import_validation_errors or {})
        seen = getattr(instance, "_import_seen_version", None)
        stored = getattr(instance, "_import_stored_version", None)
        if seen is not None and stored is not None and seen != stored:
            name = instance._meta.verbose_name
            errors.setdefault(VERSION_COLUMN, []).append(
                ValidationError(
                    f"Someone else saved this {name} (now version {stored}) after your file was "
                    f"exported (version {seen}). Export it again and make your changes there.",
                    code="stale",
                )
            )
        super().validate_instance(instance, errors, validate_unique)

    def get_user_visible_fields(self) -> list[fields.Field]:
        """The columns an import reads (the import page lists them): not the export-only ones."""
        return [field for field in self.get_import_fields() if not field.readonly]


class OutletResource(AllOrNoneResource):
    """Outlets, one a row, known by slug.

    Columns: slug (identifies the outlet; a new slug adds one, a blank one is made from the
    name), name, kind (wire, state_media, independent, newspaper, broadcaster, magazine, online,
    other), country (ISO alpha-2), domain; version is never written, only checked.
    """

    version = export_only("version", WholeNumberWidget())

    class Meta(AllOrNoneResource.Meta):
        model = Outlet
        fields = ["slug", "name", "kind", "country", "domain", "version"]
        import_id_fields = ["slug"]


class ArticleResource(AllOrNoneResource):
    """Articles, one a row, known by slug.

    Columns: slug (identifies the article), outlet and wire_source (outlet slugs; wire_source
    blank for none), headline, byline, url, language, published_earliest, published_latest
    (days), published_precision (day, week, month, quarter, year), published_inferred (1/0),
    published_note, text (the news body, exactly: claims' offsets count its characters; a
    changed text flags the claims whose wording no longer stands in it); version is never
    written, only checked.
    """

    outlet = fields.Field(attribute="outlet", column_name="outlet", widget=SlugWidget(Outlet))
    wire_source = fields.Field(
        attribute="wire_source", column_name="wire_source", widget=SlugWidget(Outlet)
    )
    version = export_only("version", WholeNumberWidget())

    class Meta(AllOrNoneResource.Meta):
        model = Article
        fields = [
            "slug",
            "outlet",
            "wire_source",
            "headline",
            "byline",
            "url",
            "language",
            "published_earliest",
            "published_latest",
            "published_precision",
            "published_inferred",
            "published_note",
            "text",
            "version",
        ]
        import_id_fields = ["slug"]

    def get_queryset(self) -> models.QuerySet:
        """Articles with their outlets, in one query."""
        return super().get_queryset().select_related("outlet", "wire_source")


class ClaimResource(AllOrNoneResource):
    """Claims, one a row, known by id: a blank id adds a claim, an id names a stored one.

    Columns:
    - id; article (the article's slug); the fact in two columns, fact_subject (its subject's
      slug) and fact_slug (its own slug), as in the fixtures' natural key [subject, fact];
    - status (candidate, draft, verified, rejected; blank is draft). Only reviewers
      (facts.verify_claim) verify or reject, and an editor's change to a verified or rejected
      claim sends it back to draft, as in the admin form;
    - wording, exactly as in the article; start and end may be left blank when the wording
      stands once in the article (or once after the prefix given), and are then found;
      prefix, suffix;
    - the value, by the fact's value kind. A quantity: number, number_high (a range's second
      number), unit, bound (exact, approximate, at_least, more_than, at_most, less_than, range,
      vague), hedge (the word as written: "some", "over"). A date: date_earliest, date_latest,
      date_precision (day, week, month, quarter, year). A category: category, one of the fact's.
      undisclosed (1/0) when the article says the value was not disclosed. as_of (blank: the
      publication day);
    - actor (the actor's slug; blank in the outlet's own voice), attribution_mode (direct_quote,
      indirect, own_voice; blank is own_voice), attribution_cue, note.
    Export only, derived by the model: value (as text: "~30,000"), value_kind, lower, upper,
    anchor_state; version is never written, only checked.
    """

    article = fields.Field(attribute="article", column_name="article", widget=SlugWidget(Article))
    fact_subject = KeyPartField(attribute="fact__subject__slug", column_name=FACT_SUBJECT_COLUMN)
    fact = fields.Field(attribute="fact", column_name="fact_slug", widget=FactWidget())
    actor = fields.Field(attribute="actor", column_name="actor", widget=SlugWidget(Actor))
    value = export_only("display_value")
    value_kind = export_only("value_kind")
    lower = export_only("lower", PlainDecimalWidget())
    upper = export_only("upper", PlainDecimalWidget())
    anchor_state = export_only("anchor_state")
    version = export_only("version", WholeNumberWidget())

    class Meta(AllOrNoneResource.Meta):
        model = Claim
        fields = [
            "id",
            "article",
            "fact_subject",
            "fact",
            "status",
            "wording",
            "start",
            "end",
            "prefix",
            "suffix",
            "undisclosed",
            "bound",
            "hedge",
            "number",
            "number_high",
            "unit",
            "date_earliest",
            "date_latest",
            "date_precision",
            "category",
            "as_of",
            "actor",
            "attribution_mode",
            "attribution_cue",
            "note",
            "value",
            "value_kind",
            "lower",
            "upper",
            "anchor_state",
            "version",
        ]
        import_id_fields = ["id"]

    def get_queryset(self) -> models.QuerySet:
        """Claims with the rows their columns name, in one query."""
        return super().get_queryset().select_related("article", "fact__subject", "actor")

    def after_init_instance(self, instance: Claim, new: bool, row: dict, **kwargs: Any) -> None:
        """Remember the stored status, for the reviewers' rule."""
        super().after_init_instance(instance, new, row, **kwargs)
        instance._import_status_before = None if new else instance.status

    def import_instance(self, instance: Claim, row: dict, **kwargs: Any) -> None:
        """Set the row's values; an id that names no claim is refused, not used for a new one."""
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance._import_status_before is None and instance.pk is not None:
            errors.setdefault("id", []).append(
                f"There is no claim {instance.pk}: leave the id blank to add a new claim."
            )
            instance.pk = None
        if errors:
            raise ValidationError(errors)

    def validate_instance(
        self,
        instance: Claim,
        import_validation_errors: dict | None = None,
        validate_unique: bool = True,
    ) -> None:
        """Report the review rule's refusal on the row (facts.services.review), then
        full_clean; the service applies the same rule when it saves."""
        errors = dict(import_validation_errors or {})
        try:
            review.status_after_change(
                user=self.user or review.SYSTEM,
                stored_status=instance._import_status_before,
                requested_status=instance.status,
                # Unchanged rows are skipped before validation: this row changes the claim.
                changed=review.CONTENT_FIELDS,
            )
        except ValidationError as refusal:
            for name, messages_ in refusal.message_dict.items():
                errors.setdefault(name, []).extend(messages_)
        super().validate_instance(instance, errors, validate_unique)


# The admin --------------------------------------------------------------------------------


class ExactTempFolderStorage(TempFolderStorage):
    """The uploaded file, kept until the confirm step, read back with its line breaks as
    written."""

    def _open(self, mode: str = "r") -> Any:
        # Text mode would turn a quoted "\r\n" into "\n": an article's text would change, and
        # its claims' offsets with it.
        if self.name and "b" not in mode:
            return open(self.get_full_path(), mode, encoding=self.encoding, newline="")
        return super()._open(mode)


class EditorImportExportMixin(ImportExportMixin):
    """Import and export as CSV or XLSX in the admin: import needs the model's add and change
    permissions, export its view permission."""

    formats = import_formats = export_formats = [base_formats.CSV, base_formats.XLSX]
    # A byte-order mark, so that Excel reads an exported CSV as UTF-8 (the import drops it).
    to_encoding = "utf-8-sig"
    tmp_storage_class = ExactTempFolderStorage

    def has_import_permission(self, request: HttpRequest) -> bool:
        """An import adds rows and changes others."""
        # django-import-export 4 checks nothing unless IMPORT_EXPORT_IMPORT_PERMISSION_CODE
        # names a permission, and then only that one.
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request: HttpRequest) -> bool:
        """Whoever may see the rows may export them."""
        return self.has_view_permission(request)

    def process_result(self, result: Result, request: HttpRequest) -> HttpResponse:
        """Report the confirmed import; one that failed was rolled back, so say so."""
        if result.has_errors() or result.has_validation_errors():
            # Only a confirm posted past a preview with errors gets here: nothing was saved,
            # and the stock report would count the rolled-back rows as imported.
            failed = len(result.invalid_rows) + len(result.row_errors()) + bool(result.base_errors)
            self.message_user(
                request,
                f"Nothing was imported: {failed} row(s) have errors. Import the file again to "
                "see them in the preview.",
                messages.ERROR,
            )
            changelist = "admin:{}_{}_changelist".format(*self.get_model_info())
            return HttpResponseRedirect(reverse(changelist, current_app=self.admin_site.name))
        return super().process_result(result, request)
