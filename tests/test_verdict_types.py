"""What each verdict type means (docs/VERDICTS.md), on the cases that broke on real data:
pure engine tests, no database."""

from datetime import date

from facts.domain import agreement
from facts.domain.agreement import Evidence

FEB_20 = date(2022, 2, 20).toordinal()
MAY_20 = date(2022, 5, 20).toordinal()
AS_OF = date(2022, 2, 15).toordinal()


def value(claim_id, low, high=None, *, who, party=False, own_voice=False, **extra):
    high = low if high is None else high
    return Evidence(
        claim_id=claim_id,
        article_id=extra.pop("article", claim_id),
        outlet_id=extra.pop("outlet", claim_id),
        originator=who,
        originator_name=who,
        as_of=extra.pop("as_of", AS_OF),
        low=low,
        high=high,
        point=extra.pop("point", low if low == high else None),
        precision=extra.pop("precision", 0),
        party=party,
        own_voice=own_voice,
        **extra,
    )


def said(claim_id, category, *, who, party=False, **extra):
    return Evidence(
        claim_id=claim_id,
        article_id=claim_id,
        outlet_id=extra.pop("outlet", claim_id),
        originator=who,
        originator_name=who,
        as_of=AS_OF,
        category=category,
        party=party,
        **extra,
    )


def test_a_three_way_tie_of_single_editors_is_contested_and_picks_no_value():
    # Little Rock, 2000: one editor each said 14, 183,133 and 183,833. The smallest is a
    # vandal's value; no side leads, so none is the consensus.
    result = agreement.verdict(
        [
            value(1, 14, who="editor a"),
            value(2, 183_133, who="editor b"),
            value(3, 183_833, who="editor c"),
        ]
    )
    assert result.kind == agreement.CONTESTED
    assert result.consensus is None
    assert [g.role for g in result.groups] == ["side", "side", "side"]
    assert result.summary == (
        "Contested: 14 according to editor a; 183,133 according to editor b; 183,833 according "
        "to editor c. No side leads (1 independent originator each); no value is picked."
    )
    assert (result.margin.leading, result.margin.runner_up, result.margin.margin) == (1, 1, 0)


def test_one_outlets_wrong_date_against_eleven_originators_is_an_outlier_not_a_split():
    eleven = [value(i, FEB_20, who=f"outlet {i}", own_voice=True) for i in range(1, 12)]
    wrong = value(12, MAY_20, who="outlet 12", own_voice=True)
    result = agreement.verdict([*eleven, wrong], fmt=agreement.iso_day)
    assert result.kind == agreement.OUTLIER
    assert result.consensus is not None and result.consensus.low == FEB_20
    assert [g.role for g in result.groups] == ["consensus", "outlier"]
    assert "2022-05-20 according to outlet 12 alone" in result.summary
    assert "from 11 independent originators" in result.summary
    assert (result.margin.leading, result.margin.runner_up, result.margin.margin) == (11, 1, 10)


def test_two_against_three_is_not_a_clear_majority_so_it_stays_a_value_conflict():
    result = agreement.verdict(
        [
            *(value(i, 100, who=f"wire {i}", own_voice=True) for i in range(1, 4)),
            *(value(i, 200, who=f"wire {i}", own_voice=True) for i in range(4, 6)),
        ]
    )
    assert result.kind == agreement.VALUE_CONFLICT
    assert result.margin.margin == 1


def test_interested_parties_lining_up_are_a_split_however_many_stand_on_each_side():
    result = agreement.verdict(
        [
            said(1, "yes", who="United States", party=True),
            said(2, "yes", who="NATO", party=True),
            said(3, "yes", who="UK government", party=True),
            said(4, "no", who="The Kremlin", party=True),
        ]
    )
    assert result.kind == agreement.ATTRIBUTION_SPLIT
    assert result.consensus is not None and result.consensus.category == "yes"
    assert result.summary.endswith("the sides line up by interested party.")


def test_a_tie_between_interested_parties_is_a_split_with_no_value_picked():
    result = agreement.verdict(
        [
            said(1, "no", who="The Kremlin", party=True),
            said(2, "no", who="Belarus", party=True),
            said(3, "yes", who="United States", party=True),
            said(4, "yes", who="NATO", party=True),
        ]
    )
    assert result.kind == agreement.ATTRIBUTION_SPLIT
    assert result.consensus is None
    assert "No side leads (2 independent originators each)" in result.summary


def test_a_reporting_source_against_a_party_is_a_value_conflict_not_a_split():
    result = agreement.verdict(
        [
            said(1, "drills", who="The Moscow Times", own_voice=True),
            said(2, "drills", who="Reuters", own_voice=True),
            said(3, "blockade", who="Ukrainian government", party=True),
        ]
    )
    assert result.kind == agreement.VALUE_CONFLICT


def test_one_party_on_both_sides_is_a_value_conflict_even_in_a_tie():
    result = agreement.verdict(
        [value(1, 10, who="kremlin", party=True), value(2, 20, who="kremlin", party=True)]
    )
    assert result.kind == agreement.VALUE_CONFLICT


def test_an_agreed_verdict_carries_its_margin():
    result = agreement.verdict([value(1, 5, who="a"), value(2, 5, who="b"), value(3, 5, who="c")])
    assert result.kind == agreement.AGREED
    assert (result.margin.leading, result.margin.runner_up, result.margin.margin) == (3, 0, 3)


