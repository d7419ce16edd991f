"""The likely value of facts: truth discovery (facts.domain.truth) over every fact's counted
claims at once, so that each originator is weighed by its track record over all facts."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import QuerySet

from facts.domain import agreement, truth
from facts.models import Claim
from facts.services.verdicts import Context, Row, claim_rows, evidence_from_row


def vote_of(evidence: agreement.Evidence, item: str) -> truth.Vote | None:
    """A claim as a vote of its originator; an undisclosed value gives none."""
    if evidence.undisclosed:
        return None
    if evidence.category:
        value = truth.category(evidence.category)
    else:
        value = truth.Value(low=evidence.low, high=evidence.high, point=evidence.point)
    return truth.Vote(item=item, source=evidence.originator, value=value)


def votes(claims: QuerySet[Claim], facts: Mapping[int, Row]) -> list[truth.Vote]:
    """The claims as votes, item = the fact's id as text, source = the resolved originator
    (a spokesman under his body, an outlet's own voice as the outlet or its wire): read in one
    query for the claims and one for their articles."""
    rows = list(claim_rows(claims))
    context = Context({row["article_id"] for row in rows})
    found = []
    for row in rows:
        fact = facts.get(row["fact_id"])
        if fact is None:
            continue
        vote = vote_of(evidence_from_row(row, fact, context), str(row["fact_id"]))
        if vote is not None:
            found.append(vote)
    return found
