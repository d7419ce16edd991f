"""CSV for analysts (issue 12, item 6): each list's CSV has fixed, documented, flat columns with
one type each, the same on every page and for no rows; pages link to each other (RFC 8288);
all=true streams the whole filtered list with its row count; pandas reads it typed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pandas.api import types

from facts.models import Actor, Article, Claim, Fact, Outlet, Subject
from tests.factories import ActorFactory, ClaimFactory
from tests.problems import field_errors

DOCS = Path(__file__).resolve().parent.parent / "docs" / "API.md"

# The columns each list's CSV promises, in order: written out here by hand, as docs/API.md
# gives them to analysts.
TRACKED = ["version", "created_at", "updated_at"]
COLUMNS = {
    "outlets": ["id", "slug", "name", "domain", "country", "kind", *TRACKED],
    "articles": [
        "id",
        "slug",
        "outlet_id",
        "outlet_slug",
        "outlet_name",
        "url",
        "headline",
        "byline",
        "published_earliest",
        "published_latest",
        "published_precision",
        "published_inferred",
        "published_note",
        "language",
        "wire_source_id",
        "wire_source_slug",
        "wire_source_name",
        "text",
        "text_hash",
        *TRACKED,
    ],
    "actors": [
        "id",
        "slug",
        "name",
        "kind",
        "aliases",
        "parent_id",
        "parent_slug",
        "parent_name",
        "originator_id",
        "originator_slug",
        "originator_name",
        "description",
        *TRACKED,
    ],
    "subjects": ["id", "slug", "name", "kind", "aliases", "description", *TRACKED],
    "facts": [
        "id",
        "slug",
        "subject_id",
        "subject_slug",
        "subject_name",
        "property",
        "value_kind",
        "unit",
        "categories",
        "description",
        "verdict",
        "verdict_summary",
        "consensus_low",
        "consensus_best",
        "consensus_high",
        "consensus_earliest",
        "consensus_date",
        "consensus_latest",
        "consensus_category",
        "counted_claims",
        "counted_articles",
        "counted_outlets",
        "counted_originators",
        "verdict_updated_at",
        "verdict_stale",
        "likely_low",
        "likely_best",
        "likely_high",
        "likely_earliest",
        "likely_date",
        "likely_latest",
        "likely_category",
        "likely_confidence",
        "likely_tied",
        "likely_method",
        *TRACKED,
    ],
    "claims": [
        "id",
        "status",
        "fact_id",
        "fact_slug",
        "fact_property",
        "subject_id",
        "subject_slug",
        "value_kind",
        "fact_unit",
        "verdict",
        "article_id",
        "article_slug",
        "article_headline",
        "published_earliest",
        "published_latest",
        "outlet_id",
        "outlet_slug",
        "outlet_name",
        "actor_id",
        "actor_slug",
        "actor_name",
        "originator_kind",
        "originator_id",
        "originator_slug",
        "originator_name",
        "attribution_cue",
        "attribution_mode",
        "wording",
        "prefix",
        "suffix",
        "start",
        "end",
        "anchor_state",
        "value",
        "undisclosed",
        "number",
        "number_high",
        "unit",
        "bound",
        "hedge",
        "interval_low",
        "interval_high",
        "interval_earliest",
        "interval_latest",
        "date_precision",
        "category",
        "as_of",
        "note",
        *TRACKED,
    ],
}
MODELS = {
    "outlets": Outlet,
    "articles": Article,
    "actors": Actor,
    "subjects": Subject,
    "facts": Fact,
    "claims": Claim,
}
CLAIM_DATES = [
    "published_earliest",
    "published_latest",
    "interval_earliest",
    "interval_latest",
    "as_of",
    "created_at",
    "updated_at",
]
# Columns the seed record leaves empty in every row (it has no range, no wire story, no URL):
# each is filled by other data, unlike the old `interval` and `attribution.actor`.
EMPTY_IN_THE_SEEDS = {
    # note: staff only, empty for the public reader these tests use (docs/API.md).
    "claims": {"number_high", "note"},
    "articles": {"url", "wire_source_id", "wire_source_slug", "wire_source_name"},
}


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response).decode("utf-8"))))


def frame(response, parse_dates: list[str] | None = None) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(body(response)), parse_dates=parse_dates or [])


def links(response) -> dict[str, str]:
    """The Link header's targets by rel."""
    return {
        rel: url for url, rel in re.findall(r'<([^>]*)>;\s*rel="([^"]*)"', response.get("Link", ""))
    }


