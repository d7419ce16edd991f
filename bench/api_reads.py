#!/usr/bin/env python3
"""Benchmark the API's read paths on generated corpora of several sizes, served by gunicorn,
in one run, with each path's median at the largest size as a ratio of its median at the
smallest (goal: within 1.5x), and the claims list against its floors measured in the same
process: the raw SQL of its page and a plain DRF ModelSerializer view of the same rows (goal:
within 2x of the floor and no slower than plain DRF).

    # corpora made once with manage.py generate_corpus, each in a database of its own:
    DATABASE_URL=sqlite:////tmp/c10k.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/c10k.sqlite3 .venv/bin/python manage.py generate_corpus --claims 10000
    ...
    .venv/bin/python bench/api_reads.py sqlite:////tmp/c10k.sqlite3 sqlite:////tmp/c1m.sqlite3
    .venv/bin/python bench/api_reads.py --rounds 21 postgres://postgres@127.0.0.1:5432/c10k \
        postgres://postgres@127.0.0.1:5432/c1m

Each database is measured by a child process of this script (`--measure URL`): it finds the
ids to ask for (the hot fact, a typical fact, an outlet, a claim, a page in the middle of the
claims list), starts gunicorn on the database (2 gthread workers, as run.py serves), asks each
path `--rounds` times after two warm-ups, and prints one JSON line. Times are wall-clock
medians on this machine: compare them within one run, as ratios.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _cursor_at(list_path: str, position: list[Any]) -> str:
    """A cursor into a list at a given position: its first page's next cursor, moved there."""
    separator = "&" if "?" in list_path else "?"
    first_page = _get_json(f"{list_path}{separator}page_size=1")
    ordering, direction, _position = json.loads(_unpad(first_page["next_cursor"]))
    moved = json.dumps([ordering, direction, position], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(moved).decode().rstrip("=")


def paths_for(database_url: str) -> dict[str, str]:
    """The paths to ask, by name, with ids read from this corpus: every list's first page and
    a page in its middle, each of the claims list's filters, and the details."""
    from django.db.models import Count

    from facts.models import Actor, Article, Claim, Fact, Outlet

    facts = Fact.objects.annotate(n=Count("claims")).order_by("-n")
    hot = facts.first()
    counts = sorted(facts.values_list("n", flat=True))
    typical_count = counts[len(counts) // 2] if counts else 0
    typical = facts.filter(n__gte=max(typical_count, 1)).order_by("n", "pk").first()
    outlets = list(Outlet.objects.exclude(kind="wire").order_by("pk")[:2])
    claim = Claim.objects.order_by("pk").first()
    article = Article.objects.order_by("pk").first()
    actor = Actor.objects.annotate(n=Count("claims")).order_by("-n", "pk").first()
    category = (
        Claim.objects.exclude(category="")
        .values_list("category", flat=True)
        .order_by("category")
        .first()
    )
    assert hot and typical and claim and article and actor and len(outlets) == 2
    assert hot.subject_id is not None

    def middle_id(model: Any) -> int:
        ids = model.objects.order_by("pk").values_list("pk", flat=True)
        return int(ids[model.objects.count() // 2])

    claims_middle = _cursor_at("/api/claims/", [middle_id(Claim)])
    articles_middle = _cursor_at("/api/articles/", [middle_id(Article)])
    facts_middle = _cursor_at("/api/facts/", [middle_id(Fact)])
    return {
        "claims, first page": "/api/claims/",
        "claims, middle page": f"/api/claims/?cursor={claims_middle}",
        "claims of a typical fact": f"/api/claims/?fact={typical.pk}",
        "claims of the hot fact": f"/api/claims/?fact={hot.pk}",
        "claims of a subject": f"/api/claims/?subject={hot.subject_id}",
        "claims of an outlet": f"/api/claims/?outlet={outlets[0].slug}",
        "claims of an actor": f"/api/claims/?actor={actor.slug}",
        "claims of an article": f"/api/claims/?article={article.pk}",
        "claims, verified": "/api/claims/?status=verified",
        "claims, ?verdict=agreed": "/api/claims/?verdict=agreed",
        "claims, dates": "/api/claims/?value_kind=date",
        "claims, undisclosed": "/api/claims/?undisclosed=true",
        "claims, published in 2025": (
            "/api/claims/?published_after=2025-01-01&published_before=2025-12-31"
        ),
        "claims, as of 2025": "/api/claims/?as_of_after=2025-01-01&as_of_before=2025-12-31",
        "claims, values 1,000-5,000": "/api/claims/?value_min=1000&value_max=5000",
        "claims, dated in 2025": "/api/claims/?date_after=2025-01-01&date_before=2025-12-31",
        "claims, to the day": "/api/claims/?date_precision=day",
        "claims, a category": f"/api/claims/?category={urllib.parse.quote(category or 'x')}",
        "claims, newest changes": "/api/claims/?ordering=-updated_at",
        "claims, latest as_of first": "/api/claims/?ordering=-as_of",
        "claims, earliest value first": "/api/claims/?ordering=start",
        "claims, q matching nothing": "/api/claims/?q=zebrafinch",
        "claims, q matching": "/api/claims/?q=troops",
        "claims, CSV page": "/api/claims/?format=csv",
        "claim": f"/api/claims/{claim.pk}/",
        "articles, first page": "/api/articles/",
        "articles, middle page": f"/api/articles/?cursor={articles_middle}",
        "articles of an outlet": f"/api/articles/?outlet={outlets[0].slug}",
        "articles, q matching nothing": "/api/articles/?q=zebrafinch",
        "article": f"/api/articles/{article.pk}/",
        "facts, first page": "/api/facts/",
        "facts, middle page": f"/api/facts/?cursor={facts_middle}",
        "facts of a subject": f"/api/facts/?subject={hot.subject_id}",
        "facts, disputed": "/api/facts/?disputed=true",
        "facts, quantities": "/api/facts/?value_kind=quantity",
        "fact, typical": f"/api/facts/{typical.pk}/",
        "fact, hot": f"/api/facts/{hot.pk}/",
        "comparison, typical fact": f"/api/facts/{typical.pk}/comparison/",
        "comparison, hot fact": f"/api/facts/{hot.pk}/comparison/",
        "disputed facts": "/api/facts/disputed/",
        "outlets": "/api/outlets/",
        "actors": "/api/actors/",
        "subjects": "/api/subjects/",
        "outlet against outlet": f"/api/outlets/{outlets[0].slug}/agreement/?with={outlets[1].slug}",
        "outlet record": f"/api/outlets/{outlets[0].slug}/record/",
        "changes feed, from the start": "/api/changes/?since=2000-01-01T00:00:00Z",
    }


def _unpad(cursor: str) -> str:
    return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()


BASE = ""


def _get(path: str) -> tuple[float, int, int]:
    """Seconds, status and bytes of one GET."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(BASE + path, timeout=300) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    return time.perf_counter() - started, status, len(body)


def _get_json(path: str) -> Any:
    with urllib.request.urlopen(BASE + path, timeout=300) as response:
        return json.loads(response.read())


def floors(rounds: int) -> dict[str, float]:
    """The claims list's first page in this process, in ms (median wall time; `... CPU` the
    median of this process's CPU time, steadier on a shared machine, and on SQLite the whole of
    the work): through the real view; through a plain DRF ModelSerializer view of the claims
    alone (no related rows: bare ids); and two floors:
    - `page floor`: the least work that gives the page's body. The page's own joined query
      (the claims with their brief related rows, 51 rows, the SQL compiled beforehand) run by
      a raw cursor, and the page's body (the JSON the view answered, made beforehand) written by
      json.dumps. It leaves out only turning the database's values into the API's shapes.
    - `raw SQL, flat`: `SELECT * FROM claim ORDER BY id LIMIT 51`, the floor this script
      measured before: no join, no JSON; no view that shows the related rows comes near it."""
    from django.db import connection
    from rest_framework import generics, serializers
    from rest_framework.pagination import CursorPagination
    from rest_framework.test import APIRequestFactory

    from facts.api.views import ClaimViewSet
    from facts.models import Claim

    class PlainClaim(serializers.ModelSerializer):
        class Meta:
            model = Claim
            fields = "__all__"

    class PlainPage(CursorPagination):
        page_size = 50
        ordering = "id"

    class PlainList(generics.ListAPIView):
        queryset = Claim.objects.all()
        serializer_class = PlainClaim
        pagination_class = PlainPage
        authentication_classes: list[Any] = []
        permission_classes: list[Any] = []
        throttle_classes: list[Any] = []

    factory = APIRequestFactory()
    real = ClaimViewSet.as_view({"get": "list"})
    plain = PlainList.as_view()
    table = Claim._meta.db_table

    def render(view: Any) -> Any:
        response = view(factory.get("/api/claims/", HTTP_HOST="localhost"))
        response.render()
        assert response.status_code == 200, response.content[:300]
        return response

    # The page's query as the list asks it (the public claims, newest first, one row more than
    # the page), compiled once; and its body, once.
    page = Claim.objects.public().with_brief_relations().order_by("-id")[:51]
    page_sql, page_params = page.query.sql_with_params()
    body = json.loads(render(real).content)

    def page_floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute(page_sql, page_params)
            assert len(cursor.fetchall()) == 51
        json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()

    def raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {table} ORDER BY id LIMIT 51")
            cursor.fetchall()

    figures: dict[str, float] = {}
    for name, function in [
        ("view", lambda: render(real)),
        ("plain DRF", lambda: render(plain)),
        ("page floor", page_floor),
        ("raw SQL, flat", raw),
    ]:
        for _ in range(3):
            function()
        walls, cpus = [], []
        for _ in range(rounds):
            wall, cpu = time.perf_counter(), time.process_time()
            function()
            cpus.append(time.process_time() - cpu)
            walls.append(time.perf_counter() - wall)
        figures[name] = statistics.median(walls) * 1000
        figures[f"{name} CPU"] = statistics.median(cpus) * 1000
    return figures


def measure(database_url: str, rounds: int) -> dict[str, Any]:
    """This database's figures (run in a child process: Django is set up once a process)."""
    global BASE
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factsite.settings")
    os.environ.setdefault("HTTPS", "0")
    os.environ.setdefault("THROTTLE_ANON", "1000000/minute")
    # The signed-in rate counts anonymous clients too (DRF's UserRateThrottle, by address):
    # left at 1,200 a minute, a run's later figures were of 429 answers.
    os.environ.setdefault("THROTTLE_USER", "1000000/minute")
    import django

    django.setup()
    from facts.models import Claim

    claims = Claim.objects.count()
    port = free_port()
    BASE = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "--config",
            str(ROOT / "factsite" / "gunicorn_conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "factsite.wsgi",
        ],
        cwd=ROOT,
        env={**os.environ, "WEB_WORKERS": "2", "WEB_TIMEOUT": "300"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                if _get("/api/")[1] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        paths = paths_for(database_url)
        figures: dict[str, Any] = {}
        for name, path in paths.items():
            for _ in range(2):
                _get(path)
            runs = [_get(path) for _ in range(rounds)]
            statuses = {status for _, status, _ in runs}
            figures[name] = {
                "ms": statistics.median(seconds for seconds, _, _ in runs) * 1000,
                "bytes": runs[-1][2],
                "status": sorted(statuses),
            }
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"database": database_url, "claims": claims, "paths": figures, "floors": floors(rounds)}


def report(results: list[dict[str, Any]]) -> None:
    small, large = results[0], results[-1]
    sizes = [f"{r['claims']:,}" for r in results]
    vendor = small["database"].split(":", 1)[0]
    print(f"\nAPI reads on {vendor}, median ms over each size (bytes at the largest):")
    header = "  ".join(f"{s:>10}" for s in sizes)
    print(f"  {'path':<30}  {header}  {'ratio':>6}  {'bytes':>9}  status")
    for name in small["paths"]:
        row = [r["paths"][name] for r in results]
        times = "  ".join(f"{f['ms']:>10.1f}" for f in row)
        ratio = row[-1]["ms"] / row[0]["ms"] if row[0]["ms"] else float("nan")
        flag = "" if ratio <= 1.5 else "  > 1.5x"
        statuses = ",".join(str(s) for s in row[-1]["status"])
        print(f"  {name:<30}  {times}  {ratio:>6.2f}  {row[-1]['bytes']:>9,}  {statuses}{flag}")
    print("\nThe claims list's first page in process (ms, wall / CPU), against its floors:")
    for result in results:
        f = result["floors"]
        print(
            f"  {result['claims']:>10,} claims: view {f['view']:.2f} / {f['view CPU']:.2f}, "
            f"plain DRF {f['plain DRF']:.2f} / {f['plain DRF CPU']:.2f}, page floor "
            f"{f['page floor']:.2f} / {f['page floor CPU']:.2f}, raw SQL flat "
            f"{f['raw SQL, flat']:.2f}; view / page floor "
            f"{f['view'] / f['page floor']:.2f}x, view / plain DRF "
            f"{f['view'] / f['plain DRF']:.2f}x"
        )
    del large


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "databases", nargs="*", help="DATABASE_URLs of generated corpora, smallest first"
    )
    parser.add_argument("--rounds", type=int, default=11, help="requests timed per path")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.measure:
        print(json.dumps(measure(args.measure, args.rounds)))
        return
    if not args.databases:
        parser.error("name at least one database")
    results = []
    for url in args.databases:
        print(f"measuring {url} ...", file=sys.stderr, flush=True)
        done = subprocess.run(
            [PYTHON, __file__, "--measure", url, "--rounds", str(args.rounds)],
            capture_output=True,
            text=True,
        )
        if done.returncode:
            sys.exit(f"measuring {url} failed:\n{done.stderr[-3000:]}")
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    report(results)


if __name__ == "__main__":
    main()
