"""`flask data refresh`: the Census crosswalk conversion, safe archive extraction, and an all-or-nothing swap.

Every download comes from a ThreadingHTTPServer on 127.0.0.1 serving files shaped like the real
sources: a GitHub tarball of openstates/people and pipe-delimited Census relationship files.
"""

from __future__ import annotations

import csv
import io
import tarfile
import time
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import func, select

from config import load_config
from datasets.census import ZipShare, convert_relationship, write_zip_districts
from datasets.errors import DataError
from extensions import db
from models import District, Target, ZipDistrict
from tests.support.public_sources import (
    COMMIT,
    PEOPLE_PATH,
    Upstream,
    add_file,
    ma_names,
    rel_file,
    rel_path,
    rel_row,
    with_every_district,
)

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
        rows = [
            (r["zcta"], r["chamber"], r["census_geoid"], int(r["rank_by_land_share"])) for r in csv.DictReader(handle)
        ]
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
    assert [(r.census_geoid, r.rank, r.land_part) for r in result.rows] == [
        ("25002", 1, 490),
        ("25003", 2, 490),
        ("25004", 3, 20),
    ]
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
    result = convert_relationship(
        rel_file("upper", [rel_row("upper", "25D01", "02999", 0, 0, water=50)]), "upper", "25", Path("f")
    )
    assert result.rows == [] and result.zips_without_land == ["02999"]


@pytest.mark.parametrize(
    "text, line, message",
    [
        (
            rel_file(
                "lower", [rel_row("lower", "25001", "01001", 10, 5), rel_row("lower", "25002", "01001", 10, "5.5")]
            ),
            3,
            "AREALAND_PART must be a whole number of square metres, not '5.5'",
        ),
        (
            rel_file("lower", [rel_row("lower", "25001", "1001", 10, 5)]),
            2,
            "GEOID_ZCTA5_20 must be five digits, not '1001'",
        ),
        (
            rel_file("lower", [rel_row("lower", "25001", "01001", 10, 5), rel_row("lower", "25002", "01001", 11, 5)]),
            3,
            "ZIP 01001 has land 11, but 10 on line 2",
        ),
        (rel_file("lower", [rel_row("lower", "25001", "01001", 10, 5) + "|extra"]), 2, "expected 17 fields, found 18"),
        (
            rel_file("upper", [rel_row("upper", "25D01", "01001", 10, 5)]),
            1,
            "expected one GEOID_SLDL<year>_20 column, found none",
        ),
        ("GEOID_SLDL2024_20|GEOID_ZCTA5_20|AREALAND_PART\n", 1, "missing column(s): AREALAND_ZCTA5_20"),
    ],
)
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


# --- downloading, extracting, swapping ------------------------------------------------------------

LEGISLATORS = (
    "Aaron-L-Saunders-c3d23eba-caa6-4d2a-bbd2-5b8b2ca184ae.yml",
    "Dylan-Fernandes-cd05a88c-19f0-4fc5-bc3b-d339572842b7.yml",
)
EXECUTIVES = (
    "Kim-Driscoll-e4405312-71fd-4192-a658-6adbeeebe48c.yml",
    "Kimberly-Driscoll-0587c400-b81a-4ced-b560-a4009519076a.yml",
    "Maura-Healey-d90a06b9-0edf-4fda-a823-4247987244dc.yml",
)
SLDU_PATH = rel_path("upper", "25")
SLDL_PATH = rel_path("lower", "25")


