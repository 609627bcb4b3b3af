"""`flask data refresh` from nothing: districts.csv built from the Census's names and Open States' divisions.

The sources are loopback servers serving the public formats (tests/support/public_sources.py);
the Census names are MA's real district names, written the Census's way ("… District", "&").
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from datasets.divisions import name_key
from extensions import db
from models import District, Target, ZipDistrict
from tests.support.public_sources import (
    PEOPLE_PATH,
    Upstream,
    ma_names,
    people_tarball,
    rel_file,
    rel_path,
    rel_row,
    with_every_district,
)

ZIP_ROWS = {
    "upper": [rel_row("upper", "25D28", "02215", 3_500_000, 2_100_000)],
    "lower": [rel_row("lower", "25124", "02215", 3_500_000, 3_500_000)],
}


def ma_people(ma_data_dir) -> dict[str, bytes]:
    """Every MA person file, at its place in the Open States repository."""
    return {
        f"data/ma/{p.parent.name}/{p.name}": p.read_bytes() for p in sorted((ma_data_dir / "openstates").rglob("*.yml"))
    }


def census_files(names: dict[str, dict[str, str]]) -> dict[str, bytes]:
    """Each chamber's relationship file listing the given districts (GEOID → Census name)."""
    return {
        chamber: rel_file(chamber, with_every_district(chamber, ZIP_ROWS[chamber], chamber_names)).encode()
        for chamber, chamber_names in names.items()
    }


@pytest.fixture
def upstream(ma_data_dir, monkeypatch):
    """The public sources for MA, complete and correct."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    server = Upstream()
    server.routes[PEOPLE_PATH] = (200, people_tarball(ma_people(ma_data_dir)), 0.0)
    serve_census(server, {"upper": ma_names("upper"), "lower": ma_names("lower")})
    yield server
    server.close()


def serve_census(server: Upstream, names: dict[str, dict[str, str]]) -> None:
    for chamber, body in census_files(names).items():
        server.routes[rel_path(chamber, "25")] = (200, body, 0.0)


@pytest.fixture
def empty_root(tmp_path):
    """A DATA_DIR that does not exist yet: a fresh clone with no data beside it."""
    return tmp_path / "nothing-here" / "data"


def refresh(app, *args: str):
    return app.test_cli_runner().invoke(args=["data", "refresh", *args])


def test_a_refresh_from_nothing_builds_exactly_the_shipped_districts_and_loads_them(
    make_app, upstream, empty_root, ma_data_dir
):
    app = make_app(DATA_DIR=str(empty_root), **upstream.settings())
    result = refresh(app, "--state", "ma", "--load")
    assert result.exit_code == 0, result.output
    folder = empty_root / "ma"
    assert (folder / "districts.csv").read_bytes() == (ma_data_dir / "districts.csv").read_bytes()
    assert "MA: 40 upper districts, 160 lower districts matched to Open States' divisions" in result.output
    assert sorted(p.name for p in empty_root.iterdir()) == ["ma"]  # no work folder left behind
    assert f"MA ({folder}): 207 added, 0 changed, 0 removed, 0 unchanged" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(District)) == 200
        shipped = (ma_data_dir / "districts.csv").read_text().splitlines()[1:]
        assert set(db.session.scalars(select(District.census_geoid))) == {line.split(",")[0] for line in shipped}
        assert db.session.scalars(select(func.count()).select_from(Target).where(Target.active.is_(True))).one() > 190
        assert db.session.scalar(select(func.count()).select_from(ZipDistrict)) == 2


@pytest.mark.parametrize(
    "change, message",
    [
        pytest.param(
            lambda names: names["lower"].update({"25125": "3rd Suffolk North District"}),
            [
                "MA lower: the district lists do not match:",
                "  no Census district matches Open States' '3rd Suffolk' "
                "(ocd-division/country:us/state:ma/sldl:3rd_suffolk)",
                "  no Open States division matches the Census's 25125 '3rd Suffolk North District'",
            ],
            id="a renamed district",
        ),
        pytest.param(
            lambda names: names["upper"].pop("25D40"),
            [
                "MA upper: the district lists do not match:",
                "  no Census district matches Open States' 'Cape and Islands' "
                "(ocd-division/country:us/state:ma/sldu:cape_and_islands)",
            ],
            id="a missing district",
        ),
        pytest.param(
            lambda names: names["lower"].update({"25126": "Third Suffolk District"}),
            [
                "MA lower: the district lists do not match:",
                "  the Census districts '3rd Suffolk District' (25125) and 'Third Suffolk District' (25126) "
                "read as the same district '3 suffolk'",
            ],
            id="a duplicate",
        ),
    ],
)
def test_a_mismatch_between_the_census_and_open_states_stops_naming_it_and_changes_nothing(
    make_app, upstream, ma_data_dir, tmp_path, change, message
):
    names = {"upper": ma_names("upper"), "lower": ma_names("lower")}
    geoid_of = {v: k for k, v in names["lower"].items()}
    assert geoid_of["3rd Suffolk District"] == "25125"
    change(names)
    serve_census(upstream, names)
    root = tmp_path / "data"
    (root / "ma").mkdir(parents=True)
    (root / "ma" / "districts.csv").write_bytes((ma_data_dir / "districts.csv").read_bytes())
    before = {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    app = make_app(DATA_DIR=str(root), **upstream.settings())

    result = refresh(app, "--state", "ma", "--load")
    assert result.exit_code == 1
    for line in message:
        assert line + "\n" in result.output
    assert result.output.rstrip().endswith("No data file was changed.")
    assert {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()} == before
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(District)) == 0


def test_a_mismatch_in_a_refresh_from_nothing_leaves_no_folder(make_app, upstream, empty_root):
    names = {"upper": ma_names("upper"), "lower": ma_names("lower")}
    names["lower"].pop("25001")
    serve_census(upstream, names)
    app = make_app(DATA_DIR=str(empty_root), **upstream.settings())
    result = refresh(app, "--state", "ma")
    assert result.exit_code == 1
    assert "no Census district matches Open States' '1st Barnstable'" in result.output
    assert not (empty_root / "ma").exists()
    assert list(empty_root.iterdir()) == []


def test_a_state_open_states_does_not_know_stops_before_any_download(make_app, upstream, empty_root):
    app = make_app(DATA_DIR=str(empty_root), **upstream.settings())
    result = refresh(app, "--state", "zz")
    assert result.exit_code == 1
    assert "Open States' metadata knows no state 'ZZ'" in result.output
    assert upstream.paths == []


@pytest.mark.parametrize(
    "census, open_states",
    [
        ("2nd Suffolk District", "2nd Suffolk"),
        ("Second Suffolk District", "2nd Suffolk"),
        ("Berkshire, Hampden, Franklin & Hampshire District", "Berkshire, Hampden, Franklin and Hampshire"),
        ("Twenty-First Middlesex District", "21st Middlesex"),
        ("State Senate District 07", "7"),
        ("Assembly District 1", "1"),
        ("State Legislative District 12", "12"),
        ("State House District 1A", "1A"),
        ("Addison-Rutland District", "Addison-Rutland"),
    ],
)
def test_census_and_open_states_names_of_one_district_read_alike(census, open_states):
    assert name_key(census) == name_key(open_states)


@pytest.mark.parametrize(
    "one, other",
    [("1st Middlesex", "11th Middlesex"), ("7", "17"), ("1A", "1B"), ("Hampden", "Hampden and Hampshire")],
)
def test_different_districts_read_differently(one, other):
    assert name_key(one) != name_key(other)
