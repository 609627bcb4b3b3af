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
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers

from datasets.legislatures import UnknownState, legislature
from languages import DEFAULT_LOCALE, LOCALES, N_, Message, normalize
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
        "embed_origins",
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
    """Some fields are wrong: `errors` maps each one to a sentence saying why (a Message: English as a string,
    translated where the console shows it)."""

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
            errors[str(name)] = N_("%(field)s contains a NUL character", field=str(name))
    unknown = sorted(set(map(str, data)) - KNOWN)
    if unknown:
        errors["form"] = N_("unknown field(s): %(fields)s", fields=", ".join(unknown))
    missing = [name for name in REQUIRED if not data.get(name)]
    if missing:
        for name in missing:
            errors[name] = N_("missing field(s): %(fields)s", fields=name)
        if len(missing) > 1:
            errors[missing[0]] = N_("missing field(s): %(fields)s", fields=", ".join(missing))

    slug = str(data.get("slug") or "")
    if slug and not SLUG.match(slug):
        errors["slug"] = N_("slug must be lower-case letters, digits and dashes")
    values: dict[str, Any] = {name: str(data.get(name) or "").strip() for name in TEXT_FIELDS}
    for name, text in values.items():
        if len(text) > MAX_LENGTH.get(name, MAX_TEXT):
            errors[name] = _too_long(name, MAX_LENGTH.get(name, MAX_TEXT))
    values["learn_more_label"] = values["learn_more_label"] or None
    values["organisation"] = values["organisation"] or None
    values["paid_for_by"] = values["paid_for_by"] or None
    contact = str(data.get("contact") or "").strip()
    if contact and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+|https?://\S+", contact):
        errors["contact"] = N_("contact must be an e-mail address or an http(s) address")
    values["contact"] = contact or None
    privacy = str(data.get("privacy_url") or "").strip()
    if privacy and not re.match(r"^https?://", privacy):
        errors["privacy_url"] = N_("%(field)s must start with http:// or https://", field="privacy_url")
    values["privacy_url"] = privacy or None
    values["embed_origins"] = _checked(errors, "embed_origins", lambda: embed_origins(data.get("embed_origins"))) or []
    state = str(data.get("state") or "").upper()
    house = None
    if state and not re.fullmatch(r"[A-Z]{2}", state):
        errors["state"] = N_("state must be a two-letter code such as MA")
    elif state:
        try:
            house = legislature(state)
        except UnknownState:
            # UnknownState's own message is the data loader's; the form's reader gets this one, translated.
            errors["state"] = N_("state: Open States' metadata knows no state %(state)s", state=repr(state))
    values["state"] = state
    try:
        values["status"] = CampaignStatus(str(data.get("status", "draft")))
    except ValueError:
        errors["status"] = N_("status must be one of %(statuses)s", statuses=", ".join(s.value for s in CampaignStatus))
    timezone = str(data.get("timezone") or "America/New_York")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        errors["timezone"] = N_("unknown timezone %(zone)s", zone=repr(timezone))
        timezone = "UTC"
    values["timezone"] = timezone
    values["ends_at"] = _checked(errors, "ends_at", lambda: _deadline(data.get("ends_at"), timezone))
    hours = data.get("supporter_call_hours")
    try:
        values["supporter_call_hours"] = str(parse_call_hours(str(hours))) if hours not in (None, "") else None
    except ValueError as exc:
        errors["supporter_call_hours"] = N_(
            "%(field)s: %(problem)s", field="supporter_call_hours", problem=_problem(exc)
        )
    values["office_holidays"] = _checked(errors, "office_holidays", lambda: _holidays(data.get("office_holidays")))
    caller_id = data.get("caller_id")
    values["caller_id"] = _checked(errors, "caller_id", lambda: _e164(caller_id, "caller_id")) if caller_id else None
    chambers = data.get("target_chambers") or []
    if (
        not isinstance(chambers, list)
        or any(c not in CHAMBERS for c in chambers)
        or len(set(chambers)) != len(chambers)
    ):
        errors["target_chambers"] = N_("target_chambers must list upper and/or lower, each once")
        chambers = []
    lacking = [c for c in chambers if house is not None and c not in house.chambers]
    if lacking and house is not None:
        has = ", ".join(f"{c} ({house.chambers[c].name})" for c in house.chambers)
        errors["target_chambers"] = N_(
            "target_chambers asks for %(chambers)s, but %(state)s's legislature has no such chamber: "
            "it has only %(has)s",
            chambers=", ".join(lacking),  # one at most: every legislature has a chamber
            state=house.name,
            has=has,
        )
    values["target_chambers"] = list(chambers)
    url = data.get("learn_more_url")
    if url and not re.match(r"^https?://[^\s]+$", str(url)):
        errors["learn_more_url"] = N_("%(field)s must start with http:// or https://", field="learn_more_url")
    elif url and len(str(url)) > MAX_LENGTH["learn_more_url"]:
        errors["learn_more_url"] = _too_long("learn_more_url", MAX_LENGTH["learn_more_url"])
    values["learn_more_url"] = str(url) if url else None
    values["ask_feedback"] = bool(data.get("ask_feedback", False))
    values["text_link"] = bool(data.get("text_link", False))
    values["voice"] = str(data["voice"])[: MAX_LENGTH["voice"]] if data.get("voice") else None
    values["language"] = str(data.get("language") or "en-US")
    if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", values["language"]):
        errors["language"] = N_("language must be a language tag such as en-US or es-MX")
    values["translations"] = _translations(data.get("translations"), values["language"], errors)
    fixed: list[FixedTarget] = []
    for n, item in enumerate(data.get("fixed_targets") or [], start=1):
        target = _checked(errors, "fixed_targets", lambda item=item, n=n: _fixed_target(item, n))
        if target is not None:
            fixed.append(target)
    ids = [t.source_id or f"key:{t.key}" for t in fixed]
    if len(set(ids)) != len(ids):
        errors.setdefault("fixed_targets", N_("fixed_targets names the same target twice"))
    if not chambers and not fixed and "target_chambers" not in errors:
        errors["target_chambers"] = N_("a campaign needs target_chambers or fixed_targets (or both)")
    if errors:
        raise CampaignInvalid(errors)
    return CheckedCampaign(slug=slug, values=values, fixed_targets=fixed)


