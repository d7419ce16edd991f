"""Issue 9: the seed curation errors, corrected as a person reads the articles.

Each test pins a value, a date, a wording or an attribution read off the article text by hand,
not recomputed by the code under test.
"""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from facts.models import Article, Claim, Fact, Subject

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
TMT_FEB_8 = "tmt-2022-02-08-kremlin-says-russian-troops-will-return"
TMT_FEB_10 = "tmt-2022-02-10-russia-launches-belarus-military-drills"
NI = "ni-2022-02-17-joint-exercises-nearing-completion"
WEX = "wex-2022-02-08-russian-troops-will-leave-belarus"
CNN = "cnn-2023-russia-increases-joint-military-drills"


def claim(pk: int) -> Claim:
    return Claim.objects.select_related("article", "fact__subject", "actor").get(pk=pk)


def fact_key(c: Claim) -> tuple[str, str]:
    return (c.fact.subject.slug, c.fact.slug)


def stands_in_text(c: Claim, passage: str) -> None:
    """The wording stands at its offsets, inside the passage as the article prints it."""
    text = c.article.text
    assert text[c.start : c.end] == c.wording
    at = text.index(passage)
    assert at <= c.start and c.end <= at + len(passage), (c.wording, passage)


def claims_on(subject: str, slug: str) -> dict[int, Claim]:
    return {c.pk: c for c in Claim.objects.filter(fact__subject__slug=subject, fact__slug=slug)}


# Errors ---------------------------------------------------------------------------------------


def test_cnns_passing_mention_of_the_invasion_is_on_the_invasion_not_on_russias_2022_intent(
    seeds,
):
    mention = claim(94)
    assert fact_key(mention) == ("russian-invasion-of-ukraine", "status")
    assert mention.category == "under way"
    assert mention.wording == "amid Moscow’s invasion of Ukraine"
    assert mention.attribution_mode == "own_voice" and mention.actor is None
    assert mention.as_of == dt.date(2023, 1, 3)
    intent = claims_on("russian-buildup-around-ukraine-2021-22", "russia-plans-to-invade")
    assert 94 not in intent
    assert {c.article.outlet.slug for c in intent.values()} == {"the-moscow-times"}


def test_the_washington_examiner_figures_are_credited_to_the_us_assessment_with_the_post_in_the_cue(
    seeds,
):
    for pk, wording in [
        (84, "as many as 50,000 civilians injured or killed"),
        (85, "up to 5 million refugees"),
        (86, "in a matter of two days"),
    ]:
        figure = claim(pk)
        assert figure.wording == wording
        stands_in_text(
            figure,
            "it could result in as many as 50,000 civilians injured or killed, launching a "
            "humanitarian crisis creating up to 5 million refugees, and they could overrun "
            "Ukraine in a matter of two days, according to the Washington Post.",
        )
        assert figure.actor.slug == "us-military-and-intelligence"
        assert figure.actor.originator().slug == "united-states"
        assert figure.attribution_mode == "indirect"
        assert "military and intelligence assessments" in figure.attribution_cue
        assert "according to the Washington Post" in figure.attribution_cue
    assert not Claim.objects.filter(actor__slug="the-washington-post").exists()


def test_in_a_matter_of_two_days_is_at_most_two_days(seeds):
    overrun = claim(86)
    assert (overrun.number, overrun.unit, overrun.bound) == (Decimal(2), "day", "at_most")
    assert (overrun.lower, overrun.upper) == (Decimal(0), Decimal(2))


def test_the_three_claims_from_afps_report_of_one_decree_are_credited_to_putin_with_afp_in_the_cue(
    seeds,
):
    cues = {
        100: "according to Agence France-Presse",
        101: "AFP reported",
        102: "AFP reported … The document did not specify",
    }
    for pk, cue in cues.items():
        decree = claim(pk)
        assert decree.actor.slug == "vladimir-putin", pk
        assert decree.attribution_mode == "indirect", pk
        assert decree.attribution_cue == cue
    assert not Claim.objects.filter(actor__slug="agence-france-presse").exists()


