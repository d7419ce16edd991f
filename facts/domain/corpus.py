"""The shape and the words of a generated corpus (manage.py generate_corpus): how many outlets,
actors, articles and facts a number of claims comes with, and the sentences that carry each
claim's wording, with the value it states. Pure Python, seeded, so the same arguments give the
same corpus; facts.services.corpus writes it.

The proportions are those of the corpus issue 16 measured: 1,000,000 claims on 20,000 articles
(50 claims an article, about 6 KB of text) and 10,000 facts, claims per fact skewed, one hot
fact with 10,000 claims, one article in ten a wire story carried again by another outlet.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from facts.domain import values

CLAIMS_PER_ARTICLE = 50
CLAIMS_PER_FACT = 100
HOT_FACT_CLAIMS = 10_000
WIRE_COPY_SHARE = 0.1
FIRST_DAY = date(2022, 1, 1)
DAYS = 4 * 365

# Statuses as a curated record holds them: most verified, the rest at some stage of review.
STATUS_SHARES = (("verified", 0.85), ("draft", 0.08), ("candidate", 0.04), ("rejected", 0.03))
NOTES = {
    "draft": "Check the figure against the ministry's own statement.",
    "candidate": "Proposed by the ingest; not reviewed yet.",
    "rejected": "Rejected: the figure is the outlet's estimate of another event.",
}

OUTLET_WORDS = [
    "Daily",
    "Ledger",
    "Courier",
    "Herald",
    "Tribune",
    "Monitor",
    "Gazette",
    "Observer",
    "Dispatch",
    "Chronicle",
    "Sentinel",
    "Post",
    "Times",
    "Journal",
    "Review",
    "Bulletin",
    "Express",
    "Record",
    "Standard",
    "Register",
]
PLACES = [
    "Baltic",
    "Northern",
    "Eastern",
    "Western",
    "Southern",
    "Central",
    "Coastal",
    "Valley",
    "Capital",
    "Harbour",
    "River",
    "Highland",
    "Border",
    "Lakeside",
    "Metropolitan",
    "Continental",
    "Atlantic",
    "Pacific",
    "Alpine",
    "Prairie",
]
WIRES = ("Global Wire Service", "Continental Press Agency", "World News Agency", "United Wire")
BODIES = (
    ("Ministry of Defence", "military"),
    ("Foreign Ministry", "government"),
    ("Presidential Office", "government"),
    ("General Staff", "military"),
    ("Alliance Headquarters", "alliance"),
    ("Border Guard Service", "military"),
    ("Interior Ministry", "government"),
    ("Monitoring Mission", "organisation"),
)
COUNTRIES = PLACES
FIRST_NAMES = [
    "Anna",
    "Boris",
    "Clara",
    "Dmitri",
    "Elena",
    "Farid",
    "Greta",
    "Hugo",
    "Irina",
    "Jonas",
    "Katya",
    "Lev",
    "Mira",
]
LAST_NAMES = [
    "Adler",
    "Brandt",
    "Costa",
    "Dahl",
    "Eriksen",
    "Frolov",
    "Galan",
    "Horvat",
    "Ivanova",
    "Jansen",
    "Kova",
    "Lind",
]
SUBJECT_WORDS = [
    "exercise",
    "deployment",
    "summit",
    "ceasefire",
    "drill",
    "convoy",
    "airlift",
    "blockade",
    "election",
    "offensive",
    "evacuation",
    "inspection",
    "negotiation",
]

QUANTITY_FACTS = (
    ("troops taking part", "", "troops"),
    ("tanks moved", "", "tanks"),
    ("aircraft deployed", "", "aircraft"),
    ("distance from the border", "kilometer", "kilometers"),
    ("duration", "day", "days"),
    ("people evacuated", "", "people"),
)
DATE_FACTS = ("start date", "end date", "announcement date", "withdrawal date")
CATEGORY_FACTS = (
    ("outcome", ["the troops will return", "some troops will stay", "the troops will stay"]),
    ("host city", ["Minsk", "Brest", "Gomel", "Grodno"]),
    ("status", ["planned", "under way", "finished", "called off"]),
)
SAY = ("said", "told reporters", "has said", "announced", "said in a statement")
FILLER = (
    "The statement came after a week of talks between the two capitals.",
    "Satellite images published on the same day showed new tents near the railway.",
    "Neither side answered a request for further comment.",
    "Analysts cautioned that such figures are hard to verify independently.",
)


@dataclass(frozen=True)
class Shape:
    """How many of each record a corpus of `claims` claims comes with."""

    claims: int
    articles: int
    outlets: int
    wires: int
    bodies: int
    spokespeople: int
    subjects: int
    facts: int
    hot_fact_claims: int

    @classmethod
    def for_claims(cls, claims: int, *, hot_fact_claims: int | None = None) -> Shape:
        if claims < 1:
            raise ValueError("A corpus needs at least one claim.")
        facts = max(3, claims // CLAIMS_PER_FACT)
        hot = min(HOT_FACT_CLAIMS, claims // 10) if hot_fact_claims is None else hot_fact_claims
        if not 0 <= hot <= claims:
            raise ValueError("The hot fact's claims must be between 0 and the corpus's claims.")
        return cls(
            claims=claims,
            articles=max(1, -(-claims // CLAIMS_PER_ARTICLE)),
            outlets=min(200, max(8, claims // 5_000)),
            wires=len(WIRES),
            bodies=min(len(BODIES) * len(COUNTRIES), max(8, claims // 10_000)),
            spokespeople=min(1_000, max(8, claims // 1_000)),
            subjects=max(1, facts // 20),
            facts=facts,
            hot_fact_claims=hot,
        )


def outlet_names(count: int) -> list[str]:
    """Distinct outlet names: "The Baltic Ledger", "The Northern Courier", ..."""
    names = [f"The {place} {word}" for word in OUTLET_WORDS for place in PLACES]
    if count > len(names):
        raise ValueError(f"At most {len(names)} outlets.")
    return names[:count]


def body_names(count: int) -> list[tuple[str, str]]:
    """(name, kind) of distinct bodies: "Baltic Ministry of Defence", ..."""
    return [(f"{country} {body}", kind) for country in COUNTRIES for body, kind in BODIES][:count]


def person_name(index: int) -> str:
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    last = LAST_NAMES[(index // len(FIRST_NAMES)) % len(LAST_NAMES)]
    return f"{first} {last} {index // (len(FIRST_NAMES) * len(LAST_NAMES)) + 1}"


@dataclass(frozen=True)
class FactPlan:
    """One generated fact: its kind and the value most of its sources give."""

    property: str
    value_kind: str
    unit: str = ""
    noun: str = ""
    number: int = 0
    day: date = FIRST_DAY
    categories: tuple[str, ...] = ()
    # The share of its claims that give a rival value: none for most facts, a stray few for
    # some (an outlier), a real dispute for the rest.
    rival_share: float = 0.0


# (share of facts, share of their claims with a rival value)
DISPUTES = ((0.55, 0.0), (0.25, 0.03), (0.20, 0.35))


def _rival_share(rng: random.Random) -> float:
    roll = rng.random()
    for facts_share, rival_share in DISPUTES:
        if roll < facts_share:
            return rival_share
        roll -= facts_share
    return 0.0


def plan_fact(index: int, rng: random.Random) -> FactPlan:
    """The `index`th fact: six in ten quantities, a quarter dates, the rest categories. The
    first is a quantity, the hot fact."""
    roll = 0.0 if index == 0 else rng.random()
    rivals = 0.35 if index == 0 else _rival_share(rng)
    if roll < 0.6:
        prop, unit, noun = QUANTITY_FACTS[index % len(QUANTITY_FACTS)]
        magnitude = {"kilometer": 100, "day": 10, "": rng.choice([100, 1_000, 10_000])}[unit]
        number = magnitude * rng.randint(1, 9)
        return FactPlan(
            f"{prop} ({index})", "quantity", unit, noun, number=number, rival_share=rivals
        )
    if roll < 0.85:
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        return FactPlan(
            f"{DATE_FACTS[index % len(DATE_FACTS)]} ({index})", "date", day=day, rival_share=rivals
        )
    prop, categories = CATEGORY_FACTS[index % len(CATEGORY_FACTS)]
    return FactPlan(
        f"{prop} ({index})", "categorical", categories=tuple(categories), rival_share=rivals
    )


@dataclass
class ClaimPlan:
    """One claim: the sentence that carries it, where its wording sits in the sentence, and the
    value's fields as the model stores them."""

    sentence: str
    wording_at: int
    wording: str
    fields: dict[str, object] = field(default_factory=dict)


