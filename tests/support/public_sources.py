"""Stand-ins for the public data sources, in their exact formats, served from 127.0.0.1.

- Census ZCTA ↔ state legislative district relationship files: pipe-delimited, a BOM, the
  Census's header row (`OID_SLDU2024_20|GEOID_SLDU2024_20|NAMELSAD_SLDU2024_20|…`), CRLF.
- The Open States people repository as GitHub serves it: a gzipped tarball with `people-main/`
  on top, `data/<state>/{legislature,executive}/*.yml`, and the commit in the pax header.
"""

from __future__ import annotations

import csv
import functools
import io
import tarfile
import threading
from collections.abc import Iterable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from config import default_data_dir

# The header of tab20_sldu202420_zcta520_st25.txt (SLDL: the same with SLDL), per the Census record layout.
FIELDS = (
    "OID_{c}2024_20",
    "GEOID_{c}2024_20",
    "NAMELSAD_{c}2024_20",
    "AREALAND_{c}2024_20",
    "AREAWATER_{c}2024_20",
    "MTFCC_{c}2024_20",
    "FUNCSTAT_{c}2024_20",
    "OID_ZCTA5_20",
    "GEOID_ZCTA5_20",
    "NAMELSAD_ZCTA5_20",
    "AREALAND_ZCTA5_20",
    "AREAWATER_ZCTA5_20",
    "MTFCC_ZCTA5_20",
    "CLASSFP_ZCTA5_20",
    "FUNCSTAT_ZCTA5_20",
    "AREALAND_PART",
    "AREAWATER_PART",
)
CODES = {"upper": ("SLDU", "G5210"), "lower": ("SLDL", "G5220")}
COMMIT = "0123456789abcdef0123456789abcdef01234567"
PEOPLE_PATH = "/openstates/people/tar.gz/refs/heads/main"
REL_PATTERN = "/geo/rel2020/cd-sld/tab20_{code}202420_zcta520_st{{fips}}.txt"


def rel_path(chamber: str, fips: str) -> str:
    """Where the stand-in serves one chamber's relationship file for a state."""
    return REL_PATTERN.format(code=CODES[chamber][0].lower()).replace("{fips}", fips)