# No campaign needs more host sites than this; the list goes into a header on every embedded page.
MAX_EMBED_ORIGINS = 50
HOST_NAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")


def embed_origins(raw: Any) -> list[str]:
    """The sites allowed to embed the form: a list, or text with one per line (or comma-separated), each
    scheme://host[:port] and nothing else; returned normalised (lower-case, no default port), each once."""
    if raw in (None, ""):
        return []
    if isinstance(raw, str):
        items: list[Any] = [part for part in re.split(r"[\s,]+", raw) if part]
    elif isinstance(raw, list):
        items = raw
    else:
        raise _FieldError(N_("embed_origins must be a list of origins such as https://www.example.org"))
    origins: list[str] = []
    for item in items:
        origin = _origin(item)
        if origin not in origins:
            origins.append(origin)
    if len(origins) > MAX_EMBED_ORIGINS:
        raise _FieldError(N_("embed_origins lists more than %(count)s sites", count=MAX_EMBED_ORIGINS))
    return origins


def _origin(item: Any) -> str:
    text = str(item).strip()
    wrong = _FieldError(
        N_(
            "embed_origins: %(value)s is not an origin: write scheme://host[:port], such as https://www.example.org",
            value=repr(text[:80]),
        )
    )
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise wrong from None
    host = (parts.hostname or "").lower()
    if (
        parts.scheme not in ("http", "https")
        or "@" in parts.netloc
        or not (HOST_NAME.fullmatch(host) or (":" in host and re.fullmatch(r"[0-9a-f:.]+", host)))
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or text.endswith(("?", "#"))
    ):
        raise wrong
    default = {"http": 80, "https": 443}[parts.scheme]
    shown = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{shown}" + (f":{port}" if port is not None and port != default else "")


def _translations(raw: Any, language: str, errors: dict[str, str]) -> dict[str, dict[str, str]]:
    """The campaign's texts in other languages: {locale: {text field: text}}, each checked like the field itself."""
    if raw in (None, ""):
        return {}
    if not isinstance(raw, Mapping):
        errors["translations"] = N_("translations must map a language (es, pt_BR) to its texts")
        return {}
    own = normalize(language) or DEFAULT_LOCALE
    checked: dict[str, dict[str, str]] = {}
    for tag, texts in raw.items():
        locale = normalize(str(tag))
        if locale is None or locale == own or str(tag).replace("-", "_") not in (locale, locale.split("_")[0]):
            others = ", ".join(loc for loc in LOCALES if loc != own)
            errors["translations"] = N_(
                "translations: %(language)s is not one of the languages the service speaks (%(others)s)",
                language=repr(tag),
                others=others,
            )
            continue
        if not isinstance(texts, Mapping):
            errors["translations"] = N_(
                "translations.%(language)s must map text fields to their translation", language=tag
            )
            continue
        unknown = sorted(set(map(str, texts)) - set(TEXT_FIELDS))
        if unknown:
            errors["translations"] = N_(
                "translations.%(language)s: unknown field(s): %(fields)s", language=tag, fields=", ".join(unknown)
            )
        kept = {}
        for name in TEXT_FIELDS:
            value = str(texts.get(name) or "").strip()
            if len(value) > MAX_LENGTH.get(name, MAX_TEXT):
                errors["translations"] = _too_long(f"translations.{tag}.{name}", MAX_LENGTH.get(name, MAX_TEXT))
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


def _too_long(name: str, limit: int) -> Message:
    return N_("%(field)s is longer than %(count)s characters", field=name, count=limit)


def _problem(exc: Exception) -> object:
    """An exception's sentence, as raised: a Message stays one, to be translated where it is shown."""
    return exc.args[0] if len(exc.args) == 1 else str(exc)


def _checked(errors: dict[str, str], name: str, check):
    """Run one field's check, noting its message instead of stopping at the first wrong field."""
    try:
        return check()
    except _FieldError as exc:
        errors.setdefault(name, _problem(exc))  # type: ignore[arg-type]
        return None


