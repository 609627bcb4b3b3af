"""The lookup's Directory over our tables: districts, ZIP areas and active targets as plain values."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import aliased

import lookup
from lookup.messages import CHAMBER_NAMES
from models.base import DbSession
from models.geography import CHAMBERS, District, LegislativeChamber, Target, ZipDistrict


def _district_value(row: District) -> lookup.District:
    return lookup.District(state=row.state, chamber=row.chamber, census_geoid=row.census_geoid, name=row.name)


def target_info(target: Target, district_geoid: str | None, district_chamber: str | None = None) -> lookup.TargetInfo:
    """A target row as the lookup sees it; the caller passes its district's GEOID and chamber (no lazy load)."""
    return lookup.TargetInfo(
        id=target.id,
        name=target.name,
        title=target.title,
        party=target.party,
        district_geoid=district_geoid,
        phone=target.phone,
        extension=target.extension,
        district_chamber=district_chamber,
    )


_SEAT = aliased(District)  # a district with the same GEOID (both chambers, where both use it)
# A ZIP's districts in every state, with their chambers' names and the active targets of every district sharing
# their GEOID: built once, bound per lookup.
_ZIP_QUERY = (
    select(
        District,
        ZipDistrict.rank,
        LegislativeChamber.name,
        _SEAT.chamber,
        Target.id,
        Target.name,
        Target.title,
        Target.party,
        Target.phone,
        Target.extension,
    )
    .join(ZipDistrict, ZipDistrict.district_id == District.id)
    .join(
        LegislativeChamber,
        (LegislativeChamber.state == District.state) & (LegislativeChamber.chamber == District.chamber),
        isouter=True,
    )
    .join(_SEAT, _SEAT.census_geoid == District.census_geoid)
    .join(Target, (Target.district_id == _SEAT.id) & Target.active.is_(True), isouter=True)
    .where(ZipDistrict.zcta == bindparam("zcta"))
    .order_by(District.chamber, ZipDistrict.rank, District.census_geoid, _SEAT.chamber, Target.name, Target.id)
)


