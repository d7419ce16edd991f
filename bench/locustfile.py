"""Load on the claims list (issue 16's goal: at least 100 list requests a second with 16
clients on 2 workers at 1M claims): anonymous clients asking for first pages, a few filters and
the next pages their cursors give, against gunicorn as run.py serves it (2 gthread workers,
factsite/gunicorn_conf.py), with the rate limits lifted as bench/api_reads.py lifts them:

    DATABASE_URL=sqlite:////tmp/c1m.sqlite3 HTTPS=0 THROTTLE_ANON=1000000/minute \\
        THROTTLE_USER=1000000/minute WEB_WORKERS=2 .venv/bin/gunicorn \\
        -c factsite/gunicorn_conf.py factsite.wsgi --bind 127.0.0.1:8001 &
    .venv/bin/locust -f bench/locustfile.py --headless -u 16 -r 16 -t 60s \\
        --host http://127.0.0.1:8001 --only-summary

FastHttpUser (geventhttpclient) rather than HttpUser (requests): locust runs on the same two
cores as the server, and the lighter client leaves more of them to it. A client waits for
nothing between requests: the figure is what the server answers flat out.

Each client starts on a first page (plain, or filtered by a verdict, a status, a fact or an
outlet) and follows `next_cursor` for up to four pages before starting again; any answer but a
200 counts as a failure. The facts and outlets filtered on are read from the API at the start.
"""

from __future__ import annotations

import random
from typing import Any

from locust import FastHttpUser, events, task

FILTERS: list[str] = ["", "", "verdict=agreed", "status=verified"]
PAGES_FOLLOWED = 4


@events.test_start.add_listener
def find_filters(environment: Any, **_kwargs: Any) -> None:
    """A few facts and outlets to filter the list by, read from the API being loaded."""
    import json
    import urllib.request

    def read(path: str) -> Any:
        with urllib.request.urlopen(f"{environment.host}{path}", timeout=120) as response:
            return json.loads(response.read())

    facts = read("/api/facts/?page_size=20")["results"]
    outlets = read("/api/outlets/?page_size=10")["results"]
    FILTERS.extend(f"fact={fact['id']}" for fact in facts[:5])
    FILTERS.extend(f"outlet={outlet['slug']}" for outlet in outlets[:3])


class ListReader(FastHttpUser):
    """An anonymous client reading the claims list page after page."""

    def on_start(self) -> None:
        self.cursor: str | None = None
        self.query = ""
        self.followed = 0

    @task
    def read_a_page(self) -> None:
        if self.cursor is None or self.followed >= PAGES_FOLLOWED:
            self.query, self.followed = random.choice(FILTERS), 0
            params = self.query
            name = f"/api/claims/?{self.query.split('=')[0]}" if self.query else "/api/claims/"
        else:
            params = f"{self.query}&cursor={self.cursor}" if self.query else f"cursor={self.cursor}"
            name = "/api/claims/?cursor (next pages)"
        with self.client.get(f"/api/claims/?{params}", name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
                self.cursor = None
                return
            self.cursor = response.json()["next_cursor"]
            self.followed += 1
