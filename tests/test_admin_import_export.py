"""Editors' CSV and XLSX import and export in the admin: natural keys, a preview with row-level
errors, all or none, fresh verdicts, permissions."""

from __future__ import annotations

import csv
import html
import io
import tempfile
from collections.abc import Iterable
from unittest import mock

import openpyxl
import pytest
import tablib
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from import_export.formats import base_formats

from facts.models import Article, Claim, Fact, Outlet
from facts.services import verdicts
from facts.workspace.resources import ArticleResource, ClaimResource, OutletResource
from tests.factories import (
    ActorFactory,
    ArticleFactory,
    ClaimFactory,
    FactFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

RESOURCES = {Outlet: OutletResource, Article: ArticleResource, Claim: ClaimResource}
# The admins offer CSV then XLSX; the forms take a format by its index.
FORMATS = {"csv": "0", "xlsx": "1"}
CONTENT_TYPES = {"csv": "text/csv", "xlsx": base_formats.XLSX.CONTENT_TYPE}
# The columns of a file of new claims, as an editor would write it: no id, no offsets.
NEW_CLAIM_COLUMNS = [
    "article",
    "fact_subject",
    "fact_slug",
    "status",
    "wording",
    "undisclosed",
    "bound",
    "hedge",
    "number",
    "category",
    "actor",
    "attribution_mode",
    "attribution_cue",
]


# Files ------------------------------------------------------------------------------------


def csv_file(columns: list[str], rows: Iterable[dict]) -> bytes:
    """A CSV file as a spreadsheet saves it."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow({c: "" if row.get(c) is None else row[c] for c in columns})
    return out.getvalue().encode("utf-8")


def xlsx_file(columns: list[str], rows: Iterable[dict]) -> bytes:
    """An XLSX workbook with numbers as numbers and blanks as empty cells."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(columns)
    for row in rows:
        sheet.append([None if row.get(c) in (None, "") else row[c] for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def make_file(fmt: str, columns: list[str], rows: Iterable[dict]) -> bytes:
    """The rows as a file in this format."""
    return (csv_file if fmt == "csv" else xlsx_file)(columns, rows)


def read_export(fmt: str, content: bytes) -> list[dict]:
    """An exported file's rows as dicts of text, whatever its format."""
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    header, *rows = sheet.iter_rows(values_only=True)
    return [
        {name: "" if value is None else str(value) for name, value in zip(header, row, strict=True)}
        for row in rows
    ]


# The admin views --------------------------------------------------------------------------


def url(model: type[models.Model], action: str) -> str:
    """The address of one of a model's admin pages."""
    return reverse(f"admin:facts_{model._meta.model_name}_{action}")


def export(client: Client, model: type[models.Model], fmt: str) -> HttpResponse:
    """Export every row with every column, as the export form posts it."""
    resource = RESOURCES[model]
    # The 4.x export form has a checkbox per column, named <resource class>_<field>.
    columns = {
        f"{resource.__name__.lower()}_{name}": "on" for name in resource().get_export_order()
    }
    return client.post(url(model, "export"), {"format": FORMATS[fmt], "resource": "0", **columns})


def preview(
    client: Client, model: type[models.Model], fmt: str, content: bytes, name: str = "rows"
) -> HttpResponse:
    """Upload a file to the import page: the dry run and its preview."""
    upload = SimpleUploadedFile(f"{name}.{fmt}", content, content_type=CONTENT_TYPES[fmt])
    data = {"format": FORMATS[fmt], "resource": "0", "import_file": upload}
    return client.post(url(model, "import"), data)


def confirm(client: Client, model: type[models.Model], page: HttpResponse) -> HttpResponse:
    """Post the preview's confirm form, as its button does."""
    return client.post(url(model, "process_import"), page.context["confirm_form"].initial)


def force_confirm(client: Client, model: type[models.Model], page: HttpResponse) -> HttpResponse:
    """Post a confirm the preview did not offer, for the file it stored."""
    upload = page.context["form"].cleaned_data["import_file"]
    data = {
        "import_file_name": upload.tmp_storage_name,
        "original_file_name": upload.name,
        "format": page.context["form"].cleaned_data["format"],
        "resource": "0",
    }
    return client.post(url(model, "process_import"), data)


def counts() -> dict[str, int]:
    """How many rows each model has, with their history."""
    return {
        model.__name__: model.objects.count()
        for model in (Outlet, Article, Claim, Fact, Claim.history.model, Article.history.model)
    }


def staff_with(*codenames: str) -> object:
    """A staff user holding these permissions of the facts app, and no others."""
    user = UserFactory(is_staff=True)
    permissions = Permission.objects.filter(content_type__app_label="facts", codename__in=codenames)
    user.user_permissions.add(*permissions)
    return user


# Fixtures ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def uploads_in_tmp_path(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """The import keeps each uploaded file in the temporary folder until it is confirmed: use the
    test's own, so that previews never confirmed leave nothing behind."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))


@pytest.fixture
def superuser_client(admin_client_logged_in: Client) -> Client:
    """The admin, signed in as a superuser (a reviewer too)."""
    return admin_client_logged_in


@pytest.fixture
def desk() -> dict:
    """An article, a quantity fact and a categorical fact without claims, and an actor."""
    return {
        "article": ArticleFactory(),
        "troops": FactFactory(),
        "stay": FactFactory(categorical=True),
        "actor": ActorFactory(),
    }


def new_claims(desk: dict) -> list[dict]:
    """Three good new claims on the desk's rows, by natural key, their offsets left blank."""
    article, troops, stay = desk["article"].slug, desk["troops"], desk["stay"]
    quantity = {
        "article": article,
        "fact_subject": troops.subject.slug,
        "fact_slug": troops.slug,
        "status": "verified",
        "wording": "some 30,000 soldiers",
        "bound": "approximate",
        "hedge": "some",
        "number": 30000,
    }
    return [
        {
            **quantity,
            "actor": desk["actor"].slug,
            "attribution_mode": "indirect",
            "attribution_cue": "The United States has said",
        },
        {**quantity, "status": "draft", "attribution_mode": "own_voice"},
        {
            "article": article,
            "fact_subject": stay.subject.slug,
            "fact_slug": stay.slug,
            "status": "verified",
            "wording": "Russian troops will leave Belarus",
            "category": "none stay",
            "attribution_mode": "own_voice",
        },
    ]


# Export -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_outlets_export_with_every_column(seeds, superuser_client, fmt):
    response = export(superuser_client, Outlet, fmt)
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    rows = read_export(fmt, response.content)
    assert list(rows[0]) == ["slug", "name", "kind", "country", "domain", "version"]
    assert len(rows) == Outlet.objects.count() == 4
    tmt = next(row for row in rows if row["slug"] == "the-moscow-times")
    assert tmt["name"] == "The Moscow Times"
    assert (tmt["kind"], tmt["country"], tmt["domain"]) == (
        "independent",
        "NL",
        "themoscowtimes.com",
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_articles_export_with_their_outlet_by_slug_and_their_whole_text(
    seeds, superuser_client, fmt
):
    response = export(superuser_client, Article, fmt)
    assert response.status_code == 200
    rows = read_export(fmt, response.content)
    assert list(rows[0])[:3] == ["slug", "outlet", "wire_source"]
    assert "text" in rows[0] and "version" in rows[0]
    assert len(rows) == Article.objects.count() == 5
    slug = "tmt-2022-02-08-kremlin-says-russian-troops-will-return"
    row = next(row for row in rows if row["slug"] == slug)
    stored = Article.objects.get(slug=slug)
    assert row["outlet"] == "the-moscow-times"
    assert row["wire_source"] == ""
    assert row["published_earliest"].startswith("2022-02-08")
    # Every character of the news body, line breaks and no-break spaces included.
    assert row["text"] == stored.text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_claims_export_with_natural_keys_and_their_derived_values(seeds, superuser_client, fmt):
    response = export(superuser_client, Claim, fmt)
    assert response.status_code == 200
    rows = read_export(fmt, response.content)
    header = list(rows[0])
    assert header[:4] == ["id", "article", "fact_subject", "fact_slug"]
    assert header[-6:] == ["value", "value_kind", "lower", "upper", "anchor_state", "version"]
    assert len(rows) == Claim.objects.count() == 117
    by_id = {row["id"]: row for row in rows}
    category = by_id["1"]
    assert category["article"] == "tmt-2022-02-08-kremlin-says-russian-troops-will-return"
    assert (category["fact_subject"], category["fact_slug"]) == (
        "allied-resolve-2022",
        "russian-troops-stay-after-drills",
    )
    assert (category["actor"], category["attribution_mode"]) == ("kremlin", "indirect")
    assert (category["wording"], category["start"], category["end"]) == (
        "Russian troops will leave Belarus",
        "0",
        "33",
    )
    assert category["value"] == category["category"] == "none stay"
    quantity = by_id[str(Claim.objects.get(wording="two phases").pk)]
    assert quantity["actor"] == ""
    assert quantity["value"] == "2"
    assert {quantity["number"], quantity["lower"], quantity["upper"]} == {"2"}
    assert quantity["anchor_state"] == "anchored"


def test_an_exported_csv_opens_as_utf8_in_excel(seeds, superuser_client):
    content = export(superuser_client, Article, "csv").content
    # The byte-order mark tells Excel the encoding; curly quotes would be mojibake without it.
    assert content.startswith(b"\xef\xbb\xbfslug,")
    assert "“Allied Resolve”" in content.decode("utf-8-sig")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("model", [Outlet, Article, Claim], ids=lambda m: m.__name__)
def test_an_exported_file_imports_back_changing_nothing(seeds, superuser_client, model, fmt):
    content = export(superuser_client, model, fmt).content
    versions = dict(model.objects.values_list("pk", "updated_at"))
    before = counts()

    page = preview(superuser_client, model, fmt, content)
    result = page.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == model.objects.count()
    assert result.totals["new"] == result.totals["update"] == 0
    assert confirm(superuser_client, model, page).status_code == 302

    assert counts() == before
    assert dict(model.objects.values_list("pk", "updated_at")) == versions


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_text_typed_with_windows_line_breaks_imports_back_unchanged(superuser_client, fmt):
    # A browser posts a textarea's line breaks as \r\n, and XLSX cannot carry a \r.
    text = (
        "Russia and Belarus launched joint military drills Thursday.\r\n\r\n"
        "The United States has said some 30,000 soldiers were being dispatched to Belarus."
    )
    article = ArticleFactory(text=text)
    claim = ClaimFactory(article=article)
    # Stored once in one form, whatever the path in: line breaks as \n.
    assert Article.objects.get(pk=article.pk).text == text.replace("\r\n", "\n")
    assert "\n\n" in claim.prefix
    stored = {
        "text": text.replace("\r\n", "\n"),
        "prefix": claim.prefix,
        "version": claim.version,
    }

    for model in (Article, Claim):
        page = preview(superuser_client, model, fmt, export(superuser_client, model, fmt).content)
        assert page.context["result"].totals["skip"] == 1, model
        confirm(superuser_client, model, page)

    claim.refresh_from_db()
    assert Article.objects.get(pk=article.pk).text == stored["text"]
    assert (claim.prefix, claim.version) == (stored["prefix"], stored["version"])


def test_a_csv_text_is_stored_with_its_line_breaks_in_the_one_stored_form(superuser_client):
    outlet = ArticleFactory().outlet
    text = "First paragraph.\r\n\r\nSecond paragraph.\nThird."
    row = {"slug": "new-article", "outlet": outlet.slug, "text": text}
    page = preview(superuser_client, Article, "csv", csv_file(list(row), [row]))
    confirm(superuser_client, Article, page)
    assert Article.objects.get(slug="new-article").text == text.replace("\r\n", "\n")


# Import -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_new_claims_import_by_natural_key_with_a_preview_then_a_confirm(
    superuser_client, desk, fmt
):
    content = make_file(fmt, NEW_CLAIM_COLUMNS, new_claims(desk))
    before = counts()

    page = preview(superuser_client, Claim, fmt, content)
    assert page.status_code == 200
    result = page.context["result"]
    assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows
    assert result.totals["new"] == 3
    shown = html.unescape(page.content.decode())
    assert "Preview" in shown and "some 30,000 soldiers" in shown and "Confirm import" in shown
    assert counts() == before, "the preview saves nothing"

    response = confirm(superuser_client, Claim, page)
    assert response.status_code == 302
    assert response["Location"] == url(Claim, "changelist")
    claims = Claim.objects.filter(article=desk["article"]).order_by("pk")
    assert len(claims) == 3
    text = desk["article"].text
    for claim in claims:
        # The offsets were found from the wording, which stands once in the article.
        assert text[claim.start : claim.end] == claim.wording
        assert claim.anchor_state == "anchored"
    indirect = claims[0]
    assert (indirect.actor, indirect.lower, indirect.upper) == (desk["actor"], 27000, 33000)
    assert indirect.as_of == desk["article"].published_earliest


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_import_refreshes_the_stored_verdicts_of_its_facts(superuser_client, desk, fmt):
    troops, stay = desk["troops"], desk["stay"]
    assert Fact.objects.get(pk=troops.pk).verdict == "no_claims"
    page = preview(
        superuser_client, Claim, fmt, make_file(fmt, NEW_CLAIM_COLUMNS, new_claims(desk))
    )
    assert Fact.objects.get(pk=troops.pk).verdict == "no_claims", "a preview leaves verdicts be"

    with mock.patch("facts.services.verdicts.refresh", wraps=verdicts.refresh) as refresh:
        confirm(superuser_client, Claim, page)

    # Once for the whole import, not once a claim.
    assert [set(call.args[0]) for call in refresh.call_args_list] == [{troops.pk, stay.pk}]
    for fact in (troops, stay):
        stored = Fact.objects.get(pk=fact.pk)
        assert stored.verdict == "single_originator"
        assert stored.counted_claims == 1  # the verified one; the draft does not count
        assert stored.verdict == verdicts.verdict_for(stored).kind


def test_an_import_changes_stored_claims_named_by_id(superuser_client):
    claim = ClaimFactory(status=Claim.Status.DRAFT)
    columns = ["id", "article", "fact_subject", "fact_slug", "wording", "start", "end", "note"]
    row = {
        "id": claim.pk,
        "article": claim.article.slug,
        "fact_subject": claim.fact.subject.slug,
        "fact_slug": claim.fact.slug,
        "wording": claim.wording,
        "start": claim.start,
        "end": claim.end,
        "note": "Checked against the wire copy.",
    }
    page = preview(superuser_client, Claim, "csv", csv_file(columns, [row]))
    assert page.context["result"].totals["update"] == 1
    confirm(superuser_client, Claim, page)
    claim.refresh_from_db()
    assert claim.note == "Checked against the wire copy."
    assert claim.version == 2


# A bad row --------------------------------------------------------------------------------

BAD_ROWS = {
    "wording not in the article": (
        {"wording": "some 40,000 soldiers"},
        "wording",
        "The wording does not stand in the article. Copy it exactly as written.",
    ),
    "unknown article": (
        {"article": "no-such-article"},
        "article",
        "There is no article 'no-such-article'.",
    ),
    "category not the fact's": (
        {"category": "maybe"},
        "category",
        "'maybe' is not one of the fact's categories (none stay, some stay).",
    ),
    "hedge contradicting the bound": (
        {"bound": "exact"},
        "bound",
        "The hedge 'some' means approximate, not exact.",
    ),
}


def rows_with_a_bad_second(desk: dict, case: str) -> list[dict]:
    """The three good claims, the second spoilt as the case says (the category case spoils the
    categorical claim, moved second)."""
    first, second, third = new_claims(desk)
    if case == "category not the fact's":
        second, third = third, second
    change, _, _ = BAD_ROWS[case]
    return [first, {**second, **change}, third]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_a_file_with_one_bad_row_shows_its_error_and_saves_nothing(
    superuser_client, desk, case, fmt
):
    _, field, message = BAD_ROWS[case]
    content = make_file(fmt, NEW_CLAIM_COLUMNS, rows_with_a_bad_second(desk, case))
    before = counts()

    page = preview(superuser_client, Claim, fmt, content)
    result = page.context["result"]
    assert not result.has_errors()
    assert [row.number for row in result.invalid_rows] == [2]
    assert result.invalid_rows[0].error_dict[field] == [message]
    shown = html.unescape(page.content.decode())
    assert "Some rows failed to validate" in shown and message in shown
    assert "confirm_form" not in page.context
    assert "Confirm import" not in shown
    assert counts() == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_a_forced_confirm_of_a_file_with_a_bad_row_rolls_it_all_back(
    superuser_client, desk, case, fmt
):
    content = make_file(fmt, NEW_CLAIM_COLUMNS, rows_with_a_bad_second(desk, case))
    before = counts()
    page = preview(superuser_client, Claim, fmt, content)

    response = force_confirm(superuser_client, Claim, page)

    assert response.status_code == 302
    assert counts() == before
    assert Fact.objects.get(pk=desk["troops"].pk).verdict == "no_claims"
    shown = [str(m) for m in superuser_client.get(response["Location"]).context["messages"]]
    assert any(m.startswith("Nothing was imported: 1 row(s) have errors.") for m in shown)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("thirty thousand", "Write a number such as 30000 or 2.5, without separators"),
        ("30,000", "Write a number such as 30000 or 2.5, without separators"),
    ],
)
def test_a_malformed_cell_is_its_rows_error_not_a_crash(superuser_client, desk, value, message):
    rows = new_claims(desk)
    rows[0]["number"] = value
    page = preview(superuser_client, Claim, "csv", csv_file(NEW_CLAIM_COLUMNS, rows))
    (invalid,) = page.context["result"].invalid_rows
    assert invalid.number == 1
    assert invalid.error_dict["number"][0].startswith(message)


def test_a_null_character_is_its_rows_error_and_later_rows_are_still_checked(
    superuser_client, desk
):
    rows = new_claims(desk)
    rows[0]["article"] = "article\x00"
    rows[2]["category"] = "maybe"
    page = preview(superuser_client, Claim, "csv", csv_file(NEW_CLAIM_COLUMNS, rows))
    result = page.context["result"]
    assert not result.has_errors()
    errors = {row.number: row.error_dict for row in result.invalid_rows}
    assert errors[1] == {"article": ["Null characters are not allowed."]}
    assert list(errors[3]) == ["category"]


def test_an_id_that_names_no_claim_is_refused(superuser_client, desk):
    row = {**new_claims(desk)[0], "id": 999999}
    page = preview(superuser_client, Claim, "csv", csv_file(["id", *NEW_CLAIM_COLUMNS], [row]))
    (invalid,) = page.context["result"].invalid_rows
    assert invalid.error_dict["id"] == [
        "There is no claim 999999: leave the id blank to add a new claim."
    ]


def test_a_row_exported_before_someone_elses_edit_is_refused(superuser_client):
    claim = ClaimFactory()
    exported = ClaimResource().export(Claim.objects.filter(pk=claim.pk))
    claim.note = "Someone else's edit."
    claim.save()
    exported.dict = [{**exported.dict[0], "note": "My edit."}]

    page = preview(superuser_client, Claim, "csv", exported.export("csv").encode())

    (invalid,) = page.context["result"].invalid_rows
    assert invalid.error_dict["version"][0].startswith(
        "Someone else saved this claim (now version 2)"
    )
    claim.refresh_from_db()
    assert claim.note == "Someone else's edit."


# Through the resources --------------------------------------------------------------------


def dataset(columns: list[str], rows: Iterable[dict]) -> tablib.Dataset:
    """The rows as a tablib Dataset, as the admin reads a file into."""
    return tablib.Dataset(*[[row.get(c) for c in columns] for row in rows], headers=columns)


def test_the_resource_saves_all_rows_or_none(desk):
    before = counts()
    bad = dataset(NEW_CLAIM_COLUMNS, rows_with_a_bad_second(desk, "unknown article"))

    result = ClaimResource().import_data(bad, dry_run=False)

    assert result.has_validation_errors()
    assert counts() == before
    good = dataset(NEW_CLAIM_COLUMNS, new_claims(desk))
    assert not ClaimResource().import_data(good, dry_run=True).has_validation_errors()
    assert counts() == before
    result = ClaimResource().import_data(good, dry_run=False)
    assert result.totals["new"] == 3 and not result.has_validation_errors()
    assert Claim.objects.count() == before["Claim"] + 3


def test_the_resources_export_and_reimport_the_seeds_unchanged(seeds):
    for model, resource in RESOURCES.items():
        exported = resource().export()
        assert len(exported) == model.objects.count()
        result = resource().import_data(exported, dry_run=False)
        assert not result.has_errors() and not result.has_validation_errors(), model
        assert result.totals["skip"] == len(exported), model


def test_the_resources_import_outlets_and_articles_by_slug(seeds):
    outlets = dataset(
        ["slug", "name", "kind", "country", "domain"],
        [
            {
                "slug": "tass",
                "name": "TASS",
                "kind": "state_media",
                "country": "ru",
                "domain": "TASS.com",
            }
        ],
    )
    assert OutletResource().import_data(outlets, dry_run=False).totals["new"] == 1
    tass = Outlet.objects.get(slug="tass")
    assert (tass.country, tass.domain) == ("RU", "tass.com")
    articles = dataset(
        ["slug", "outlet", "wire_source", "headline", "text", "published_inferred"],
        [
            {
                "slug": "cnn-2023-russia-increases-joint-military-drills",
                "outlet": "cnn",
                "wire_source": "tass",
                "headline": "Russia increases joint military drills",
                "text": Article.objects.get(
                    slug="cnn-2023-russia-increases-joint-military-drills"
                ).text,
                "published_inferred": "maybe",
            }
        ],
    )
    result = ArticleResource().import_data(articles, dry_run=False)
    (invalid,) = result.invalid_rows
    assert invalid.error_dict["published_inferred"] == ["Write 1 for yes or 0 for no; got 'maybe'."]
    articles.dict = [{**articles.dict[0], "published_inferred": "1"}]
    assert ArticleResource().import_data(articles, dry_run=False).totals["update"] == 1
    assert (
        Article.objects.get(slug="cnn-2023-russia-increases-joint-military-drills").wire_source
        == tass
    )


# Permissions ------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [Outlet, Article, Claim], ids=lambda m: m.__name__)
def test_the_admins_offer_csv_and_xlsx_only(model):
    model_admin = admin.site._registry[model]
    assert model_admin.get_import_formats() == [base_formats.CSV, base_formats.XLSX]
    assert model_admin.get_export_formats() == [base_formats.CSV, base_formats.XLSX]


@pytest.mark.parametrize(
    "codenames",
    [("view_claim", "change_claim"), ("view_claim", "add_claim")],
    ids=["without add", "without change"],
)
def test_a_user_without_the_add_and_change_permissions_cannot_import(client, desk, codenames):
    client.force_login(staff_with(*codenames))
    assert client.get(url(Claim, "import")).status_code == 403
    content = csv_file(NEW_CLAIM_COLUMNS, new_claims(desk))
    assert preview(client, Claim, "csv", content).status_code == 403
    assert client.post(url(Claim, "process_import"), {"format": "0"}).status_code == 403
    assert url(Claim, "import") not in client.get(url(Claim, "changelist")).content.decode()


def test_an_editor_with_add_and_change_permissions_imports(client, desk):
    client.force_login(staff_with("view_claim", "add_claim", "change_claim"))
    assert url(Claim, "import") in client.get(url(Claim, "changelist")).content.decode()
    assert client.get(url(Claim, "import")).status_code == 200
    draft = [{**row, "status": "draft"} for row in new_claims(desk)]
    page = preview(client, Claim, "csv", csv_file(NEW_CLAIM_COLUMNS, draft))
    confirm(client, Claim, page)
    assert Claim.objects.filter(status="draft").count() == 3


def test_a_user_with_the_view_permission_exports(client, seeds):
    client.force_login(staff_with("view_claim"))
    assert url(Claim, "export") in client.get(url(Claim, "changelist")).content.decode()
    response = export(client, Claim, "csv")
    assert response.status_code == 200
    assert len(read_export("csv", response.content)) == 117


def test_a_user_without_the_view_permission_cannot_export(client, seeds):
    client.force_login(staff_with("view_outlet"))
    assert export(client, Claim, "csv").status_code == 403


def test_only_a_reviewer_imports_claims_as_verified(client, desk):
    client.force_login(staff_with("view_claim", "add_claim", "change_claim"))
    page = preview(client, Claim, "csv", csv_file(NEW_CLAIM_COLUMNS, new_claims(desk)))
    errors = {row.number: row.error_dict for row in page.context["result"].invalid_rows}
    message = ["Only a reviewer may verify or reject a claim."]
    assert errors == {1: {"status": message}, 3: {"status": message}}


def test_an_editors_import_sends_a_changed_verified_claim_back_to_draft(client):
    claim = ClaimFactory(status=Claim.Status.VERIFIED)
    client.force_login(staff_with("view_claim", "add_claim", "change_claim"))
    exported = ClaimResource().export(Claim.objects.filter(pk=claim.pk))
    exported.dict = [{**exported.dict[0], "attribution_cue": "Washington has said"}]
    page = preview(client, Claim, "csv", exported.export("csv").encode())
    confirm(client, Claim, page)
    claim.refresh_from_db()
    assert (claim.attribution_cue, claim.status) == ("Washington has said", "draft")