def json_pages(client, path: str, page_size: int) -> list[str]:
    """The URLs of a list's pages, by following the JSON `next`."""
    urls, url = [], f"{path}?page_size={page_size}"
    while url:
        urls.append(url)
        url = client.get(url).json()["next"]
    return urls


def json_ids(client, path: str, query: str = "") -> list[int]:
    """Every id of a JSON list, page after page, in the list's order."""
    ids, url = [], f"{path}?page_size=500{query}"
    while url:
        page = client.get(url).json()
        ids += [row["id"] for row in page["results"]]
        url = page["next"]
    return ids


# Fixed columns -------------------------------------------------------------------------------


def test_every_page_of_claims_has_the_same_documented_columns(client, seeds):
    pages = json_pages(client, "/api/claims/", page_size=20)
    assert len(pages) == 6  # the seed record's 117 claims
    for url in pages:
        header, *rows = csv_rows(client.get(f"{url}&format=csv"))
        assert header == COLUMNS["claims"], url
        assert all(len(row) == len(header) for row in rows)


@pytest.mark.parametrize("resource", list(COLUMNS))
def test_an_empty_list_is_its_header_row(client, db, resource):
    response = client.get(f"/api/{resource}/", {"format": "csv"})
    assert response.status_code == 200
    assert csv_rows(response) == [COLUMNS[resource]]


@pytest.mark.parametrize("resource", list(COLUMNS))
def test_no_column_repeats_and_none_is_always_empty(client, seeds, resource):
    table = frame(client.get(f"/api/{resource}/", {"format": "csv", "all": "true"}))
    assert list(table.columns) == COLUMNS[resource]
    assert len(set(table.columns)) == len(table.columns)
    empty = {name for name in table.columns if table[name].isna().all()}
    assert empty == EMPTY_IN_THE_SEEDS.get(resource, set())


def test_the_disputed_facts_come_in_the_facts_columns(client, seeds):
    header, *rows = csv_rows(client.get("/api/facts/disputed/", {"format": "csv", "all": "1"}))
    assert header == COLUMNS["facts"]
    verdicts = {row[header.index("verdict")] for row in rows}
    assert rows and verdicts <= {"disputed", "attribution_split", "contested"}


def test_the_columns_are_documented_in_docs_api_md(client, db):
    text = DOCS.read_text(encoding="utf-8")
    assert "## CSV for analysts" in text
    for resource, columns in COLUMNS.items():
        section = text.split(f"### {resource}\n", 1)[1].split("\n### ", 1)[0]
        assert re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.MULTILINE) == columns
        assert "pd.read_csv(" in section
        assert f'"http://localhost:8000/api/{resource}/?format=csv&all=true"' in section


# Typed columns: what pandas reads --------------------------------------------------------------


def test_pandas_reads_the_claims_with_typed_columns(client, seeds):
    table = frame(
        client.get("/api/claims/", {"format": "csv", "all": "true"}), parse_dates=CLAIM_DATES
    )
    integers = ["id", "fact_id", "subject_id", "article_id", "outlet_id", "originator_id"]
    assert {name: str(table[name].dtype) for name in integers} == dict.fromkeys(integers, "int64")
    numbers = ["number", "number_high", "interval_low", "interval_high"]
    assert {name: str(table[name].dtype) for name in numbers} == dict.fromkeys(numbers, "float64")
    assert str(table["undisclosed"].dtype) == "bool"
    for name in CLAIM_DATES:
        assert types.is_datetime64_any_dtype(table[name]), name
    # An own-voice claim has no actor: the column is numeric with gaps, Int64 when asked.
    assert str(table["actor_id"].dtype) == "float64"
    typed = pd.read_csv(
        io.BytesIO(body(client.get("/api/claims/", {"format": "csv", "all": "true"}))),
        dtype={"actor_id": "Int64"},
    )
    assert typed["actor_id"].isna().any() and str(typed["actor_id"].dtype) == "Int64"


