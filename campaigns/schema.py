"""The one campaign schema: what a campaign file or the console's form may say, checked field by field. No Flask.

`check_campaign` takes a plain mapping (a campaign file's YAML, or the console's form turned into
the same shape) and returns the checked values, or raises CampaignInvalid with a message for
every field that is wrong, so a file names them all and a form shows each next to its field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers

from datasets.legislatures import UnknownState, legislature
from languages import DEFAULT_LOCALE, LOCALES, normalize
from models import CHAMBERS, CampaignStatus
from phones.hours import parse_call_hours
from targets.hours import parse_office_hours

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
TEXT_FIELDS = (
    "title",
    "headline",
    "summary",
    "body",
    "call_explainer",
    "script_template",
    "thank_you",
    "share_text",
    "greeting",
    "talking_points",
    "goodbye",
    "learn_more_label",
    "organisation",
    "paid_for_by",
)
REQUIRED = ("slug", "title", "state", "headline", "greeting", "talking_points")
KNOWN = (
    set(TEXT_FIELDS)
    | set(REQUIRED)
    | {
        "status",
        "ends_at",
        "timezone",
        "supporter_call_hours",
        "office_holidays",
        "caller_id",
        "target_chambers",
        "fixed_targets",
        "learn_more_url",
        "ask_feedback",
        "voice",
        "language",
        "text_link",
        "contact",
        "privacy_url",
        "translations",
    }
)
# The longest each text may be (the columns' sizes; long texts are capped so a page stays a page).
MAX_LENGTH = {
    "title": 200,
    "headline": 300,
    "learn_more_label": 200,
    "learn_more_url": 500,
    "voice": 64,
    "language": 16,
}
MAX_TEXT = 20000


class CampaignInvalid(ValueError):
    """Some fields are wrong: `errors` maps each one to a sentence saying why."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(self.errors.values()))


@dataclass(frozen=True)
class FixedOffice:
    """One office line of an inline fixed target: dialed in the order listed, the next when one is busy or silent."""

    phone: str
    extension: str | None = None
    kind: str = "office"  # "capitol", "district", or any word: the call names the first two
    hours: str | None = None  # "mon-fri 09:00-17:00"; None: the state legislature's usual hours
    timezone: str | None = None  # None: the legislature's (or the campaign's) zone


@dataclass(frozen=True)
class FixedTarget:
    """A target every supporter calls: an Open States person by id, or an office described inline."""

    source_id: str | None = None
    key: str | None = None
    name: str | None = None
    title: str | None = None
    offices: tuple[FixedOffice, ...] = ()

    @property
    def phone(self) -> str | None:
        """The line dialed first."""
        return self.offices[0].phone if self.offices else None

    @property
    def extension(self) -> str | None:
        """The first line's extension."""
        return self.offices[0].extension if self.offices else None


@dataclass(frozen=True)
class CheckedCampaign:
    """A campaign's checked values, ready to store."""

    slug: str
    values: dict[str, Any]
    fixed_targets: list[FixedTarget] = field(default_factory=list)


