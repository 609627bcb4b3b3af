"""The resolver on the real Massachusetts data (DATA_DIR, default /work/shared/data).

Legislators come from the Open States YAML as of the snapshot day, so these tests
also check that the data says what the README says about it.
"""

from __future__ import annotations

import pytest

from lookup import LookupRequest, Status, resolve
from tests.support.lookup import ma_directory


def test_02215_touches_six_house_districts_and_two_senate_districts() -> None:
    result = resolve(LookupRequest("MA", "02215"), ma_directory())

    assert result.status is Status.ASK_DISTRICT
    senate, house = result.questions
    assert [c.district.census_geoid for c in senate.candidates] == ["25D28", "25D17"]
    assert [c.district.census_geoid for c in house.candidates] == [
        "25124",
        "25140",
        "25130",
        "25129",
        "25139",
        "25110",
    ]
    assert [c.rank for c in house.candidates] == [1, 2, 3, 4, 5, 6]
    assert house.prompt is not None
    assert house.prompt.text == "ZIP 02215 is split between 6 House districts. Which one is yours?"
    assert [(c.district.name, c.target_names) for c in senate.candidates] == [
        ("Suffolk and Middlesex", ("Will Brownsberger",)),
        ("Norfolk and Middlesex", ("Cynthia Creem",)),
    ]


def test_02215_with_both_picks_calls_the_chosen_legislators() -> None:
    request = LookupRequest("MA", "02215", picks={"upper": "25D28", "lower": "25130"})

    result = resolve(request, ma_directory())

    assert result.status is Status.DONE
    assert [(t.chamber, t.target.name, t.target.phone) for t in result.targets] == [
        ("upper", "Will Brownsberger", "617-722-1280"),
        ("lower", "Jay Livingstone", "617-722-2011"),
    ]


def test_02215_refuses_a_district_from_another_zip() -> None:
    # 25058 (3rd Hampshire) is real, but nowhere near 02215.
    request = LookupRequest("MA", "02215", picks={"upper": "25D28", "lower": "25058"})

    result = resolve(request, ma_directory())

    assert result.status is Status.ASK_DISTRICT
    assert result.note_codes == ("invalid_pick",)
    assert [q.chamber for q in result.questions] == ["lower"]


def test_amherst_01003_has_one_senator_and_one_representative() -> None:
    result = resolve(LookupRequest("MA", "01003"), ma_directory())

    assert result.status is Status.DONE
    assert [(t.chamber, t.target.title, t.target.name, t.target.district_geoid) for t in result.targets] == [
        ("upper", "Senator", "Jo Comerford", "25D05"),
        ("lower", "Representative", "Mindy Domb", "25058"),
    ]
    assert result.notes == ()


@pytest.mark.parametrize(
    "zip_code, geoid, senator, sentence",
    [
        (
            "01054",
            "25042",
            "Jo Comerford",
            "The House seat for the 1st Franklin district is vacant right now, so we'll skip it.",
        ),
        (
            "01852",
            "25075",
            "Vanna Howard",
            "The House seat for the 17th Middlesex district is vacant right now, so we'll skip it.",
        ),
    ],
)
def test_vacant_house_seats_are_skipped_and_the_senator_still_called(
    zip_code: str, geoid: str, senator: str, sentence: str
) -> None:
    result = resolve(LookupRequest("MA", zip_code), ma_directory())

    assert result.status is Status.DONE
    assert [t.target.name for t in result.targets] == [senator]
    assert [n.text for n in result.notes] == [sentence]
    house = result.chambers[1]
    assert (house.district.census_geoid if house.district else None, house.targets) == (geoid, ())


def test_the_two_vacant_seats_are_the_only_districts_without_a_legislator() -> None:
    directory = ma_directory()
    geoids = [d.census_geoid for d in directory.districts_by_geoid(_all_geoids())]

    vacant = sorted(g for g, people in directory.targets_for_districts(geoids).items() if not people)

    assert (len(geoids), vacant) == (200, ["25042", "25075"])


def test_3rd_bristol_representative_without_a_phone_is_flagged() -> None:
    result = resolve(LookupRequest("MA", "02375", picks={"lower": "25012"}), ma_directory())

    assert result.status is Status.DONE
    rep = result.targets[1]
    assert (rep.target.name, rep.target.phone) == ("Lisa Field", None)
    assert rep.skip is not None and rep.skip.code == "no_phone"
    assert result.targets[0].skip is None


def test_a_new_hampshire_zip_on_a_massachusetts_campaign() -> None:
    result = resolve(LookupRequest("MA", "03301"), ma_directory())

    assert result.status is Status.OUT_OF_STATE
    assert result.reason is not None
    assert result.reason.text == "03301 is in New Hampshire; this campaign is for Massachusetts legislators."


def test_a_po_box_zip_is_unknown_in_state() -> None:
    result = resolve(LookupRequest("MA", "02112"), ma_directory())

    assert (result.status, result.reason.code if result.reason else None) == (Status.UNKNOWN_ZIP, "unknown_zip")


def _all_geoids() -> list[str]:
    return [f"25D{n:02d}" for n in range(1, 41)] + [f"25{n:03d}" for n in range(1, 161)]