def test_a_quantity_and_a_date_fill_their_own_interval_columns(client, seeds):
    table = frame(
        client.get("/api/claims/", {"format": "csv", "all": "true"}), parse_dates=CLAIM_DATES
    ).set_index("wording")
    miles = table.loc["93 miles"]
    # 83.7 to 102.3 miles, in the fact's kilometres (1 mile = 1.609344 km).
    assert miles["interval_low"] == pytest.approx(134.7020928)
    assert miles["interval_high"] == pytest.approx(164.6358912)
    assert (miles["number"], miles["unit"], miles["fact_unit"]) == (93.0, "mile", "kilometer")
    assert pd.isna(miles["interval_earliest"]) and pd.isna(miles["interval_latest"])
    september = table.loc["in September"]
    assert september["interval_earliest"] == pd.Timestamp(dt.date(2023, 9, 1))
    assert september["interval_latest"] == pd.Timestamp(dt.date(2023, 9, 30))
    assert pd.isna(september["interval_low"]) and pd.isna(september["interval_high"])


def test_pandas_reads_the_facts_consensus_as_numbers_and_dates(client, seeds):
    dates = ["consensus_earliest", "consensus_date", "consensus_latest", "verdict_updated_at"]
    table = frame(client.get("/api/facts/", {"format": "csv", "all": "true"}), parse_dates=dates)
    for name in ["consensus_low", "consensus_best", "consensus_high", "likely_confidence"]:
        assert str(table[name].dtype) == "float64", name
    for name in dates:
        assert types.is_datetime64_any_dtype(table[name]), name
    for name in ["id", "subject_id", "counted_claims", "counted_originators"]:
        assert str(table[name].dtype) == "int64", name
    assert str(table["likely_tied"].dtype) == "bool"
    # A date fact's consensus is in the date columns only; a quantity's in the numbers only.
    dated = table[table["value_kind"] == "date"]
    assert dated["consensus_low"].isna().all() and dated["consensus_date"].notna().all()
    counted = table[table["value_kind"] == "quantity"]
    assert counted["consensus_date"].isna().all() and counted["consensus_best"].notna().all()


# Pages -------------------------------------------------------------------------------------


def test_a_csv_page_links_to_the_next_and_previous_pages(client, seeds):
    first = client.get("/api/claims/", {"format": "csv", "page_size": 50})
    assert set(links(first)) == {"next"}
    second = client.get(links(first)["next"])
    assert set(links(second)) == {"next", "prev"}
    assert "format=csv" in links(second)["next"]
    last = client.get(links(second)["next"])
    assert set(links(last)) == {"prev"}
    back = client.get(links(last)["prev"])
    pages = [csv_rows(page) for page in (first, second, last)]
    assert [len(rows) - 1 for rows in pages] == [50, 50, 17]
    assert csv_rows(back) == pages[1]
    ids = [int(row[0]) for rows in pages for row in rows[1:]]
    assert ids == json_ids(client, "/api/claims/")


def test_page_one_and_a_later_page_read_into_the_same_typed_frame(client, seeds):
    first = client.get("/api/claims/", {"format": "csv", "page_size": 40})
    later = client.get(links(client.get(links(first)["next"]))["next"])
    one, three = frame(first, CLAIM_DATES), frame(later, CLAIM_DATES)
    assert list(one.columns) == list(three.columns) == COLUMNS["claims"]
    for name in ["id", "fact_id", "interval_low", "interval_high", "interval_earliest"]:
        assert one[name].dtype == three[name].dtype, name


# The whole list --------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", list(COLUMNS))
def test_all_true_streams_every_row_with_the_count_in_a_header(client, seeds, resource):
    response = client.get(f"/api/{resource}/", {"format": "csv", "all": "true"})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, *rows = csv_rows(response)
    assert header == COLUMNS[resource]
    ids = json_ids(client, f"/api/{resource}/")
    assert [int(row[0]) for row in rows] == ids
    assert int(response["X-Total-Count"]) == len(ids) == MODELS[resource].objects.count()


