"""What the supporter typed into the campaign form, and the field-by-field checks. No Flask."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import lookup
from pages.messages import message
from pages.phone_numbers import check_phone

# The Call columns that keep these words are 80 characters wide.
NAME_MAX = 80
TOWN_MAX = 80
PICK_PREFIX = "pick_"


def pick_field(chamber: str) -> str:
    """The form field holding the supporter's district choice for `chamber`."""
    return PICK_PREFIX + chamber


def _clean(value: str) -> str:
    # Collapse whitespace and drop control characters: these words are read aloud and shown.
    return " ".join("".join(ch for ch in value if ch.isprintable() or ch.isspace()).split())


@dataclass(frozen=True)
class SupporterForm:
    """The form's values as typed (trimmed), kept so the page can show them again."""

    phone: str = ""
    location: str = ""
    name: str = ""
    town: str = ""
    picks: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # Chambers the district picker was shown for, so a missing choice can be told apart.
    asked: tuple[str, ...] = ()
    # Outside the offices' hours: "now", or the time (UTC, "2026-12-07T14:00Z") the supporter chose.
    when: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping[str, str], chambers: Sequence[str], asked: Sequence[str] = ()) -> SupporterForm:
        """Read the posted fields; `asked` lists the chambers the previous page asked about."""
        picks = {c: data.get(pick_field(c), "").strip() for c in (*chambers, lookup.STATE_PICK)}
        return cls(
            phone=data.get("phone", "").strip(),
            location=data.get("location", "").strip(),
            name=_clean(data.get("name", "")),
            town=_clean(data.get("town", "")),
            picks=MappingProxyType({c: v for c, v in picks.items() if v}),
            asked=tuple(c for c in chambers if c in asked),
            when=data.get("when", "").strip()[:40],
        )


@dataclass(frozen=True)
class FormCheck:
    """The phone in E.164 when it is good, and a sentence per field that is not."""

    phone_e164: str | None
    errors: Mapping[str, str]


def check_form(form: SupporterForm, allowed_countries: Sequence[str]) -> FormCheck:
    """Check every field at once, so the supporter sees all that needs fixing in one go."""
    errors: dict[str, str] = {}
    phone = check_phone(form.phone, allowed_countries)
    if not phone.ok and phone.text:
        errors["phone"] = phone.text
    location = lookup.parse_location(form.location)
    if location.kind == "invalid":
        errors["location"] = lookup.MESSAGES[location.problem or "location_unreadable"]
    if len(form.name) > NAME_MAX:
        errors["name"] = message("name_too_long", max=NAME_MAX)
    if len(form.town) > TOWN_MAX:
        errors["town"] = message("town_too_long", max=TOWN_MAX)
    return FormCheck(phone.e164, MappingProxyType(errors))
