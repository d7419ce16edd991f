"""Quotation candidates: the words inside quotation marks (typographic or straight) with their
speakers, the same quotation in two translations (Peskov in two seed articles), and no
quotation read from a name in quotation marks ("Allied Resolve"). Pure: no database. The
sentences are copied from the seed articles (shared/seeds/README.md); the speakers are chosen
by hand."""

from datetime import date

import pytest

from facts.domain.candidates import Candidate, KnownActor, propose

ACTORS = [
    KnownActor("dmitry-peskov", "Dmitry Peskov", ("Peskov", "Kremlin spokesman")),
    KnownActor("vladimir-putin", "Vladimir Putin", ("Putin",)),
    KnownActor("ukrainian-government", "Ukrainian government", ("Kyiv",)),
    KnownActor("jean-yves-le-drian", "Jean-Yves Le Drian", ("Le Drian",)),
    KnownActor("liz-truss", "Liz Truss", ("Truss",)),
    KnownActor("ganna-malyar", "Ganna Malyar", ("Malyar",)),
]


def quotations(text: str) -> list[Candidate]:
    found = [
        c for c in propose(text, published=date(2022, 2, 8), actors=ACTORS) if c.kind == "quotation"
    ]
    for candidate in found:
        assert text[candidate.start : candidate.end] == candidate.wording
    return found


def said(text: str) -> list[tuple[str, str | None, str]]:
    return [(q.wording, q.actor_key, q.attribution_mode) for q in quotations(text)]


def test_it_reads_peskov_in_the_moscow_times_translation():
    text = (
        '"No one has ever said that Russian troops will remain on the territory of Belarus, this '
        'has never been discussed," Peskov was quoted as saying by news agencies.'
    )
    assert said(text) == [
        (
            "No one has ever said that Russian troops will remain on the territory of Belarus, "
            "this has never been discussed",
            "dmitry-peskov",
            "direct_quote",
        )
    ]
    assert quotations(text)[0].speaker == "Peskov was quoted as saying"


def test_it_reads_peskov_in_the_washington_examiner_translation():
    text = (
        "“No one has ever said that Russian troops will remain on the territory of Belarus, this "
        "has never been discussed,” Dmitry Peskov, a spokesman for Putin, told Tass. “We are "
        "talking about allied exercises, and, of course, it is understood that upon completion of "
        "these exercises, the troops will return to their permanent places of deployment.”"
    )
    found = said(text)
    assert [key for _wording, key, _mode in found] == ["dmitry-peskov", "dmitry-peskov"]
    assert found[1][0].endswith("the troops will return to their permanent places of deployment")


def test_it_credits_each_quotation_of_a_sentence_to_the_cue_before_it():
    text = (
        'Kyiv denounced the war games — set to run until Feb. 20 — as "psychological pressure" '
        'while French Foreign Minister Jean-Yves Le Drian called the exercises "a very violent '
        'gesture."'
    )
    assert said(text) == [
        ("psychological pressure", "ukrainian-government", "direct_quote"),
        ("a very violent gesture", "jean-yves-le-drian", "direct_quote"),
    ]


def test_it_credits_a_quotation_to_the_cue_after_it():
    text = '"We need to see the troops moved elsewhere," Truss added.'
    assert said(text) == [
        ("We need to see the troops moved elsewhere", "liz-truss", "direct_quote")
    ]


def test_it_reads_no_quotation_from_a_name_in_quotation_marks():
    text = (
        "Russia and Belarus are staging snap drills called “Allied Resolve” near Ukraine’s "
        "northern border."
    )
    assert quotations(text) == []


def test_a_sentence_length_quotation_nobody_is_credited_with_has_no_speaker():
    found = quotations("“We need to see those words followed up by actions.”")
    assert [(q.wording, q.actor_key, q.speaker, q.attribution_mode) for q in found] == [
        ("We need to see those words followed up by actions", None, "", "own_voice")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The troops are on “heightened alert” for a possible deployment.",
        'NATO said Russia\'s deployment of troops and missiles represented a "dangerous moment" '
        "for European security.",
        "British Foreign Secretary Liz Truss took a tough message to Moscow on Thursday, accusing "
        'Russia of adopting a "threatening posture" and urging Moscow to withdraw its forces.',
        "Kremlin spokesman Dmitry Peskov confirmed on Thursday that a permanent Russian troop "
        'presence in Belarus is “not being considered," adding that the process of transferring '
        "the Russian personnel back to their garrisons could take several weeks.",
        "Most recently, on the possibility of a “false flag operation,” Pentagon spokesperson "
        "John Kirby warned",
        "prompt Ukraine into stationing its troops in that direction to “offset that potential "
        "risk,” the officials said, even though they stressed it is “hugely unlikely” that Belarus",
    ],
)
def test_it_proposes_no_quotation_from_a_scare_quote_or_a_quoted_phrase(text):
    assert quotations(text) == []


def test_it_proposes_a_short_quotation_that_is_a_clause_or_closes_the_speakers_sentence():
    text = (
        "Kremlin spokesman Dmitry Peskov told reporters that Russian soldiers “will return to "
        "their permanent locations” because of the drills.\n\n"
        "Deputy Defense Minister Ganna Malyar said Wednesday the forces on the frontier were "
        'being used primarily "for political pressure and blackmail."'
    )
    found = quotations(text)
    assert [q.wording for q in found] == [
        "will return to their permanent locations",
        "for political pressure and blackmail",
    ]