def people_archive(ma_data_dir: Path, extra: tuple[tarfile.TarInfo, ...] = ()) -> bytes:
    """A tarball shaped like GitHub's: `people-main/` on top, the commit in the pax header, other states too."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", format=tarfile.PAX_FORMAT, pax_headers={"comment": COMMIT}) as tar:
        for folder in ("people-main", "people-main/data", "people-main/data/ma", "people-main/data/ma/legislature"):
            info = tarfile.TarInfo(folder)
            info.type, info.mode = tarfile.DIRTYPE, 0o755
            tar.addfile(info)
        add_file(tar, "people-main/README.md", b"# Open States People\n")
        for name in LEGISLATORS:
            add_file(
                tar,
                f"people-main/data/ma/legislature/{name}",
                (ma_data_dir / "openstates/legislature" / name).read_bytes(),
            )
        for name in EXECUTIVES:
            add_file(
                tar, f"people-main/data/ma/executive/{name}", (ma_data_dir / "openstates/executive" / name).read_bytes()
            )
        retired = (ma_data_dir / "openstates/legislature" / LEGISLATORS[0]).read_bytes()
        add_file(tar, "people-main/data/ma/retired/Someone-Retired.yml", retired)
        add_file(tar, "people-main/data/ma/committees/upper-Ways-and-Means.yml", b"name: Ways and Means\n")
        add_file(tar, "people-main/data/ma/municipalities.yml", b"[]\n")
        add_file(tar, "people-main/data/ma/legislature/notes.txt", b"not a person\n")
        add_file(tar, "people-main/data/nh/legislature/Someone-From-New-Hampshire.yml", retired)
        add_file(tar, "people-main/data/nh/executive/Governor-Of-New-Hampshire.yml", retired)
        for info in extra:
            tar.addfile(info, io.BytesIO(b"x" * info.size) if info.isfile() else None)
    return buffer.getvalue()


def member(name: str, **fields) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = 5
    for key, value in fields.items():
        setattr(info, key, value)
    return info


def expected_crosswalk(ma_data_dir: Path) -> bytes:
    """The shipped zcta_districts.csv lines for the sample ZIPs, header first, CRLF."""
    lines = (ma_data_dir / "zcta_districts.csv").read_bytes().split(b"\r\n")
    return b"\r\n".join([lines[0]] + [line for line in lines[1:] if line[:5].decode() in SAMPLE_ZIPS]) + b"\r\n"


def served_file(chamber: str, rows: list[str]) -> bytes:
    """A sample's relationship file as served: its rows, and every other MA district outside any ZIP area."""
    return rel_file(chamber, with_every_district(chamber, rows, ma_names(chamber))).encode()


@pytest.fixture
def upstream(ma_data_dir, monkeypatch):
    """The stand-in sources, serving a good archive and good relationship files."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    server = Upstream()
    server.routes = {
        PEOPLE_PATH: (200, people_archive(ma_data_dir), 0.0),
        SLDU_PATH: (200, served_file("upper", SLDU_SAMPLE), 0.0),
        SLDL_PATH: (200, served_file("lower", SLDL_SAMPLE), 0.0),
    }
    yield server
    server.close()


@pytest.fixture
def data_root(tmp_path, ma_data_dir) -> Path:
    """A data folder whose ma/ is an older state: one person changed, one gone, one the same, an old crosswalk."""
    folder = tmp_path / "data" / "ma"
    (folder / "openstates" / "legislature").mkdir(parents=True)
    (folder / "openstates" / "executive").mkdir()
    (folder / "districts.csv").write_bytes((ma_data_dir / "districts.csv").read_bytes())
    (folder / "README.md").write_bytes((ma_data_dir / "README.md").read_bytes())
    (folder / "zcta_districts.csv").write_bytes(
        b"zcta,chamber,census_geoid,rank_by_land_share\r\n02215,lower,25124,1\r\n"
    )
    saunders = (ma_data_dir / "openstates/legislature" / LEGISLATORS[0]).read_text()
    (folder / "openstates/legislature" / LEGISLATORS[0]).write_text(saunders.replace("617-722-2320", "617-722-0000"))
    tarr = "Bruce-E-Tarr-429f87cf-f7a1-4201-ade4-9efeb9149d03.yml"
    (folder / "openstates/legislature" / tarr).write_bytes((ma_data_dir / "openstates/legislature" / tarr).read_bytes())
    healey = (ma_data_dir / "openstates/executive" / EXECUTIVES[2]).read_bytes()
    (folder / "openstates/executive" / EXECUTIVES[2]).write_bytes(healey)
    return folder.parent


@pytest.fixture
def refresh_app(make_app, upstream, data_root):
    """An app whose sources are the loopback server and whose DATA_DIR is the test's data folder."""
    return make_app(DATA_DIR=str(data_root), **upstream.settings())


def tree(root: Path) -> dict[str, bytes | None]:
    """Every file (with its bytes) and folder under root."""
    return {p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None) for p in sorted(root.rglob("*"))}


def run(app, *args: str):
    return app.test_cli_runner().invoke(args=["data", "refresh", *args])