def _deadline(raw: Any, timezone: str) -> dt.datetime | None:
    """A deadline with an offset, or a local time in the campaign's time zone."""
    if raw in (None, ""):
        return None
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        raise _FieldError(N_("ends_at needs a time as well as a date"))
    if isinstance(raw, str):
        try:
            raw = dt.datetime.fromisoformat(raw)
        except ValueError:
            raise _FieldError(N_("ends_at is not a date and time: %(value)s", value=repr(raw))) from None
    if not isinstance(raw, dt.datetime):
        raise _FieldError(N_("ends_at is not a date and time"))
    if raw.tzinfo is None:
        raw = raw.replace(tzinfo=ZoneInfo(timezone))
    return raw.astimezone(dt.UTC)


def _e164(raw: Any, field_name: str | Message) -> str:
    try:
        number = phonenumbers.parse(str(raw), "US")
    except phonenumbers.NumberParseException:
        raise _FieldError(N_("%(field)s is not a phone number", field=field_name)) from None
    if not phonenumbers.is_valid_number(number):
        raise _FieldError(N_("%(field)s is not a valid phone number", field=field_name))
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
            raise _FieldError(
                N_("office_holidays: %(value)s is not a date such as 2026-11-26", value=repr(str(item)[:40]))
            ) from None
    if len(days) > MAX_HOLIDAYS:
        raise _FieldError(N_("office_holidays lists more than %(count)s days", count=MAX_HOLIDAYS))
    return [d.isoformat() for d in sorted(days)]


MAX_HOLIDAYS = 100
FIXED_OFFICE_FIELDS = frozenset({"phone", "extension", "kind", "hours", "timezone"})


def _fixed_office(item: Any, where: Message) -> FixedOffice:
    if not isinstance(item, dict) or not item.get("phone"):
        raise _FieldError(N_("%(where)s needs a phone", where=where))
    unknown = sorted(set(map(str, item)) - FIXED_OFFICE_FIELDS)
    if unknown:
        raise _FieldError(N_("%(where)s: unknown field(s) %(fields)s", where=where, fields=", ".join(unknown)))
    ext = str(item["extension"]) if item.get("extension") else None
    if ext and not ext.isdigit():
        raise _FieldError(N_("%(where)s: extension must be digits", where=where))
    kind = str(item.get("kind") or "office")
    if not re.fullmatch(r"[a-z][a-z_-]{0,31}", kind):
        raise _FieldError(N_("%(where)s: kind must be a lower-case word such as capitol or district", where=where))
    zone = str(item["timezone"]) if item.get("timezone") else None
    hours = str(item["hours"]) if item.get("hours") else None
    try:
        # Checked in a zone even when none is given here: the words must be right whatever zone applies.
        hours = str(parse_office_hours(hours, zone or "UTC")) if hours else None
        if zone and not hours:
            parse_office_hours("mon 09:00-17:00", zone)
    except ValueError as exc:
        raise _FieldError(N_("%(field)s: %(problem)s", field=where, problem=_problem(exc))) from None
    return FixedOffice(_e164(item["phone"], N_("%(where)s phone", where=where)), ext, kind, hours, zone)


def _fixed_target(item: Any, n: int) -> FixedTarget:
    if not isinstance(item, dict):
        raise _FieldError(N_("fixed_targets item %(n)s must be a mapping", n=n))
    if item.get("source_id"):
        return FixedTarget(source_id=str(item["source_id"]))
    offices = item.get("offices")
    for name in ("key", "name", "title"):
        if not item.get(name) or not (item.get("phone") or offices is not None):
            raise _FieldError(
                N_("fixed_targets item %(n)s needs source_id, or key, name, title and phone (or offices)", n=n)
            )
    if not SLUG.match(str(item["key"])):
        raise _FieldError(N_("fixed_targets item %(n)s: key must be lower-case letters, digits and dashes", n=n))
    shorthand = {name: item[name] for name in FIXED_OFFICE_FIELDS if item.get(name)}
    if offices is not None and shorthand:
        raise _FieldError(N_("fixed_targets item %(n)s: give phone (one office) or offices (several), not both", n=n))
    lines: tuple[FixedOffice, ...]
    if offices is None:
        lines = (_fixed_office(shorthand, N_("fixed_targets item %(n)s", n=n)),)
    elif not isinstance(offices, list) or not offices:
        raise _FieldError(N_("fixed_targets item %(n)s: offices must be a list of offices, each with a phone", n=n))
    else:
        lines = tuple(
            _fixed_office(o, N_("fixed_targets item %(n)s office %(i)s", n=n, i=i))
            for i, o in enumerate(offices, start=1)
        )
    if len(lines) > MAX_FIXED_OFFICES:
        raise _FieldError(N_("fixed_targets item %(n)s: at most %(count)s offices", n=n, count=MAX_FIXED_OFFICES))
    return FixedTarget(key=str(item["key"]), name=str(item["name"]), title=str(item["title"]), offices=lines)


MAX_FIXED_OFFICES = 9  # callflow's MAX_LINES: lines tried per leg at most
