"""Which story each article's text is a copy of (facts.domain.stories), kept as the article's
`story` key: nearly the same texts in several outlets share one key, so that their own-voice
claims count as one originator.

Saving a text costs one indexed query for its candidates (the articles that share one of its
LSH band keys), never a scan of the record. A story is a connected group of copies: a text that
joins two stories merges them; a text that changes or goes may split the story it held together.
The story that holds the earliest article (the lowest id) keeps its key; a story split off takes
the text hash of its earliest article.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from facts.domain import stories
from facts.models import Article, ArticleStory, Claim, StoryBand
from facts.services import bulk_insert

# A band row's columns but its id (the database gives it).
_BAND_FIELDS = (StoryBand._meta.get_field("article"), StoryBand._meta.get_field("key"))


@dataclass(frozen=True)
class Placement:
    """Where a new or changed text goes, found before the article is saved."""

    signature: stories.Signature
    keys: tuple[int, ...]
    # The story the article joins, and the other stories its text joins to that one.
    story: str
    merged: frozenset[str]
    # The story the article held before its text changed ("" for a new or unindexed article).
    previous: str
    # The text this placement is for (its hash): a placement found before a save (the ingest
    # looks for a near-identical copy with it) is used by the save only for the same text.
    text_hash: str = ""


def story_of(article: Article) -> str:
    """The article's story key as indexed ("" for an article not indexed yet). One query."""
    if article.pk is None:
        return ""
    key: str | None = (
        ArticleStory.objects.filter(article_id=article.pk).values_list("key", flat=True).first()
    )
    return key or ""


def place(*, article: Article, previous: str = "") -> Placement:
    """The story of the article's text (its text_hash derived already): that of the copy with
    the lowest id among the stored articles it is nearly the same as, or a story of its own,
    keyed by its text hash. One query, on the band index."""
    settings = stories.load_settings()
    signature = stories.signature(article.text, settings)
    keys = tuple(stories.band_keys(signature, settings))
    copies: list[tuple[int, str]] = []
    if keys:
        banded = StoryBand.objects.filter(key__in=keys).values("article_id")
        candidates = ArticleStory.objects.filter(article_id__in=banded)
        if article.pk is not None:
            candidates = candidates.exclude(article_id=article.pk)
        for pk, key, data in candidates.values_list("article_id", "key", "signature"):
            if stories.same_story(signature, stories.Signature.from_bytes(data), settings):
                copies.append((pk, key))
    if copies:
        story = min(copies)[1]
        merged = frozenset(key for _, key in copies) - {story}
    else:
        story, merged = article.text_hash, frozenset()
    return Placement(
        signature=signature,
        keys=keys,
        story=story,
        merged=merged,
        previous=previous,
        text_hash=article.text_hash,
    )


def settle(*, article: Article, placement: Placement) -> set[int]:
    """After the article is saved: store its story, signature and band keys, give the stories
    its text joined one key, and split the story it left if it held that one together.
    Returns the ids of the other articles whose story changed: their facts' verdicts need a
    refresh."""
    data = placement.signature.to_bytes()
    if placement.previous:
        ArticleStory.objects.filter(article_id=article.pk).update(
            key=placement.story, signature=data
        )
        StoryBand.objects.filter(article_id=article.pk).delete()
    else:
        ArticleStory.objects.create(article_id=article.pk, key=placement.story, signature=data)
    # As plain values (bulk_insert): bulk_create built and prepared a model row for each of
    # a text's band keys (about 30), 0.4 ms of an ingest's save; this takes 0.08.
    bulk_insert.insert_values(
        StoryBand, _BAND_FIELDS, ([article.pk, key] for key in placement.keys)
    )
    moved: set[int] = set()
    if placement.merged:
        joined = ArticleStory.objects.filter(key__in=placement.merged)
        moved |= set(joined.values_list("article_id", flat=True))
        ArticleStory.objects.filter(article_id__in=moved).update(key=placement.story)
    if placement.previous:
        left = placement.story if placement.previous in placement.merged else placement.previous
        moved |= set(regroup(story=left))
    moved.discard(article.pk)
    return moved


def regroup(*, story: str) -> dict[int, str]:
    """Split a story whose copies no longer hang together (a text changed or went): the group
    with the earliest article keeps the key, each other group takes its earliest article's
    text hash. Compares only this story's articles. Returns the moved articles' new keys."""
    members = {
        pk: (text_hash, stories.Signature.from_bytes(data))
        for pk, text_hash, data in ArticleStory.objects.filter(key=story).values_list(
            "article_id", "article__text_hash", "signature"
        )
    }
    if len(members) < 2:
        return {}
    groups = stories.copy_groups({pk: signature for pk, (_, signature) in members.items()})
    moved: dict[int, str] = {}
    for group in groups[1:]:
        key = members[group[0]][0]
        ArticleStory.objects.filter(article_id__in=group).update(key=key)
        moved.update(dict.fromkeys(group, key))
    return moved


