"""Attribution candidates: "according to X", "X said", "X told reporters", "X has said",
"X, citing Y", a speaker after a quotation, a pronoun or "the ministry" referring back; actors
linked by name and alias, near spellings by rapidfuzz, and no actor (only a suggestion) when
two are equally good. Pure: no database. The sentences are copied from the seed articles
(shared/seeds/README.md quotes their cues); the actors are chosen by hand."""

from datetime import date

import pytest

from facts.domain.candidates import ATTRIBUTION_MODES, Candidate, KnownActor, propose
from facts.models.claims import AttributionMode

ACTORS = [
    KnownActor("kremlin", "The Kremlin", ("Moscow", "Russian government")),
    KnownActor("dmitry-peskov", "Dmitry Peskov", ("Peskov", "Kremlin spokesman")),
    KnownActor("united-states", "United States", ("Washington", "U.S.", "US")),
    KnownActor("nato", "NATO", ("North Atlantic Treaty Organization",)),
    KnownActor("russian-state-media", "Russian state media", ("state media",)),
    KnownActor("the-washington-post", "The Washington Post", ("Washington Post",)),
    KnownActor("liz-truss", "Liz Truss", ("Truss",)),
    KnownActor("volodymyr-zelenskiy", "Volodymyr Zelenskiy", ("Zelenskiy",)),
    KnownActor("alexander-volfovich", "Alexander Volfovich", ("Volfovich",)),
    KnownActor(
        "belarusian-defense-ministry",
        "Belarusian Defense Ministry",
        ("Belarusian Ministry of Defence",),
    ),
    KnownActor("tass", "TASS", ("Tass",)),
]
PUBLISHED = date(2022, 2, 10)


def attributions(text: str, actors=ACTORS) -> list[Candidate]:
    found = [
        c for c in propose(text, published=PUBLISHED, actors=actors) if c.kind == "attribution"
    ]
    for candidate in found:
        assert text[candidate.start : candidate.end] == candidate.wording
        assert candidate.attribution_cue == candidate.wording
    return found


def cues(text: str, actors=ACTORS) -> list[tuple[str, str | None]]:
    return [(c.wording, c.actor_key) for c in attributions(text, actors)]


def test_its_modes_are_the_modes_of_a_claim():
    assert list(ATTRIBUTION_MODES) == [value for value, _label in AttributionMode.choices]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Moscow and Minsk have not disclosed how many troops are participating, but the "
            "United States has said some 30,000 soldiers were being dispatched to Belarus",
            ("the United States has said", "united-states"),
        ),
        (
            "According to earlier estimates offered by NATO, around 30,000 Russian troops have "
            "poured into Belarus",
            ("According to earlier estimates offered by NATO", "nato"),
        ),
        (
            "According to earlier Russian state media reports, the Kremlin has sent twelve Su-35",
            ("According to earlier Russian state media reports", "russian-state-media"),
        ),
        (
            "Russian troops will leave Belarus after the end of joint military exercises later "
            "this month, the Kremlin said Tuesday.",
            ("the Kremlin said", "kremlin"),
        ),
        (
            "Kremlin spokesman Dmitry Peskov told reporters that Russian soldiers “will return to "
            "their permanent locations”",
            ("Kremlin spokesman Dmitry Peskov told reporters", "dmitry-peskov"),
        ),
        (
            "they could overrun Ukraine in a matter of two days, according to the Washington Post.",
            ("according to the Washington Post", "the-washington-post"),
        ),
    ],
)
def test_it_links_a_cue_to_the_actor_it_names(text, expected):
    assert expected in cues(text)


def test_it_reads_a_speaker_named_after_a_quotation():
    text = (
        "“Participants in the drills have successfully demonstrated that Belarus and Russia are "
        "prepared,” said Alexander Volfovich, State Secretary of the Belarusian Security Council."
    )
    assert cues(text) == [("said Alexander Volfovich", "alexander-volfovich")]


def test_it_reads_the_speaker_before_an_apposition():
    text = (
        "“No one has ever said that Russian troops will remain on the territory of Belarus, this "
        "has never been discussed,” Dmitry Peskov, a spokesman for Putin, told Tass."
    )
    assert cues(text) == [("Dmitry Peskov, a spokesman for Putin, told", "dmitry-peskov")]


def test_it_reads_a_cited_source():
    text = "The troops will stay, the news agency reported, citing Russian state media."
    assert ("citing Russian state media", "russian-state-media") in cues(text)


def test_it_refers_a_pronoun_back_to_the_person_last_credited():
    text = (
        "Truss was the latest Western diplomat to travel to Moscow, where she said she received "
        'promises from Lavrov.\n\n"We need to see those words followed up by actions," she '
        "told reporters after the talks."
    )
    assert cues(text)[-1] == ("she told reporters", "liz-truss")


