#!/usr/bin/env python3
"""Benchmark the full recompute at each corpus size: `manage.py recompute_verdicts` and its parts.

    .venv/bin/python bench/recompute.py sqlite:////tmp/f-10k.sqlite3 sqlite:////tmp/f-1m.sqlite3
    .venv/bin/python bench/recompute.py postgres://postgres@127.0.0.1:5432/f_1m --rounds 1

Each database is measured in a process of its own (Django reads DATABASE_URL once). The parts,
each timed alone (wall and this process's CPU), then the whole as the repair command runs it:
- the verdicts' drift check (`manage.py check_verdicts`: every verdict computed, nothing written);
- the outlet standings rebuilt (`manage.py recompute_outlet_standings`);
- the track records (`manage.py recompute_track_records`);
- the likely values (`manage.py recompute_likely`);
- all of it, verdicts stored where they moved (`manage.py recompute_verdicts`).

On a generated corpus, whose stored verdicts are already right, the whole writes no verdict: it
is the cost of reading and computing every fact, which is what a repair after a rule change
costs before its writes. Run it on a copy: the standings and track records are rewritten.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(rounds: int) -> dict[str, object]:
    """In this process, against DATABASE_URL: each part's best wall and CPU seconds."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factsite.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from facts.models import Claim, Fact
    from facts.services import likely, outlet_standings, track_records, verdicts

    parts = {
        "drift check": lambda: verdicts.drifted(),
        "outlet standings": outlet_standings.rebuild,
        "track records": track_records.recompute_all,
        "likely values": likely.recompute_likely,
        "whole recompute": verdicts.recompute_all,
    }
    figures: dict[str, object] = {
        "claims": Claim.objects.count(),
        "facts": Fact.objects.count(),
    }
    for name, run in parts.items():
        best: tuple[float, float] | None = None
        for _ in range(rounds):
            started, cpu = time.perf_counter(), time.process_time()
            run()
            taken = (time.perf_counter() - started, time.process_time() - cpu)
            best = taken if best is None or taken[0] < best[0] else best
        figures[name] = best
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("databases", nargs="*", help="DATABASE_URLs, one corpus each")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each part; best kept")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.rounds)))
        return
    results = []
    for url in args.databases:
        done = subprocess.run(
            [sys.executable, __file__, "--child", "--rounds", str(args.rounds)],
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
            check=True,
        )
        results.append((url, json.loads(done.stdout.splitlines()[-1])))
    print("Full recompute (seconds, wall / CPU of the process; best of --rounds):")
    for url, figures in results:
        print(f"  {url}: {figures['claims']:,} claims, {figures['facts']:,} facts")
        for name, value in figures.items():
            if isinstance(value, list):
                print(f"    {name:>17}: {value[0]:8.2f} s wall {value[1]:8.2f} s CPU")
    if len(results) > 1:
        first, last = results[0][1], results[-1][1]
        size = last["claims"] / max(1, first["claims"])  # type: ignore[operator]
        print(f"  last / first ({size:,.0f}x the claims):")
        for name, value in last.items():
            if isinstance(value, list):
                print(f"    {name:>17}: {value[0] / max(first[name][0], 1e-9):8.1f}x")  # type: ignore[index]


if __name__ == "__main__":
    main()
