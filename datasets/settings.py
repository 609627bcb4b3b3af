"""A state folder's own settings (`settings.yml`, optional): what the public data does not say.

Today: the legislature's usual office hours and their time zone, and any office whose hours differ::

    office_hours: mon-fri 09:00-17:00        # the default when the file or the key is missing
    office_timezone: America/New_York        # default: the state capital's zone (Open States' metadata)
    office_hours_by_office:                  # optional: person id → office kind → hours
      ocd-person/0d0c…:
        district: tue-thu 10:00-16:00
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import yaml

from datasets.errors import DataError
from targets.hours import DEFAULT_HOURS, parse_office_hours

SETTINGS_FILE = "settings.yml"
KNOWN = frozenset({"office_hours", "office_timezone", "office_hours_by_office"})


@dataclass(frozen=True)
class StateSettings:
    """The legislature's office hours (text, as checked) and zone, and per-office overrides by (person, kind)."""

    office_hours: str
    office_timezone: str
    by_office: Mapping[tuple[str, str], str] = field(default_factory=lambda: MappingProxyType({}))


def read_settings(folder: Path, capital_zone: str) -> StateSettings:
    """The folder's settings.yml checked, or the defaults when there is none; DataError naming what is wrong."""
    path = folder / SETTINGS_FILE
    data: object = {}
    if path.exists():
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise DataError(path, None, f"cannot read ({exc})") from exc
    if not isinstance(data, dict):
        raise DataError(path, None, "must be a mapping of settings")
    unknown = sorted(set(map(str, data)) - KNOWN)
    if unknown:
        raise DataError(path, None, f"unknown setting(s): {', '.join(unknown)}")
    zone = str(data.get("office_timezone") or capital_zone)
    hours = _checked(path, str(data.get("office_hours") or DEFAULT_HOURS), zone)
    overrides: dict[tuple[str, str], str] = {}
    by_office = data.get("office_hours_by_office") or {}
    if not isinstance(by_office, dict):
        raise DataError(path, None, "office_hours_by_office must map person ids to office kinds and hours")
    for person, kinds in by_office.items():
        if not isinstance(kinds, dict):
            raise DataError(path, None, f"office_hours_by_office: {person} must map office kinds to hours")
        for kind, text in kinds.items():
            overrides[str(person), str(kind)] = _checked(path, str(text), zone)
    return StateSettings(hours, zone, MappingProxyType(overrides))


def _checked(path: Path, text: str, zone: str) -> str:
    try:
        return str(parse_office_hours(text, zone))
    except ValueError as exc:
        raise DataError(path, None, str(exc)) from None