def test_it_refers_the_ministry_back_to_the_ministry_named_before():
    text = (
        "Russia and Belarus are conducting a further week of joint military drills, the "
        "Belarusian Defense Ministry said on Tuesday.\n\n“During the week, military "
        "representatives will practice joint planning,” the ministry said in a statement."
    )
    assert [key for _cue, key in cues(text)] == [
        "belarusian-defense-ministry",
        "belarusian-defense-ministry",
    ]


def test_it_links_a_near_spelling_of_a_known_name():
    text = "But Ukraine's President Volodymyr Zelensky said the accumulation of forces is pressure."
    assert cues(text) == [
        ("But Ukraine's President Volodymyr Zelensky said", "volodymyr-zelenskiy")
    ]


def test_it_gives_no_actor_but_a_suggestion_when_two_actors_share_a_name():
    actors = [
        KnownActor("us-state-department", "State Department", ("the Department",)),
        KnownActor("uk-foreign-office", "Foreign Office", ("the Department",)),
    ]
    found = attributions("The troops will stay, the Department said.", actors)
    assert [(c.wording, c.actor_key, c.actor_suggestion) for c in found] == [
        ("the Department said", None, "the Department")
    ]


def test_it_proposes_no_attribution_where_nobody_is_credited():
    text = "No one has ever said that Russian troops will remain on the territory of Belarus."
    assert attributions(text) == []


def test_a_cue_that_introduces_a_quotation_is_a_direct_quote_and_an_indirect_report_is_not():
    text = (
        "Kremlin spokesman Dmitry Peskov told reporters that Russian soldiers “will return to "
        "their permanent locations”.\n\nMoscow and Minsk have not disclosed how many troops are "
        "participating, but the United States has said some 30,000 soldiers were being dispatched."
    )
    # Minsk is no actor known here, so "Moscow and Minsk" credits nobody (see the pair test).
    assert [(c.actor_key, c.attribution_mode) for c in attributions(text)] == [
        ("dmitry-peskov", "direct_quote"),
        ("united-states", "indirect"),
    ]


PAIR_ACTORS = [
    *ACTORS,
    KnownActor("belarusian-government", "Belarusian government", ("Minsk", "the Belarusian side")),
    KnownActor("european-union", "European Union", ("EU", "the European")),
    KnownActor(
        "us-military-and-intelligence",
        "US military and intelligence agencies",
        ("U.S. military and intelligence assessments", "US intelligence"),
    ),
]


@pytest.mark.parametrize(
    ("text", "cue", "first", "second"),
    [
        (
            "Moscow and Minsk have not disclosed how many troops are participating",
            "Moscow and Minsk have not disclosed",
            "kremlin",
            "belarusian-government",
        ),
        (
            "sparking a wave of economic penalties from the West, which the United States and "
            "the European have said they will expand if Russia escalates again.",
            "the United States and the European have said",
            "united-states",
            "european-union",
        ),
    ],
)
def test_a_subject_of_two_actors_gives_one_cue_credited_to_each(text, cue, first, second):
    assert cues(text, PAIR_ACTORS) == [(cue, first), (cue, second)]


def test_a_participle_credits_what_follows_to_the_speaker_of_its_sentence():
    text = (
        "Kremlin spokesman Dmitry Peskov confirmed on Thursday that a permanent Russian troop "
        'presence in Belarus is “not being considered," adding that the process of transferring '
        "the Russian personnel back to their garrisons could take several weeks."
    )
    assert cues(text) == [
        ("Kremlin spokesman Dmitry Peskov confirmed", "dmitry-peskov"),
        ("adding that", "dmitry-peskov"),
    ]


def test_a_participle_credits_the_actor_its_sentence_names_first_when_no_cue_precedes_it():
    text = (
        "British Foreign Secretary Liz Truss took a tough message to Moscow on Thursday, accusing "
        'Russia of adopting a "threatening posture" and urging Moscow to withdraw its forces.'
    )
    assert cues(text) == [("accusing", "liz-truss")]


def test_a_participle_after_two_actors_is_credited_to_both():
    text = (
        "Moscow and Minsk have consistently rebuffed these claims, insisting on the full "
        "withdrawal of all Russian military personnel associated with the drills"
    )
    assert cues(text, PAIR_ACTORS) == [
        ("Moscow and Minsk have consistently rebuffed", "kremlin"),
        ("Moscow and Minsk have consistently rebuffed", "belarusian-government"),
        ("insisting", "kremlin"),
        ("insisting", "belarusian-government"),
    ]