def _quantity(plan: FactPlan, rng: random.Random) -> tuple[str, dict[str, object]]:
    """A wording of the fact's quantity, as sources give it: mostly hedged, some exact, some
    open-ended or ranges, a few vague words, and the fact's share of rival values."""
    true = plan.number
    noun = plan.noun
    if rng.random() < plan.rival_share:
        number = true * 2
        lower, upper = values.quantity_bounds(bound="exact", number=Decimal(number))
        return f"{number:,} {noun}", {
            "number": Decimal(number),
            "bound": "exact",
            "hedge": "",
            "lower": lower,
            "upper": upper,
            "unit": noun,
        }
    roll = rng.random()
    if roll < 0.55:
        number, bound, hedge = true, "approximate", rng.choice(["about", "some", "around"])
    elif roll < 0.72:
        number, bound, hedge = true, "exact", ""
    elif roll < 0.82:
        number, bound, hedge = true * 4 // 5, "more_than", "more than"
    elif roll < 0.90:
        number, bound, hedge = true * 6 // 5, "at_most", "up to"
    elif roll < 0.96 and true >= 10:
        low, high = true * 9 // 10, true * 11 // 10
        lower, upper = values.quantity_bounds(
            bound="range", number=Decimal(low), number_high=Decimal(high)
        )
        wording = f"{low:,} to {high:,} {noun}"
        return wording, {
            "number": Decimal(low),
            "number_high": Decimal(high),
            "bound": "range",
            "hedge": "",
            "lower": lower,
            "upper": upper,
            "unit": noun,
        }
    else:
        word = "thousands" if true >= 2_000 else "hundreds" if true >= 200 else "dozens"
        if true < 24:
            word = "several"
        lower, upper = values.quantity_bounds(bound="vague", number=None, hedge=word)
        return f"{word} of {noun}", {
            "number": None,
            "bound": "vague",
            "hedge": word,
            "lower": lower,
            "upper": upper,
            "unit": noun,
        }
    lower, upper = values.quantity_bounds(bound=bound, number=Decimal(number), hedge=hedge)
    wording = f"{hedge} {number:,} {noun}".strip()
    return wording, {
        "number": Decimal(number),
        "bound": bound,
        "hedge": hedge,
        "lower": lower,
        "upper": upper,
        "unit": noun,
    }