def test_refresh_writes_exactly_the_states_people_files_and_crosswalk_and_says_what_changed(
    refresh_app, upstream, data_root, ma_data_dir
):
    result = run(refresh_app, "--state", "ma")
    assert result.exit_code == 0, result.output

    files = {path: data for path, data in tree(data_root).items() if data is not None}
    people = {
        f"ma/openstates/legislature/{n}": (ma_data_dir / "openstates/legislature" / n).read_bytes() for n in LEGISLATORS
    }
    people |= {
        f"ma/openstates/executive/{n}": (ma_data_dir / "openstates/executive" / n).read_bytes() for n in EXECUTIVES
    }
    assert files == {
        "ma/README.md": (ma_data_dir / "README.md").read_bytes(),
        "ma/districts.csv": (ma_data_dir / "districts.csv").read_bytes(),
        "ma/zcta_districts.csv": expected_crosswalk(ma_data_dir),
        **people,
    }
    assert sorted(p.name for p in data_root.iterdir()) == ["ma"]  # no work folder left behind

    assert f"MA: 2 legislature files, 3 executive files (Open States commit {COMMIT})" in result.output
    assert "MA lower: 8 rows for 2 ZIP codes; left out 2 of other states, 1 in no district (ZZZ)" in result.output
    folder = data_root / "ma"
    assert f"MA ({folder}): 3 added, 2 changed, 1 removed, 2 unchanged\n" in result.output
    for line in (
        f"  added openstates/executive/{EXECUTIVES[0]}",
        f"  added openstates/executive/{EXECUTIVES[1]}",
        f"  added openstates/legislature/{LEGISLATORS[1]}",
        f"  changed openstates/legislature/{LEGISLATORS[0]}",
        "  changed zcta_districts.csv",
        "  removed openstates/legislature/Bruce-E-Tarr-429f87cf-f7a1-4201-ade4-9efeb9149d03.yml",
        f"MA ({folder}): refreshed",
    ):
        assert line + "\n" in result.output
    assert upstream.user_agents and all(ua.startswith("Patchthrough-data-refresh/") for ua in upstream.user_agents)

    again = run(refresh_app)  # default: every state folder in DATA_DIR
    assert again.exit_code == 0, again.output
    assert f"MA ({folder}): no changes" in again.output
    assert {p: d for p, d in tree(data_root).items() if d is not None} == files


def test_refresh_then_load_puts_the_refreshed_folder_in_the_database(refresh_app, data_root):
    result = run(refresh_app, "--to", str(data_root), "--load")
    assert result.exit_code == 0, result.output
    assert "MA zip areas: 11 created" in result.output
    with refresh_app.app_context():
        rows = db.session.execute(
            select(ZipDistrict.zcta, District.census_geoid, ZipDistrict.rank)
            .join(District)
            .order_by(ZipDistrict.zcta, District.census_geoid)
        ).all()
        assert [tuple(r) for r in rows] == [
            ("01001", "25046", 1),
            ("01001", "25049", 2),
            ("01001", "25D02", 1),
            ("02215", "25110", 6),
            ("02215", "25124", 1),
            ("02215", "25129", 4),
            ("02215", "25130", 3),
            ("02215", "25139", 5),
            ("02215", "25140", 2),
            ("02215", "25D17", 2),
            ("02215", "25D28", 1),
        ]
        targets = db.session.execute(
            select(Target.name, Target.title).where(Target.active.is_(True)).order_by(Target.name)
        ).all()
        assert [tuple(t) for t in targets] == [
            ("Aaron Saunders", "State Representative"),
            ("Dylan Fernandes", "State Senator"),
            ("Kim Driscoll", "Lieutenant Governor"),
            ("Maura Healey", "Governor"),
        ]

    # `flask data load` on its own reads the same folder and finds nothing to do.
    load = refresh_app.test_cli_runner().invoke(args=["data", "load"])
    assert load.exit_code == 0, load.output
    assert "MA: no changes" in load.output


def answer(status: int, body: bytes = b"", delay: float = 0.0):
    """A canned answer, whatever the good one would have been."""
    return lambda good, ma_data_dir: (status, body, delay)


def tampered_archive(*extra: tarfile.TarInfo):
    """The good archive plus hostile members."""
    return lambda good, ma_data_dir: (200, people_archive(ma_data_dir, extra), 0.0)


def changed(change):
    """The good body, altered."""
    return lambda good, ma_data_dir: (200, change(good), 0.0)


