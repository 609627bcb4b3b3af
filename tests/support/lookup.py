"""Helpers for the lookup tests: the real MA data as a MemoryDirectory, and a fake Census server."""

from __future__ import annotations

import csv
import functools
import json
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import yaml

from lookup import District, MemoryDirectory, TargetInfo

# The Open States snapshot's date: "current" roles are judged on it, not on today's
# clock, so the realistic tests do not change meaning as time passes.
SNAPSHOT_DAY = date(2026, 8, 5)
TITLES = {"upper": "Senator", "lower": "Representative"}


def data_dir(state: str = "ma") -> Path:
    """The folder holding one state's data (DATA_DIR points at the folder containing `ma/`)."""
    return Path(os.environ.get("DATA_DIR", "/work/shared/data")) / state


@functools.cache
def ma_directory() -> MemoryDirectory:
    """The real MA districts and ZIP crosswalk, with legislators read from the Open States YAML."""
    folder = data_dir("ma")
    with open(folder / "districts.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    districts = [District("MA", r["chamber"], r["census_geoid"], r["district"]) for r in rows]
    geoid_by_seat = {(r["chamber"], r["district"]): r["census_geoid"] for r in rows}
    with open(folder / "zcta_districts.csv", newline="", encoding="utf-8") as f:
        areas = [(r["zcta"], r["census_geoid"], int(r["rank_by_land_share"])) for r in csv.DictReader(f)]
    return MemoryDirectory(districts, areas, _legislators(folder, geoid_by_seat))


def _legislators(folder: Path, geoid_by_seat: Mapping[tuple[str, str], str]) -> list[TargetInfo]:
    # A minimal reading for tests only; the app's loader is the real one.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    targets = []
    for number, path in enumerate(sorted((folder / "openstates" / "legislature").glob("*.yml")), 1):
        person = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        role = next((r for r in person.get("roles", []) if _is_current(r)), None)
        if role is None:
            continue
        capitol: Mapping[str, Any] = next(
            (o for o in person.get("offices", []) if o.get("classification") == "capitol"), {}
        )
        party = (person.get("party") or [{}])[0].get("name")
        targets.append(
            TargetInfo(
                id=number,
                name=person["name"],
                title=TITLES[role["type"]],
                party=party,
                district_geoid=geoid_by_seat[(role["type"], role["district"])],
                phone=capitol.get("voice"),
            )
        )
    return targets


def _is_current(role: Mapping[str, Any]) -> bool:
    start = str(role.get("start_date", "0000"))[:10]
    end = str(role.get("end_date", "9999"))[:10]
    return role.get("type") in TITLES and start <= SNAPSHOT_DAY.isoformat() <= end


# --- a local stand-in for geocoding.geo.census.gov ------------------------------------


def census_area(chamber: str, geoid: str, name: str, year: int = 2024) -> tuple[str, dict[str, str]]:
    """One legislative layer entry, shaped like the Census reply (layer name, area)."""
    code_field, mtfcc = ("SLDU", "G5210") if chamber == "upper" else ("SLDL", "G5220")
    layer = f"{year} State Legislative Districts - {'Upper' if chamber == 'upper' else 'Lower'}"
    area = {
        "GEOID": geoid,
        "NAME": name,
        "BASENAME": name.replace(" District", ""),
        code_field: geoid[2:],
        "STATE": geoid[:2],
        "MTFCC": mtfcc,
        "LSAD": "LU" if chamber == "upper" else "LL",
        "FUNCSTAT": "N",
    }
    return layer, area


def census_reply(
    address: str,
    matched: str | None = None,
    zip_code: str = "",
    state: str = "MA",
    areas: Sequence[tuple[str, dict[str, str]]] = (),
) -> dict[str, Any]:
    """A whole geographies/onelineaddress JSON reply; `matched=None` means no match."""
    geographies: dict[str, list[dict[str, str]]] = {
        "States": [{"GEOID": "25", "STUSAB": state, "NAME": "Massachusetts", "MTFCC": "G4000"}],
        "Counties": [{"GEOID": "25025", "NAME": "Suffolk County", "MTFCC": "G4020"}],
        "119th Congressional Districts": [{"GEOID": "2507", "NAME": "Congressional District 7"}],
    }
    for layer, area in areas:
        geographies.setdefault(layer, []).append(area)
    matches = []
    if matched is not None:
        matches.append(
            {
                "tigerLine": {"side": "L", "tigerLineId": "85686893"},
                "matchedAddress": matched,
                "coordinates": {"x": -71.0995, "y": 42.3467},
                "addressComponents": {
                    "zip": zip_code,
                    "streetName": "COMMONWEALTH",
                    "preType": "",
                    "city": "BOSTON",
                    "preDirection": "",
                    "suffixDirection": "",
                    "fromAddress": "800",
                    "state": state,
                    "suffixType": "AVE",
                    "toAddress": "898",
                    "suffixQualifier": "",
                    "preQualifier": "",
                },
                "geographies": geographies,
            }
        )
    return {
        "result": {
            "input": {
                "address": {"address": address},
                "benchmark": {
                    "isDefault": False,
                    "benchmarkDescription": "Public Address Ranges - Current Benchmark",
                    "id": "4",
                    "benchmarkName": "Public_AR_Current",
                },
                "vintage": {
                    "isDefault": True,
                    "vintageName": "Current_Current",
                    "vintageDescription": "Current Vintage - Current Benchmark",
                    "id": "4",
                },
            },
            "addressMatches": matches,
        }
    }


@dataclass
class Answer:
    """What the fake server says: a status, a body, and how long to stall first."""

    body: bytes
    status: int = 200
    delay: float = 0.0
    content_type: str = "application/json"

    @classmethod
    def json(cls, payload: Any, status: int = 200, delay: float = 0.0) -> Answer:
        """An answer carrying `payload` as JSON."""
        return cls(json.dumps(payload).encode(), status, delay)


@dataclass(frozen=True)
class Query:
    """One request the fake server received."""

    path: str
    params: dict[str, list[str]]
    headers: dict[str, str]


@dataclass
class FakeCensus:
    """A Census geocoder on 127.0.0.1 that answers from `answers` and records each query."""

    answers: dict[str, Answer] = field(default_factory=dict)  # by the `address` parameter
    queries: list[Query] = field(default_factory=list)
    base_url: str = ""
    release: threading.Event = field(default_factory=threading.Event)

    def answer(self, address: str) -> Answer:
        """The canned answer for `address`, or a no-match reply."""
        return self.answers.get(address) or Answer.json(census_reply(address))


@contextmanager
def fake_census() -> Iterator[FakeCensus]:
    """Run a FakeCensus in a background thread for the duration of the block."""
    fake = FakeCensus()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = parse_qs(parts.query, keep_blank_values=True)
            fake.queries.append(Query(parts.path, query, dict(self.headers.items())))
            answer = fake.answer(query.get("address", [""])[0])
            # Wait on an event rather than sleeping, so teardown can cut a slow answer short.
            if answer.delay and fake.release.wait(answer.delay):
                return
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test): nothing to tell it

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    # A short poll interval: shutdown() waits up to one interval, once per test.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}/geocoder"
    try:
        yield fake
    finally:
        fake.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