def check_campaign(data: Mapping[str, Any]) -> CheckedCampaign:
    """Check every field; return the values to store, or raise CampaignInvalid naming each wrong field."""
    errors: dict[str, str] = {}
    for name, value in data.items():
        # PostgreSQL cannot store (or even compare) a NUL in text; say so instead of failing at the database.
        if _holds_nul(value):
            errors[str(name)] = f"{name} contains a NUL character"
    unknown = sorted(set(map(str, data)) - KNOWN)
    if unknown:
        errors["form"] = f"unknown field(s): {', '.join(unknown)}"
    missing = [name for name in REQUIRED if not data.get(name)]
    if missing:
        for name in missing:
            errors[name] = f"missing field(s): {name}"
        if len(missing) > 1:
            errors[missing[0]] = f"missing field(s): {', '.join(missing)}"

    slug = str(data.get("slug") or "")
    if slug and not SLUG.match(slug):
        errors["slug"] = "slug must be lower-case letters, digits and dashes"
    values: dict[str, Any] = {name: str(data.get(name) or "").strip() for name in TEXT_FIELDS}
    for name, text in values.items():
        if len(text) > MAX_LENGTH.get(name, MAX_TEXT):
            errors[name] = f"{name} is longer than {MAX_LENGTH.get(name, MAX_TEXT)} characters"
    values["learn_more_label"] = values["learn_more_label"] or None
    values["organisation"] = values["organisation"] or None
    values["paid_for_by"] = values["paid_for_by"] or None
    contact = str(data.get("contact") or "").strip()
    if contact and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+|https?://\S+", contact):
        errors["contact"] = "contact must be an e-mail address or an http(s) address"
    values["contact"] = contact or None
    privacy = str(data.get("privacy_url") or "").strip()
    if privacy and not re.match(r"^https?://", privacy):
        errors["privacy_url"] = "privacy_url must start with http:// or https://"
    values["privacy_url"] = privacy or None
    state = str(data.get("state") or "").upper()
    house = None
    if state and not re.fullmatch(r"[A-Z]{2}", state):
        errors["state"] = "state must be a two-letter code such as MA"
    elif state:
        try:
            house = legislature(state)
        except UnknownState as exc:
            errors["state"] = f"state: {exc}"
    values["state"] = state
    try:
        values["status"] = CampaignStatus(str(data.get("status", "draft")))
    except ValueError:
        errors["status"] = "status must be one of " + ", ".join(s.value for s in CampaignStatus)
    timezone = str(data.get("timezone") or "America/New_York")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        errors["timezone"] = f"unknown timezone {timezone!r}"
        timezone = "UTC"
    values["timezone"] = timezone
    values["ends_at"] = _checked(errors, "ends_at", lambda: _deadline(data.get("ends_at"), timezone))
    hours = data.get("supporter_call_hours")
    try:
        values["supporter_call_hours"] = str(parse_call_hours(str(hours))) if hours not in (None, "") else None
    except ValueError as exc:
        errors["supporter_call_hours"] = f"supporter_call_hours: {exc}"
    values["office_holidays"] = _checked(errors, "office_holidays", lambda: _holidays(data.get("office_holidays")))
    caller_id = data.get("caller_id")
    values["caller_id"] = _checked(errors, "caller_id", lambda: _e164(caller_id, "caller_id")) if caller_id else None
    chambers = data.get("target_chambers") or []
    if (
        not isinstance(chambers, list)
        or any(c not in CHAMBERS for c in chambers)
        or len(set(chambers)) != len(chambers)
    ):
        errors["target_chambers"] = "target_chambers must list upper and/or lower, each once"
        chambers = []
    lacking = [c for c in chambers if house is not None and c not in house.chambers]
    if lacking and house is not None:
        has = ", ".join(f"{c} ({house.chambers[c].name})" for c in house.chambers)
        errors["target_chambers"] = (
            f"target_chambers asks for {' and '.join(lacking)}, but {house.name}'s legislature has no such chamber: "
            f"it has only {has}"
        )
    values["target_chambers"] = list(chambers)
    url = data.get("learn_more_url")
    if url and not re.match(r"^https?://[^\s]+$", str(url)):
        errors["learn_more_url"] = "learn_more_url must start with http:// or https://"
    elif url and len(str(url)) > MAX_LENGTH["learn_more_url"]:
        errors["learn_more_url"] = f"learn_more_url is longer than {MAX_LENGTH['learn_more_url']} characters"
    values["learn_more_url"] = str(url) if url else None
    values["ask_feedback"] = bool(data.get("ask_feedback", False))
    values["text_link"] = bool(data.get("text_link", False))
    values["voice"] = str(data["voice"])[: MAX_LENGTH["voice"]] if data.get("voice") else None
    values["language"] = str(data.get("language") or "en-US")
    if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", values["language"]):
        errors["language"] = "language must be a language tag such as en-US or es-MX"
    values["translations"] = _translations(data.get("translations"), values["language"], errors)
    fixed: list[FixedTarget] = []
    for n, item in enumerate(data.get("fixed_targets") or [], start=1):
        target = _checked(errors, "fixed_targets", lambda item=item, n=n: _fixed_target(item, n))
        if target is not None:
            fixed.append(target)
    ids = [t.source_id or f"key:{t.key}" for t in fixed]
    if len(set(ids)) != len(ids):
        errors.setdefault("fixed_targets", "fixed_targets names the same target twice")
    if not chambers and not fixed and "target_chambers" not in errors:
        errors["target_chambers"] = "a campaign needs target_chambers or fixed_targets (or both)"
    if errors:
        raise CampaignInvalid(errors)
    return CheckedCampaign(slug=slug, values=values, fixed_targets=fixed)


