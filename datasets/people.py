"""Reader for Open States people files (one YAML file per person) → the people who hold office today."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import phonenumbers
import yaml

from datasets.errors import DataError

# Titles for the role types Open States uses; an unknown type is title-cased.
ROLE_TITLES = {
    "upper": "State Senator",
    "lower": "State Representative",
    "legislature": "Legislator",
    "governor": "Governor",
    "lt_governor": "Lieutenant Governor",
    "attorney general": "Attorney General",
    "secretary of state": "Secretary of State",
    "treasurer": "Treasurer",
    "auditor": "Auditor",
}
LEGISLATIVE_TYPES = ("upper", "lower", "legislature")
# Offices the capitol line is preferred from; a district office is the fallback.
OFFICE_PREFERENCE = ("capitol", "district", "primary")


@dataclass(frozen=True)
class OfficeLine:
    """One office's voice line as a people file lists it: "capitol", "district", …"""

    kind: str
    phone: str  # E.164
    extension: str | None


@dataclass(frozen=True)
class Person:
    """Someone holding an office today, as read from one file."""

    source_id: str
    name: str
    party: str | None
    role_type: str
    title: str
    district: str | None  # the Open States district name, for legislators
    jurisdiction: str
    phone: str | None  # the first of `offices`: the line a call dials first
    extension: str | None
    start_date: dt.date | None
    path: Path
    line: int
    # Every usable voice line, capitol first, then district offices; the same line listed twice once.
    offices: tuple[OfficeLine, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """A file that was read but not loaded, and why."""

    path: Path
    reason: str


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line each mapping starts on, for error messages."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _date(value: Any, path: Path, line: int, field: str) -> dt.date | None:
    """Dates come both as YAML dates and as strings; accept both, refuse anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise DataError(path, line, f"{field} is not a date: {value!r}")


def parse_phone(raw: str | None, region: str = "US") -> tuple[str | None, str | None]:
    """Turn '617-722-2320' or '508-757-0323 ext. 13' into E.164 and an extension; unusable → (None, None)."""
    if not raw:
        return None, None
    try:
        number = phonenumbers.parse(str(raw), region)
    except phonenumbers.NumberParseException:
        return None, None
    if not phonenumbers.is_valid_number(number):
        return None, None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), number.extension or None


def current_role(roles: list[dict], today: dt.date, path: Path) -> dict | None:
    """The role whose dates include today (start inclusive, end exclusive); the latest start wins."""
    current = []
    for role in roles:
        line = role.get("__line__", 0)
        start = _date(role.get("start_date"), path, line, "start_date")
        end = _date(role.get("end_date"), path, line, "end_date")
        if (start is None or start <= today) and (end is None or today < end):
            current.append((start or dt.date.min, role))
    if not current:
        return None
    current.sort(key=lambda pair: pair[0])
    return current[-1][1]


def read_person(path: Path, today: dt.date, region: str = "US") -> Person | Skipped:
    """Read one person file; raise DataError when it is malformed, return Skipped when it holds no office today."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(path, None, f"cannot read the file ({exc})") from exc
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise DataError(path, mark.line + 1 if mark else None, f"not valid YAML ({exc.problem or exc})") from exc
    except yaml.YAMLError as exc:
        raise DataError(path, None, f"not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise DataError(path, 1, "expected a mapping of fields")
    for field in ("id", "name", "roles"):
        if not data.get(field):
            raise DataError(path, data.get("__line__", 1), f"missing required field {field!r}")
    if not str(data["id"]).startswith("ocd-person/"):
        raise DataError(path, data["__line__"], f"id must be an ocd-person id, not {data['id']!r}")
    roles = data["roles"]
    if not isinstance(roles, list) or not all(isinstance(r, dict) for r in roles):
        raise DataError(path, data["__line__"], "roles must be a list of mappings")
    role = current_role(roles, today, path)
    if role is None:
        return Skipped(path, f"{data['name']} holds no office today (every role has ended)")
    role_type = str(role.get("type") or "").strip()
    if not role_type:
        raise DataError(path, role.get("__line__"), "role has no type")
    district = role.get("district")
    if role_type in LEGISLATIVE_TYPES and not district:
        raise DataError(path, role.get("__line__"), f"{role_type} role has no district")
    offices = office_lines(data.get("offices") or [], region)
    phone, extension = (offices[0].phone, offices[0].extension) if offices else (None, None)
    parties = [p.get("name") for p in data.get("party") or [] if isinstance(p, dict) and not p.get("end_date")]
    return Person(
        source_id=str(data["id"]),
        name=str(data["name"]).strip(),
        party=parties[0] if parties else None,
        role_type=role_type,
        title=ROLE_TITLES.get(role_type, role_type.replace("_", " ").title()),
        district=str(district).strip() if district else None,
        jurisdiction=str(role.get("jurisdiction") or ""),
        phone=phone,
        extension=extension,
        start_date=_date(role.get("start_date"), path, role.get("__line__", 0), "start_date"),
        path=path,
        line=role.get("__line__", 1),
        offices=offices,
    )


def office_lines(offices: list, region: str) -> tuple[OfficeLine, ...]:
    """Every usable voice line, in OFFICE_PREFERENCE order (the file's order within a kind), without repeats."""
    found: list[tuple[int, int, OfficeLine]] = []
    for index, office in enumerate(offices):
        if not isinstance(office, dict):
            continue
        phone, extension = parse_phone(office.get("voice"), region)
        if phone is None:
            continue
        kind = str(office.get("classification") or "").strip() or "office"
        rank = OFFICE_PREFERENCE.index(kind) if kind in OFFICE_PREFERENCE else len(OFFICE_PREFERENCE)
        found.append((rank, index, OfficeLine(kind, phone, extension)))
    lines: list[OfficeLine] = []
    for _, _, line in sorted(found, key=lambda f: (f[0], f[1])):
        if all((line.phone, line.extension) != (kept.phone, kept.extension) for kept in lines):
            lines.append(line)
    return tuple(lines)


def read_people(folder: Path, today: dt.date, region: str = "US") -> tuple[list[Person], list[Skipped]]:
    """Read every *.yml under folder; drop second holders of a one-seat office, saying so."""
    people: list[Person] = []
    skipped: list[Skipped] = []
    for path in sorted(folder.rglob("*.yml")):
        result = read_person(path, today, region)
        if isinstance(result, Skipped):
            skipped.append(result)
        else:
            people.append(result)
    # Upstream sometimes lists one person twice under two names; a one-seat office can't have two holders.
    holders: dict[tuple[str, str], Person] = {}
    kept: list[Person] = []
    for person in people:
        if person.role_type in LEGISLATIVE_TYPES:
            kept.append(person)
            continue
        key = (person.jurisdiction, person.role_type)
        if key in holders:
            first = holders[key]
            skipped.append(
                Skipped(person.path, f"{person.name} duplicates {first.name} ({first.title}) in {first.path.name}")
            )
            continue
        holders[key] = person
        kept.append(person)
    seen_ids: dict[str, Person] = {}
    unique: list[Person] = []
    for person in kept:
        if person.source_id in seen_ids:
            raise DataError(
                person.path, 1, f"id {person.source_id} is also used by {seen_ids[person.source_id].path.name}"
            )
        seen_ids[person.source_id] = person
        unique.append(person)
    return unique, skipped
