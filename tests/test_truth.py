"""Truth discovery (facts.domain.truth): majority vote, TruthFinder and the likely value, on
examples small enough to compute by hand."""

import math

import pytest

from facts.domain import truth
from facts.domain.truth import Vote, category, number


def votes(item: str, given: dict[str, truth.Value]) -> list[Vote]:
    return [Vote(item, source, value) for source, value in given.items()]


def test_majority_vote_picks_the_value_most_sources_give_with_its_share_as_confidence():
    result = truth.majority(
        votes("x", {"a": category("yes"), "b": category("yes"), "c": category("no")})
    )
    estimate = result.estimates["x"]
    assert estimate.value.key == "yes"
    assert estimate.confidence == pytest.approx(2 / 3)
    assert [source for source, _ in estimate.supporters] == ["a", "b"]
    assert not estimate.tied


def test_a_source_repeating_itself_on_an_item_counts_once():
    given = [
        Vote("x", "a", category("no")),
        Vote("x", "a", category("no")),
        Vote("x", "b", category("yes")),
        Vote("x", "c", category("yes")),
    ]
    assert truth.majority(given).estimates["x"].value.key == "yes"


def test_little_rock_one_editor_each_for_14_183133_and_183833_never_picks_14_by_a_tie():
    # Pasternack & Roth's Little Rock (2000): one editor each; 14 is a vandal's figure.
    given = votes(
        "little-rock_2000",
        {"e1": number(14), "e2": number(183_133), "e3": number(183_833)},
    )
    for method in (truth.majority, truth.truthfinder, truth.likely):
        estimate = method(given).estimates["little-rock_2000"]
        assert estimate.value.key != 14, method.__name__
    majority = truth.majority(given).estimates["little-rock_2000"]
    # A three-way tie: flagged, at a third of the weight, and decided toward the median of
    # the votes (183,133), not by size.
    assert majority.tied
    assert majority.value.key == 183_133
    assert majority.confidence == pytest.approx(1 / 3)


def test_a_tie_between_two_categories_is_flagged_with_half_the_confidence():
    estimate = truth.majority(
        votes("x", {"a": category("none stay"), "b": category("some stay")})
    ).estimates["x"]
    assert estimate.tied
    assert estimate.confidence == pytest.approx(0.5)


def reliable_against_two_unreliable() -> list[Vote]:
    """r, c1 and c2 say t1..t4 on four items where u1 and u2 both say "w"; on item y, r alone
    says "r" and u1 and u2 say "w"."""
    given = []
    for n in range(1, 5):
        for source in ("r", "c1", "c2"):
            given.append(Vote(f"x{n}", source, category(f"t{n}")))
        for source in ("u1", "u2"):
            given.append(Vote(f"x{n}", source, category("w")))
    given += [
        Vote("y", "r", category("r")),
        Vote("y", "u1", category("w")),
        Vote("y", "u2", category("w")),
    ]
    return given


def test_a_reliable_source_outvotes_two_unreliable_ones_after_iterations():
    given = reliable_against_two_unreliable()
    assert truth.majority(given).estimates["y"].value.key == "w"

    result = truth.likely(given)
    assert result.estimates["y"].value.key == "r"
    # By hand: round 1 starts from the majority (y = "w"). Losses: r 1 of 5, c1 and c2 0 of
    # 4, u1 and u2 4 of 5; the mean loss per vote is 9/23; smoothed by 2 pseudo-votes:
    # r 0.25466, c 0.13043, u 0.68323, mean 0.37640; weights -log(loss/mean): r 0.3907,
    # c 1.0598, u below the mean -> 0.001. Then y = "r" (0.39 against 0.002). Round 2: losses
    # r 0 of 5, u 5 of 5, mean per vote 10/23: r 0.12422, c 0.14493, u 0.83851, mean 0.41822:
    # r 1.2139, c 1.0597, u 0.001; nothing moves and it stops.
    assert result.iterations == 2
    assert result.weights["r"] == pytest.approx(1.2139, abs=1e-4)
    assert result.weights["c1"] == pytest.approx(1.0597, abs=1e-4)
    assert result.weights["u1"] == pytest.approx(0.001)
    estimate = result.estimates["y"]
    # The share 1.2139 / (1.2139 + 0.002) times the evidence: r alone, with 5 votes, record
    # strength 5 / (5 + 2) = 5/7, evidence (5/7) / (5/7 + 1) = 5/12.
    assert estimate.confidence == pytest.approx(1.2139 / (1.2139 + 0.002) * 5 / 12, abs=1e-4)
    assert estimate.evidence == pytest.approx(5 / 12)
    assert estimate.supporters == (("r", pytest.approx(1.2139, abs=1e-4)),)