def _translations(raw: Any, language: str, errors: dict[str, str]) -> dict[str, dict[str, str]]:
    """The campaign's texts in other languages: {locale: {text field: text}}, each checked like the field itself."""
    if raw in (None, ""):
        return {}
    if not isinstance(raw, Mapping):
        errors["translations"] = "translations must map a language (es, pt_BR) to its texts"
        return {}
    own = normalize(language) or DEFAULT_LOCALE
    checked: dict[str, dict[str, str]] = {}
    for tag, texts in raw.items():
        locale = normalize(str(tag))
        if locale is None or locale == own or str(tag).replace("-", "_") not in (locale, locale.split("_")[0]):
            others = ", ".join(loc for loc in LOCALES if loc != own)
            errors["translations"] = f"translations: {tag!r} is not one of the languages the service speaks ({others})"
            continue
        if not isinstance(texts, Mapping):
            errors["translations"] = f"translations.{tag} must map text fields to their translation"
            continue
        unknown = sorted(set(map(str, texts)) - set(TEXT_FIELDS))
        if unknown:
            errors["translations"] = f"translations.{tag}: unknown field(s): {', '.join(unknown)}"
        kept = {}
        for name in TEXT_FIELDS:
            value = str(texts.get(name) or "").strip()
            if len(value) > MAX_LENGTH.get(name, MAX_TEXT):
                errors["translations"] = (
                    f"translations.{tag}.{name} is longer than {MAX_LENGTH.get(name, MAX_TEXT)} characters"
                )
            if value:
                kept[name] = value
        if kept:
            checked[locale] = kept
    return checked


def _holds_nul(value: Any) -> bool:
    """True when a value, or any string inside it (a list, a mapping), holds a NUL character."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_holds_nul(v) for v in value)
    return False


class _FieldError(ValueError):
    pass


def _checked(errors: dict[str, str], name: str, check):
    """Run one field's check, noting its message instead of stopping at the first wrong field."""
    try:
        return check()
    except _FieldError as exc:
        errors.setdefault(name, str(exc))
        return None


def _deadline(raw: Any, timezone: str) -> dt.datetime | None:
    """A deadline with an offset, or a local time in the campaign's time zone."""
    if raw in (None, ""):
        return None
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        raise _FieldError("ends_at needs a time as well as a date")
    if isinstance(raw, str):
        try:
            raw = dt.datetime.fromisoformat(raw)
        except ValueError:
            raise _FieldError(f"ends_at is not a date and time: {raw!r}") from None
    if not isinstance(raw, dt.datetime):
        raise _FieldError("ends_at is not a date and time")
    if raw.tzinfo is None:
        raw = raw.replace(tzinfo=ZoneInfo(timezone))
    return raw.astimezone(dt.UTC)