def test_all_true_follows_the_filters_and_the_ordering(client, seeds):
    query = {"outlet": "cnn", "ordering": "as_of", "value_kind": "quantity"}
    response = client.get("/api/claims/", {"format": "csv", "all": "true", **query})
    table = frame(response)
    expected = json_ids(client, "/api/claims/", "&outlet=cnn&ordering=as_of&value_kind=quantity")
    assert list(table["id"]) == expected
    assert int(response["X-Total-Count"]) == len(expected) > 0
    assert set(table["outlet_slug"]) == {"cnn"} and set(table["value_kind"]) == {"quantity"}


def test_all_true_with_no_row_is_the_header_and_a_count_of_nought(client, seeds):
    response = client.get("/api/claims/", {"format": "csv", "all": "true", "outlet": "nowhere"})
    assert csv_rows(response) == [COLUMNS["claims"]]
    assert response["X-Total-Count"] == "0"


def test_all_true_also_answers_accept_text_csv(client, seeds):
    response = client.get("/api/outlets/", {"all": "true"}, headers={"Accept": "text/csv"})
    assert response.status_code == 200
    assert int(response["X-Total-Count"]) == len(csv_rows(response)) - 1 == 4


def test_all_true_without_csv_is_a_400_saying_it_is_for_csv(client, seeds):
    response = client.get("/api/claims/", {"all": "true"})
    assert response.status_code == 400
    assert "CSV" in str(field_errors(response)["all"])


def test_all_with_a_value_not_true_or_false_is_a_400(client, seeds):
    response = client.get("/api/claims/", {"format": "csv", "all": "everything"})
    assert response.status_code == 400
    assert field_errors(response)["all"]


def test_a_streamed_export_takes_two_queries_whatever_its_length(client, seeds):
    """A COUNT and the rows (joined to what they name): never a query per row."""
    for query, rows in [({"outlet": "cnn"}, 20), ({}, 117)]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/claims/", {"format": "csv", "all": "true", **query})
            assert len(csv_rows(response)) - 1 == rows
        assert len(queries) == 2, [q["sql"][:80] for q in queries]


def test_an_originator_five_bodies_up_is_the_top_of_the_chain(client, db):
    top = ActorFactory(name="Top Body")
    chain = [top]
    for _ in range(5):
        chain.append(ActorFactory(parent=chain[-1]))
    ClaimFactory(actor=chain[-1])
    ClaimFactory(actor=chain[2])
    claims = frame(client.get("/api/claims/", {"format": "csv", "all": "true"}))
    assert list(claims["originator_name"]) == ["Top Body", "Top Body"]
    actors = frame(client.get("/api/actors/", {"format": "csv", "all": "true"}))
    assert set(actors["originator_name"]) == {"Top Body"}
    assert list(actors["originator_id"]) == [top.id] * 6


def test_a_streamed_export_makes_a_formula_inert(client, db):
    ClaimFactory(article__outlet__name="=HYPERLINK(1)", attribution_cue="+1 said")
    table = frame(client.get("/api/claims/", {"format": "csv", "all": "true"}))
    assert table.loc[0, "outlet_name"] == "'=HYPERLINK(1)"
    assert table.loc[0, "attribution_cue"] == "'+1 said"


def test_a_detail_offers_no_csv(client, seeds):
    claim = Claim.objects.first()
    response = client.get(f"/api/claims/{claim.id}/", {"format": "csv"})
    assert response.status_code == 400
    assert field_errors(response)["format"] == [
        "No format 'csv' here: choose json, api, or leave it out."
    ]


# The schema ----------------------------------------------------------------------------------


def test_the_schema_gives_each_lists_csv_as_text_and_the_all_parameter(client, db):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    for resource in COLUMNS:
        operation = schema["paths"][f"/api/{resource}/"]["get"]
        ok = operation["responses"]["200"]
        assert ok["content"]["text/csv"]["schema"]["type"] == "string"
        assert "interval" not in ok["content"]["text/csv"]["schema"]["description"].split(", ")
        assert {"Link", "X-Total-Count"} <= set(ok["headers"])
        assert "all" in [p["name"] for p in operation["parameters"]]
    detail = schema["paths"]["/api/claims/{id}/"]["get"]["responses"]["200"]["content"]
    assert list(detail) == ["application/json"]