def test_a_shorter_author_list_backs_a_longer_one_that_contains_it_by_a_quarter():
    def names(*members: str) -> truth.Value:
        return category("; ".join(members), members)

    given = votes(
        "book",
        {
            "a": names("ericson", "guzdial"),
            "b": names("ericson", "guzdial"),
            "c": names("guzdial"),
            "d": names("guzdial"),
        },
    )
    # Exact counts tie 2-2; nested, the full list has 2 + 2 x 0.25 = 2.5 of 4.
    estimate = truth.weighted_vote("book", given, {}, nested=True)
    assert estimate.value.key == "ericson; guzdial"
    assert estimate.confidence == pytest.approx(2.5 / 4)
    assert not estimate.tied
    assert truth.majority(given).estimates["book"].tied


def test_a_number_whose_interval_holds_the_value_backs_it():
    given = votes(
        "troops",
        {
            "a": number(30_000, 27_000, 33_000),  # "some 30,000"
            "b": number(29_500),
            "c": number(50_000),
        },
    )
    estimate = truth.weighted_vote("troops", given, {}, nested=True)
    # 29,500 lies inside 27,000-33,000: backed by a and b (2 of 3); 30,000 only by a.
    assert estimate.value.key == 29_500
    assert estimate.confidence == pytest.approx(2 / 3)


def test_the_weighted_median_that_falls_between_two_values_is_a_flagged_tie():
    given = votes("x", {"a": number(10), "b": number(20), "c": number(30)})
    middle = truth.weighted_median("x", given, {"a": 1.0, "b": 1.0, "c": 1.0})
    assert middle.value.key == 20
    assert not middle.tied
    split = truth.weighted_median("x", given, {"a": 1.0, "b": 0.5, "c": 0.5})
    assert split.tied


def test_truthfinder_after_one_round_gives_the_sigmoid_of_the_sources_scores():
    given = votes("x", {"a": category("yes"), "b": category("yes"), "c": category("no")})
    estimate = truth.truthfinder(given, max_iterations=1).estimates["x"]
    # tau = -ln(1 - 0.9) = 2.302585 per source; s = 1 / (1 + exp(-0.3 * 2 * tau)).
    assert estimate.value.key == "yes"
    assert estimate.confidence == pytest.approx(0.799240, abs=1e-6)


def test_truthfinder_lets_a_near_number_imply_its_neighbour():
    given = votes("x", {"a": number(100), "b": number(100), "c": number(110)})
    estimate = truth.truthfinder(given, max_iterations=1).estimates["x"]
    # sigma*(100) = 2 tau + 0.5 * tau * (sim - 0.5), sim = 1 - 10/110.
    assert estimate.value.key == 100
    assert estimate.confidence == pytest.approx(0.820957, abs=1e-6)


def test_an_unbounded_interval_says_nothing_and_is_not_a_vote():
    given = [Vote("x", "a", truth.Value()), Vote("x", "b", number(5))]
    result = truth.likely(given)
    assert result.estimates["x"].value.key == 5
    # b alone, with one vote: the share is 1, the evidence (1/3) / (1/3 + 1) = 1/4.
    assert result.estimates["x"].confidence == pytest.approx(0.25)


def test_every_confidence_lies_between_0_and_1():
    given = reliable_against_two_unreliable()
    for method in truth.METHODS.values():
        for estimate in method(given).estimates.values():
            assert 0.0 <= estimate.confidence <= 1.0
            assert not math.isnan(estimate.confidence)


