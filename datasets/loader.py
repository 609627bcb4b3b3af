"""Apply a state's data files to the database: idempotent, in place, never deleting people."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from datasets.errors import DataError
from datasets.legislatures import CHAMBER_OF_ROLE, Legislature, UnknownState, legislature
from datasets.people import LEGISLATIVE_TYPES, OfficeLine, Person, Skipped, read_people
from datasets.settings import StateSettings, read_settings
from datasets.tables import DistrictRow, ZipRow, read_districts, read_zip_districts
from models import DbSession, District, LegislativeChamber, Office, Target, ZipDistrict

_STATE_IN_JURISDICTION = re.compile(r"/state:([a-z]{2})(/|$)")
OPEN_STATES_PREFIX = "ocd-person/"


@dataclass(frozen=True)
class StateFiles:
    """Everything read from one state's folder, checked, before the database is touched."""

    state: str
    folder: Path
    legislature: Legislature
    districts: list[DistrictRow]
    zips: list[ZipRow]
    people: list[Person]
    skipped: list[Skipped]
    settings: StateSettings

    def title(self, person: Person) -> str:
        """What to call someone: a legislator by the state's own title ("State Delegate"), others by their office."""
        if person.role_type in LEGISLATIVE_TYPES:
            chamber = self.legislature.chambers.get(CHAMBER_OF_ROLE[person.role_type])
            if chamber:
                return chamber.title
        return person.title


@dataclass
class LoadReport:
    """What one load changed, per kind of row, and what it skipped."""

    state: str
    counts: dict[str, Counter] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    vacant: list[str] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, what: str, n: int = 1) -> None:
        """Add n to a counter such as ('targets', 'updated')."""
        self.counts.setdefault(kind, Counter())[what] += n

    @property
    def changed(self) -> bool:
        """True when any row was created, updated, deactivated or removed."""
        return any(c[w] for c in self.counts.values() for w in ("created", "updated", "deactivated", "removed"))

    def lines(self) -> list[str]:
        """A human summary, one line per kind, then vacancies and skipped files."""
        out = []
        for kind in ("districts", "targets", "zip areas"):
            c = self.counts.get(kind, Counter())
            parts = [f"{c[w]} {w}" for w in ("created", "updated", "deactivated", "removed", "unchanged") if c[w]]
            out.append(f"{self.state} {kind}: " + (", ".join(parts) or "none"))
        if self.totals:
            out.append(f"{self.state} now: " + ", ".join(f"{n} {k}" for k, n in self.totals.items()))
        for name in self.vacant:
            out.append(f"{self.state} vacant seat: {name}")
        for skip in self.skipped:
            out.append(f"{self.state} skipped {skip.path.name}: {skip.reason}")
        out.append(f"{self.state}: " + ("changes applied" if self.changed else "no changes"))
        return out


def state_folders(root: Path) -> list[Path]:
    """The state folders under root (or root itself when it is one)."""
    if not root.is_dir():
        raise DataError(root, None, "no such folder")
    if (root / "districts.csv").exists():
        return [root]
    folders = sorted(p for p in root.iterdir() if (p / "districts.csv").exists())
    if not folders:
        raise DataError(root, None, "no state folder with a districts.csv in it")
    return folders


def read_state(folder: Path, today: dt.date) -> StateFiles:
    """Read and check one state folder: districts.csv, zcta_districts.csv and openstates/**.yml."""
    districts = read_districts(folder / "districts.csv")
    states = {d.state for d in districts}
    if len(states) != 1:
        raise DataError(folder / "districts.csv", None, f"districts of several states: {', '.join(sorted(states))}")
    state = states.pop()
    try:
        house = legislature(state)
    except UnknownState as exc:
        raise DataError(folder / "districts.csv", None, str(exc)) from exc
    for row in districts:
        if row.chamber not in house.chambers:
            raise DataError(
                folder / "districts.csv", row.line, f"{house.name}'s legislature has no {row.chamber} chamber"
            )
    by_key = {(d.chamber, d.census_geoid): d for d in districts}
    zips = read_zip_districts(folder / "zcta_districts.csv", by_key)
    people_dir = folder / "openstates"
    if not people_dir.is_dir():
        raise DataError(people_dir, None, "no openstates folder of people files")
    people, skipped = read_people(people_dir, today)
    names = {(d.chamber, d.name) for d in districts}
    for person in people:
        chamber = CHAMBER_OF_ROLE.get(person.role_type, person.role_type)
        if person.district and (chamber, person.district) not in names:
            raise DataError(
                person.path, person.line, f"district {person.district!r} ({person.role_type}) is not in districts.csv"
            )
        match = _STATE_IN_JURISDICTION.search(person.jurisdiction)
        if match and match.group(1).upper() != state:
            raise DataError(person.path, person.line, f"role is in another state ({person.jurisdiction})")
    return StateFiles(state, folder, house, districts, zips, people, skipped, read_settings(folder, house.timezone))


def load_data_dir(session: DbSession, root: Path, today: dt.date | None = None) -> list[LoadReport]:
    """Read every state under root, then apply them; the caller commits (or rolls back on error)."""
    today = today or dt.date.today()
    states = [read_state(folder, today) for folder in state_folders(root)]
    return [apply_state(session, files) for files in states]


def _assign(row, values: dict) -> bool:
    """Set only the attributes that differ; True when anything changed."""
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    return changed


