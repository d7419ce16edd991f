#!/usr/bin/env python3
"""The claims list's first page against its floors (bench/api_reads.py's `floors()`), for one or
more source trees measured alternately on the same database, so that a before/after comparison
is made in one run on a shared machine:

    git worktree add /tmp/base 959b8a2 && ln -s "$PWD/.venv" /tmp/base/.venv
    .venv/bin/python bench/list_floors.py --tree /tmp/base --tree . --repeat 3 \\
        sqlite:////tmp/c1m.sqlite3

Each (tree, round) is a child process with the tree's code first on its path and this tree's
`floors()`: the same measurement of each tree's view. Prints one line a measurement and the
lowest and highest median of each tree's rounds, in ms (wall and CPU).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = """
import json, os, sys
sys.path[:0] = [{tree!r}, {bench!r}]
os.chdir({tree!r})
import django
django.setup()
import api_reads
print(json.dumps(api_reads.floors({rounds})))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", help="DATABASE_URL of a corpus")
    parser.add_argument("--tree", action="append", required=True, help="a source tree's root")
    parser.add_argument("--repeat", type=int, default=3, help="rounds a tree, alternated")
    parser.add_argument("--rounds", type=int, default=41, help="requests timed a round")
    args = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": args.database,
        "DJANGO_SETTINGS_MODULE": "factsite.settings",
        "HTTPS": "0",
        "THROTTLE_ANON": "1000000/minute",
        "THROTTLE_USER": "1000000/minute",
    }
    figures: dict[str, list[dict[str, float]]] = {tree: [] for tree in args.tree}
    for round_ in range(args.repeat):
        for tree in args.tree:
            root = str(Path(tree).resolve())
            code = CHILD.format(tree=root, bench=str(HERE), rounds=args.rounds)
            done = subprocess.run(
                [str(Path(root) / ".venv" / "bin" / "python"), "-c", code],
                env=env,
                capture_output=True,
                text=True,
                cwd=root,
            )
            if done.returncode:
                sys.exit(f"{tree} failed:\n{done.stderr[-3000:]}")
            result = json.loads(done.stdout.strip().splitlines()[-1])
            figures[tree].append(result)
            shown = ", ".join(f"{name} {value:.2f}" for name, value in result.items())
            print(f"round {round_ + 1} {tree}: {shown}", flush=True)
    print("\nlowest-highest median of the rounds, ms:")
    for tree, results in figures.items():
        names = results[0].keys()
        spans = ", ".join(
            f"{name} {min(r[name] for r in results):.2f}-{max(r[name] for r in results):.2f}"
            for name in names
        )
        print(f"  {tree}: {spans}")


if __name__ == "__main__":
    main()
