"""`flask data refresh`: the Census crosswalk conversion, safe archive extraction, and an all-or-nothing swap.

Every download comes from a ThreadingHTTPServer on 127.0.0.1 serving files shaped like the real
sources: a GitHub tarball of openstates/people and pipe-delimited Census relationship files.
"""

from __future__ import annotations

import csv
import io
import tarfile
from collections import defaultdict
from pathlib import Path

import pytest

from datasets.census import ZipShare, convert_relationship, write_zip_districts
from datasets.errors import DataError

# The header of tab20_sldu202420_zcta520_st25.txt (SLDL: the same with SLDL), per the Census record layout.
FIELDS = (
    "OID_{c}2024_20", "GEOID_{c}2024_20", "NAMELSAD_{c}2024_20", "AREALAND_{c}2024_20", "AREAWATER_{c}2024_20",
    "MTFCC_{c}2024_20", "FUNCSTAT_{c}2024_20", "OID_ZCTA5_20", "GEOID_ZCTA5_20", "NAMELSAD_ZCTA5_20",
    "AREALAND_ZCTA5_20", "AREAWATER_ZCTA5_20", "MTFCC_ZCTA5_20", "CLASSFP_ZCTA5_20", "FUNCSTAT_ZCTA5_20",
    "AREALAND_PART", "AREAWATER_PART",
)
CODES = {"upper": ("SLDU", "G5210"), "lower": ("SLDL", "G5220")}


def rel_row(chamber: str, geoid: str, zcta: str, zip_land: int | str, part: int | str, water: int = 0) -> str:
    """One relationship-file line; an empty zcta is a piece of the district outside every ZIP area."""
    mtfcc = CODES[chamber][1]
    district = [f"2{geoid}", geoid, f"District {geoid}", "123456789", "2345678", mtfcc, "N"]
    zip_fields = [f"1{zcta}", zcta, f"ZCTA5 {zcta}", str(zip_land), "1000", "G6350", "B5", "S"] if zcta else [""] * 8
    return "|".join(district + zip_fields + [str(part), str(water)])


def rel_file(chamber: str, rows: list[str]) -> str:
    """A whole relationship file: BOM and header as the Census publishes it, CRLF line ends."""
    header = "|".join(name.format(c=CODES[chamber][0]) for name in FIELDS)
    return "\ufeff" + "\r\n".join([header, *rows]) + "\r\n"


# Pieces of 02215 (Boston) and 01001 (Agawam), with land areas chosen so that the ranking reproduces
# the shipped rows; plus what must be left out: a 1.9% sliver, the Census's "ZZZ" (no district)
# parts, a Connecticut district inside 01001, Connecticut ZIPs, and a district piece with no ZIP.
SLDL_SAMPLE = [
    rel_row("lower", "25124", "02215", 3_500_000, 1_200_000),
    rel_row("lower", "25140", "02215", 3_500_000, 800_000),
    rel_row("lower", "25130", "02215", 3_500_000, 500_000),
    rel_row("lower", "25129", "02215", 3_500_000, 400_000),
    rel_row("lower", "25139", "02215", 3_500_000, 300_000),
    rel_row("lower", "25110", "02215", 3_500_000, 233_500),
    rel_row("lower", "25125", "02215", 3_500_000, 66_500, water=4_000),  # 1.9%: a boundary sliver
    rel_row("lower", "25ZZZ", "02215", 3_500_000, 0, water=90_000),
    rel_row("lower", "25046", "01001", 30_000_000, 19_000_000),
    rel_row("lower", "25049", "01001", 30_000_000, 10_400_000),
    rel_row("lower", "09058", "01001", 30_000_000, 600_000),  # Connecticut's 58th, over the line
    rel_row("lower", "09058", "06078", 25_000_000, 25_000_000),
    rel_row("lower", "25046", "", 0, 5_000),
]
SLDU_SAMPLE = [
    rel_row("upper", "25D28", "02215", 3_500_000, 2_100_000),
    rel_row("upper", "25D17", "02215", 3_500_000, 1_400_000),
    rel_row("upper", "25ZZZ", "02215", 3_500_000, 0, water=90_000),
    rel_row("upper", "25D02", "01001", 30_000_000, 29_400_000),
    rel_row("upper", "09D07", "01001", 30_000_000, 600_000),
    rel_row("upper", "09D07", "06078", 25_000_000, 25_000_000),
]
SAMPLE_ZIPS = ("01001", "02215")


