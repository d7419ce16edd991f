"""On SQLite (one writer at a time), a write made while an import holds its write transaction
waits for it (the busy timeout, SQLITE_BUSY_TIMEOUT) and succeeds, instead of failing with
"database is locked"; with no timeout left, it is a 503 with Retry-After, never a 500.

pytest-django's SQLite database is in memory, one connection: this needs a file and two
connections, so it runs in a subprocess on a database of its own, with two threads (each has
its own connection): one runs an import and holds its write transaction open (a hook before
the claims' insert, when the lock is held), the other creates an outlet through the API
meanwhile. The import checks its rows before it takes the lock, so a write made while it checks
does not even wait."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = r"""
import json
import threading
import time

import django

django.setup()
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import setup_test_environment

setup_test_environment()
call_command("migrate", verbosity=0)

from facts.api import importing
from facts.models import Claim, Outlet
from facts.services import bulk_insert
from tests.factories import ActorFactory, ArticleFactory, FactFactory, UserFactory

boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
ActorFactory(slug="us-government")
article, facts = ArticleFactory(), [FactFactory(), FactFactory()]
client = Client()
client.force_login(boss)


def rows(fact):
    return [{
        "article": article.slug, "fact": [fact.subject.slug, fact.slug],
        "wording": "some 30,000 soldiers", "number": "30000", "bound": "approximate",
        "hedge": "some", "actor": "us-government", "attribution_mode": "indirect",
        "attribution_cue": "The United States has said", "status": "verified",
    }]


# The hook: the import's write transaction (BEGIN IMMEDIATE: the lock is held from its start)
# waits here, before the claims are inserted.
holds = {"now": None}
insert = bulk_insert.insert


def held_insert(*args, **kwargs):
    if holds["now"] is not None:
        holds["now"]()
    return insert(*args, **kwargs)


bulk_insert.insert = held_insert


def write_during_import(fact, slug, *, release):
    # The import's thread holds its transaction open in its progress hook until `release`
    # is set; the main thread writes meanwhile.
    holding, trying, done = threading.Event(), threading.Event(), threading.Event()
    events = {"trying": trying, "done": done}
    outcome = {}

    def hold():
        holding.set()
        events[release].wait()
        if release == "trying":
            time.sleep(0.5)  # so that the write has started waiting: an aid, not a check

    def run_import():
        try:
            holds["now"] = hold
            result = importing.import_claims(rows=rows(fact), user=boss)
            outcome["imported"] = result.created
        finally:
            holds["now"] = None
            holding.set()
            connection.close()

    importer = threading.Thread(target=run_import)
    importer.start()
    holding.wait()
    trying.set()
    response = client.post(
        "/api/outlets/",
        {"name": slug, "slug": slug, "domain": f"{slug}.example.org", "country": "US",
         "kind": "newspaper"},
        content_type="application/json",
    )
    done.set()
    importer.join()
    return {
        "status": response.status_code,
        "retry_after": response.get("Retry-After"),
        "locked": "not answering" in response.content.decode(),
        "imported": outcome.get("imported"),
        "outlet_saved": Outlet.objects.filter(slug=slug).exists(),
    }


report = {}
options = connection.settings_dict["OPTIONS"]
report["timeout"] = options["timeout"]
# No busy timeout: the write finds the database locked (the import waits for it to end).
options["timeout"] = 0
connection.close()
report["without_timeout"] = write_during_import(facts[0], "impatient", release="done")
# The configured busy timeout: the write waits for the import's commit.
options["timeout"] = report["timeout"]
connection.close()
report["with_timeout"] = write_during_import(facts[1], "patient", release="trying")
report["claims"] = Claim.objects.count()
print("REPORT " + json.dumps(report))
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's one writer at a time")
def test_a_write_during_an_import_waits_for_it_and_succeeds_on_sqlite(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'desk.sqlite3'}",
        "FACTSITE_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "factsite.settings",
        "HTTPS": "0",
        "SQLITE_BUSY_TIMEOUT": "20",
        "LIKELY_REFRESH_AFTER_WRITES": "0",
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    [line] = [line for line in done.stdout.splitlines() if line.startswith("REPORT ")]
    report = json.loads(line.removeprefix("REPORT "))
    assert report["timeout"] == 20
    # Without a busy timeout, the write is refused while the import runs: a 503 to retry.
    assert report["without_timeout"] == {
        "status": 503,
        "retry_after": "30",
        "locked": True,
        "imported": 1,
        "outlet_saved": False,
    }
    # With it, the write waits its turn and both are saved.
    assert report["with_timeout"] == {
        "status": 201,
        "retry_after": None,
        "locked": False,
        "imported": 1,
        "outlet_saved": True,
    }
    assert report["claims"] == 2
