"""`flask data load`: counts, idempotence, updates in place, and malformed files that change nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Call, Caller, CallLeg, Campaign, CampaignStatus, District, Office, Target, ZipDistrict

# Each test loads the whole Massachusetts legislature: a second or two apiece.
pytestmark = pytest.mark.slow


@pytest.fixture
def data_copy(tmp_path, ma_data_dir) -> Path:
    """A private copy of the MA data folder that a test may edit."""
    folder = tmp_path / "data" / "ma"
    shutil.copytree(ma_data_dir, folder)
    return folder


def count(model, *where) -> int:
    return db.session.scalars(select(func.count()).select_from(model).where(*where)).one()


def active(title: str) -> int:
    return count(Target, Target.title == title, Target.active.is_(True))


def snapshot() -> list[tuple]:
    """Every target, district and ZIP row, to compare before and after a failed load."""
    targets = db.session.execute(
        select(Target.source_id, Target.name, Target.phone, Target.active, Target.district_id).order_by(
            Target.source_id
        )
    ).all()
    districts = db.session.execute(select(District.census_geoid, District.name).order_by(District.census_geoid)).all()
    zips = db.session.execute(
        select(ZipDistrict.zcta, ZipDistrict.district_id, ZipDistrict.rank).order_by(
            ZipDistrict.zcta, ZipDistrict.district_id
        )
    ).all()
    return [tuple(targets), tuple(districts), tuple(zips)]


def load(runner, folder: Path):
    return runner.invoke(args=["data", "load", "--from", str(folder)])


def test_load_gives_the_legislature_and_a_second_run_changes_nothing(runner, ma_data_dir):
    first = load(runner, ma_data_dir.parent)
    assert first.exit_code == 0, first.output
    assert active("State Senator") == 40
    assert active("State Representative") == 158
    assert count(District) == 200
    vacant = db.session.scalars(
        select(District.census_geoid)
        .where(~District.targets.any(Target.active.is_(True)))
        .order_by(District.census_geoid)
    ).all()
    assert vacant == ["25042", "25075"]
    assert db.session.scalar(select(func.count(func.distinct(ZipDistrict.zcta)))) == 539
    assert count(ZipDistrict) == 1388
    assert "MA vacant seat: 1st Franklin (lower)" in first.output
    assert "Kimberly-Driscoll" in first.output and "duplicates Kim Driscoll" in first.output

    before = snapshot()
    second = load(runner, ma_data_dir.parent)
    assert second.exit_code == 0, second.output
    assert "MA: no changes" in second.output
    assert "created" not in second.output and "updated" not in second.output
    assert snapshot() == before


def test_a_legislator_who_changed_chamber_gets_only_the_current_role(runner, ma_data_dir):
    assert load(runner, ma_data_dir).exit_code == 0
    fernandes = db.session.scalars(
        select(Target).where(Target.source_id == "ocd-person/cd05a88c-19f0-4fc5-bc3b-d339572842b7")
    ).one()
    assert fernandes.title == "State Senator"
    assert fernandes.district is not None
    assert fernandes.district.name == "Plymouth and Barnstable"
    assert fernandes.district.chamber == "upper"
    assert fernandes.phone is not None and fernandes.phone.startswith("+1617")


def test_extensions_are_split_from_office_numbers(data_copy, runner):
    path = next((data_copy / "openstates" / "legislature").glob("Aaron-L-Saunders-*.yml"))
    path.write_text(path.read_text().replace("voice: 617-722-2320", "voice: 508-757-0323 ext. 13"))
    assert load(runner, data_copy).exit_code == 0
    saunders = db.session.scalars(select(Target).where(Target.name == "Aaron Saunders")).one()
    assert (saunders.phone, saunders.extension) == ("+15087570323", "13")


def test_a_changed_file_updates_the_row_in_place(data_copy, runner):
    assert load(runner, data_copy).exit_code == 0
    saunders = db.session.scalars(select(Target).where(Target.name == "Aaron Saunders")).one()
    row_id = saunders.id
    path = next((data_copy / "openstates" / "legislature").glob("Aaron-L-Saunders-*.yml"))
    path.write_text(path.read_text().replace("617-722-2320", "617-722-9999"))
    result = load(runner, data_copy)
    assert result.exit_code == 0, result.output
    assert "MA targets: 1 updated, 203 unchanged" in result.output
    db.session.expire_all()
    assert db.session.get_one(Target, row_id).phone == "+16177229999"


def test_a_legislator_who_left_is_deactivated_and_keeps_call_history(data_copy, runner):
    assert load(runner, data_copy).exit_code == 0
    saunders = db.session.scalars(select(Target).where(Target.name == "Aaron Saunders")).one()
    campaign = Campaign(
        slug="c", title="C", state="MA", headline="H", status=CampaignStatus.live, target_chambers=["lower"]
    )
    call = Call(campaign=campaign, caller=Caller(phone_hash="h" * 64))
    call.legs.append(CallLeg(position=0, target=saunders, district=saunders.district))
    db.session.add(call)
    db.session.commit()

    next((data_copy / "openstates" / "legislature").glob("Aaron-L-Saunders-*.yml")).unlink()
    result = load(runner, data_copy)
    assert result.exit_code == 0, result.output
    assert "MA targets: 1 deactivated, 203 unchanged" in result.output
    db.session.expire_all()
    leg = db.session.scalars(select(CallLeg)).one()
    assert leg.target is not None
    assert leg.target.name == "Aaron Saunders"
    assert leg.target.active is False
    assert "7th Hampden (lower)" in result.output  # the seat is vacant now


def _break_yaml(folder: Path) -> tuple[Path, int]:
    path = next((folder / "openstates" / "legislature").glob("Aaron-L-Saunders-*.yml"))
    lines = path.read_text().splitlines()
    lines[4] = "party: [unclosed"
    path.write_text("\n".join(lines) + "\n")
    return path, 6


def _drop_column(folder: Path) -> tuple[Path, int]:
    path = folder / "zcta_districts.csv"
    rows = [",".join(line.split(",")[:3]) for line in path.read_text().splitlines()]
    path.write_text("\n".join(rows) + "\n")
    return path, 1


def _unknown_geoid(folder: Path) -> tuple[Path, int]:
    path = folder / "zcta_districts.csv"
    lines = path.read_text().splitlines()
    lines[10] = "01010,lower,25999,1"
    path.write_text("\n".join(lines) + "\n")
    return path, 11


def _unknown_district(folder: Path) -> tuple[Path, int]:
    path = next((folder / "openstates" / "legislature").glob("Aaron-L-Saunders-*.yml"))
    path.write_text(path.read_text().replace("district: 7th Hampden", "district: 99th Hampden"))
    return path, 11


def _bad_date(folder: Path) -> tuple[Path, int]:
    path = next((folder / "openstates" / "legislature").glob("Aaron-L-Saunders-*.yml"))
    path.write_text(path.read_text().replace("start_date: 2023-01-04", "start_date: soon"))
    return path, 11


def _bad_chamber(folder: Path) -> tuple[Path, int]:
    path = folder / "districts.csv"
    lines = path.read_text().splitlines()
    lines[3] = lines[3].replace(",upper,", ",middle,")
    path.write_text("\n".join(lines) + "\n")
    return path, 4


@pytest.mark.parametrize(
    "breakage", [_break_yaml, _drop_column, _unknown_geoid, _unknown_district, _bad_date, _bad_chamber]
)
def test_a_malformed_file_changes_nothing_and_names_file_and_line(data_copy, runner, breakage):
    assert load(runner, data_copy).exit_code == 0
    # Make a change that would be applied if the load went ahead, then break a file.
    gomez = next((data_copy / "openstates" / "legislature").glob("Adam-Gomez-*.yml"))
    gomez.write_text(gomez.read_text().replace("voice: 617-722-1660", "voice: 413-722-1660", 1))
    before = snapshot()
    path, line = breakage(data_copy)

    result = load(runner, data_copy)
    assert result.exit_code == 1
    assert f"{path}:{line}:" in result.output
    assert "Nothing was changed." in result.output
    db.session.expire_all()
    assert snapshot() == before


def test_a_first_load_that_fails_leaves_an_empty_database(data_copy, runner):
    _unknown_geoid(data_copy)
    assert load(runner, data_copy).exit_code == 1
    assert count(District) == 0 and count(Target) == 0


def offices_of(name: str) -> list[tuple[str, str, str | None]]:
    target = db.session.scalars(select(Target).where(Target.name == name)).one()
    return [(o.kind, o.phone, o.extension) for o in target.offices]


def test_every_office_line_is_loaded_capitol_first_and_kept_in_sync(data_copy, runner):
    assert load(runner, data_copy).exit_code == 0
    # The shared MA data: 28 of the 198 legislators list a district office with its own number.
    several = db.session.scalars(
        select(func.count()).select_from(
            select(Office.target_id).group_by(Office.target_id).having(func.count() > 1).subquery()
        )
    ).one()
    assert several == 28
    assert offices_of("Mike Moore") == [("capitol", "+16177221485", None), ("district", "+15087570323", "13")]
    moore = db.session.scalars(select(Target).where(Target.name == "Mike Moore")).one()
    assert (moore.phone, moore.extension) == ("+16177221485", None)  # the line dialed first

    # The district office closes; another legislator opens one: the next load follows both.
    path = next(
        p for p in (data_copy / "openstates" / "legislature").glob("*.yml") if "name: Mike Moore" in p.read_text()
    )
    path.write_text(
        path.read_text().replace("- classification: district\n  address: MA\n  voice: 508-757-0323 ext. 13\n", "")
    )
    saunders = next((data_copy / "openstates" / "legislature").glob("Aaron-L-Saunders-*.yml"))
    text = saunders.read_text()
    saunders.write_text(text.replace("offices:\n", "offices:\n- classification: district\n  voice: 413-555-0100\n", 1))
    result = load(runner, data_copy)
    assert result.exit_code == 0, result.output
    assert "MA targets: 2 updated" in result.output
    db.session.expire_all()
    assert offices_of("Mike Moore") == [("capitol", "+16177221485", None)]
    assert offices_of("Aaron Saunders") == [("capitol", "+16177222320", None), ("district", "+14135550100", None)]
