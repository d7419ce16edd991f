#!/usr/bin/env bash
# Mutation testing of the verdict modules (issue 10, item 8).
#
# mutmut (pinned in requirements-dev.txt, configured in pyproject.toml [tool.mutmut]) copies
# facts/ and tests/ into mutants/, mutates facts/domain/agreement.py and facts/domain/values.py,
# and runs the pure tests (no database, no Django: `-p no:django --noconftest`) against every
# mutant. This prints each module's score (killed / total) and every mutant that was not killed,
# with its change. Why each surviving mutant of either module is left alive: bench/MUTANTS.md.
#
#   bench/mutation.sh                    # both modules, from a clean mutants/
#   bench/mutation.sh values             # only facts/domain/values.py (agreement, or both)
#   bench/mutation.sh --report           # print the last run's results again, run nothing
#   bench/mutation.sh agreement 'facts.domain.agreement.x_days_between*'   # some mutants only
#   PYTHON=python3 bench/mutation.sh     # an interpreter with requirements-dev.txt installed
#
# A mutant counts as killed when a test failed or the tests ran out of time (an endless loop is
# caught too). "No tests" means no selected test reaches the mutated function: it survives.
# Each run starts from a clean mutants/ so that the score is the suite's, not a cache's; the
# Hypothesis tests run with a fixed seed (pyproject.toml) and, under HYPOTHESIS_PROFILE=mutation,
# 25 derandomized examples each (tests/hypothesis_budget.py) so that two runs agree and each is
# short. Normal test runs keep each test's own number of examples.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}

which=both
run=yes
names=()
for arg in "$@"; do
    case $arg in
        values | agreement | both) which=$arg ;;
        --report) run=no ;;
        facts.domain.*) names+=("$arg") ;;
        *) echo "usage: bench/mutation.sh [values|agreement|both] [--report] [mutant glob]..." >&2; exit 2 ;;
    esac
done
if [ ${#names[@]} -eq 0 ]; then
    case $which in
        values) names=("facts.domain.values.*") ;;
        agreement) names=("facts.domain.agreement.*") ;;
    esac
fi

if [ "$run" = yes ]; then
    rm -rf mutants
    mkdir -p mutants
    started=$(date +%s)
    # Few, fixed Hypothesis examples per test (tests/hypothesis_budget.py): one run per mutant.
    export HYPOTHESIS_PROFILE=mutation
    # mutmut redraws a progress line many times a second: keep it out of the report.
    if ! "$python" -m mutmut run "${names[@]}" >mutants/run.log 2>&1; then
        tail -n 40 mutants/run.log >&2
        echo "mutmut failed; its output is in mutants/run.log" >&2
        exit 1
    fi
    echo "mutmut ran in $(($(date +%s) - started)) s (log: mutants/run.log)"
fi

"$python" - "$which" <<'EOF'
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from mutmut.mutation.diff_apply import get_diff_for_mutant

KILLED = {1, 3}  # a test failed, or pytest stopped on an internal error
TIMEOUT = {36, 24, -24, 152, 255}
NO_TESTS = {33}
SURVIVED = {0}

which = sys.argv[1]
modules = ["values", "agreement"] if which == "both" else [which]
for module in modules:
    path = f"facts/domain/{module}.py"
    meta = Path("mutants") / (path + ".meta")
    if not meta.exists():
        sys.exit(f"No results for {path}: run bench/mutation.sh first.")
    results = {
        name: code
        for name, code in json.loads(meta.read_text())["exit_code_by_key"].items()
        if code is not None
    }
    counts = Counter(
        "killed" if code in KILLED
        else "timeout" if code in TIMEOUT
        else "no tests" if code in NO_TESTS
        else "survived" if code in SURVIVED
        else "other"
        for code in results.values()
    )
    total = len(results)
    killed = counts["killed"] + counts["timeout"]
    print()
    print(
        f"{path}: {killed} of {total} mutants killed ({100 * killed / max(total, 1):.1f}%): "
        f"{counts['killed']} by a failing test, {counts['timeout']} by a timeout; "
        f"{counts['survived']} survived the tests, {counts['no tests']} reached by no test, "
        f"{counts['other']} other"
    )
    alive = defaultdict(list)
    for name, code in results.items():
        if code in KILLED or code in TIMEOUT:
            continue
        function = name.split(".")[-1].rsplit("__mutmut_", 1)[0]
        alive[function].append(name)
    for function, names in sorted(alive.items()):
        print(f"  {function.removeprefix('x_').replace('xǁ', '').replace('ǁ', '.')}: {len(names)}")
        for name in sorted(names, key=lambda n: int(n.rsplit("_", 1)[1])):
            status = "no tests" if results[name] in NO_TESTS else "survived"
            changes = [
                line
                for line in get_diff_for_mutant(name, path=path).splitlines()
                if line[:1] in "+-" and not line.startswith(("+++", "---"))
            ]
            print(f"    {name.rsplit('__mutmut_', 1)[1]:>4} {status}: " + "  =>  ".join(
                change[1:].strip() for change in changes
            ))
EOF
