"""Where a claim is listed: a claim's subject is its fact's subject, its outlet its article's
outlet. The claim carries both (Claim.subject, Claim.outlet) so that the claims of a subject or
an outlet are read from an index of their own in the list's order (issue 16); this module is
the one place that says what they hold, and every write that could change them calls it:

- a claim saved (facts.services.claims: created, edited, moved to another fact or article,
  proposed by the ingest, imported), or inserted in bulk (the claims import, generate_corpus):
  `place` / `place_on`, before the row is written;
- a fact given another subject, an article given another outlet (facts.services.records,
  facts.services.articles): `follow_fact` / `follow_article`, in the same transaction;
- the seed fixtures carry both, completed from the fact and article rows
  (facts.domain.seeding.complete_claim), since loaddata writes rows as they are;
- migration 0030 filled them for the claims stored before, by the same rule in SQL.

`misplaced` lists any claim that breaks the rule (`manage.py check_claim_placement`, the tests).
"""

from __future__ import annotations

from django.db.models import F, Q, QuerySet

from facts.models import Article, Claim, Fact


def place(claim: Claim) -> None:
    """Set a claim's subject and outlet from the fact and the article it holds (rows already
    read, or read now); a relation not set yet leaves its column as it is, for validation to
    refuse the claim."""
    place_on(claim, fact=claim.related("fact"), article=claim.related("article"))


def place_on(claim: Claim, *, fact: Fact | None, article: Article | None) -> None:
    """Set a claim's subject and outlet from its fact and article given as rows in hand (a bulk
    insert holds them, and the claim may not hold them itself)."""
    if fact is not None:
        claim.subject_id = fact.subject_id
    if article is not None:
        claim.outlet_id = article.outlet_id


def follow_fact(*, fact: Fact) -> int:
    """A fact's claims take its (new) subject, in one UPDATE; returns how many moved. The
    columns are derived, not the desk's: no version, no history row (as the verdict side)."""
    moved: int = (
        Claim.objects.filter(fact_id=fact.pk)
        .exclude(subject_id=fact.subject_id)
        .update(subject_id=fact.subject_id)
    )
    return moved


def follow_article(*, article: Article) -> int:
    """An article's claims take its (new) outlet, in one UPDATE; returns how many moved."""
    moved: int = (
        Claim.objects.filter(article_id=article.pk)
        .exclude(outlet_id=article.outlet_id)
        .update(outlet_id=article.outlet_id)
    )
    return moved


def misplaced() -> QuerySet[Claim]:
    """The claims whose subject is not their fact's, or whose outlet is not their article's:
    none, as long as every write goes through this module."""
    return Claim.objects.filter(
        ~Q(subject_id=F("fact__subject_id")) | ~Q(outlet_id=F("article__outlet_id"))
    )