def apply_state(session: DbSession, files: StateFiles) -> LoadReport:
    """Bring the database in line with one state's files."""
    report = LoadReport(files.state, skipped=list(files.skipped))
    _apply_chambers(session, files)
    districts = _apply_districts(session, files, report)
    _apply_targets(session, files, districts, report)
    _apply_zips(session, files, districts, report)
    session.flush()
    report.vacant = []
    for d in sorted(districts.values(), key=lambda d: (d.chamber != "upper", d.census_geoid)):
        empty = d.seats - sum(t.active for t in d.targets)
        if empty > 0:
            report.vacant.append(f"{d.name} ({d.chamber})" + (f", {empty} of {d.seats} seats" if d.seats > 1 else ""))
    titles = Counter(files.title(p) for p in files.people)
    report.totals = {
        "districts": len(districts),
        "vacant seats": len(report.vacant),
        **{f"{title} (active)": n for title, n in sorted(titles.items())},
        "ZIP codes": len({z.zcta for z in files.zips}),
    }
    return report


def _apply_chambers(session: DbSession, files: StateFiles) -> None:
    """The state's chambers with their names and members' titles, from Open States' metadata."""
    existing = {
        c.chamber: c for c in session.scalars(select(LegislativeChamber).where(LegislativeChamber.state == files.state))
    }
    for chamber in files.legislature.chambers.values():
        values = {
            "name": chamber.name,
            "member_title": chamber.title,
            "office_hours": files.settings.office_hours,
            "office_timezone": files.settings.office_timezone,
        }
        row = existing.pop(chamber.chamber, None)
        if row is None:
            session.add(LegislativeChamber(state=files.state, chamber=chamber.chamber, **values))
        else:
            _assign(row, values)
    for gone in existing.values():
        session.delete(gone)


def _apply_districts(session: DbSession, files: StateFiles, report: LoadReport) -> dict[tuple[str, str], District]:
    existing = {
        (d.chamber, d.census_geoid): d for d in session.scalars(select(District).where(District.state == files.state))
    }
    seats = {
        division: n
        for chamber in files.legislature.chambers.values()
        for division, n in chamber.seats_by_division().items()
    }
    result = {}
    for row in files.districts:
        values = {
            "state": row.state,
            "name": row.name,
            "ocd_division_id": row.ocd_division_id,
            "seats": seats.get(row.ocd_division_id, 1),
        }
        key = (row.chamber, row.census_geoid)
        district = existing.get(key)
        if district is None:
            district = District(census_geoid=row.census_geoid, chamber=row.chamber, **values)
            session.add(district)
            report.count("districts", "created")
        else:
            report.count("districts", "updated" if _assign(district, values) else "unchanged")
        result[key] = district
    session.flush()
    return result


def _apply_targets(
    session: DbSession, files: StateFiles, districts: dict[tuple[str, str], District], report: LoadReport
) -> None:
    by_name = {(d.chamber, d.name): d for d in districts.values()}
    existing = {
        t.source_id: t
        for t in session.scalars(
            select(Target)
            .where(Target.state == files.state, Target.source_id.startswith(OPEN_STATES_PREFIX))
            .options(selectinload(Target.offices))
        )
    }
    seen = set()
    for person in files.people:
        chamber = CHAMBER_OF_ROLE.get(person.role_type, person.role_type)
        district = by_name.get((chamber, person.district)) if person.district else None
        values = {
            "name": person.name,
            "title": files.title(person),
            "party": person.party,
            "state": files.state,
            "district": district,
            "phone": person.phone,
            "extension": person.extension,
            "active": True,
        }
        seen.add(person.source_id)
        target = existing.get(person.source_id)
        if target is None:
            target = Target(source_id=person.source_id, **values)
            session.add(target)
            _sync_offices(target, person.offices, _overrides(files.settings, person))
            report.count("targets", "created")
        else:
            changed = _assign(target, values)
            changed = _sync_offices(target, person.offices, _overrides(files.settings, person)) or changed
            report.count("targets", "updated" if changed else "unchanged")
    # Someone who left office stays in the table, inactive, so past calls still name them.
    for source_id, target in existing.items():
        if source_id not in seen and target.active:
            target.active = False
            report.count("targets", "deactivated")


def _overrides(settings: StateSettings, person: Person) -> dict[str, str]:
    """The person's offices whose hours the state's settings set apart, by office kind."""
    return {kind: hours for (who, kind), hours in settings.by_office.items() if who == person.source_id}


def _sync_offices(target: Target, lines: Sequence[OfficeLine], hours: dict[str, str]) -> bool:
    """Make the target's office rows match the file's lines, in order, changing rows in place; True if any changed."""
    changed = False
    for position, line in enumerate(lines):
        values = {"kind": line.kind, "phone": line.phone, "extension": line.extension, "hours": hours.get(line.kind)}
        if position < len(target.offices):
            changed = _assign(target.offices[position], values) or changed
        else:
            target.offices.append(Office(position=position, **values))
            changed = True
    while len(target.offices) > len(lines):
        target.offices.pop()
        changed = True
    return changed


def _apply_zips(
    session: DbSession, files: StateFiles, districts: dict[tuple[str, str], District], report: LoadReport
) -> None:
    ids = [d.id for d in districts.values()]
    existing = {
        (z.zcta, z.district_id): z for z in session.scalars(select(ZipDistrict).where(ZipDistrict.district_id.in_(ids)))
    }
    wanted = set()
    for row in files.zips:
        key = (row.zcta, districts[row.chamber, row.census_geoid].id)
        wanted.add(key)
        current = existing.get(key)
        if current is None:
            session.add(ZipDistrict(zcta=row.zcta, district_id=key[1], rank=row.rank))
            report.count("zip areas", "created")
        else:
            report.count("zip areas", "updated" if _assign(current, {"rank": row.rank}) else "unchanged")
    for key, stale in existing.items():
        if key not in wanted:
            session.delete(stale)
            report.count("zip areas", "removed")