def test_cnns_article_and_its_tuesday_decree_fall_on_a_tuesday_before_september_2023(seeds):
    cnn = Article.objects.get(slug=CNN)
    assert "will hold in Russia in September" in cnn.text
    # The first Tuesday of 2023 and the last Tuesday before September 2023.
    assert (cnn.published_earliest, cnn.published_latest) == (
        dt.date(2023, 1, 3),
        dt.date(2023, 8, 29),
    )
    assert dt.date(2023, 8, 29).strftime("%A") == "Tuesday"
    decree = claim(101)
    assert (decree.date_earliest, decree.date_latest) == (dt.date(2023, 1, 3), dt.date(2023, 8, 29))
    assert decree.date_latest < dt.date(2023, 9, 1)


def test_later_this_month_said_on_tuesday_feb_8_starts_on_feb_9(seeds):
    later = claim(2)
    assert later.wording == "later this month"
    assert later.article.slug == TMT_FEB_8
    assert (later.date_earliest, later.date_latest) == (dt.date(2022, 2, 9), dt.date(2022, 2, 28))


def test_fomin_said_last_month_so_his_statement_holds_as_of_january_2022(seeds):
    fomin = claim(68)
    assert fomin.actor.slug == "alexander-fomin"
    assert "Alexander Fomin said last month" in fomin.article.text
    assert fomin.as_of == dt.date(2022, 1, 31)


def test_paraphrases_around_a_short_quoted_fragment_are_indirect_reports(seeds):
    nato, truss = claim(18), claim(22)
    assert nato.attribution_mode == truss.attribution_mode == "indirect"
    assert nato.wording == (
        'Russia\'s deployment of troops and missiles represented a "dangerous moment" '
        "for European security"
    )
    assert truss.wording == 'Russia of adopting a "threatening posture"'
    assert truss.attribution_cue.endswith("accusing")


def test_kyivs_psychological_pressure_is_the_quoted_words_without_the_cue_or_the_aside(seeds):
    kyiv = claim(23)
    assert kyiv.wording == "psychological pressure"
    assert kyiv.attribution_mode == "direct_quote"
    assert kyiv.attribution_cue == "Kyiv denounced the war games — set to run until Feb. 20 — as"
    stands_in_text(kyiv, 'as "psychological pressure" while French Foreign Minister')
    aside = claim(24)
    assert aside.wording == "until Feb. 20" and aside.attribution_mode == "own_voice"
    assert aside.end <= kyiv.start


def test_wordings_that_take_in_a_quotation_end_at_its_closing_mark(seeds):
    peskov, officials = claim(74), claim(108)
    assert (
        peskov.wording == 'a permanent Russian troop presence in Belarus is “not being considered,"'
    )
    assert officials.wording == (
        "it is “hugely unlikely” that Belarus “will be an axis of advance in the next several "
        "months.”"
    )
    for c in (peskov, officials):
        assert c.wording.count("“") == c.wording.count("”") + c.wording.count('"')
        assert c.attribution_mode == "indirect"


def test_a_weekday_carries_the_verb_it_dates(seeds):
    expected = {
        17: ("launched joint military drills Thursday", dt.date(2022, 2, 10)),
        44: (
            "Thursday included a meeting between British Prime Minister Boris Johnson and NATO "
            "Secretary General Jens Stoltenberg",
            dt.date(2022, 2, 10),
        ),
        101: ("a decree published Tuesday", dt.date(2023, 1, 3)),
    }
    for pk, (wording, earliest) in expected.items():
        c = claim(pk)
        assert c.wording == wording
        assert c.date_earliest == earliest
        assert c.article.text[c.start : c.end] == wording


def test_thousands_of_others_carries_where_they_were_sent(seeds):
    thousands = claim(82)
    assert thousands.wording == "thousands of others into Belarus"
    stands_in_text(thousands, "sent thousands of others into Belarus, a country")
    assert (thousands.bound, thousands.hedge) == ("vague", "thousands")


def test_a_figure_inside_a_reported_clause_is_credited_to_whoever_the_clause_is_reported_from(
    seeds,
):
    western = claim(10)
    stands_in_text(
        western,
        "Western states warn that Russia, which has gathered over 100,000 troops on its borders",
    )
    assert western.actor.slug == "western-governments"
    assert western.attribution_mode == "indirect"
    assert western.attribution_cue == "Western states warn that"
    fears = claim(20)
    assert fears.actor.slug == "western-governments" and fears.attribution_mode == "indirect"
    for pk in (
        96,
        97,
    ):  # "The ministry said ... the two countries will hold in Russia in September"
        ministry = claim(pk)
        assert ministry.actor.slug == "belarusian-defense-ministry"
    aside = claim(24)  # "— set to run until Feb. 20 —", set off by dashes: the outlet's own
    assert aside.actor is None
    for path in (ROOT / "README.md", ROOT / "docs" / "CURATION.md"):
        assert "Figures inside a reported clause" in path.read_text(encoding="utf-8")