def test_a_coarse_claim_that_contains_one_side_breaks_the_tie_for_it():
    february = date(2022, 2, 1).toordinal(), date(2022, 2, 28).toordinal()
    result = agreement.verdict(
        [
            value(1, MAY_20, who="outlet a", own_voice=True),
            value(2, FEB_20, who="outlet b", own_voice=True),
            value(3, *february, who="outlet c", own_voice=True, precision=2, point=None),
        ],
        fmt=agreement.iso_day,
    )
    assert result.consensus is not None and result.consensus.low == FEB_20
    assert [g.role for g in result.groups] == ["consensus", "less_precise", "rival"]
    assert (result.margin.leading, result.margin.runner_up) == (2, 1)


def test_a_coarse_claim_outside_the_consensus_does_not_support_it():
    march = date(2022, 3, 1).toordinal(), date(2022, 3, 31).toordinal()
    result = agreement.verdict(
        [
            value(1, FEB_20, who="a"),
            value(2, FEB_20, who="b"),
            value(3, *march, who="c", precision=2, point=None),
        ]
    )
    roles = {g.role: [e.claim_id for e in g.members] for g in result.groups}
    assert "less_precise" not in roles
    assert roles["rival"] == [3]


def test_a_claim_of_a_country_supports_a_claim_of_its_capital():
    result = agreement.verdict(
        [
            said(1, "Minsk", who="a"),
            said(2, "Belarus", who="b"),
            said(3, "Belarus", who="c"),
            said(4, "Moscow", who="d"),
        ],
        within={"Minsk": "Belarus", "Moscow": "Russia"},
    )
    consensus = result.consensus
    # The finest value its backers support: Minsk, with Belarus as less precise support.
    assert consensus is not None and consensus.category == "Minsk"
    assert consensus.support == 3
    # Three backers against one, the threshold of data/verdicts.json: Moscow is an outlier.
    assert [g.role for g in result.groups] == ["consensus", "less_precise", "outlier"]


def test_two_cities_in_one_country_agree_on_the_country():
    result = agreement.verdict(
        [said(1, "Minsk", who="a"), said(2, "Gomel", who="b"), said(3, "Belarus", who="c")],
        within={"Minsk": "Belarus", "Gomel": "Belarus"},
    )
    assert result.consensus is not None and result.consensus.category == "Belarus"
    assert sorted(e.claim_id for e in result.consensus.members) == [1, 2, 3]


def test_a_shorter_author_list_is_contained_in_the_longer_one():
    assert agreement.category_contains("Tolkien", "Tolkien; C. S. Lewis", {})
    assert not agreement.category_contains("Tolkien; C. S. Lewis", "Tolkien", {})
    assert not agreement.category_contains("Tolkien; Lewis", "Tolkien; Williams", {})
    result = agreement.verdict(
        [
            said(1, "Tolkien; C. S. Lewis", who="a"),
            said(2, "Tolkien; C. S. Lewis", who="d"),
            said(3, "Tolkien", who="b"),
            said(4, "Williams", who="c"),
        ]
    )
    assert result.consensus is not None and result.consensus.category == "Tolkien; C. S. Lewis"
    # The store that printed only the first author supports the full list, less precisely.
    assert [g.role for g in result.groups] == ["consensus", "less_precise", "rival"]
    assert result.kind == agreement.VALUE_CONFLICT


def test_a_store_that_adds_a_name_to_a_list_does_not_take_the_others_backing():
    result = agreement.verdict(
        [
            said(1, "Knuth", who="a"),
            said(2, "Knuth; Fuller", who="b"),
            said(3, "Knuth; Fuller", who="c"),
            said(4, "Knuth; Fuller; Bogus", who="d"),
        ]
    )
    assert result.consensus is not None and result.consensus.category == "Knuth; Fuller"


def test_a_nesting_that_goes_round_in_a_circle_is_refused():
    categories = ["Minsk", "Belarus"]
    assert agreement.nesting_problem({"Minsk": "Belarus"}, categories) == ""
    assert "circle" in agreement.nesting_problem(
        {"Minsk": "Belarus", "Belarus": "Minsk"}, categories
    )
    assert "among the fact's categories" in agreement.nesting_problem(
        {"Minsk": "Europe"}, categories
    )


def test_negative_values_are_grouped_like_positive_ones():
    result = agreement.verdict(
        [
            value(1, -10, who="a"),
            value(2, -10, who="b"),
            value(3, -10, who="c"),
            value(4, 10, who="d"),
        ]
    )
    assert result.kind == agreement.OUTLIER
    assert result.consensus is not None and result.consensus.low == -10


def test_a_rival_one_day_earlier_is_a_dispute_not_a_change_over_time():
    result = agreement.verdict(
        [
            value(1, 10, who="a", as_of=AS_OF),
            value(2, 20, who="b", as_of=AS_OF - 1),
            value(3, 20, who="c", as_of=AS_OF - 1),
        ]
    )
    assert result.kind == agreement.VALUE_CONFLICT


def test_values_a_week_apart_from_different_sources_are_a_change_over_time():
    result = agreement.verdict(
        [
            value(1, 10, who="a", as_of=AS_OF),
            value(2, 20, who="b", as_of=AS_OF - 7),
            value(3, 20, who="c", as_of=AS_OF - 8),
        ]
    )
    assert result.kind == agreement.CHANGE_OVER_TIME
    # The days between the groups, not their sum: 7 days apart.
    assert agreement.days_between(result.groups[0], result.groups[1]) == 7


def test_an_originators_coarse_words_do_not_back_a_rival_of_its_own_precise_value():
    # "a" says 100 precisely and, elsewhere, "between 0 and 1,000": it still backs only 100.
    result = agreement.verdict(
        [
            value(1, 100, who="a"),
            value(2, 100, who="b"),
            value(3, 500, who="c"),
            value(4, 0, 1_000, who="a", precision=1, point=None),
        ]
    )
    assert result.consensus is not None and result.consensus.low == 100
    assert (result.margin.leading, result.margin.runner_up) == (2, 1)
