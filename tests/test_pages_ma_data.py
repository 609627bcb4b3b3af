"""The form on the real Massachusetts data: the right legislators, by name, in the campaign's order."""

from __future__ import annotations

import pytest
from sqlalchemy import event

import lookup
from extensions import db
from models.directory import SqlDirectory
from tests.support.pages import (
    DEMO,
    GOOD_PHONE,
    load_demo_campaign,
    load_ma_data,
    nothing_stored,
    only_call,
    page,
    seed_geography,
)


@pytest.fixture
def ma(app, runner, ma_data_dir):
    """The real data and the demo campaign."""
    load_ma_data(runner, ma_data_dir)
    return load_demo_campaign(runner)


def post(client, location: str, **picks: str):
    return client.post(f"/c/{DEMO}", data={"phone": GOOD_PHONE, "location": location, **picks})


def legs(call) -> list[tuple]:
    return [
        (leg.target.title if leg.target else None, leg.target.name if leg.target else None, leg.district.census_geoid)
        for leg in call.legs
    ]


def test_amherst_01003_calls_comerford_then_domb(client, ma):
    response = post(client, "01003")

    assert response.status_code == 303
    assert legs(only_call()) == [
        ("State Senator", "Jo Comerford", "25D05"),
        ("State Representative", "Mindy Domb", "25058"),
    ]
    html = page(client.get(response.headers["Location"]))
    assert [(a["href"]) for a in html.all("a", class_="tel")] == ["tel:+16177221532", "tel:+16177222060"]
    assert (
        "State Senator Jo Comerford Hampshire, Franklin and Worcester district · Democratic "
        "Call State Senator Jo Comerford: (617) 722-1532" in html.visible_text()
    )


def test_02215_goes_through_the_picker_for_both_chambers(client, ma):
    asked = page(post(client, "02215"))

    assert [(r["name"], r["value"]) for r in asked.all("input", type="radio")] == [
        ("pick_upper", "25D28"),
        ("pick_upper", "25D17"),
        ("pick_lower", "25124"),
        ("pick_lower", "25140"),
        ("pick_lower", "25130"),
        ("pick_lower", "25129"),
        ("pick_lower", "25139"),
        ("pick_lower", "25110"),
    ]
    assert (
        "Will Brownsberger Suffolk and Middlesex district "
        "Covers Boston, Allston, Belmont, Brighton, Cambridge and 1 more place "
        "Cynthia Creem Norfolk and Middlesex district "
        "Covers Brookline, Auburndale, Babson Park, Chestnut Hill, Newton and 9 more places"
    ) in asked.visible_text()
    assert "Jay Livingstone 8th Suffolk district Covers Boston" in asked.visible_text()
    assert nothing_stored()

    done = client.post(
        f"/c/{DEMO}",
        data={
            "phone": GOOD_PHONE,
            "location": "02215",
            "pick_upper": "25D28",
            "pick_lower": "25130",
            "asked": ["upper", "lower"],
        },
    )

    assert done.status_code == 303
    assert legs(only_call()) == [
        ("State Senator", "Will Brownsberger", "25D28"),
        ("State Representative", "Jay Livingstone", "25130"),
    ]


def test_01002_asks_only_for_the_representative(client, ma):
    html = page(post(client, "01002"))

    assert "Your state senator: Jo Comerford (Hampshire, Franklin and Worcester district)" in html.text("picker")
    assert [r["name"] for r in html.all("input", type="radio")] == ["pick_lower", "pick_lower"]
    assert (
        "Mindy Domb 3rd Hampshire district Covers Amherst, Granby "
        "Aaron Saunders 7th Hampden district Covers Belchertown, Ludlow, New Salem, Petersham, Shutesbury "
        "and 2 more places"
    ) in html.visible_text()  # the places each district holds most of, so the supporter can tell them apart


def test_the_vacant_1st_franklin_seat_is_skipped_and_comerford_still_called(client, ma):
    response = post(client, "01054")

    assert legs(only_call()) == [("State Senator", "Jo Comerford", "25D05"), (None, None, "25042")]
    text = page(client.get(response.headers["Location"])).visible_text()
    assert "House seat for the 1st Franklin district This seat is vacant right now, so we'll skip it." in text


def test_a_zip_lookup_costs_one_select(app):
    seed_geography()
    statements: list[str] = []
    listener = lambda conn, cursor, statement, *rest: statements.append(statement)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        settled = lookup.resolve(lookup.LookupRequest("MA", "01003"), SqlDirectory(db.session))
        split = lookup.resolve(lookup.LookupRequest("MA", "01004"), SqlDirectory(db.session))
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)

    assert [t.target.name for t in settled.targets] == ["Ada Adams", "Cy Cole"]
    assert [[c.target_names for c in q.candidates] for q in split.questions] == [
        [("Ada Adams",), ("Bo Baker",)],
        [("Cy Cole",), ("Di Diaz",)],
    ]
    # Each ZIP's districts come with their targets in one SELECT.
    assert len(statements) == 2 and all(s.lstrip().upper().startswith("SELECT") for s in statements)


def test_the_sql_directory_answers_like_the_protocol_says(app):
    seed_geography()
    directory = SqlDirectory(db.session)

    assert [
        (a.district.census_geoid, a.district.chamber, a.rank) for a in directory.districts_for_zip("MA", "01004")
    ] == [
        ("25001", "lower", 1),
        ("25002", "lower", 2),
        ("25D01", "upper", 1),
        ("25D02", "upper", 2),
    ]
    assert directory.districts_for_zip("NH", "01004") == [] and directory.districts_for_zip("MA", "99999") == []
    assert [d.name for d in directory.districts_by_geoid(["25002", "nope", "25D01"])] == ["2nd Alpha", "First Testing"]
    targets = directory.targets_for_districts(["25001", "25003"])
    assert targets == {
        "25001": [
            lookup.TargetInfo(
                id=targets["25001"][0].id,
                name="Cy Cole",
                title="State Representative",
                party="Democratic",
                district_geoid="25001",
                phone="+16175550111",
                extension="204",
                district_chamber="lower",
            )
        ],
        "25003": [],
    }