# Structure ------------------------------------------------------------------------------------


def test_the_intent_to_invade_and_the_purpose_of_the_buildup_share_no_answer(seeds):
    buildup = "russian-buildup-around-ukraine-2021-22"
    intent = Fact.objects.get(subject__slug=buildup, slug="russia-plans-to-invade")
    purpose = Fact.objects.get(subject__slug=buildup, slug="purpose-of-the-buildup")
    assert intent.categories == ["yes", "no"]
    assert purpose.categories == ["pressure on Ukraine", "movements within Russia's own territory"]
    assert set(claims_on(buildup, "russia-plans-to-invade")) == {11, 13, 19, 37}
    assert set(claims_on(buildup, "purpose-of-the-buildup")) == {14, 35, 51}


def test_the_purpose_of_the_drills_holds_only_what_is_said_of_the_drills(seeds):
    drills = claims_on("allied-resolve-2022", "purpose-of-the-drills")
    assert set(drills) == {23, 25, 33, 68}
    # "Kyiv denounced the war games", Le Drian "called the exercises", the Defense Ministry "said
    # the exercises", Fomin's "goal of the exercise": each about the drills, not the buildup.
    assert claim(35).wording.startswith("the accumulation of forces at the border")


def test_whether_there_is_a_threat_and_how_soon_are_two_facts(seeds):
    buildup = "russian-buildup-around-ukraine-2021-22"
    assert not Fact.objects.filter(slug="threat-acuteness").exists()
    threat = claims_on(buildup, "buildup-is-a-threat")
    assert {pk: c.category for pk, c in threat.items()} == {
        12: "yes",
        18: "yes",
        22: "yes",
        38: "yes",
        39: "no",
    }
    soon = claims_on(buildup, "threat-immediacy")
    assert {pk: c.category for pk, c in soon.items()} == {
        46: "immediate",
        16: "not immediate",
        50: "not immediate",
    }


def test_the_tenth_shipment_is_its_own_subject_so_the_next_has_a_place(seeds):
    shipment = claim(48)
    assert fact_key(shipment) == ("us-ammunition-shipment-10-2022", "delivery-date")
    assert shipment.date_earliest == shipment.date_latest == dt.date(2022, 2, 9)
    assert fact_key(claim(49)) == ("us-ammunition-shipments-to-ukraine", "shipments-delivered")
    assert not Fact.objects.filter(slug="tenth-shipment-delivery-date").exists()


def test_scholzs_meeting_with_putin_is_its_own_subject(seeds):
    meeting = claim(43)
    assert fact_key(meeting) == ("scholz-putin-meeting-2022", "first-in-person-meeting")
    assert meeting.category == "yes" and meeting.number is None
    assert not Fact.objects.filter(slug="in-person-meetings-with-putin").exists()


def test_the_ruzhansky_distance_belongs_to_the_place(seeds):
    assert Subject.objects.get(slug="ruzhansky-training-grounds").kind == "place"
    for pk in (98, 99):
        assert fact_key(claim(pk)) == (
            "ruzhansky-training-grounds",
            "distance-from-ukrainian-border",
        )
    exercises = claims_on("russian-belarusian-air-force-exercises-ruzhansky-2023", "host-country")
    assert [c.category for c in exercises.values()] == ["Belarus"]


def test_iskanders_are_counted_like_the_su35s_and_the_s400s(seeds):
    kinds = {
        slug: Fact.objects.get(subject__slug="allied-resolve-2022", slug=slug).value_kind
        for slug in ("iskander-systems-sent", "su-35-fighters-sent", "s-400-units-sent")
    }
    assert set(kinds.values()) == {"quantity"}
    iskander = claim(64)
    # "9K720 Iskander short-range ballistic missile systems": a plural with no number.
    assert (iskander.number, iskander.bound, iskander.upper) == (Decimal(2), "at_least", None)


