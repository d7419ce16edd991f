"""The curated dates of the seed claims are what their wordings mean on the publication day."""

import datetime as dt

import pytest

from facts.domain import dates, seeding

ARTICLES = {
    row["fields"]["slug"]: row["fields"]
    for row in seeding.read(seeding.FIXTURES_DIR / "articles.json")
}
FACTS = {
    (row["fields"]["subject"][0], row["fields"]["slug"]): row["fields"]
    for row in seeding.read(seeding.FIXTURES_DIR / "facts.json")
}
DATE_CLAIMS = [
    row
    for row in seeding.read(seeding.FIXTURES_DIR / "claims.json")
    if FACTS[tuple(row["fields"]["fact"])]["value_kind"] == "date"
    and not row["fields"]["undisclosed"]
]
# Wordings whose tense the sentence gives: "is scheduled to resume on Thursday".
TENSES = {"on Thursday": {"tmt-2022-02-08-kremlin-says-russian-troops-will-return": "future"}}
# Where the curator narrowed a wording by context the resolver cannot read: CNN's article is only
# known to be from 2023, but "Union Shield 2023 ... in September" can only be September 2023.
NARROWED_BY_CONTEXT = {"in September", "in October"}
# Dated against another event the article names, not against its publication day: "just days
# after" Truss's trip of Feb. 10. tests/test_seed_corrections.py pins what the curator read.
DATED_BY_ANOTHER_EVENT = {
    "just days after Macron conducted a round of shuttle diplomacy between Moscow and Kyiv"
}


def resolved(claim: dict) -> dates.DateValue | None:
    article = ARTICLES[claim["article"][0]]
    fact_slug = claim["fact"][1]
    part = "start" if "start" in fact_slug else "end" if "end" in fact_slug else None
    return dates.resolve_date_window(
        claim["wording"],
        dt.date.fromisoformat(article["published_earliest"]),
        dt.date.fromisoformat(article["published_latest"]),
        part=part if "-" in claim["wording"] else None,
        tense=TENSES.get(claim["wording"], {}).get(claim["article"][0]),
    )


def test_there_are_date_claims_to_check():
    assert len(DATE_CLAIMS) >= 20


@pytest.mark.parametrize(
    "row", DATE_CLAIMS, ids=lambda row: f"{row['pk']}-{row['fields']['wording']}"
)
def test_each_curated_date_is_what_its_wording_means(row):
    claim = row["fields"]
    if claim["wording"] in DATED_BY_ANOTHER_EVENT:
        published = ARTICLES[claim["article"][0]]["published_earliest"]
        assert claim["date_earliest"] <= claim["date_latest"] < published
        return
    value = resolved(claim)
    assert value is not None, claim["wording"]
    earliest = dt.date.fromisoformat(claim["date_earliest"])
    latest = dt.date.fromisoformat(claim["date_latest"])
    if claim["wording"] in NARROWED_BY_CONTEXT:
        assert value.earliest <= earliest <= latest <= value.latest
    else:
        assert (value.earliest, value.latest, value.precision) == (
            earliest,
            latest,
            claim["date_precision"],
        )