@functools.cache
def ma_census_names() -> dict[str, str]:
    """GEOID → the Census's name for every MA district, written as the Census writes them.

    "2nd Suffolk District", "First Middlesex District", and "&" for "and" in the long Senate names
    ("Berkshire, Hampden, Franklin & Hampshire District"), so the join's normalising is exercised.
    """
    with (Path(default_data_dir()) / "ma" / "districts.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    names = {}
    for row in rows:
        name = row["district"]
        if "," in name:
            name = name.replace(" and ", " & ")
        names[row["census_geoid"]] = f"{name} District"
    return names


def census_name(geoid: str) -> str:
    """The Census's name for a district: MA's real names, else "State Senate District 7" and the like."""
    if geoid.endswith("ZZZ"):
        return "State Legislative Districts not defined"
    if geoid in ma_census_names():
        return ma_census_names()[geoid]
    code = geoid[2:]
    chamber = "Senate" if code.startswith("D") else "House"
    return f"State {chamber} District {code.lstrip('D').lstrip('0')}"


def rel_row(
    chamber: str,
    geoid: str,
    zcta: str,
    zip_land: int | str,
    part: int | str,
    water: int = 0,
    name: str | None = None,
) -> str:
    """One relationship-file line; an empty zcta is a piece of the district outside every ZIP area."""
    mtfcc = CODES[chamber][1]
    district = [f"2{geoid}", geoid, name or census_name(geoid), "123456789", "2345678", mtfcc, "N"]
    zip_fields = [f"1{zcta}", zcta, f"ZCTA5 {zcta}", str(zip_land), "1000", "G6350", "B5", "S"] if zcta else [""] * 8
    return "|".join(district + zip_fields + [str(part), str(water)])


def rel_file(chamber: str, rows: Iterable[str]) -> str:
    """A whole relationship file: BOM and header as the Census publishes it, CRLF line ends."""
    header = "|".join(name.format(c=CODES[chamber][0]) for name in FIELDS)
    return "\ufeff" + "\r\n".join([header, *rows]) + "\r\n"


def with_every_district(chamber: str, rows: list[str], names: Mapping[str, str]) -> list[str]:
    """rows, plus a piece outside every ZIP area for each district of `names` not in them: the file lists them all."""
    present = {row.split("|")[1] for row in rows}
    extra = [rel_row(chamber, geoid, "", 0, 5_000, name=name) for geoid, name in names.items() if geoid not in present]
    return rows + extra


def ma_names(chamber: str) -> dict[str, str]:
    """The Census names of MA's districts of one chamber."""
    senate = chamber == "upper"
    return {g: n for g, n in ma_census_names().items() if ("D" in g) == senate}


def add_file(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    """Add a regular file to a tarball, with GitHub's fixed mode and a fixed time."""
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), 1_780_000_000, 0o644
    tar.addfile(info, io.BytesIO(data))


def people_tarball(files: Mapping[str, bytes], extra: Iterable[tarfile.TarInfo] = ()) -> bytes:
    """A tarball shaped like GitHub's: `people-main/` on top, the commit in the pax header; files by path under it."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", format=tarfile.PAX_FORMAT, pax_headers={"comment": COMMIT}) as tar:
        folders = sorted({"/".join(path.split("/")[:i]) for path in files for i in range(1, path.count("/") + 1)})
        for folder in ["people-main"] + [f"people-main/{f}" for f in folders]:
            info = tarfile.TarInfo(folder)
            info.type, info.mode = tarfile.DIRTYPE, 0o755
            tar.addfile(info)
        for path, data in files.items():
            add_file(tar, f"people-main/{path}", data)
        for info in extra:
            tar.addfile(info, io.BytesIO(b"x" * info.size) if info.isfile() else None)
    return buffer.getvalue()


class Upstream:
    """A loopback web server standing in for codeload.github.com and www2.census.gov."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, bytes, float]] = {}
        self.user_agents: list[str] = []
        self.paths: list[str] = []
        self.release = threading.Event()
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                upstream.user_agents.append(self.headers.get("User-Agent", ""))
                upstream.paths.append(self.path)
                status, body, delay = upstream.routes.get(self.path, (404, b"not found", 0.0))
                if delay:
                    upstream.release.wait(delay)  # a stalled server; released when the test ends
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except ConnectionError:
                    pass  # the client gave up waiting, as it should

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        """The full URL of a path on this server."""
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def settings(self) -> dict[str, object]:
        """The app settings that point `flask data refresh` at this server."""
        return {
            "OPENSTATES_PEOPLE_URL": self.url(PEOPLE_PATH),
            "CENSUS_REL_URL_SLDU": self.url(REL_PATTERN.format(code="sldu")),
            "CENSUS_REL_URL_SLDL": self.url(REL_PATTERN.format(code="sldl")),
            "DATA_REFRESH_TIMEOUT": 2.0,
        }

    def close(self) -> None:
        """Stop serving; a stalled answer is released first."""
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def serve_massachusetts(server: Upstream, ma_data_dir: Path, zip_rows: Mapping[str, list[str]] | None = None) -> None:
    """Serve MA's public sources: every shipped person file, and both Census files listing all 200 districts."""
    people = {
        f"data/ma/{p.parent.name}/{p.name}": p.read_bytes() for p in sorted((ma_data_dir / "openstates").rglob("*.yml"))
    }
    server.routes[PEOPLE_PATH] = (200, people_tarball(people), 0.0)
    for chamber in ("upper", "lower"):
        rows = list((zip_rows or {}).get(chamber, []))
        body = rel_file(chamber, with_every_district(chamber, rows, ma_names(chamber))).encode()
        server.routes[rel_path(chamber, "25")] = (200, body, 0.0)
