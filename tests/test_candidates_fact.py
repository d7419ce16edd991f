"""The fact a candidate states: a date or a statement matched to a fact of a subject its
sentence names (by the subject's name or alias, the fact's value kind and the words of its
property), and no fact but both suggested when two fit equally: never a silent guess. Pure: no
database. The sentences are copied from the seed articles (shared/seeds/README.md); the facts
each wording states are chosen by hand, as the seeds' curator recorded them."""

from datetime import date

from facts.domain.candidates import Candidate, KnownActor, KnownFact, propose

ALLIED_RESOLVE = ("Allied Resolve 2022", "Union Resolve 2022", "Allied Resolve")
UNION_STATE = ("Union State of Russia and Belarus", "Union State")
UNION_SHIELD = ("Union Shield 2023", "Union Shield")


def phase_fact(key: str, property_: str) -> KnownFact:
    return KnownFact(key, "allied-resolve-2022", property_, "date", subject_names=ALLIED_RESOLVE)


PHASES = [
    phase_fact("combat-readiness-phase-start-date", "Combat readiness phase start date"),
    phase_fact("combat-readiness-phase-end-date", "Combat readiness phase end date"),
    phase_fact("active-phase-start-date", "Active phase start date"),
    phase_fact("active-phase-end-date", "Active phase end date"),
]
AGGRESSION = KnownFact(
    "direct-military-aggression-likely",
    "union-state-of-russia-and-belarus",
    "Likelihood of direct military aggression against the Union State",
    "categorical",
    subject_names=UNION_STATE,
)
ACTORS = [
    KnownActor("alexander-volfovich", "Alexander Volfovich", ("Volfovich",)),
    KnownActor("alexander-fomin", "Alexander Fomin", ("Fomin",)),
]


def of_kind(kind: str, text: str, facts: list[KnownFact]) -> list[Candidate]:
    found = propose(text, published=date(2022, 2, 8), actors=ACTORS, facts=facts)
    return [c for c in found if c.kind == kind]


def test_each_date_of_two_phases_is_matched_to_its_phase_and_its_end():
    text = (
        "After the combat readiness phase that kicked off on Jan. 18 ends this Wednesday, the "
        "active phase of “Allied Resolve” is scheduled to resume on Thursday and end on Feb. 20."
    )
    assert [(c.wording, c.fact_key) for c in of_kind("date", text, PHASES)] == [
        ("on Jan. 18", "combat-readiness-phase-start-date"),
        ("this Wednesday", "combat-readiness-phase-end-date"),
        ("on Thursday", "active-phase-start-date"),
        ("on Feb. 20", "active-phase-end-date"),
    ]


def test_a_date_whose_own_fact_is_not_known_is_not_put_on_another_of_its_subject():
    text = (
        "After the combat readiness phase that kicked off on Jan. 18 ends this Wednesday, the "
        "active phase of “Allied Resolve” is scheduled to resume on Thursday and end on Feb. 20."
    )
    facts = [PHASES[0], PHASES[3]]  # the combat readiness start and the active phase end only
    found = of_kind("date", text, facts)
    assert [(c.wording, c.fact_key, c.fact_suggestion) for c in found] == [
        ("on Jan. 18", "combat-readiness-phase-start-date", ""),
        ("this Wednesday", None, "Active phase end date"),
        ("on Thursday", None, "Combat readiness phase start date"),
        ("on Feb. 20", "active-phase-end-date", ""),
    ]


def test_a_date_of_a_subject_with_one_date_fact_is_matched_to_it():
    text = (
        "The ministry said the aim of the training is to improve the compatibility of the two "
        "militaries and is part of preparation for the joint Union Shield 2023 exercises the two "
        "countries will hold in Russia in September."
    )
    facts = [
        KnownFact(
            "union-shield-date",
            "union-shield-2023",
            "Date of the exercises",
            "date",
            subject_names=UNION_SHIELD,
        )
    ]
    assert [(c.wording, c.fact_key) for c in of_kind("date", text, facts)] == [
        ("in September", "union-shield-date")
    ]


def test_two_date_facts_that_fit_equally_leave_the_date_unmatched_with_both_suggested():
    text = (
        "preparation for the joint Union Shield 2023 exercises the two countries will hold in "
        "Russia in September."
    )
    facts = [
        KnownFact("start", "union-shield-2023", "Start date", "date", subject_names=UNION_SHIELD),
        KnownFact("end", "union-shield-2023", "End date", "date", subject_names=UNION_SHIELD),
    ]
    found = of_kind("date", text, facts)
    assert [(c.fact_key, c.fact_suggestion, c.suggested_fact_keys) for c in found] == [
        (None, "one of: Start date; End date", ("start", "end"))
    ]


def test_a_date_whose_sentence_names_no_known_subject_is_left_unmatched():
    text = "The combat readiness phase that kicked off on Jan. 18 ends this Wednesday."
    assert [(c.fact_key, c.fact_suggestion) for c in of_kind("date", text, PHASES)] == [
        (None, ""),
        (None, ""),
    ]


def test_a_statement_is_matched_to_the_fact_its_words_state_as_a_suggestion():
    # Not set as its fact: a claim of a categorical fact needs a category the editor chooses.
    text = (
        "“However, direct military aggression against the Union State is unlikely precisely "
        "because we are prepared to respond to any hostile actions in a tough and effective "
        "manner.”"
    )
    found = of_kind("quotation", text, [AGGRESSION])
    assert [(c.fact_key, c.fact_suggestion, c.suggested_fact_keys) for c in found] == [
        (
            None,
            "Likelihood of direct military aggression against the Union State",
            ("direct-military-aggression-likely",),
        )
    ]


def test_a_statement_sharing_one_word_with_a_fact_of_its_subject_is_not_matched():
    text = (
        "Deputy Russian defence minister Alexander Fomin said last month that the “goal of the "
        "exercise is to fine-tune the tasks of suppressing and repelling external aggression "
        "during a defensive operation, countering terrorism and protecting the interests of the "
        "Union State (Russia and Belarus).”"
    )
    found = of_kind("quotation", text, [AGGRESSION])
    assert [(c.actor_key, c.fact_key, c.fact_suggestion) for c in found] == [
        ("alexander-fomin", None, "")
    ]


def test_a_fact_given_without_subject_names_is_found_by_its_subjects_name():
    # The ingest passes the subject's name as the subject, and no other names.
    text = (
        "preparation for the joint Union Shield 2023 exercises the two countries will hold in "
        "Russia in September."
    )
    facts = [KnownFact("union-shield-date", "Union Shield 2023", "Date of the exercises", "date")]
    assert [c.fact_key for c in of_kind("date", text, facts)] == ["union-shield-date"]