def shipped_rows(ma_data_dir: Path, zips: tuple[str, ...] | None = None) -> list[tuple[str, str, str, int]]:
    """The rows of the shipped zcta_districts.csv, for some ZIPs or all."""
    with (ma_data_dir / "zcta_districts.csv").open(newline="") as handle:
        rows = [(r["zcta"], r["chamber"], r["census_geoid"], int(r["rank_by_land_share"])) for r in csv.DictReader(handle)]
    return [r for r in rows if zips is None or r[0] in zips]


def as_tuples(rows: list[ZipShare]) -> list[tuple[str, str, str, int]]:
    return sorted((r.zcta, r.chamber, r.census_geoid, r.rank) for r in rows)


# --- the conversion -----------------------------------------------------------------------------


def test_a_sample_of_the_census_files_reproduces_the_shipped_rows_for_02215_and_01001(ma_data_dir):
    lower = convert_relationship(rel_file("lower", SLDL_SAMPLE), "lower", "25", Path("sldl.txt"))
    upper = convert_relationship(rel_file("upper", SLDU_SAMPLE), "upper", "25", Path("sldu.txt"))
    assert as_tuples(lower.rows + upper.rows) == shipped_rows(ma_data_dir, SAMPLE_ZIPS)
    assert (lower.other_states, lower.no_district, lower.no_zip, lower.below_share) == (2, 1, 1, 1)
    assert (upper.other_states, upper.no_district, upper.no_zip, upper.below_share) == (2, 1, 0, 0)
    assert lower.summary() == (
        "lower: 8 rows for 2 ZIP codes; left out 2 of other states, 1 in no district (ZZZ), "
        "1 outside any ZIP area, 1 under 2% of a ZIP's land"
    )


def test_exactly_two_percent_is_listed_and_equal_shares_rank_in_geoid_order():
    rows = [
        rel_row("lower", "25003", "01234", 1000, 490),
        rel_row("lower", "25002", "01234", 1000, 490),
        rel_row("lower", "25004", "01234", 1000, 20),  # exactly 2%
        rel_row("lower", "25005", "01234", 1000, 0),
    ]
    result = convert_relationship(rel_file("lower", rows), "lower", "25", Path("sldl.txt"))
    assert [(r.census_geoid, r.rank, r.land_part) for r in result.rows] == [("25002", 1, 490), ("25003", 2, 490), ("25004", 3, 20)]
    rows[2] = rel_row("lower", "25004", "01234", 1000, 19)
    result = convert_relationship(rel_file("lower", rows), "lower", "25", Path("sldl.txt"))
    assert [r.census_geoid for r in result.rows] == ["25002", "25003"]
    assert result.below_share == 2


def test_the_zips_land_is_the_whole_zcta_so_a_zip_mostly_over_the_state_line_keeps_small_shares():
    rows = [
        # 02861 is mostly in Rhode Island: its 1.5% in Massachusetts is a sliver, not the whole ZIP.
        rel_row("lower", "25006", "02861", 10_000_000, 150_000),
        rel_row("lower", "44060", "02861", 10_000_000, 9_850_000),
        # 01247 is 30% in Massachusetts: listed, ranked among Massachusetts districts only.
        rel_row("lower", "25001", "01247", 10_000_000, 3_000_000),
        rel_row("lower", "50010", "01247", 10_000_000, 7_000_000),
    ]
    result = convert_relationship(rel_file("lower", rows), "lower", "25", Path("sldl.txt"))
    assert [(r.zcta, r.census_geoid, r.rank, r.zip_land) for r in result.rows] == [("01247", "25001", 1, 10_000_000)]


