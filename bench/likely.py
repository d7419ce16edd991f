#!/usr/bin/env python3
"""Benchmark the likely values' computation (facts.services.likely.compute_likely, what
recompute_all runs) on an existing corpus: the CPU time of reading the claims as votes, of the
truth discovery (facts.domain.truth.likely) and of the stored fields; the rounds it took, and
the figures its cost grows with. Writes nothing.

    DATABASE_URL=sqlite:////tmp/h7-1m.sqlite3 nice .venv/bin/python bench/likely.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h7_1m nice .venv/bin/python bench/likely.py
    ... --dump FILE writes every fact's likely columns (one JSON line a fact) to compare trees
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump", help="write every fact's likely columns here")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factsite.settings")
    import django

    django.setup()
    from facts.domain import truth
    from facts.models import Claim, Fact
    from facts.services import likely
    from facts.services.verdicts import FACT_COLUMNS

    started = time.process_time()
    facts = {f["id"]: f for f in Fact.objects.values(*FACT_COLUMNS)}
    every_vote = likely.votes(Claim.objects.verified(), facts, {})
    read = time.process_time()
    result = truth.likely(every_vote)
    done = time.process_time()
    items = truth.by_item(truth.usable(every_vote))
    pairs = sum(len(vs) * len({v.value.key for v in vs}) for vs in items.values())
    print(f"{len(facts):,} facts, {len(every_vote):,} votes, {len(result.weights):,} originators")
    print(f"votes x candidates summed over the facts: {pairs:,}; rounds: {result.iterations}")
    print(f"CPU: reading the votes {read - started:.1f} s, truth.likely {done - read:.1f} s")
    started = time.process_time()
    computed = likely.compute_likely()
    print(f"CPU: compute_likely in all {time.process_time() - started:.1f} s")
    if args.dump:
        with open(args.dump, "w") as out:
            for fact_id, fields in sorted(computed, key=lambda pair: pair[0]):
                row = [fact_id, *(fields[name] for name in sorted(fields))]
                out.write(json.dumps(row, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