def _e164(raw: Any, field_name: str) -> str:
    try:
        number = phonenumbers.parse(str(raw), "US")
    except phonenumbers.NumberParseException:
        raise _FieldError(f"{field_name} is not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise _FieldError(f"{field_name} is not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _holidays(raw: Any) -> list[str]:
    """Dates the offices are closed: a list, or text with dates separated by commas or spaces (YYYY-MM-DD)."""
    if raw in (None, ""):
        return []
    items = raw if isinstance(raw, list | tuple) else re.split(r"[\s,;]+", str(raw).strip())
    days = set()
    for item in items:
        if isinstance(item, dt.date) and not isinstance(item, dt.datetime):
            days.add(item)
            continue
        try:
            days.add(dt.date.fromisoformat(str(item).strip()))
        except ValueError:
            raise _FieldError(f"office_holidays: {str(item)[:40]!r} is not a date such as 2026-11-26") from None
    if len(days) > MAX_HOLIDAYS:
        raise _FieldError(f"office_holidays lists more than {MAX_HOLIDAYS} days")
    return [d.isoformat() for d in sorted(days)]


MAX_HOLIDAYS = 100
FIXED_OFFICE_FIELDS = frozenset({"phone", "extension", "kind", "hours", "timezone"})


def _fixed_office(item: Any, where: str) -> FixedOffice:
    if not isinstance(item, dict) or not item.get("phone"):
        raise _FieldError(f"{where} needs a phone")
    unknown = sorted(set(map(str, item)) - FIXED_OFFICE_FIELDS)
    if unknown:
        raise _FieldError(f"{where}: unknown field(s) {', '.join(unknown)}")
    ext = str(item["extension"]) if item.get("extension") else None
    if ext and not ext.isdigit():
        raise _FieldError(f"{where}: extension must be digits")
    kind = str(item.get("kind") or "office")
    if not re.fullmatch(r"[a-z][a-z_-]{0,31}", kind):
        raise _FieldError(f"{where}: kind must be a lower-case word such as capitol or district")
    zone = str(item["timezone"]) if item.get("timezone") else None
    hours = str(item["hours"]) if item.get("hours") else None
    try:
        # Checked in a zone even when none is given here: the words must be right whatever zone applies.
        hours = str(parse_office_hours(hours, zone or "UTC")) if hours else None
        if zone and not hours:
            parse_office_hours("mon 09:00-17:00", zone)
    except ValueError as exc:
        raise _FieldError(f"{where}: {exc}") from None
    return FixedOffice(_e164(item["phone"], f"{where} phone"), ext, kind, hours, zone)


def _fixed_target(item: Any, n: int) -> FixedTarget:
    if not isinstance(item, dict):
        raise _FieldError(f"fixed_targets item {n} must be a mapping")
    if item.get("source_id"):
        return FixedTarget(source_id=str(item["source_id"]))
    offices = item.get("offices")
    for name in ("key", "name", "title"):
        if not item.get(name) or not (item.get("phone") or offices is not None):
            raise _FieldError(f"fixed_targets item {n} needs source_id, or key, name, title and phone (or offices)")
    if not SLUG.match(str(item["key"])):
        raise _FieldError(f"fixed_targets item {n}: key must be lower-case letters, digits and dashes")
    shorthand = {name: item[name] for name in FIXED_OFFICE_FIELDS if item.get(name)}
    if offices is not None and shorthand:
        raise _FieldError(f"fixed_targets item {n}: give phone (one office) or offices (several), not both")
    lines: tuple[FixedOffice, ...]
    if offices is None:
        lines = (_fixed_office(shorthand, f"fixed_targets item {n}"),)
    elif not isinstance(offices, list) or not offices:
        raise _FieldError(f"fixed_targets item {n}: offices must be a list of offices, each with a phone")
    else:
        lines = tuple(_fixed_office(o, f"fixed_targets item {n} office {i}") for i, o in enumerate(offices, start=1))
    if len(lines) > MAX_FIXED_OFFICES:
        raise _FieldError(f"fixed_targets item {n}: at most {MAX_FIXED_OFFICES} offices")
    return FixedTarget(key=str(item["key"]), name=str(item["name"]), title=str(item["title"]), offices=lines)


MAX_FIXED_OFFICES = 9  # callflow's MAX_LINES: lines tried per leg at most