def test_a_zip_with_no_land_is_left_out_and_named():
    result = convert_relationship(rel_file("upper", [rel_row("upper", "25D01", "02999", 0, 0, water=50)]), "upper", "25", Path("f"))
    assert result.rows == [] and result.zips_without_land == ["02999"]


@pytest.mark.parametrize("text, line, message", [
    (rel_file("lower", [rel_row("lower", "25001", "01001", 10, 5), rel_row("lower", "25002", "01001", 10, "5.5")]),
     3, "AREALAND_PART must be a whole number of square metres, not '5.5'"),
    (rel_file("lower", [rel_row("lower", "25001", "1001", 10, 5)]), 2, "GEOID_ZCTA5_20 must be five digits, not '1001'"),
    (rel_file("lower", [rel_row("lower", "25001", "01001", 10, 5), rel_row("lower", "25002", "01001", 11, 5)]),
     3, "ZIP 01001 has land 11, but 10 on line 2"),
    (rel_file("lower", [rel_row("lower", "25001", "01001", 10, 5) + "|extra"]), 2, "expected 17 fields, found 18"),
    (rel_file("upper", [rel_row("upper", "25D01", "01001", 10, 5)]), 1, "expected one GEOID_SLDL<year>_20 column, found none"),
    ("GEOID_SLDL2024_20|GEOID_ZCTA5_20|AREALAND_PART\n", 1, "missing column(s): AREALAND_ZCTA5_20"),
])
def test_a_malformed_relationship_file_names_the_line(text, line, message):
    with pytest.raises(DataError) as error:
        convert_relationship(text, "lower", "25", Path("tab20_sldl202420_zcta520_st25.txt"))
    assert str(error.value) == f"tab20_sldl202420_zcta520_st25.txt:{line}: {message}"


def synthetic_relationship_files(ma_data_dir: Path) -> dict[str, str]:
    """Relationship files for every shipped ZIP, with areas that rank as shipped, a 1.9% sliver and a ZZZ part each."""
    by_zip: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for zcta, chamber, geoid, rank in shipped_rows(ma_data_dir):
        by_zip[(zcta, chamber)].append((rank, geoid))
    spare = {"upper": ("25D40", "25D39", "25D01"), "lower": ("25160", "25159", "25001")}  # real districts
    lines: dict[str, list[str]] = {"upper": [], "lower": []}
    for (zcta, chamber), ranked in sorted(by_zip.items()):
        ranked.sort()
        parts = [(geoid, (len(ranked) - i) * 10_000) for i, (_, geoid) in enumerate(ranked)]
        listed = sum(part for _, part in parts)
        land = listed * 1000 // 981  # the rest of the ZIP's land: a 1.9% sliver in a district not listed
        sliver_geoid = next(g for g in spare[chamber] if g not in dict(parts))
        parts.append((sliver_geoid, land - listed))
        lines[chamber] += [rel_row(chamber, geoid, zcta, land, part) for geoid, part in parts]
        lines[chamber].append(rel_row(chamber, "25ZZZ", zcta, land, 0, water=700))
    return {chamber: rel_file(chamber, rows) for chamber, rows in lines.items()}


def test_converting_files_built_from_the_shipped_crosswalk_writes_it_back_byte_for_byte(ma_data_dir, tmp_path):
    files = synthetic_relationship_files(ma_data_dir)
    rows = []
    for chamber, text in files.items():
        result = convert_relationship(text, chamber, "25", Path(f"{chamber}.txt"))
        assert result.below_share == len({r.zcta for r in result.rows})  # one sliver per ZIP, each dropped
        rows += result.rows
    assert write_zip_districts(tmp_path / "zcta_districts.csv", rows) == 1388
    assert (tmp_path / "zcta_districts.csv").read_bytes() == (ma_data_dir / "zcta_districts.csv").read_bytes()
