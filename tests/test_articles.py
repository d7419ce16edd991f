"""Articles: stored once, dated with their precision, and their claims' anchors kept honest."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from facts.models import Article, Claim, Fact
from facts.services import articles
from facts.services.review import SYSTEM
from tests.admin_forms import posted_form
from tests.factories import ArticleFactory, ClaimFactory, OutletFactory

pytestmark = pytest.mark.django_db


def test_it_keeps_the_hash_of_its_text():
    article = ArticleFactory(text="Some news.")
    assert article.text_hash == Article.hash_text("Some news.")
    assert len(article.text_hash) == 64


def test_the_same_text_is_stored_once_per_outlet():
    first = ArticleFactory(text="Same words.")
    twin = ArticleFactory.build(outlet=first.outlet, text="Same words.", slug="twin")
    with pytest.raises(ValidationError, match="already"):
        twin.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    ArticleFactory(text="Same words.")  # another outlet may carry the same story


def test_a_known_url_is_unique_and_an_unknown_one_is_not():
    ArticleFactory(url="https://example.org/a")
    with pytest.raises(ValidationError, match="URL is stored already"):
        ArticleFactory(url="https://example.org/a")
    twin = ArticleFactory.build(outlet=OutletFactory(), url="https://example.org/a")
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    ArticleFactory(url="")
    ArticleFactory(url="")
    assert Article.objects.filter(url="").count() == 2


def test_a_publication_window_runs_forwards():
    article = ArticleFactory.build(
        outlet=OutletFactory(),
        published_earliest=dt.date(2022, 2, 18),
        published_latest=dt.date(2022, 2, 17),
    )
    with pytest.raises(ValidationError) as refused:
        article.full_clean()
    assert "cannot come before" in refused.value.message_dict["published_latest"][0]
    saved = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=saved.pk).update(published_latest=dt.date(2000, 1, 1))


def test_a_publication_date_has_a_precision_and_both_ends():
    saved = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=saved.pk).update(published_precision="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=saved.pk).update(published_latest=None)
    undated = ArticleFactory(published_earliest=None, published_latest=None, published_precision="")
    assert undated.publication_day is None


def test_an_outlet_is_not_its_own_wire_source():
    article = ArticleFactory()
    article.wire_source = article.outlet
    with pytest.raises(ValidationError, match="not its own wire source"):
        article.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        article.save()


def test_a_corrected_text_orphans_a_wording_it_no_longer_holds_and_never_moves_it():
    claim = ClaimFactory()
    article = claim.article
    start, end = claim.start, claim.end
    corrected = "Correction: " + article.text.replace("some 30,000", "some 40,000")
    saved = articles.update_article_text(user=SYSTEM, article=article, text=corrected)
    claim.refresh_from_db()
    assert claim.anchor_state == Claim.AnchorState.ORPHANED
    assert (claim.start, claim.end) == (start, end)
    assert list(Claim.objects.orphaned()) == [claim]
    assert saved.orphaned == (claim.pk,)
    # An orphan no longer counts: it leaves verified, and the verdict forgets it.
    assert claim.status == Claim.Status.DRAFT
    assert Fact.objects.get(pk=claim.fact_id).counted_claims == 0


def test_a_correction_elsewhere_keeps_the_anchor():
    claim = ClaimFactory()
    article = claim.article
    corrected = article.text.replace("afterwards", "after the drills")
    articles.update_article_text(user=SYSTEM, article=article, text=corrected)
    claim.refresh_from_db()
    assert claim.anchor_state == Claim.AnchorState.ANCHORED


def test_a_text_that_moves_a_wording_anchors_it_again_where_its_context_stands():
    claim = ClaimFactory()
    article, original = claim.article, claim.article.text
    articles.update_article_text(user=SYSTEM, article=article, text="X" + original)
    claim.refresh_from_db()
    # Its wording and context still stand, one character later: anchored there again.
    assert (claim.anchor_state, claim.start) == (
        Claim.AnchorState.ANCHORED,
        original.find("some") + 1,
    )
    articles.update_article_text(user=SYSTEM, article=article, text=original)
    claim.refresh_from_db()
    assert claim.anchor_state == Claim.AnchorState.ANCHORED
    assert original[claim.start : claim.end] == claim.wording


def test_every_save_raises_the_version():
    article = ArticleFactory()
    assert article.version == 1
    articles.update_article(user=SYSTEM, article=article, headline="Changed")
    article.refresh_from_db()
    assert article.version == 2


def history_columns() -> list[str]:
    """The columns of the articles' history table, as the database has them."""
    table = Article.history.model._meta.db_table
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def test_a_second_save_of_an_article_does_not_store_its_capture_again():
    """A capture can run to megabytes: it is kept on the article, never in its history."""
    capture = "<html><body><p>Some news, captured as received.</p></body></html>"
    article = ArticleFactory(text="Some news, captured as received.", capture=capture)
    articles.update_article(user=SYSTEM, article=article, headline="A corrected headline")
    assert article.history.count() == 2
    assert "capture" not in history_columns()
    assert "headline" in history_columns()
    assert Article.objects.get(pk=article.pk).capture == capture


def test_the_history_revert_of_an_article_keeps_its_capture(admin_client_logged_in):
    capture = "Some news, captured as received.\n\nRead more"
    article = ArticleFactory(
        text="Some news, captured as received.", capture=capture, headline="First"
    )
    articles.update_article(user=SYSTEM, article=article, headline="Second")
    first = article.history.filter(headline="First").get()
    revert_url = reverse("admin:facts_article_simple_history", args=[article.pk, first.history_id])
    response = admin_client_logged_in.post(
        revert_url, posted_form(admin_client_logged_in, revert_url)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    reverted = Article.objects.get(pk=article.pk)
    assert (reverted.headline, reverted.capture) == ("First", capture)
