"""CSV for analysts: a list as a table with fixed columns (facts.api.csv_columns), a page at a
time with RFC 8288 Link headers to walk the pages, or the whole filtered list streamed with
?all=true. The views include CSVListMixin; nothing here knows the JSON serializers."""

from __future__ import annotations

import copy
import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from facts.api.csv_columns import INTEGER, TABLES, Table
from facts.api.renderers import CSVRenderer
from facts.api.visibility import hidden_fields
from facts.domain.spreadsheets import inert

CONTENT_TYPE = "text/csv; charset=utf-8"
# Bytes gathered before a streamed export sends them on: few writes, flat memory.
STREAM_BUFFER = 64 * 1024

ALL_VALUES = {"true": True, "1": True, "false": False, "0": False}
ALL_FOR_CSV = (
    "all=true is for CSV (format=csv or Accept: text/csv): the whole list in one table. "
    "JSON lists come in pages: follow `next`."
)


def csv_chunks(header: list[str], rows: Iterable[list[Any]]) -> Iterator[bytes]:
    """The header and the rows as CSV (RFC 4180: CRLF, quotes where needed), in chunks of
    about STREAM_BUFFER bytes; every cell made inert to spreadsheets (facts.domain.spreadsheets,
    the admin's exports' rule too)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([inert(cell) for cell in row])
        if buffer.tell() >= STREAM_BUFFER:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def export_all(request: Request) -> bool:
    """Whether ?all= asks for the whole list; a value other than true/false/1/0 is a 400."""
    raw = request.query_params.get("all")
    if raw is None:
        return False
    try:
        return ALL_VALUES[raw.strip().lower()]
    except KeyError:
        raise ValidationError({"all": "Give all=true or all=false."}) from None


def link_header(links: dict[str, str | None]) -> str:
    """An RFC 8288 Link header: <url>; rel="next", <url>; rel="prev"."""
    return ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url)


class CSVListMixin:
    """Lists that answer text/csv from their table's fixed columns: a page (with Link headers
    to the next and previous pages), or with all=true the whole filtered, ordered list,
    streamed from the database a chunk at a time with its row count in X-Total-Count.

    Include it before the viewset's base class and set `csv_table`; an action other than
    list that offers CSV names itself in `csv_actions` and returns `self.csv_list(queryset)`
    when `self.wants_csv()`."""

    csv_table: ClassVar[Table]
    csv_actions: ClassVar[tuple[str, ...]] = ("list",)

    # Provided by the DRF view this is mixed into.
    request: Request
    action: str | None
    paginator: Any

    def get_renderers(self) -> list:
        renderers = super().get_renderers()  # type: ignore[misc]
        if getattr(self, "action", None) in self.csv_actions:
            # Only the lists offer CSV: a detail or a cross-source view is no table.
            renderers.append(CSVRenderer())
        return renderers

    def allowed_query_parameters(self) -> set[str]:
        """The lists that offer CSV also take `all` (facts.api.parameters)."""
        allowed = set(super().allowed_query_parameters())  # type: ignore[misc]
        return allowed | {"all"} if getattr(self, "action", None) in self.csv_actions else allowed

    def wants_csv(self) -> bool:
        return isinstance(getattr(self.request, "accepted_renderer", None), CSVRenderer)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if self.action in self.csv_actions and export_all(request) and not self.wants_csv():
            raise ValidationError({"all": ALL_FOR_CSV})

    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not self.wants_csv():
            return super().list(request, *args, **kwargs)  # type: ignore[misc]
        queryset = self.filter_queryset(self.get_queryset())  # type: ignore[attr-defined]
        return self.csv_list(queryset)

    def csv_list(self, queryset: QuerySet, table: Table | None = None) -> HttpResponseBase:
        """The filtered, ordered queryset as CSV: streamed whole with all=true, else a page."""
        table = table or self.csv_table
        hidden = hidden_fields(queryset.model, self.request.user)
        if export_all(self.request):
            return streamed_csv(table, queryset, hidden=hidden)
        page = self.paginate_queryset(queryset)  # type: ignore[attr-defined]
        ids = [row.pk for row in page]
        # The page's rows read flat, then put in the page's order (a `previous` page is
        # read backwards by the paginator and turned round).
        position = {pk: index for index, pk in enumerate(ids)}
        id_column = table.header.index("id")
        rows = sorted(
            table.rows(queryset.filter(pk__in=ids), hidden=hidden),
            key=lambda row: position[row[id_column]],
        )
        response = HttpResponse(b"".join(csv_chunks(table.header, rows)), content_type=CONTENT_TYPE)
        links = link_header(
            {
                "next": self.paginator.get_next_link(),
                "prev": self.paginator.get_previous_link(),
            }
        )
        if links:
            response["Link"] = links
        return response


def streamed_csv(
    table: Table, queryset: QuerySet, *, hidden: frozenset[str] = frozenset()
) -> StreamingHttpResponse:
    """Every row of the queryset, in its order, streamed: one COUNT for X-Total-Count, then
    the rows from a database iterator CHUNK_SIZE at a time, so memory stays flat. The count is
    taken as the export starts; rows written meanwhile may or may not be in it."""
    total = queryset.count()
    response = StreamingHttpResponse(
        csv_chunks(table.header, table.rows(queryset, hidden=hidden)), content_type=CONTENT_TYPE
    )
    response["X-Total-Count"] = str(total)
    response["Content-Disposition"] = f'inline; filename="{table.resource}.csv"'
    return response


# The OpenAPI schema --------------------------------------------------------------------------

ALL_PARAMETER = {
    "in": "query",
    "name": "all",
    "required": False,
    "schema": {"type": "boolean", "default": False},
    "description": "CSV only (format=csv or Accept: text/csv): the whole filtered, ordered "
    "list in one streamed table, its row count in X-Total-Count. With JSON it is a 400.",
}

CSV_HEADERS = {
    "Link": {
        "schema": {"type": "string"},
        "description": 'CSV pages: RFC 8288 links to the next and previous pages, rel="next" '
        'and rel="prev" (JSON pages have them in the body).',
    },
    "X-Total-Count": {
        "schema": {"type": "integer"},
        "description": "CSV with all=true: the number of rows in the table.",
    },
}


def csv_in_schema(result: dict, generator: Any, request: Any, public: bool) -> dict:
    """A drf-spectacular postprocessing hook: a list's text/csv answer is a table, described by
    its columns, not the JSON page's schema; and the lists that offer it take `all`."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            ok = operation.get("responses", {}).get("200", {})
            content = ok.get("content", {})
            if "text/csv" not in content:
                continue
            table = TABLES[operation["operationId"].split("_")[0]]
            content["text/csv"] = {"schema": csv_schema(table)}
            ok.setdefault("headers", {}).update(copy.deepcopy(CSV_HEADERS))
            operation.setdefault("parameters", []).append(copy.deepcopy(ALL_PARAMETER))
    return result


def csv_schema(table: Table) -> dict:
    columns = ", ".join(
        f"{c.name} ({c.kind}{', may be empty' if c.kind == INTEGER and c.nullable else ''})"
        for c in table.columns
    )
    return {
        "type": "string",
        "description": f"CSV (RFC 4180), a header row then a row per {table.resource[:-1]}, "
        f"always these columns in this order: {columns}. See docs/API.md.",
    }
