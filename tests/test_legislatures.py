"""Legislatures unlike Massachusetts': Nebraska's one chamber, New Jersey's two-member Assembly districts.

Both states are built from nothing by `flask data refresh` from loopback servers serving the
public formats (tests/support/legislatures.py), loaded beside Massachusetts, and called.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from extensions import db
from models import Call, CallLeg, District, LegislativeChamber, Target, ZipDistrict
from tests.support.legislatures import census_files, people_files
from tests.support.pages import GOOD_PHONE, page
from tests.support.public_sources import PEOPLE_PATH, Upstream, people_tarball

DEMO = Path(__file__).resolve().parent.parent / "campaigns" / "protect-immigrant-families.yml"


@pytest.fixture
def upstream(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    server = Upstream()
    server.routes[PEOPLE_PATH] = (200, people_tarball(people_files()), 0.0)
    for state in ("NE", "NJ"):
        server.routes |= {path: (200, body, 0.0) for path, body in census_files(state).items()}
    yield server
    server.close()


@pytest.fixture
def states_app(make_app, upstream, tmp_path, ma_data_dir):
    """Massachusetts as shipped, then Nebraska and New Jersey refreshed from nothing beside it, all loaded."""
    root = tmp_path / "data"
    shutil.copytree(ma_data_dir, root / "ma")
    app = make_app(DATA_DIR=str(root), **upstream.settings())
    result = app.test_cli_runner().invoke(args=["data", "refresh", "--state", "ne", "--state", "nj"])
    assert result.exit_code == 0, result.output
    app.refresh_output = result.output
    load = app.test_cli_runner().invoke(args=["data", "load"])
    assert load.exit_code == 0, load.output
    app.load_output = load.output
    return app


def campaign_file(tmp_path: Path, slug: str, state: str, chambers: str) -> Path:
    """The demo campaign, moved to another state, without its Massachusetts fixed targets."""
    text = DEMO.read_text().split("\nfixed_targets:")[0]
    text = text.replace("slug: protect-immigrant-families", f"slug: {slug}").replace("state: MA", f"state: {state}")
    path = tmp_path / f"{slug}.yml"
    path.write_text(text.replace("target_chambers: [upper, lower]", f"target_chambers: {chambers}"))
    return path


def call_from(app, tmp_path, slug: str, state: str, chambers: str, zip_code: str) -> Call:
    runner = app.test_cli_runner()
    loaded = runner.invoke(args=["campaign", "load", str(campaign_file(tmp_path, slug, state, chambers))])
    assert loaded.exit_code == 0, loaded.output
    client = app.test_client()
    response = client.post(f"/c/{slug}", data={"phone": GOOD_PHONE, "location": zip_code, "name": "", "town": ""})
    assert response.status_code == 303, response.get_data(as_text=True)
    return db.session.scalars(select(Call).order_by(Call.id.desc()).limit(1)).one()


def legs_of(call: Call) -> list[tuple[str | None, str | None, str | None, str | None]]:
    legs = db.session.scalars(select(CallLeg).where(CallLeg.call_id == call.id).order_by(CallLeg.position))
    return [
        (
            leg.target.title if leg.target else None,
            leg.target.name if leg.target else None,
            leg.district.chamber if leg.district else None,
            leg.district.census_geoid if leg.district else None,
        )
        for leg in legs
    ]


def test_nebraska_and_new_jersey_are_built_from_nothing_and_load_beside_massachusetts(states_app, tmp_path):
    root = tmp_path / "data"
    assert sorted(p.name for p in root.iterdir()) == ["ma", "ne", "nj"]
    assert "NE: 49 upper districts matched to Open States' divisions" in states_app.refresh_output
    assert "NJ: 40 upper districts, 40 lower districts matched to Open States' divisions" in states_app.refresh_output
    ne = (root / "ne" / "districts.csv").read_text().splitlines()
    assert ne[1] == "31001,upper,1,ocd-division/country:us/state:ne/sldu:1" and len(ne) == 50
    nj = (root / "nj" / "districts.csv").read_text().splitlines()
    assert "34002,upper,2,ocd-division/country:us/state:nj/sldu:2" in nj
    assert "34002,lower,2,ocd-division/country:us/state:nj/sldl:2" in nj

    with states_app.app_context():
        chambers = db.session.execute(
            select(
                LegislativeChamber.state,
                LegislativeChamber.chamber,
                LegislativeChamber.name,
                LegislativeChamber.member_title,
            ).order_by(LegislativeChamber.state, LegislativeChamber.chamber)
        ).all()
        assert [tuple(c) for c in chambers] == [
            ("MA", "lower", "House", "State Representative"),
            ("MA", "upper", "Senate", "State Senator"),
            ("NE", "upper", "Nebraska Legislature", "State Senator"),
            ("NJ", "lower", "Assembly", "Assembly Member"),
            ("NJ", "upper", "Senate", "State Senator"),
        ]
        counts = {
            state: db.session.scalar(select(db.func.count()).select_from(District).where(District.state == state))
            for state in ("MA", "NE", "NJ")
        }
        assert counts == {"MA": 200, "NE": 49, "NJ": 80}
        shared = db.session.scalars(select(District).where(District.census_geoid == "34002").order_by(District.chamber))
        assert [(d.chamber, d.seats) for d in shared] == [("lower", 2), ("upper", 1)]
        titles = db.session.execute(
            select(Target.name, Target.title).where(Target.state.in_(["NE", "NJ"])).order_by(Target.name)
        ).all()
        assert [tuple(t) for t in titles] == [
            ("Claire Swift", "Assembly Member"),
            ("Dana Fields", "State Senator"),
            ("Don Guardian", "Assembly Member"),
            ("Eli Marsh", "State Senator"),
            ("Lone Member", "Assembly Member"),
            ("Vince Polistina", "State Senator"),
        ]
    assert "NJ vacant seat: 3 (lower), 1 of 2 seats" in states_app.load_output
    assert "NJ vacant seat: 2 (upper)" not in states_app.load_output


def test_both_members_of_a_two_member_district_are_planned_in_a_stable_order(states_app, tmp_path):
    with states_app.app_context():
        call = call_from(states_app, tmp_path, "nj-call", "NJ", "[upper, lower]", "08201")
        assert legs_of(call) == [
            ("State Senator", "Vince Polistina", "upper", "34002"),
            ("Assembly Member", "Claire Swift", "lower", "34002"),
            ("Assembly Member", "Don Guardian", "lower", "34002"),
        ]


def test_each_member_is_announced_by_name_and_title(states_app, tmp_path):
    with states_app.app_context():
        call = call_from(states_app, tmp_path, "nj-call", "NJ", "[lower]", "08201")
    client = states_app.test_client()

    def act(action: str, value: str | None = None) -> str:
        data = {"action": action, **({"value": value} if value else {})}
        assert client.post(f"/calls/{call.public_id}/preview", data=data).status_code == 303
        return client.get(f"/calls/{call.public_id}/preview").get_data(as_text=True)

    act("start")
    page = act("key", "1")
    assert "Connecting you to Assembly Member Claire Swift, District 2." in page  # a numbered district
    act("dial", "answered")
    page = act("key", "1")  # "How did that go?": I spoke with someone
    assert "Next is Assembly Member Don Guardian" in page
    page = act("key", "1")
    assert "Connecting you to Assembly Member Don Guardian" in page


def test_a_nebraska_supporter_reaches_their_one_senator(states_app, tmp_path):
    with states_app.app_context():
        call = call_from(states_app, tmp_path, "ne-call", "NE", "[upper]", "68508")
        assert legs_of(call) == [("State Senator", "Dana Fields", "upper", "31046")]


@pytest.mark.parametrize(
    "slug, state, chambers, words",
    [
        ("nj-call", "NJ", "[upper, lower]", "connect you to your state senator and your assembly members."),
        ("ne-call", "NE", "[upper]", "connect you to your state senator."),
        ("ma-call", "MA", "[lower, upper]", "connect you to your state representative and your state senator."),
    ],
)
def test_the_page_says_whom_the_supporter_will_reach_in_the_states_words(
    states_app, tmp_path, slug, state, chambers, words
):
    with states_app.app_context():
        loaded = states_app.test_cli_runner().invoke(
            args=["campaign", "load", str(campaign_file(tmp_path, slug, state, chambers))]
        )
        assert loaded.exit_code == 0, loaded.output
    text = page(states_app.test_client().get(f"/c/{slug}")).visible_text()
    assert words in text


def test_a_split_zip_asks_in_the_states_words(states_app, tmp_path):
    with states_app.app_context():
        db.session.add(ZipDistrict(zcta="08201", district_id=lower_district("34003").id, rank=2))
        db.session.commit()
        runner = states_app.test_cli_runner()
        assert (
            runner.invoke(args=["campaign", "load", str(campaign_file(tmp_path, "nj-call", "NJ", "[lower]"))]).exit_code
            == 0
        )
    response = states_app.test_client().post(
        "/c/nj-call", data={"phone": GOOD_PHONE, "location": "08201", "name": "", "town": ""}
    )
    picker = page(response).text("picker")
    assert "Which of these is your assembly member?" in picker
    assert "ZIP 08201 is split between 2 Assembly districts." in picker  # the chamber's name from New Jersey's data
    assert "District 2" in picker and "District 3" in picker and " 2 district" not in picker


def lower_district(geoid: str) -> District:
    return db.session.scalars(select(District).where(District.census_geoid == geoid, District.chamber == "lower")).one()


def test_a_zip_across_a_state_line_offers_the_states_it_touches(states_app, tmp_path):
    with states_app.app_context():
        # Made up: part of New Jersey's 08201 in Massachusetts' Cape and Islands and 1st Barnstable.
        for chamber, geoid in (("upper", "25D40"), ("lower", "25001")):
            district = db.session.scalars(
                select(District).where(District.census_geoid == geoid, District.chamber == chamber)
            ).one()
            db.session.add(ZipDistrict(zcta="08201", district_id=district.id, rank=1))
        db.session.commit()
        loaded = states_app.test_cli_runner().invoke(
            args=["campaign", "load", str(campaign_file(tmp_path, "ma-call", "MA", "[upper, lower]"))]
        )
        assert loaded.exit_code == 0, loaded.output
    client = states_app.test_client()
    form = {"phone": GOOD_PHONE, "location": "08201", "name": "", "town": ""}

    asked = page(client.post("/c/ma-call", data=form))
    picker = asked.text("picker")
    assert "Which state do you live in?" in picker
    assert "ZIP 08201 covers parts of Massachusetts and New Jersey." in picker
    assert picker.index("Massachusetts") < picker.index("New Jersey")

    other = page(client.post("/c/ma-call", data=form | {"pick_state": "NJ"}))
    assert "08201 is in New Jersey; this campaign is for Massachusetts legislators." in other.visible_text()
    with states_app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Call)) == 0

    response = client.post("/c/ma-call", data=form | {"pick_state": "MA"})
    assert response.status_code == 303
    with states_app.app_context():
        call = db.session.scalars(select(Call)).one()
        assert [(leg[2], leg[3]) for leg in legs_of(call)] == [("upper", "25D40"), ("lower", "25001")]
