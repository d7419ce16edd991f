"""manage.py ingest PATH... --outlet SLUG [--published DATE] [--url URL]: ingest captured
articles (HTML or plain text; `-` reads standard input), all or nothing."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from facts.models import Outlet
from facts.services import ingest
from facts.services.review import SYSTEM

SUFFIXES: dict[str, ingest.ContentType] = {".html": "html", ".htm": "html", ".txt": "text"}


class Command(BaseCommand):
    help = (
        "Ingest captured articles (HTML or plain text; - reads standard input): each stored "
        "once, its boilerplate left out, its claims proposed as candidates. All or nothing: "
        "a refused capture saves no article."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--outlet", required=True, help="The outlet's slug.")
        parser.add_argument("--published", help="The publication day, YYYY-MM-DD.")
        parser.add_argument("--url", default="", help="The article's URL (one PATH only).")
        parser.add_argument(
            "--background",
            action="store_true",
            help="Ingest as a background job (a worker runs it: manage.py db_worker); more "
            "than INGEST_SYNC_MAX_PATHS paths always are. Needs --user.",
        )
        parser.add_argument("--user", help="The username a background job is run for.")

    def handle(self, *args: Any, **options: Any) -> None:
        paths: list[str] = options["paths"]
        outlet = Outlet.objects.filter(slug=options["outlet"]).first()
        if outlet is None:
            raise CommandError(f"No outlet with the slug {options['outlet']!r}.")
        published = _day(options["published"])
        if options["url"] and len(paths) > 1:
            raise CommandError("--url names one article: give one PATH with it.")
        if paths.count("-") > 1:
            raise CommandError("Standard input can be read once.")
        if options["background"] or len(paths) > settings.INGEST_SYNC_MAX_PATHS:
            self._submit(paths, outlet=outlet, published=published, options=options)
            return
        # One batch: the record the extractor matches is read once for all its paths.
        known = ingest.KnownRecord.read()
        with transaction.atomic():
            for path in paths:
                raw, kind = _read(path)
                try:
                    result = ingest.ingest_article(
                        user=SYSTEM,
                        raw=raw,
                        content_type=kind,
                        outlet=outlet,
                        url=options["url"],
                        published=published,
                        known=known,
                    )
                except ValidationError as error:
                    raise CommandError(
                        f"{path}: {'; '.join(error.messages)} Nothing was saved."
                    ) from None
                self.stdout.write(_line(path, result))

    def _submit(
        self, paths: list[str], *, outlet: Outlet, published: date | None, options: dict
    ) -> None:
        """Check every capture that can be checked now, then queue them as one job."""
        from django.contrib.auth import get_user_model

        from facts.services import jobs

        username = options["user"]
        user = get_user_model().objects.filter(username=username).first() if username else None
        if user is None:
            raise CommandError(
                f"A background ingest ({len(paths)} paths; at most "
                f"{settings.INGEST_SYNC_MAX_PATHS} run at once) is run for a user: give --user."
            )
        if len(paths) > settings.INGEST_BATCH_MAX:
            raise CommandError(f"At most {settings.INGEST_BATCH_MAX} paths make one job.")
        rows = []
        for path in paths:
            raw, kind = _read(path)
            try:
                text = ingest.decode(raw)
            except ValidationError as error:
                raise CommandError(
                    f"{path}: {'; '.join(error.messages)} Nothing was saved."
                ) from None
            rows.append(
                {
                    "outlet": outlet.slug,
                    "content": text,
                    "content_type": kind,
                    "url": options["url"],
                    "published": published.isoformat() if published else None,
                    "headline": "",
                    "byline": "",
                }
            )
        with transaction.atomic():
            job = jobs.submit_ingest(user=user, rows=rows)
        self.stdout.write(
            f"Queued as job {job.pk} ({len(rows)} captures): a worker runs it "
            f"(manage.py db_worker); see GET /api/imports/{job.pk}/."
        )


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--published: {text!r} is not a day (YYYY-MM-DD).") from None


def _read(path: str) -> tuple[bytes, ingest.ContentType | None]:
    """The file's bytes (up to one past the limit: enough to tell it is too large)."""
    limit = settings.INGEST_MAX_BYTES + 1
    if path == "-":
        return _read_from(sys.stdin.buffer, limit), None
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"{path}: no such file.")
    with file.open("rb") as handle:
        return _read_from(handle, limit), SUFFIXES.get(file.suffix.lower())


def _read_from(handle: BinaryIO, limit: int) -> bytes:
    return handle.read(limit)


def _line(path: str, result: ingest.IngestResult) -> str:
    article = result.article
    if result.duplicate_of:
        return f"{path}: stored already (by {result.duplicate_of}) as {article.slug}"
    copies = f", a copy of article(s) {list(result.copies)}" if result.copies else ""
    return (
        f"{path}: {article.slug}: {result.candidates} candidate(s), "
        f"{len(result.removed)} boilerplate paragraph(s) left out{copies}"
    )
