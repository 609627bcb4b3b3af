"""The data the resolver reads, as a Protocol, and an in-memory implementation of it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from lookup.messages import CHAMBER_NAMES
from lookup.values import District, DistrictArea, TargetInfo


class Directory(Protocol):
    """Districts, ZIP areas and targets; the app implements this over its tables."""

    def districts_for_zip(self, state: str, zcta: str) -> Sequence[DistrictArea]:
        """Every district of `state`, in any chamber, that covers part of ZIP area `zcta`."""
        ...

    def districts_by_geoid(self, geoids: Iterable[str]) -> Sequence[District]:
        """The districts with these Census GEOIDs; unknown GEOIDs are left out."""
        ...

    def states_for_zip(self, zcta: str) -> Sequence[str]:
        """Every loaded state with a district covering part of ZIP area `zcta`, alphabetically."""
        ...

    def chamber_name(self, state: str, chamber: str) -> str:
        """What `state` calls `chamber` ("Senate", "Assembly", …); Senate or House where its data does not say."""
        ...

    def targets_for_districts(self, geoids: Iterable[str]) -> Mapping[str, Sequence[TargetInfo]]:
        """Active targets per district GEOID, in a stable order; a vacant seat maps to [].

        Where two chambers share a GEOID, both chambers' targets are listed, each with its `district_chamber`.
        """
        ...


class MemoryDirectory:
    """A Directory built from plain lists, for tests and small tools."""

    def __init__(
        self,
        districts: Iterable[District],
        zip_areas: Iterable[tuple[str, str, int]],
        targets: Iterable[TargetInfo],
        chamber_names: Mapping[tuple[str, str], str] | None = None,
    ) -> None:
        """`zip_areas` holds (zcta, census_geoid, rank) rows; `targets` the active targets;
        `chamber_names` what states call their chambers, by (state, chamber)."""
        self._chamber_names = dict(chamber_names or {})
        self._districts = {d.census_geoid: d for d in districts}
        self._areas: dict[str, list[DistrictArea]] = {}
        for zcta, geoid, rank in zip_areas:
            self._areas.setdefault(zcta, []).append(DistrictArea(self._districts[geoid], rank))
        self._targets: dict[str, list[TargetInfo]] = {}
        for target in targets:
            if target.district_geoid is not None:
                self._targets.setdefault(target.district_geoid, []).append(target)

    def districts_for_zip(self, state: str, zcta: str) -> list[DistrictArea]:
        """Every district of `state` that covers part of `zcta`, by chamber then rank."""
        areas = [a for a in self._areas.get(zcta, []) if a.district.state == state]
        return sorted(areas, key=lambda a: (a.district.chamber, a.rank))

    def states_for_zip(self, zcta: str) -> list[str]:
        """Every state with a district covering part of `zcta`, alphabetically."""
        return sorted({a.district.state for a in self._areas.get(zcta, [])})

    def districts_by_geoid(self, geoids: Iterable[str]) -> list[District]:
        """The known districts among `geoids`, in the order asked."""
        return [self._districts[g] for g in geoids if g in self._districts]

    def chamber_name(self, state: str, chamber: str) -> str:
        """What `state` calls `chamber`; Senate or House when it was not given."""
        return self._chamber_names.get((state, chamber)) or CHAMBER_NAMES[chamber]

    def targets_for_districts(self, geoids: Iterable[str]) -> dict[str, list[TargetInfo]]:
        """Targets per GEOID; every GEOID asked for is a key, vacant seats map to []."""
        return {g: list(self._targets.get(g, [])) for g in geoids}
