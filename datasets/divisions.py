"""districts.csv from public sources: the Census's district names joined to Open States' divisions.

The Census relationship files name each district (`NAMELSAD_SLDU<year>_20`: "2nd Suffolk
District", "State Senate District 7") beside its GEOID; Open States' metadata names the same
district ("2nd Suffolk", "7") beside its OCD division id. Both names are reduced to a key
(lower case, "&" read as "and", punctuation and words such as "District" dropped, ordinals as
numbers) and joined on it. The join must be one-to-one: every division and every GEOID matched
exactly once, or nothing is written and the message names what did not match.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from datasets.legislatures import Chamber, Legislature
from datasets.tables import DISTRICT_COLUMNS

# Words the Census adds around a district's name that Open States leaves out.
FILLER = frozenset(
    {"district", "state", "senate", "house", "general", "assembly", "legislative", "of", "representatives", "delegates"}
)
_UNITS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
_TEENS: tuple[str, ...] = ("tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth")
_TEENS += ("seventeenth", "eighteenth", "nineteenth")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
ORDINAL_WORDS = {word: n for n, word in enumerate(_UNITS, 1)} | {word: n for n, word in enumerate(_TEENS, 10)}
ORDINAL_WORDS |= {f"{tens[:-1]}ieth": 10 * n for n, tens in enumerate(_TENS, 2)}
TENS_WORDS = {tens: 10 * n for n, tens in enumerate(_TENS, 2)}
_NUMERIC_ORDINAL = re.compile(r"(\d+)(st|nd|rd|th)")


class DistrictMatchError(Exception):
    """The Census's districts and Open States' divisions do not pair up one to one."""


@dataclass(frozen=True)
class JoinedDistrict:
    """One row of districts.csv."""

    census_geoid: str
    chamber: str
    name: str  # Open States' name, as people files write it
    ocd_division_id: str


def name_key(name: str) -> str:
    """The comparable form of a district name: '2nd Suffolk District' and 'Second Suffolk' both → '2 suffolk'."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().replace("&", " and ")
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    out: list[str] = []
    for word in words:
        numeric = _NUMERIC_ORDINAL.fullmatch(word)
        if numeric:
            word = numeric.group(1)
        elif word in ORDINAL_WORDS:
            value = ORDINAL_WORDS[word]
            if out and out[-1] in TENS_WORDS and value < 10:  # "twenty first"
                value += TENS_WORDS[out.pop()]
            word = str(value)
        if word.isdigit():
            word = str(int(word))  # "007" → "7"
        if word not in FILLER:
            out.append(word)
    return " ".join(out)


def _keyed(pairs: Mapping[str, str], what: str, problems: list[str]) -> dict[str, str]:
    """{key: id} from {id: name}; a key two ids share is a problem, named with both names."""
    by_key: dict[str, list[str]] = defaultdict(list)
    for ident, name in pairs.items():
        by_key[name_key(name)].append(ident)
    for key, idents in sorted(by_key.items()):
        if len(idents) > 1:
            names = " and ".join(f"{pairs[i]!r} ({i})" for i in sorted(idents))
            problems.append(f"{what} {names} read as the same district {key!r}")
    return {key: idents[0] for key, idents in by_key.items() if len(idents) == 1}


def join_chamber(chamber: Chamber, census_names: Mapping[str, str], state: str) -> list[JoinedDistrict]:
    """Pair one chamber's Census districts (GEOID → name) with its Open States divisions, one to one."""
    divisions = {d.division_id: d.name for d in chamber.divisions}
    problems: list[str] = []
    by_division = _keyed(divisions, "Open States' divisions", problems)
    by_geoid = _keyed(census_names, "the Census districts", problems)
    for key in sorted(by_division.keys() - by_geoid.keys()):
        division = by_division[key]
        problems.append(f"no Census district matches Open States' {divisions[division]!r} ({division})")
    for key in sorted(by_geoid.keys() - by_division.keys()):
        geoid = by_geoid[key]
        problems.append(f"no Open States division matches the Census's {geoid} {census_names[geoid]!r}")
    if problems:
        lines = "\n".join(f"  {p}" for p in problems)
        raise DistrictMatchError(f"{state} {chamber.chamber}: the district lists do not match:\n{lines}")
    return sorted(
        (
            JoinedDistrict(by_geoid[key], chamber.chamber, divisions[division], division)
            for key, division in by_division.items()
        ),
        key=lambda d: d.census_geoid,
    )


def join_districts(legislature: Legislature, census_names: Mapping[str, Mapping[str, str]]) -> list[JoinedDistrict]:
    """Every chamber's districts, upper first; every problem in every chamber is reported at once."""
    rows: list[JoinedDistrict] = []
    failures: list[str] = []
    for name, chamber in legislature.chambers.items():
        try:
            rows += join_chamber(chamber, census_names.get(name, {}), legislature.state)
        except DistrictMatchError as exc:
            failures.append(str(exc))
    if failures:
        raise DistrictMatchError("\n".join(failures))
    return rows


def write_districts(path: Path, rows: list[JoinedDistrict]) -> None:
    """Write districts.csv in the shipped layout (CRLF, upper chamber first, each by GEOID)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(DISTRICT_COLUMNS)
        writer.writerows((r.census_geoid, r.chamber, r.name, r.ocd_division_id) for r in rows)
