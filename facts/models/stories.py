"""The index of stories: which story each article's text is a copy of, its MinHash signature
and its LSH band keys, so that the copies of a new text are found with one indexed query
(facts.domain.stories, facts.services.stories).

Derived from the articles' texts and kept beside them, not on them: the record (articles,
their history, the fixtures and exports) stays as editors wrote it, and an article loaded raw
from a fixture, not indexed yet, is a story of its own (its text hash) until it is."""

from __future__ import annotations

from django.db import models

from facts.models.sources import Article


class ArticleStory(models.Model):
    """The story an article's text belongs to, and the signature it was told by."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="story"
    )
    # The same key for nearly the same texts: the text hash of the story's earliest article
    # when the story began, so a story of one article has the key its text hash gave before.
    key = models.CharField(max_length=64, db_index=True)
    # datasketch's serialised LeanMinHash; empty for a text with no word (a copy of nothing).
    signature = models.BinaryField(blank=True)

    class Meta:
        verbose_name_plural = "article stories"
        constraints = [
            models.CheckConstraint(condition=~models.Q(key=""), name="article_story_key_set"),
        ]

    def __str__(self) -> str:
        return f"Story {self.key[:12]} of article {self.article_id}"


class StoryBand(models.Model):
    """One LSH band key of an article's signature: two articles that share one are compared."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="story_bands")
    key = models.BigIntegerField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "key"], name="story_band_once"),
        ]

    def __str__(self) -> str:
        return f"Band {self.key} of article {self.article_id}"
