"""manage.py generate_corpus: a corpus for benchmarks at scale that the product itself would
accept, row by row, with the shape issue 16 measured (50 claims an article, 100 a fact, a hot
fact, wire stories carried again)."""

from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from facts.domain.corpus import Shape
from facts.models import Actor, Article, ArticleStory, Claim, Fact, Outlet
from facts.services import search_index, verdicts
from tests.factories import ArticleFactory

CLAIMS = 1_000
HOT = 400


@pytest.fixture
def corpus(db):
    call_command("generate_corpus", claims=CLAIMS, hot_fact_claims=HOT, verbosity=0)


def test_a_million_claims_come_on_twenty_thousand_articles_and_ten_thousand_facts():
    shape = Shape.for_claims(1_000_000)
    assert (shape.articles, shape.facts, shape.hot_fact_claims) == (20_000, 10_000, 10_000)
    assert (shape.outlets, shape.spokespeople) == (200, 1_000)


def test_a_small_corpus_still_has_a_hot_fact_of_a_tenth_of_its_claims():
    assert Shape.for_claims(10_000).hot_fact_claims == 1_000


def test_it_writes_the_claims_asked_for_with_one_hot_fact(corpus):
    assert Claim.objects.count() == CLAIMS
    per_fact = Counter(Claim.objects.values_list("fact_id", flat=True))
    hot_fact, hot_claims = per_fact.most_common(1)[0]
    assert hot_fact == Fact.objects.order_by("pk").first().pk
    assert 300 <= hot_claims <= 500
    # Skewed: the busiest of the other facts has several times the claims of the median one.
    others = sorted(count for fact, count in per_fact.items() if fact != hot_fact)
    assert others[-1] >= 2 * others[len(others) // 2]


def test_every_generated_row_passes_the_models_own_validation(corpus):
    # The database checked every constraint as the rows went in; the model's field checks and
    # clean() (a value that fits its wording, its unit and its fact) are checked here for
    # every row, and the whole full_clean, constraints by query, for a sample of claims.
    for model in (Outlet, Actor, Fact, Article, Claim):
        for row in model.objects.all():
            row.clean_fields()
            row.clean()
    for claim in Claim.objects.order_by("?")[:20]:
        claim.full_clean()


def test_every_wording_stands_at_its_offsets_in_its_articles_text(corpus):
    for claim in Claim.objects.select_related("article"):
        assert claim.article.text[claim.start : claim.end] == claim.wording
        assert claim.article.text[: claim.start].endswith(claim.prefix)
        assert claim.article.text[claim.end :].startswith(claim.suffix)


def test_a_wire_story_carried_by_another_outlet_is_the_same_story(corpus):
    copies = Article.objects.filter(wire_source__isnull=False).select_related("wire_source")
    assert copies.exists()
    for copy in copies:
        original = Article.objects.get(outlet=copy.wire_source, text_hash=copy.text_hash)
        assert copy.wire_source.kind == "wire"
        assert (
            ArticleStory.objects.get(article=copy).key
            == ArticleStory.objects.get(article=original).key
        )
        assert copy.claims.count() == original.claims.count()


def test_it_holds_every_value_kind_every_status_and_editors_notes(corpus):
    assert set(Claim.objects.values_list("value_kind", flat=True)) == {
        "quantity",
        "date",
        "categorical",
    }
    assert set(Claim.objects.values_list("status", flat=True)) == {
        "verified",
        "draft",
        "candidate",
        "rejected",
    }
    assert not Claim.objects.filter(status="draft", note="").exists()
    assert Claim.objects.filter(attribution_mode="own_voice").exists()
    assert Actor.objects.filter(parent__isnull=False).exists()


def test_its_verdicts_are_those_its_claims_give_and_of_several_kinds(corpus):
    assert verdicts.drifted() == []
    kinds = set(Fact.objects.exclude(counted_claims=0).values_list("verdict", flat=True))
    assert {"agreed", "outlier", "value_conflict"} <= kinds


def test_every_record_has_its_creation_in_history(corpus):
    for model in (Outlet, Actor, Fact, Article, Claim):
        assert model.history.filter(history_type="+").count() == model.objects.count()


def test_it_refuses_a_record_that_holds_articles_already(db):
    ArticleFactory()
    with pytest.raises(CommandError, match="empty database"):
        call_command("generate_corpus", claims=100, verbosity=0)
    assert Claim.objects.count() == 0


def test_it_refuses_a_hot_fact_with_more_claims_than_the_corpus(db):
    with pytest.raises(CommandError, match="hot fact"):
        call_command("generate_corpus", claims=100, hot_fact_claims=101, verbosity=0)


def test_on_postgresql_the_planner_knows_the_corpus_size_when_it_is_written(corpus):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("ANALYZE's row estimates are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'facts_claim'")
        (estimated,) = cursor.fetchone()
    # Never analysed, a table's estimate is -1 (PostgreSQL 14 on): the planner guesses.
    assert estimated == CLAIMS


# The load sets the secondary indexes and SQLite's search triggers aside -------------------


def schema_objects() -> set[tuple[str, str]]:
    """Every index and trigger of the database, by its definition."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT 'index', indexdef FROM pg_indexes WHERE schemaname = current_schema()"
            )
        else:
            cursor.execute(
                "SELECT type, sql FROM sqlite_master "
                "WHERE type IN ('index', 'trigger') AND sql IS NOT NULL"
            )
        return set(cursor.fetchall())


def test_the_corpus_has_every_index_and_search_trigger_the_migrations_made(db):
    migrated = schema_objects()
    assert any("trgm" in sql or "_search_insert" in sql for _, sql in migrated)
    call_command("generate_corpus", claims=CLAIMS, hot_fact_claims=HOT, verbosity=0)
    assert schema_objects() == migrated


def test_a_load_that_fails_leaves_the_record_empty_with_its_indexes(db, monkeypatch):
    migrated = schema_objects()

    def failing(**kwargs):
        raise RuntimeError("the verdicts failed")

    monkeypatch.setattr(verdicts, "recompute_all", failing)
    with pytest.raises(RuntimeError, match="the verdicts failed"):
        call_command("generate_corpus", claims=CLAIMS, hot_fact_claims=HOT, verbosity=0)
    # All or nothing: no batch of articles and claims stays behind a failure.
    assert not Article.objects.exists()
    assert not Claim.objects.exists()
    assert schema_objects() == migrated


def test_the_search_finds_the_corpus_claims_and_articles(corpus):
    if connection.vendor == "sqlite":
        # FTS5 compares its index with every row of the tables it indexes.
        with connection.cursor() as cursor:
            for search in search_index.SQLITE_SEARCHES:
                cursor.execute(
                    f"INSERT INTO {search}({search}, rank) VALUES ('integrity-check', 1)"
                )
    for claim in Claim.objects.order_by("?")[:10]:
        assert claim.pk in set(Claim.objects.matching(claim.wording).values_list("pk", flat=True))
    for article in Article.objects.order_by("?")[:5]:
        words = article.text[100:140]
        assert article.pk in set(Article.objects.matching(words).values_list("pk", flat=True))
    # And what is written after the load is found: the triggers are back.
    claim = Claim.objects.order_by("pk").first()
    Claim.objects.filter(pk=claim.pk).update(attribution_cue="a zebrafinch said")
    assert list(Claim.objects.matching("zebrafinch").values_list("pk", flat=True)) == [claim.pk]