class SqlDirectory:
    """Implements `lookup.Directory` with one SELECT per question; a ZIP lookup costs one (its districts come with
    their targets, their states and their chambers' names)."""

    def __init__(self, session: DbSession) -> None:
        self.session = session
        self._zip_states: dict[str, list[str]] = {}  # filled by districts_for_zip
        self._chamber_names: dict[str, dict[str, str]] = {}  # filled by chamber_name and districts_for_zip
        self._targets: dict[str, list[lookup.TargetInfo]] = {}  # filled by districts_for_zip, by GEOID

    def districts_for_zip(self, state: str, zcta: str) -> Sequence[lookup.DistrictArea]:
        """Every district of `state` covering part of `zcta`, by chamber then rank.

        One SELECT reads every state's districts for the ZIP with their active targets (those of every district
        sharing the GEOID, as `targets_for_districts` lists them), so `states_for_zip` and `targets_for_districts`
        (asked next) cost nothing.
        """
        rows = self.session.execute(_ZIP_QUERY, {"zcta": zcta}).all()
        self._zip_states[zcta] = sorted({row.District.state for row in rows})
        areas: dict[int, lookup.DistrictArea] = {}  # one per district, in the query's order
        targets: dict[str, dict[int, lookup.TargetInfo]] = {}
        for district, rank, chamber_name, seat_chamber, target_id, *target in rows:
            if chamber_name:  # so the sentences about these districts cost nothing more
                self._chamber_names.setdefault(district.state, {})[district.chamber] = chamber_name
            if district.state == state:
                areas.setdefault(district.id, lookup.DistrictArea(_district_value(district), rank))
            found = targets.setdefault(district.census_geoid, {})
            if target_id is not None:
                name, title, party, phone, extension = target
                found[target_id] = lookup.TargetInfo(
                    id=target_id,
                    name=name,
                    title=title,
                    party=party,
                    district_geoid=district.census_geoid,
                    phone=phone,
                    extension=extension,
                    district_chamber=seat_chamber,
                )
        for geoid, found in targets.items():
            self._targets[geoid] = sorted(found.values(), key=lambda t: (t.district_chamber or "", t.name, t.id))
        return list(areas.values())

    def states_for_zip(self, zcta: str) -> Sequence[str]:
        """Every loaded state with a district covering part of `zcta`, alphabetically."""
        if zcta in self._zip_states:
            return self._zip_states[zcta]
        return list(
            self.session.scalars(
                select(District.state)
                .join(ZipDistrict, ZipDistrict.district_id == District.id)
                .where(ZipDistrict.zcta == zcta)
                .distinct()
                .order_by(District.state)
            )
        )

    def districts_by_geoid(self, geoids: Iterable[str]) -> Sequence[lookup.District]:
        """The known districts among `geoids`, in the order asked; a GEOID both chambers use gives both."""
        wanted = list(dict.fromkeys(geoids))
        if not wanted:
            return []
        found: dict[str, list[District]] = {}
        for row in self.session.scalars(
            select(District).where(District.census_geoid.in_(wanted)).order_by(District.chamber)
        ):
            found.setdefault(row.census_geoid, []).append(row)
        return [_district_value(d) for g in wanted for d in found.get(g, [])]

    def chamber_name(self, state: str, chamber: str) -> str:
        """What `state` calls `chamber`, from its loaded data (one SELECT per state, when a sentence needs it)."""
        known = self._chamber_names.setdefault(state, {})
        if chamber not in known:
            query = select(LegislativeChamber.chamber, LegislativeChamber.name).where(LegislativeChamber.state == state)
            known.update((row[0], row[1]) for row in self.session.execute(query))
            for unknown in CHAMBERS:  # a chamber not in the state's data: asked once
                known.setdefault(unknown, "")
        return known.get(chamber) or CHAMBER_NAMES[chamber]

    def targets_for_districts(self, geoids: Iterable[str]) -> dict[str, list[lookup.TargetInfo]]:
        """Active targets per GEOID, by name; every GEOID asked for is a key and a vacant seat maps to []."""
        wanted = list(dict.fromkeys(geoids))
        if all(g in self._targets for g in wanted):  # read with the ZIP's districts
            return {g: list(self._targets[g]) for g in wanted}
        result: dict[str, list[lookup.TargetInfo]] = {g: [] for g in wanted}
        rows = self.session.execute(
            select(Target, District.census_geoid, District.chamber)
            .join(District, Target.district_id == District.id)
            .where(District.census_geoid.in_(wanted), Target.active.is_(True))
            .order_by(District.census_geoid, District.chamber, Target.name, Target.id)
        ).all()
        for target, geoid, chamber in rows:
            result[geoid].append(target_info(target, geoid, chamber))
        return result


def chamber_members(session: DbSession, state: str) -> dict[str, tuple[str, int]]:
    """Per chamber of a loaded state: its members' title ("Assembly Member") and the most seats any district has."""
    rows = session.execute(
        select(LegislativeChamber.chamber, LegislativeChamber.member_title, func.max(District.seats))
        .join(
            District,
            (District.state == LegislativeChamber.state) & (District.chamber == LegislativeChamber.chamber),
            isouter=True,
        )
        .where(LegislativeChamber.state == state)
        .group_by(LegislativeChamber.chamber, LegislativeChamber.member_title)
    ).all()
    return {chamber: (title, seats or 1) for chamber, title, seats in rows}


def zctas_of_districts(session: DbSession, districts: Iterable[lookup.District]) -> dict[tuple[str, str], list[str]]:
    """The ZIP code areas each district holds most of (all it touches when it holds most of none), keyed by
    (chamber, GEOID): one SELECT, for the district picker to say which places each district covers."""
    wanted = {(d.chamber, d.census_geoid) for d in districts}
    if not wanted:
        return {}
    mostly: dict[tuple[str, str], list[str]] = {key: [] for key in wanted}
    touched: dict[tuple[str, str], list[str]] = {key: [] for key in wanted}
    rows = session.execute(
        select(District.chamber, District.census_geoid, ZipDistrict.zcta, ZipDistrict.rank)
        .join(ZipDistrict, ZipDistrict.district_id == District.id)
        .where(District.census_geoid.in_({geoid for _, geoid in wanted}))
        .order_by(ZipDistrict.zcta)
    )
    for chamber, geoid, zcta, rank in rows:
        if (chamber, geoid) in wanted:
            touched[chamber, geoid].append(zcta)
            if rank == 1:
                mostly[chamber, geoid].append(zcta)
    return {key: mostly[key] or touched[key] for key in wanted}
