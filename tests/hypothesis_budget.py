"""How many examples each Hypothesis test tries: its own number normally, a small fixed budget
under mutation testing.

bench/mutation.sh sets HYPOTHESIS_PROFILE=mutation: mutmut reruns the pure tests once per mutant
(hundreds of times, on a shared two-core machine), so each run must be short, and the same
examples every time (derandomize) so that two runs give the same score. A normal run (the
variable unset) loads no profile and each test keeps the number it asks for. Pure: no Django,
no fixtures, so that `--noconftest` runs can import it.
"""

import os

from hypothesis import settings

MUTATION_PROFILE = "mutation"
MUTATION_EXAMPLES = 25

settings.register_profile(
    MUTATION_PROFILE,
    max_examples=MUTATION_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
)
UNDER_MUTATION = os.environ.get("HYPOTHESIS_PROFILE") == MUTATION_PROFILE
if UNDER_MUTATION:
    settings.load_profile(MUTATION_PROFILE)


def examples(wanted: int) -> int:
    """A test's own `max_examples`, capped under mutation testing: an explicit
    `settings(max_examples=...)` overrides any profile, so the cap has to be applied here."""
    return min(wanted, MUTATION_EXAMPLES) if UNDER_MUTATION else wanted
