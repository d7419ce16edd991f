"""manage.py truth_benchmark on a tiny hand-made data folder (never ../shared): loaded through
the claim import, scored with one normalisation, printed."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from facts.models import Claim, Fact
from facts.services import truth_benchmark as bench
from tests.factories import OutletFactory

pytestmark = pytest.mark.django_db


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    # Three books. 1: three spellings of one author (agreed once normalised). 2: a store
    # printing only the second author of two. 3: two stores against the right one.
    write(
        tmp_path / "book_author" / "book.txt",
        "\r\n".join(
            [
                "S1\t0000000001\tTAOCP\tKnuth, Donald E.",
                "S2\t0000000001\tTAOCP\tDonald E. Knuth",
                "S3\t0000000001\tTAOCP\tKNUTH, DONALD (Author)",
                "S1\t0000000002\tMedia\tEricson, Barbara; Guzdial, Mark",
                "S2\t0000000002\tMedia\tBarbara Ericson &amp; Mark Guzdial",
                "S3\t0000000002\tMedia\tGuzdial, Mark",
                "S1\t0000000003\tSQL\tCelko, Joe",
                "S2\t0000000003\tSQL\tJoe Celko",
                "S3\t0000000003\tSQL\tDate, C. J.",
                "S4\t0000000003\tSQL\tNot Available",
            ]
        )
        + "\r\n",
    )
    write(
        tmp_path / "book_author" / "book_golden.txt",
        "0000000001\tknuth, donald e.;\n"
        "0000000002\tericson, barbara ;  guzdial, mark;\n"
        "0000000003\tdate, c. j.;\n",
    )
    # Two city-years. a: 100 twice against a vandal's 14. b: one editor each for 200 and 210.
    write(
        tmp_path / "population" / "population-new-new.txt",
        "a, x_2000\tcontributor #1: one\t100\t2000\n"
        "a, x_2000\tcontributor #2: two\t100\t2000\n"
        "a, x_2000\tcontributor #3: three\t14\t2000\n"
        "b, x_2000\tcontributor #1: one\t200\t2000\n"
        "b, x_2000\tcontributor #2: two\t210\t2000\n",
    )
    write(tmp_path / "population" / "population-gd.txt", "a, x, 2000, 100\nb, x, 2000, 210\n")
    return tmp_path


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("truth_benchmark", *args, stdout=out)
    return out.getvalue()


def accuracy(output: str, section: str, method: str) -> str:
    block = output.split(f"## {section}:")[1].split("## ")[0]
    match = re.search(rf"^{method}\s+(\S+)\s+\((\d+/\d+)\)", block, re.MULTILINE)
    assert match, block
    return f"{match[1]} ({match[2]})"


def test_it_loads_each_set_through_the_import_and_prints_hand_computed_accuracies(data):
    output = run("--data", str(data), "--sets", "book_author,population")

    # Every value but "Not Available" became a verified claim in its store's own voice.
    assert Claim.objects.verified().count() == 9 + 5
    assert set(Claim.objects.values_list("attribution_mode", flat=True)) == {"own_voice"}
    assert Fact.objects.count() == 3 + 2

    # Books 1 and 2 are right for every method (2 stores against 1, or all three), book 3
    # wrong for every one (Celko 2, Date 1): 2 of 3.
    for method in ("majority", "truthfinder", "consensus", "likely"):
        assert accuracy(output, "book_author", method) == "0.667 (2/3)", method
    assert "book_author: 9 claims, 3 sources, 3 items, 3 with gold" in output
    # Books 1 and 2 are agreed: on book 2 the store printing only Guzdial backs the full list
    # as less precise (a shorter author list is contained in the longer).
    assert re.search(r"^agreed\s+2\s+2 \(1\.000\)", output, re.MULTILINE)
    # City b, one editor each for 200 and 210: no side leads, the verdict picks no value.
    assert re.search(r"^contested\s+1\s+0 \(0\.000\)", output, re.MULTILINE)

    # City a: 100 (2 editors) right for every method. City b, 200 against 210 one each: the
    # majority's tie is flagged and goes toward the middle (equidistant: the lower, 200);
    # the likely value weighs editor 2 below editor 1 (1 wrong of 2 against 0 of 2): 200.
    assert accuracy(output, "population", "majority") == "0.500 (1/2)"
    assert accuracy(output, "population", "likely") == "0.500 (1/2)"
    # Errors over both cities: (0 + 10) / 2 = 5.0; relative (0 + 10/210) / 2 = 0.0238.
    assert re.search(r"^majority\s+5\.0\s+0\.0238\s+\(n=2\)", output, re.MULTILINE)
    assert re.search(r"^likely\s+5\.0\s+0\.0238\s+\(n=2\)", output, re.MULTILINE)
    assert "timing: outlets" in output


def test_it_refuses_a_database_that_holds_other_data(data):
    OutletFactory()
    with pytest.raises(CommandError, match="fresh database"):
        run("--data", str(data), "--sets", "population")


def test_it_names_an_unknown_set(data):
    with pytest.raises(CommandError, match="Unknown set"):
        run("--data", str(data), "--sets", "stocks")


def test_limit_keeps_the_first_gold_items(data):
    output = run("--data", str(data), "--sets", "population", "--limit", "1")
    assert "population: 3 claims, 3 sources, 1 items, 1 with gold" in output


@pytest.mark.parametrize(
    ("written", "minutes"),
    [
        ("7:10 a.m.", 430),
        ("12:05 a.m.", 5),
        ("12:30 p.m.", 750),
        ("6:59aDec 1", 419),
        ("Thu  20:00", 1200),
        ("12/02/2011 5:50 a.m.", 350),
        ("3:20 p.m. (Runway)", 920),
        ("9:40 a.m. (-0:10)", 580),
        ("Not Available", None),
    ],
)
def test_flight_times_read_as_minutes_after_midnight(written, minutes):
    assert bench.minutes_of_day(written) == minutes


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Knuth, Donald E.", "knuth"),
        ("Donald E. Knuth", "knuth"),
        ("KNUTH, DONALD E.", "knuth"),
        ("Speegle, Gregory (Author)", "speegle"),
        ("Ericson, Barbara; Guzdial, Mark", "ericson; guzdial"),
        ("Mark Guzdial and Barbara Ericson", "ericson; guzdial"),
        ("Aiken, Peter, Allen, M. David", "aiken; allen"),
        ("Donald Knuth, John Fuller", "fuller; knuth"),
        ("Van Der Linden, Peter", "van der linden"),
        ("Marcad&eacute;, Erik &amp; Hornick, Mark", "hornick; marcade"),
        ("aiken, peter ;  allen, m. david;", "aiken; allen"),
        ("Not Available", ""),
    ],
)
def test_author_lists_normalise_to_sorted_last_names(written, key):
    assert bench.author_key(written) == key


@pytest.fixture
def places(tmp_path: Path) -> Path:
    # A TDH set by hand. Hierarchy: USA > Minnesota > Minneapolis, USA > California > Los
    # Angeles, and two places called Springfield (in Illinois and in Massachusetts).
    folder = tmp_path / "tdh_hierarchical" / "birthplaces"
    write(
        folder / "hierarchy.csv",
        "ID,name,parentID\n0,Root,-1\n1,USA,0\n2,Minnesota,1\n3,Minneapolis,2\n"
        "4,California,1\n5,Los Angeles,4\n6,Illinois,1\n7,Springfield,6\n"
        "8,Massachusetts,1\n9,Springfield,8\n",
    )
    # p1: wikipedia says Minneapolis, howold and imdb only "USA": nobody denies Minneapolis.
    # p2: Los Angeles against California, both right (California holds Los Angeles).
    # p3: Springfield and Massachusetts: the Springfield in Massachusetts.
    # p4: Minneapolis against Los Angeles, one each, and "USA": the finer places disagree.
    write(
        folder / "claims.csv",
        "obj,src,value\n"
        '"Darsow, Barry",wikipedia,Minneapolis\n"Darsow, Barry",howold,USA\n'
        '"Darsow, Barry",imdb,USA\n'
        "p2,wikipedia,Los Angeles\np2,howold,California\n"
        "p3,wikipedia,Springfield\np3,howold,Massachusetts\n"
        "p4,wikipedia,Minneapolis\np4,howold,Los Angeles\np4,imdb,USA\n",
    )
    write(
        folder / "groundtruths.csv",
        'obj,value\n"Darsow, Barry","Minneapolis,Minnesota,USA"\n'
        'p2,"Los Angeles,California,USA"\np3,"Springfield,Massachusetts,USA"\n'
        'p4,"Minneapolis,Minnesota,USA"\n',
    )
    return tmp_path


def test_a_place_name_that_stands_for_two_places_is_placed_by_the_items_other_claims(places):
    dataset = bench.READERS["tdh_birthplaces"](places / bench.FOLDERS["tdh_birthplaces"])
    assert dataset.within["p3"] == {"Springfield": "Massachusetts", "Massachusetts": "USA"}
    assert dataset.within["Darsow, Barry"] == {"Minneapolis": "Minnesota", "Minnesota": "USA"}
    assert dataset.gold == {
        "Darsow, Barry": "Minneapolis",
        "p2": "Los Angeles",
        "p3": "Springfield",
        "p4": "Minneapolis",
    }


def test_hierarchical_places_load_with_their_nesting_and_a_coarser_claim_backs_the_finer(places):
    output = run("--data", str(places), "--sets", "tdh_birthplaces")
    fact = Fact.objects.get(property="Tdh_birthplaces: place of Darsow, Barry")
    assert fact.category_within == {"Minneapolis": "Minnesota", "Minnesota": "USA"}
    # Majority picks "USA" for Barry Darsow (2 of 3); on p2, p3 and p4 (one each) its tie goes
    # to the alphabetically first: California, Massachusetts (both coarser) and Los Angeles
    # (wrong): 0 of 4, three coarser. The likely value reports the finest place the claims
    # support where the finer claims agree: Minneapolis, Los Angeles, Springfield; on p4,
    # wikipedia, whose places stood on the other three items, outweighs howold, whose coarser
    # places were a quarter right, and imdb's "USA" backs both: Minneapolis. 4 of 4.
    assert accuracy(output, "tdh_birthplaces", "likely") == "1.000 (4/4)"
    assert accuracy(output, "tdh_birthplaces", "majority") == "0.000 (0/4)"
    assert re.search(r"a broader place on the true path .*majority 3,.*likely 0$", output, re.M)
    # The calibration of the likely value's confidence, one line per bin with items.
    assert re.search(r"^likely confidence\s+items\s+likely right$", output, re.MULTILINE)
