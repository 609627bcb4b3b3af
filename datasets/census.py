"""Census ZCTA ↔ state legislative district relationship files → the rows of zcta_districts.csv.

The files (`tab20_sldu202420_zcta520_st25.txt`, `tab20_sldl…`) are pipe-delimited with a header
row; each row is one piece of a ZIP area (ZCTA) inside one district. The columns used are
`GEOID_SLDU<year>_20` / `GEOID_SLDL<year>_20` (the district), `GEOID_ZCTA5_20` (the ZIP area),
`AREALAND_ZCTA5_20` (the ZIP area's total land, m²) and `AREALAND_PART` (the piece's land, m²).

"The ZIP's land" is `AREALAND_ZCTA5_20`, the Census's total land area of the ZCTA: it is the same
whether the state or the national file is read, and dropping rows (other states, "ZZZ" parts
with no district) never inflates the share of what is left. A ZIP area that is mostly in a
neighbouring state keeps its small shares here, where summing only this state's pieces would
make a sliver look like the whole ZIP. For a ZIP area wholly inside the state both readings are
the same number, since the pieces of a ZCTA add up to it.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from datasets.errors import DataError
from datasets.tables import ZIP_COLUMNS

# A district is listed for a ZIP when it holds at least this share of the ZIP's land.
MIN_LAND_SHARE = Fraction(2, 100)
# The Census's code for the part of a state that lies in no district (mostly water).
NO_DISTRICT_SUFFIX = "ZZZ"
CHAMBER_CODES = {"upper": "SLDU", "lower": "SLDL"}
ZCTA_COLUMN = "GEOID_ZCTA5_20"
ZCTA_LAND_COLUMN = "AREALAND_ZCTA5_20"
PART_LAND_COLUMN = "AREALAND_PART"


@dataclass(frozen=True)
class ZipShare:
    """One row of zcta_districts.csv, with the land areas it was ranked by."""

    zcta: str
    chamber: str
    census_geoid: str
    rank: int
    land_part: int
    zip_land: int


@dataclass
class Conversion:
    """The rows kept from one relationship file, and counts of what was left out and why."""

    chamber: str
    rows: list[ZipShare] = field(default_factory=list)
    # Every district of the state in the file, GEOID → the Census's name ("2nd Suffolk District").
    names: dict[str, str] = field(default_factory=dict)
    other_states: int = 0
    no_district: int = 0
    no_zip: int = 0
    below_share: int = 0
    zips_without_land: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line: rows kept and rows left out."""
        zips = len({r.zcta for r in self.rows})
        return (
            f"{self.chamber}: {len(self.rows)} rows for {zips} ZIP codes; left out "
            f"{self.other_states} of other states, {self.no_district} in no district (ZZZ), "
            f"{self.no_zip} outside any ZIP area, {self.below_share} under "
            f"{float(MIN_LAND_SHARE):.0%} of a ZIP's land"
            + (f", {len(self.zips_without_land)} ZIP(s) with no land" if self.zips_without_land else "")
        )


def _district_column(header: list[str], chamber: str, path: Path) -> str:
    """Find GEOID_SLDU2024_20 (or another plan year's) so a newer vintage needs only a new URL."""
    code = CHAMBER_CODES[chamber]
    pattern = re.compile(rf"GEOID_{code}\d{{4}}_20")
    matches = [name for name in header if pattern.fullmatch(name)]
    if len(matches) != 1:
        raise DataError(path, 1, f"expected one GEOID_{code}<year>_20 column, found {matches or 'none'}")
    return matches[0]


def _name_column(district_column: str, header: list[str], path: Path) -> str:
    """NAMELSAD_SLDU2024_20 beside GEOID_SLDU2024_20: the district's name, used to build districts.csv."""
    name = district_column.replace("GEOID_", "NAMELSAD_", 1)
    if name not in header:
        raise DataError(path, 1, f"missing column(s): {name}")
    return name


def _area(value: str, path: Path, line: int, column: str) -> int:
    if not value.isdigit():
        raise DataError(path, line, f"{column} must be a whole number of square metres, not {value!r}")
    return int(value)