def test_the_curation_rules_are_written_down_and_the_admin_index_links_to_them(
    admin_client_logged_in,
):
    rules = (ROOT / "docs" / "CURATION.md").read_text(encoding="utf-8")
    for heading in (
        "## What a fact is",
        "## When a wording is long enough",
        "## Own voice, indirect report, direct quotation",
        "### Nested attribution",
    ):
        assert heading in rules
    index = admin_client_logged_in.get("/admin/")
    assert b'href="/admin/curation-rules/"' in index.content
    served = admin_client_logged_in.get("/admin/curation-rules/")
    assert served.status_code == 200
    assert served.content.decode() == rules


# Missing facts --------------------------------------------------------------------------------


def test_the_national_interest_says_removing_the_troops_takes_some_time(seeds):
    some_time = claim(109)
    assert fact_key(some_time) == ("allied-resolve-2022", "withdrawal-duration")
    assert some_time.wording == "it will take some time to remove the troops after the drills"
    assert some_time.article.slug == NI and some_time.attribution_mode == "own_voice"
    assert (some_time.bound, some_time.hedge, some_time.upper) == ("vague", "some time", None)


def test_stoltenberg_says_renewed_aggression_means_more_nato_presence_not_less(seeds):
    nato = claim(110)
    assert fact_key(nato) == (
        "nato-presence-in-eastern-europe",
        "response-to-renewed-russian-aggression",
    )
    assert nato.wording == "Renewed Russian aggression will lead to more NATO presence, not\xa0less"
    assert (nato.category, nato.actor.slug, nato.attribution_mode) == (
        "more",
        "jens-stoltenberg",
        "direct_quote",
    )


def test_kyiv_has_launched_its_own_drills(seeds):
    drills = claim(111)
    assert fact_key(drills) == ("ukrainian-military-drills-2022", "status")
    assert (drills.wording, drills.category) == (
        "Kyiv has launched its own military drills",
        "under way",
    )
    assert drills.as_of == dt.date(2022, 2, 10)


def test_macrons_shuttle_diplomacy_came_just_days_before_truss_trip_of_feb_10(seeds):
    macron = claim(112)
    assert fact_key(macron) == ("macron-shuttle-diplomacy-2022", "date")
    stands_in_text(
        macron,
        "Truss's trip came just days after Macron conducted a round of shuttle diplomacy "
        "between Moscow and Kyiv, and then briefed",
    )
    assert (macron.date_earliest, macron.date_latest) == (dt.date(2022, 2, 3), dt.date(2022, 2, 8))


def test_the_fighting_in_donbas_began_weeks_after_russia_annexed_crimea(seeds):
    # "It began weeks after ...": "it" is the fighting of the sentence before, not the drills.
    weeks = claim(113)
    assert fact_key(weeks) == ("war-in-donbas", "time-after-crimea-annexation")
    stands_in_text(
        weeks,
        "since breaking out in 2014.\n\nIt began weeks after Russia annexed Ukraine's Crimea "
        "peninsula, sparking",
    )
    assert (weeks.number, weeks.unit, weeks.bound) == (Decimal(2), "week", "at_least")


def test_the_further_week_of_drills_was_announced_on_a_tuesday_before_september_2023(seeds):
    announced = claim(114)
    assert fact_key(announced) == ("russian-belarusian-drills-week-2023", "announcement-date")
    assert announced.wording == "the\xa0Belarusian Defense Ministry said on Tuesday"
    assert (announced.date_earliest, announced.date_latest) == (
        dt.date(2023, 1, 3),
        dt.date(2023, 8, 29),
    )


def test_western_officials_say_ukraine_stations_troops_to_offset_the_risk(seeds):
    offset = claim(115)
    assert fact_key(offset) == (
        "russian-invasion-of-ukraine",
        "ukrainian-troops-facing-belarus-2023",
    )
    assert offset.wording.endswith("to “offset that potential risk,”")
    assert (offset.category, offset.actor.slug) == ("yes", "western-officials")


def test_lukashenko_announced_the_joint_regional_force_in_october_2022(seeds):
    force = claim(116)
    assert fact_key(force) == ("belarusian-russian-joint-regional-force", "formation-announced")
    assert force.wording == (
        "his country and Russia would form a joint regional force and carry out exercises"
    )
    assert (force.category, force.actor.slug) == ("yes", "alexander-lukashenko")
    assert force.as_of == dt.date(2022, 10, 31)
    date = claim(103)
    assert (date.date_earliest, date.date_latest) == (dt.date(2022, 10, 1), dt.date(2022, 10, 31))
