"""Public-format sources for states unlike Massachusetts: Nebraska (one chamber) and New Jersey (two-member districts).

The Census files carry every district of each chamber, named the Census's way ("Legislative
District 7", "General Assembly District 2"), with the GEOIDs the Census gives them: New Jersey's
Senate and Assembly district 2 are both 34002. The people files follow Open States' layout, with
Nebraska's members under role type `legislature` as Open States files them.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

import yaml

from datasets.legislatures import legislature
from tests.support.public_sources import rel_file, rel_path, rel_row, with_every_district

# ZIP → chamber → district name; each ZIP lies wholly in one district per chamber.
ZIPS = {
    "NE": {"68508": {"upper": "46"}},
    "NJ": {"08201": {"upper": "2", "lower": "2"}},
}
CENSUS_WORDS = {("NE", "upper"): "Legislative District", ("NJ", "upper"): "State Senate District"}
CENSUS_WORDS |= {("NJ", "lower"): "General Assembly District"}

# Who holds office: (file stem, name, Open States role type, district, capitol phone).
PEOPLE = {
    "NE": [
        ("Dana-Fields", "Dana Fields", "legislature", "46", "402-471-2720"),
        ("Eli-Marsh", "Eli Marsh", "legislature", "1", "402-471-2733"),
    ],
    "NJ": [
        ("Vince-Polistina", "Vince Polistina", "upper", "2", "609-677-8266"),
        ("Don-Guardian", "Don Guardian", "lower", "2", "609-677-8266"),
        ("Claire-Swift", "Claire Swift", "lower", "2", "609-677-8267"),
        ("Lone-Member", "Lone Member", "lower", "3", "856-251-9801"),
    ],
}


def census_names(state: str, chamber: str) -> dict[str, str]:
    """GEOID → the Census's name for every district of one chamber (numbered districts: GEOID = FIPS + 3 digits)."""
    house = legislature(state)
    words = CENSUS_WORDS[state, chamber]
    return {f"{house.fips}{int(d.name):03d}": f"{words} {d.name}" for d in house.chambers[chamber].divisions}


def census_files(state: str) -> dict[str, bytes]:
    """Each chamber's relationship file: the state's ZIP pieces, and every district listed."""
    house = legislature(state)
    files = {}
    for chamber in house.chambers:
        names = census_names(state, chamber)
        rows = [
            rel_row(
                chamber,
                f"{house.fips}{int(by_chamber[chamber]):03d}",
                zcta,
                9_000_000,
                9_000_000,
                name=names[f"{house.fips}{int(by_chamber[chamber]):03d}"],
            )
            for zcta, by_chamber in ZIPS[state].items()
            if chamber in by_chamber
        ]
        files[rel_path(chamber, house.fips)] = rel_file(chamber, with_every_district(chamber, rows, names)).encode()
    return files


def person_file(state: str, stem: str, name: str, role_type: str, district: str, phone: str) -> bytes:
    """One Open States person file."""
    person = {
        "id": f"ocd-person/{uuid.uuid5(uuid.NAMESPACE_URL, f'{state}/{stem}')}",
        "name": name,
        "party": [{"name": "Democratic"}],
        "roles": [
            {
                "start_date": "2024-01-09",
                "type": role_type,
                "jurisdiction": f"ocd-jurisdiction/country:us/state:{state.lower()}/government",
                "district": district,
            }
        ],
        "offices": [{"classification": "capitol", "voice": phone}],
    }
    return yaml.safe_dump(person, sort_keys=False).encode()


def people_files(states: Mapping[str, list] = PEOPLE) -> dict[str, bytes]:
    """The people files of these states, by their path in the Open States repository."""
    return {
        f"data/{state.lower()}/legislature/{stem}.yml": person_file(state, stem, name, role, district, phone)
        for state, people in states.items()
        for stem, name, role, district, phone in people
    }