# Confidence on sparse data: the share of the weight says who agrees, the evidence how much
# there is to go on. Hand-made cases; every oracle worked out from record_strength = n / (n + 2)
# and evidence = E / (E + 1).


def long_record(source: str, items: int) -> list[Vote]:
    """`source` and two companions agree on `items` other items (a track record)."""
    return [
        Vote(f"record-{source}-{n}", who, category("v"))
        for n in range(items)
        for who in (source, f"{source}-companion-a", f"{source}-companion-b")
    ]


def test_one_claim_by_a_source_with_no_record_gets_a_quarter_confidence_though_nobody_disagrees():
    estimate = truth.likely([Vote("x", "editor", number(183133))]).estimates["x"]
    assert estimate.value.key == 183133
    assert estimate.evidence == pytest.approx(0.25)  # (1/3) / (1/3 + 1)
    assert estimate.confidence == pytest.approx(0.25)


def test_two_sources_with_no_record_that_agree_are_surer_than_one_but_not_sure():
    given = [Vote("x", "a", category("Minsk")), Vote("x", "b", category("Minsk"))]
    estimate = truth.likely(given).estimates["x"]
    assert estimate.confidence == pytest.approx(0.4)  # E = 2/3, (2/3) / (5/3)


def test_one_claim_by_a_source_known_from_98_items_is_surer_than_one_by_a_stranger():
    given = [*long_record("wire", 98), Vote("x", "wire", category("Minsk"))]
    estimate = truth.likely(given).estimates["x"]
    # wire has 99 votes: strength 99/101, evidence (99/101) / (99/101 + 1) = 99/200.
    assert estimate.evidence == pytest.approx(99 / 200)
    assert estimate.confidence == pytest.approx(99 / 200)
    stranger = truth.likely([Vote("x", "stranger", category("Minsk"))]).estimates["x"]
    assert stranger.confidence < estimate.confidence


def test_a_rival_value_lowers_the_confidence_below_the_evidence_alone():
    given = [
        Vote("x", "a", category("Minsk")),
        Vote("x", "b", category("Minsk")),
        Vote("x", "c", category("Brest")),
    ]
    estimate = truth.likely(given).estimates["x"]
    assert estimate.value.key == "Minsk"
    assert estimate.evidence == pytest.approx(0.4)
    assert estimate.confidence < estimate.evidence


def test_majority_and_truthfinder_confidences_carry_no_evidence_factor():
    given = [Vote("x", "editor", number(5))]
    assert truth.majority(given).estimates["x"].confidence == 1.0
    assert truth.majority(given).estimates["x"].evidence == 1.0


def place(name: str, *within: str) -> truth.Value:
    """A place in a declared nesting: its members are itself and the places it lies within."""
    return category(name, [name, *within], nests=True)


def test_a_coarser_place_does_not_deny_the_finer_one_the_finest_is_reported():
    given = [
        Vote("x", "wikipedia", place("Minneapolis", "Minnesota", "USA")),
        Vote("x", "howold", place("USA")),
        Vote("x", "imdb", place("USA")),
    ]
    assert truth.majority(given).estimates["x"].value.key == "USA"
    estimate = truth.likely(given).estimates["x"]
    assert estimate.value.key == "Minneapolis"
    # Backed fully by wikipedia and by a quarter by each "USA" (less precise).
    assert [s for s, _ in estimate.supporters] == ["howold", "imdb", "wikipedia"]


def test_two_finer_places_that_disagree_leave_the_coarser_leading_place_standing():
    given = [
        Vote("x", "a", place("Minneapolis", "Minnesota", "USA")),
        Vote("x", "b", place("Los Angeles", "California", "USA")),
        Vote("x", "c", place("USA")),
        Vote("x", "d", place("USA")),
    ]
    assert truth.likely(given).estimates["x"].value.key == "USA"


def test_a_longer_author_list_is_not_reported_over_a_shorter_one_that_leads():
    def names(*members: str) -> truth.Value:
        return category("; ".join(members), members)

    given = [
        Vote("x", "a", names("knuth")),
        Vote("x", "b", names("knuth")),
        Vote("x", "c", names("fuller", "knuth")),
    ]
    assert truth.likely(given).estimates["x"].value.key == "knuth"