def convert_relationship(text: str, chamber: str, state_fips: str, path: Path) -> Conversion:
    """Turn one chamber's relationship file into ranked ZIP → district rows for one state."""
    if chamber not in CHAMBER_CODES:
        raise ValueError(f"chamber must be upper or lower, not {chamber!r}")
    # QUOTE_NONE: the file is pipe-delimited without quoting; a stray '"' in a name is just text.
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter="|", quoting=csv.QUOTE_NONE)
    header = [name.strip() for name in next(reader, [])]
    if not header:
        raise DataError(path, None, "empty file")
    district_column = _district_column(header, chamber, path)
    missing = [c for c in (ZCTA_COLUMN, ZCTA_LAND_COLUMN, PART_LAND_COLUMN) if c not in header]
    if missing:
        raise DataError(path, 1, f"missing column(s): {', '.join(missing)}")
    name_column = _name_column(district_column, header, path)
    columns = (district_column, name_column, ZCTA_COLUMN, ZCTA_LAND_COLUMN, PART_LAND_COLUMN)
    at = {name: header.index(name) for name in columns}

    result = Conversion(chamber)
    parts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    zip_land: dict[str, tuple[int, int]] = {}  # zcta -> (land, line it was first read on)
    for fields in reader:
        line = reader.line_num
        if not fields or fields == [""]:
            continue
        if len(fields) != len(header):
            raise DataError(path, line, f"expected {len(header)} fields, found {len(fields)}")
        geoid = fields[at[district_column]].strip()
        zcta = fields[at[ZCTA_COLUMN]].strip()
        if not geoid.startswith(state_fips):
            result.other_states += 1
            continue
        if geoid.endswith(NO_DISTRICT_SUFFIX):
            result.no_district += 1
            continue
        name = fields[at[name_column]].strip()
        known_name = result.names.setdefault(geoid, name)
        if known_name != name:
            raise DataError(path, line, f"district {geoid} is named {name!r}, but {known_name!r} above")
        if not zcta:
            result.no_zip += 1  # a piece of the district outside every ZIP area
            continue
        if not re.fullmatch(r"\d{5}", zcta):
            raise DataError(path, line, f"{ZCTA_COLUMN} must be five digits, not {zcta!r}")
        land = _area(fields[at[ZCTA_LAND_COLUMN]].strip(), path, line, ZCTA_LAND_COLUMN)
        part = _area(fields[at[PART_LAND_COLUMN]].strip(), path, line, PART_LAND_COLUMN)
        known = zip_land.setdefault(zcta, (land, line))
        if known[0] != land:
            raise DataError(path, line, f"ZIP {zcta} has land {land}, but {known[0]} on line {known[1]}")
        parts[zcta][geoid] += part

    for zcta in sorted(parts):
        land = zip_land[zcta][0]
        if land == 0:
            # No land to share out: a ranking by land would be arbitrary.
            result.zips_without_land.append(zcta)
            continue
        # part / land >= 2%, in whole numbers so a share of exactly 2% is never lost to rounding.
        share = MIN_LAND_SHARE
        kept = [
            (geoid, part) for geoid, part in parts[zcta].items() if part * share.denominator >= land * share.numerator
        ]
        result.below_share += len(parts[zcta]) - len(kept)
        # Largest share first; equal shares in GEOID order so a rerun writes the same file.
        kept.sort(key=lambda pair: (-pair[1], pair[0]))
        result.rows.extend(
            ZipShare(zcta, chamber, geoid, rank, part, land) for rank, (geoid, part) in enumerate(kept, 1)
        )
    return result


def write_zip_districts(path: Path, rows: Iterable[ZipShare]) -> int:
    """Write zcta_districts.csv in the shipped layout (CRLF, sorted by ZIP, chamber, GEOID); return the row count."""
    ordered = sorted(rows, key=lambda r: (r.zcta, r.chamber, r.census_geoid))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)  # csv's default \r\n line ends, as in the shipped file
        writer.writerow(ZIP_COLUMNS)
        writer.writerows((r.zcta, r.chamber, r.census_geoid, r.rank) for r in ordered)
    return len(ordered)
