"""Readers for the CSV files: the districts and the ZIP-area-to-district crosswalk."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from datasets.errors import DataError

DISTRICT_COLUMNS = ("census_geoid", "chamber", "district", "ocd_division_id")
ZIP_COLUMNS = ("zcta", "chamber", "census_geoid", "rank_by_land_share")
CHAMBERS = ("upper", "lower")
_STATE_IN_DIVISION = re.compile(r"/state:([a-z]{2})(/|$)")


@dataclass(frozen=True)
class DistrictRow:
    """One district as the file describes it."""

    state: str
    chamber: str
    census_geoid: str
    name: str
    ocd_division_id: str
    line: int


@dataclass(frozen=True)
class ZipRow:
    """One ZIP area overlapping one district."""

    zcta: str
    chamber: str
    census_geoid: str
    rank: int
    line: int


def _rows(path: Path, columns: tuple[str, ...]):
    """Yield (line number, row dict) after checking the header has every column."""
    try:
        handle = path.open(newline="", encoding="utf-8")
    except OSError as exc:
        raise DataError(path, None, f"cannot read the file ({exc.strerror})") from exc
    with handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in columns if c not in header]
        if missing:
            raise DataError(path, 1, f"missing column(s): {', '.join(missing)}")
        try:
            for row in reader:
                if None in row or any(row.get(c) is None for c in columns):
                    raise DataError(path, reader.line_num, "wrong number of fields")
                yield reader.line_num, {k: (v or "").strip() for k, v in row.items()}
        except csv.Error as exc:
            raise DataError(path, reader.line_num, f"not valid CSV ({exc})") from exc
        except UnicodeDecodeError as exc:
            raise DataError(path, reader.line_num + 1, "not UTF-8 text") from exc


def read_districts(path: Path) -> list[DistrictRow]:
    """Read districts.csv; every district must be well formed and appear once in its chamber."""
    rows: list[DistrictRow] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in _rows(path, DISTRICT_COLUMNS):
        geoid, chamber, division = row["census_geoid"], row["chamber"], row["ocd_division_id"]
        if not geoid:
            raise DataError(path, line, "empty census_geoid")
        if chamber not in CHAMBERS:
            raise DataError(path, line, f"chamber must be upper or lower, not {chamber!r}")
        if not row["district"]:
            raise DataError(path, line, "empty district name")
        match = _STATE_IN_DIVISION.search(division)
        if not division.startswith("ocd-division/") or not match:
            raise DataError(path, line, f"ocd_division_id {division!r} names no state")
        if (chamber, geoid) in seen:
            raise DataError(path, line, f"{chamber} census_geoid {geoid} already listed on line {seen[chamber, geoid]}")
        seen[chamber, geoid] = line
        rows.append(DistrictRow(match.group(1).upper(), chamber, geoid, row["district"], division, line))
    if not rows:
        raise DataError(path, None, "no districts")
    return rows


def read_zip_districts(path: Path, districts: dict[tuple[str, str], DistrictRow]) -> list[ZipRow]:
    """Read zcta_districts.csv; every (chamber, GEOID) must be a district in districts.csv."""
    rows: list[ZipRow] = []
    seen: set[tuple[str, str, str]] = set()
    for line, row in _rows(path, ZIP_COLUMNS):
        zcta, geoid = row["zcta"], row["census_geoid"]
        if not re.fullmatch(r"\d{5}", zcta):
            raise DataError(path, line, f"zcta must be five digits, not {zcta!r}")
        district = districts.get((row["chamber"], geoid))
        if district is None:
            others = [c for c in CHAMBERS if (c, geoid) in districts]
            if others:
                raise DataError(path, line, f"chamber {row['chamber']!r} does not match district {geoid} ({others[0]})")
            raise DataError(path, line, f"unknown census_geoid {geoid!r} (not in districts.csv)")
        try:
            rank = int(row["rank_by_land_share"])
        except ValueError:
            raise DataError(
                path, line, f"rank_by_land_share must be a whole number, not {row['rank_by_land_share']!r}"
            ) from None
        if rank < 1:
            raise DataError(path, line, "rank_by_land_share must be 1 or more")
        if (zcta, district.chamber, geoid) in seen:
            raise DataError(path, line, f"ZIP {zcta} and {district.chamber} district {geoid} are listed twice")
        seen.add((zcta, district.chamber, geoid))
        rows.append(ZipRow(zcta, district.chamber, geoid, rank, line))
    return rows