def _date(plan: FactPlan, rng: random.Random) -> tuple[str, dict[str, object]]:
    """A wording of the fact's day: the day or its month, or a rival day a week off."""
    day = plan.day + timedelta(days=7) if rng.random() < plan.rival_share else plan.day
    if rng.random() < 0.8:
        wording = f"on {day:%B} {day.day}, {day.year}"
        return wording, {"date_earliest": day, "date_latest": day, "date_precision": "day"}
    first = day.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return f"in {day:%B %Y}", {
        "date_earliest": first,
        "date_latest": last,
        "date_precision": "month",
    }


def _category(plan: FactPlan, rng: random.Random) -> tuple[str, dict[str, object]]:
    """The fact's first category, or a rival one."""
    rival = rng.random() < plan.rival_share
    category = rng.choice(plan.categories[1:]) if rival else plan.categories[0]
    return category, {"category": category}


WORDINGS = {"quantity": _quantity, "date": _date, "categorical": _category}
EMPTY_VALUE: dict[str, object] = {
    "number": None,
    "number_high": None,
    "bound": "",
    "hedge": "",
    "lower": None,
    "upper": None,
    "unit": "",
    "date_earliest": None,
    "date_latest": None,
    "date_precision": "",
    "category": "",
}


def plan_claim(plan: FactPlan, subject: str, speaker: str | None, rng: random.Random) -> ClaimPlan:
    """A claim on the fact in a sentence of its own, credited to the speaker (None: the outlet's
    own voice)."""
    wording, value = WORDINGS[plan.value_kind](plan, rng)
    fields = {**EMPTY_VALUE, **value}
    topic = f"the {subject}"
    if plan.value_kind == "quantity":
        body = f"{wording} were counted in {topic}"
    elif plan.value_kind == "date":
        body = f"{topic} set its {plan.property.split(' (')[0]} {wording}"
    else:
        body = f"for {topic}, the answer on {plan.property.split(' (')[0]} was: {wording}"
    if speaker is None:
        opening = "Reporters on the ground found that "
    else:
        opening = f"{speaker} {rng.choice(SAY)} that "
    sentence = f"{opening}{body}."
    sentence = sentence[0].upper() + sentence[1:]
    return ClaimPlan(
        sentence=sentence, wording_at=sentence.index(wording), wording=wording, fields=fields
    )


def filler(rng: random.Random) -> str:
    return rng.choice(FILLER)


def status_of(rng: random.Random) -> str:
    roll = rng.random()
    for status, share in STATUS_SHARES:
        if roll < share:
            return status
        roll -= share
    return STATUS_SHARES[0][0]


def skewed_index(count: int, rng: random.Random) -> int:
    """An index below `count`, the low ones far likelier (density falling as the cube root):
    a few busy facts, a long tail of facts with a handful of claims. Of 10,000 facts, the
    busiest gets about 0.2% of the claims (twenty times the mean), the median about half the
    mean."""
    return min(count - 1, int(count * rng.random() ** 1.5))
