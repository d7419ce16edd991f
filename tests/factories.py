"""factory-boy factories: one per model, each building a row that passes full_clean."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from facts.domain import candidates
from facts.models import Actor, Article, Claim, Fact, Outlet, Subject, ValueKind
from facts.services import records, review

ARTICLE_TEXT = (
    "Russia and Belarus launched joint military drills Thursday. "
    "The United States has said some 30,000 soldiers were being dispatched to Belarus. "
    "The drills are set to run until Feb. 20, and Russian troops will leave Belarus afterwards."
)


def story_text(n: int) -> str:
    """ARTICLE_TEXT with a paragraph of its own, so that each factory article is a story of its
    own and not a copy of the others (copies are told by the runs of words they share, see
    facts/domain/stories.py; a sequence number alone would leave them nearly the same). Its
    words are letters only, so no number in it is read as a claim."""
    letters = str.maketrans("0123456789", "ghijklmnop")
    words = " ".join(
        hashlib.blake2b(f"{n}:{i}".encode(), digest_size=4).hexdigest().translate(letters)
        for i in range(60)
    )
    return f"{ARTICLE_TEXT}\n\nStory {n}: {words}."


class RecordFactory(factory.django.DjangoModelFactory):
    """Rows are stored the way the product stores them: through the services (validated, and
    the verdicts they touch refreshed), as a reviewer would."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return records.save_record(user=review.SYSTEM, row=model_class(*args, **kwargs)).row


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("a long enough password")


class OutletFactory(RecordFactory):
    class Meta:
        model = Outlet

    name = factory.Sequence(lambda n: f"Outlet {n}")
    slug = factory.Sequence(lambda n: f"outlet-{n}")
    domain = factory.Sequence(lambda n: f"outlet{n}.example.org")
    country = "US"
    kind = Outlet.Kind.NEWSPAPER


class ArticleFactory(RecordFactory):
    class Meta:
        model = Article

    outlet = factory.SubFactory(OutletFactory)
    slug = factory.Sequence(lambda n: f"article-{n}")
    url = factory.Sequence(lambda n: f"https://news.example.org/{n}")
    headline = factory.Sequence(lambda n: f"Russia launches Belarus drills ({n})")
    published_earliest = dt.date(2022, 2, 10)
    published_latest = dt.date(2022, 2, 10)
    published_precision = "day"
    text = factory.Sequence(lambda n: story_text(n))


class ActorFactory(RecordFactory):
    class Meta:
        model = Actor

    name = factory.Sequence(lambda n: f"Actor {n}")
    slug = factory.Sequence(lambda n: f"actor-{n}")
    kind = Actor.Kind.GOVERNMENT


class SubjectFactory(RecordFactory):
    class Meta:
        model = Subject

    name = factory.Sequence(lambda n: f"Exercise {n}")
    slug = factory.Sequence(lambda n: f"exercise-{n}")
    kind = Subject.Kind.EVENT


class FactFactory(RecordFactory):
    """A quantity fact (a count); see the traits for dates and categories."""

    class Meta:
        model = Fact

    subject = factory.SubFactory(SubjectFactory)
    property = factory.Sequence(lambda n: f"troops deployed ({n})")
    slug = factory.Sequence(lambda n: f"troops-deployed-{n}")
    value_kind = ValueKind.QUANTITY
    unit = ""

    class Params:
        date = factory.Trait(value_kind=ValueKind.DATE, unit="")
        categorical = factory.Trait(
            value_kind=ValueKind.CATEGORICAL, unit="", categories=["none stay", "some stay"]
        )
        distance = factory.Trait(unit="kilometer")


def unsaved_claim(**fields) -> Claim:
    """A claim built but not saved, on a saved article, fact and actor (for full_clean)."""
    fields.setdefault("article", ArticleFactory())
    if "fact" not in fields:
        traits = {k: fields[k] for k in ("date", "categorical") if fields.get(k)}
        fields["fact"] = FactFactory(**traits)
    if "actor" not in fields and fields.get("attribution_mode", "indirect") != "own_voice":
        fields["actor"] = ActorFactory()
    return ClaimFactory.build(**fields)


class ClaimFactory(RecordFactory):
    """A verified quantity claim on "some 30,000 soldiers", credited to an actor."""

    class Meta:
        model = Claim

    fact = factory.SubFactory(FactFactory)
    article = factory.SubFactory(ArticleFactory)
    status = Claim.Status.VERIFIED
    number = Decimal("30000")
    bound = Claim.Bound.APPROXIMATE
    hedge = "some"
    wording = "some 30,000 soldiers"
    start = factory.LazyAttribute(
        lambda c: c.article.text.find(c.wording) if c.wording in c.article.text else None
    )
    end = factory.LazyAttribute(lambda c: None if c.start is None else c.start + len(c.wording))
    actor = factory.SubFactory(ActorFactory)
    attribution_cue = "The United States has said"
    attribution_mode = Claim.AttributionMode.INDIRECT

    class Params:
        own_voice = factory.Trait(
            actor=None, attribution_cue="", attribution_mode=Claim.AttributionMode.OWN_VOICE
        )
        date = factory.Trait(
            fact=factory.SubFactory(FactFactory, date=True),
            number=None,
            bound="",
            hedge="",
            wording="until Feb. 20",
            date_earliest=dt.date(2022, 2, 20),
            date_latest=dt.date(2022, 2, 20),
            date_precision="day",
        )
        categorical = factory.Trait(
            fact=factory.SubFactory(FactFactory, categorical=True),
            number=None,
            bound="",
            hedge="",
            wording="Russian troops will leave Belarus",
            category="none stay",
        )


def about_30000_troops(text: str, *, fact: Fact, **attribution: str) -> candidates.Candidate:
    """The extractor's candidate for the words "About 30,000" in a text (troops, about: an
    approximate bound), for the fact given; the attribution's fields as keywords."""
    start = text.index("About 30,000")
    return candidates.Candidate(
        kind="quantity",
        start=start,
        end=start + len("About 30,000"),
        wording="About 30,000",
        number=Decimal("30000"),
        hedge="About",
        bound="approximate",
        unit="troops",
        fact_key=str(fact.pk),
        **attribution,
    )