DAMAGED = "the people archive is damaged or incomplete"
UNKNOWN_DISTRICT = served_file("lower", [*SLDL_SAMPLE, rel_row("lower", "25999", "01002", 10, 10)])
FAILURES = {
    "people archive answers 500": (PEOPLE_PATH, answer(500, b"oops"), "main: HTTP 500"),
    "census file answers 500": (SLDL_PATH, answer(500, b"oops"), "tab20_sldl202420_zcta520_st25.txt: HTTP 500"),
    "people archive stalls": (PEOPLE_PATH, lambda good, _: (200, good, 5.0), "(ReadTimeout: "),
    "gzip cut in the middle": (PEOPLE_PATH, changed(lambda good: good[: len(good) // 2]), DAMAGED),
    "gzip trailer missing": (PEOPLE_PATH, changed(lambda good: good[:-8]), f"{DAMAGED} (Compressed file ended"),
    "not gzip at all": (PEOPLE_PATH, answer(200, b"<html>rate limited</html>"), DAMAGED),
    "an empty answer": (PEOPLE_PATH, answer(200), DAMAGED),
    "a ../ member": (
        PEOPLE_PATH,
        tampered_archive(member("people-main/data/ma/legislature/../../../../evil.yml")),
        "unsafe member name 'people-main/data/ma/legislature/../../../../evil.yml'; refusing the archive",
    ),
    "an absolute member": (
        PEOPLE_PATH,
        tampered_archive(member("/tmp/evil.yml")),
        "unsafe member name '/tmp/evil.yml'",
    ),
    "a symlink person file": (
        PEOPLE_PATH,
        tampered_archive(
            member("people-main/data/ma/legislature/Link.yml", type=tarfile.SYMTYPE, linkname="/etc/passwd", size=0)
        ),
        "people-main/data/ma/legislature/Link.yml is a link or special file, not a person file; refusing the archive",
    ),
    "an oversized person file": (
        PEOPLE_PATH,
        tampered_archive(member("people-main/data/ma/executive/Huge.yml", size=2**20 + 1)),
        "people-main/data/ma/executive/Huge.yml is 1048577 bytes, more than a person file should be",
    ),
    "a ZIP row for an unknown district": (
        SLDL_PATH,
        answer(200, UNKNOWN_DISTRICT),
        "MA lower: the district lists do not match:\n"
        "  no Open States division matches the Census's 25999 'State House District 999'",
    ),
    "a web page instead of a census file": (
        SLDU_PATH,
        answer(200, b"<html>moved</html>\n"),
        "tab20_sldu202420_zcta520_st25.txt:1: expected one GEOID_SLDU<year>_20 column, found none",
    ),
}


@pytest.mark.parametrize("path, reply, message", FAILURES.values(), ids=FAILURES.keys())
def test_a_failed_refresh_leaves_the_old_folder_untouched(
    refresh_app, upstream, data_root, ma_data_dir, tmp_path, path, reply, message
):
    refresh_app.config["DATA_REFRESH_TIMEOUT"] = 0.3  # the stalled answer would take 5 s
    upstream.routes[path] = reply(upstream.routes[path][1], ma_data_dir)
    before = tree(data_root)
    started = time.monotonic()
    result = run(refresh_app, "--state", "ma", "--load")
    assert result.exit_code == 1
    assert message in result.output
    assert result.output.rstrip().endswith("No data file was changed.")
    assert tree(data_root) == before
    assert not list(tmp_path.rglob("evil.yml"))
    assert time.monotonic() - started < 3
    with refresh_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Target)) == 0  # --load did not run


def test_an_archive_without_the_states_legislature_is_refused(refresh_app, upstream, data_root):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        add_file(tar, "people-main/data/nh/legislature/Someone.yml", b"id: x\n")
    upstream.routes[PEOPLE_PATH] = (200, buffer.getvalue(), 0.0)
    before = tree(data_root)
    result = run(refresh_app, "--state", "ma")
    assert result.exit_code == 1
    assert "the people archive has no data/ma/legislature/*.yml files; is OPENSTATES_PEOPLE_URL right?" in result.output
    assert tree(data_root) == before


def test_a_dry_run_reports_the_changes_and_writes_nothing(refresh_app, data_root):
    before = tree(data_root)
    result = run(refresh_app, "--state", "MA", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "3 added, 2 changed, 1 removed, 2 unchanged" in result.output
    assert "dry run, nothing written" in result.output
    assert tree(data_root) == before


def test_a_state_code_must_be_two_letters(refresh_app):
    result = run(refresh_app, "--state", "../ma")
    assert result.exit_code == 2
    assert "'../ma' is not a two-letter state code" in result.output


def test_the_sources_default_to_the_public_urls():
    config = load_config({})
    assert config["OPENSTATES_PEOPLE_URL"] == "https://codeload.github.com/openstates/people/tar.gz/refs/heads/main"
    assert config["CENSUS_REL_URL_SLDU"] == (
        "https://www2.census.gov/geo/docs/maps-data/data/rel2020/cd-sld/tab20_sldu202420_zcta520_st{fips}.txt"
    )
    assert config["CENSUS_REL_URL_SLDL"] == (
        "https://www2.census.gov/geo/docs/maps-data/data/rel2020/cd-sld/tab20_sldl202420_zcta520_st{fips}.txt"
    )
    assert config["DATA_REFRESH_TIMEOUT"] == 30.0
    assert load_config({"DATA_REFRESH_TIMEOUT": "5"})["DATA_REFRESH_TIMEOUT"] == 5.0