def facts_of(article_ids: set[int]) -> set[int]:
    """The facts whose claims stand in these articles."""
    if not article_ids:
        return set()
    claims = Claim.objects.filter(article_id__in=article_ids)
    return set(claims.values_list("fact_id", flat=True).distinct())


@transaction.atomic
def index_unindexed() -> set[int]:
    """Index every article that is not yet (loaded raw from fixtures, which pass the services):
    its story, signature and band keys, earliest first, as if each were saved now. Returns the
    ids of the articles whose story now differs from the one the verdicts read for them
    before (their own text hash): the caller refreshes their facts' verdicts."""
    changed: set[int] = set()
    for article in Article.objects.filter(story__isnull=True).order_by("pk"):
        placement = place(article=article)
        changed |= settle(article=article, placement=placement)
        if placement.story != article.text_hash:
            changed.add(article.pk)
    return changed


def _fields(model: type[models.Model], *names: str) -> list[models.Field[Any, Any]]:
    by_name = {f.name: f for f in model._meta.concrete_fields}
    return [by_name[name] for name in names]


def index_new(*, articles: list[Article]) -> set[int]:
    """Index articles just inserted in bulk (by the import), in id order, as if each were saved
    by itself: one query finds the stored copies of all of them by their band keys, and the
    copies among the new ones are found in memory. Returns the ids of stored articles whose
    story changed (a new text joined two stories): their facts' verdicts need a refresh."""
    settings = stories.load_settings()
    held = sorted((a for a in articles if a.text), key=lambda a: a.pk)
    if not held:
        return set()
    # A wire story carried again is the same text: its signature is computed once (the
    # MinHash of a 6 KB text costs about 8 ms).
    by_text: dict[str, stories.Signature] = {}
    signatures = {
        a.pk: by_text[a.text]
        if a.text in by_text
        else by_text.setdefault(a.text, stories.signature(a.text, settings))
        for a in held
    }
    keys = {a.pk: tuple(stories.band_keys(signatures[a.pk], settings)) for a in held}
    every_key = {key for article_keys in keys.values() for key in article_keys}
    # Stored candidates: article id -> (story, signature), and band key -> article ids.
    candidates: dict[int, tuple[str, stories.Signature]] = {}
    by_key: dict[int, set[int]] = {}
    if every_key:
        banded = StoryBand.objects.filter(key__in=every_key).values_list("article_id", "key")
        for article_id, key in banded:
            by_key.setdefault(key, set()).add(article_id)
        rows = ArticleStory.objects.filter(article_id__in={i for s in by_key.values() for i in s})
        for article_id, story_key, data in rows.values_list("article_id", "key", "signature"):
            candidates[article_id] = (story_key, stories.Signature.from_bytes(data))
    # A story merged into another goes on under the other's key.
    renamed: dict[str, str] = {}

    def current(key: str) -> str:
        while key in renamed:
            key = renamed[key]
        return key

    stored_ids = set(candidates)
    for article in held:
        near = {i for band in keys[article.pk] for i in by_key.get(band, ())}
        copies = sorted(
            (i, current(candidates[i][0]))
            for i in near
            if i in candidates and stories.same_story(signatures[article.pk], candidates[i][1])
        )
        story = copies[0][1] if copies else article.text_hash
        for _, joined in copies:
            if joined != story:
                renamed[joined] = story
        candidates[article.pk] = (story, signatures[article.pk])
        for band in keys[article.pk]:
            by_key.setdefault(band, set()).add(article.pk)
    # By bulk_insert rather than bulk_create: a model instance and each value prepared
    # through its field cost more than the index itself (20 bands an article; 14 s of 46 s
    # for a corpus of 2,000 articles on PostgreSQL).
    bulk_insert.insert_values(
        ArticleStory,
        _fields(ArticleStory, "article", "key", "signature"),
        ([a.pk, current(candidates[a.pk][0]), signatures[a.pk].to_bytes()] for a in held),
    )
    bulk_insert.insert_values(
        StoryBand,
        _BAND_FIELDS,
        ([a.pk, key] for a in held for key in keys[a.pk]),
    )
    moved: set[int] = set()
    for old in renamed:
        found = ArticleStory.objects.filter(key=old, article_id__in=stored_ids)
        moved |= set(found.values_list("article_id", flat=True))
        found.update(key=current(old))
    return moved
