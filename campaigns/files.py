"""Campaign files: read and check a campaign's YAML before anything is stored."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
import yaml

from datasets.legislatures import UnknownState, legislature
from models import CHAMBERS, CampaignStatus
from phones.hours import parse_call_hours

CAMPAIGN_DIR = Path(__file__).resolve().parent
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
        "caller_id",
        "target_chambers",
        "fixed_targets",
        "learn_more_url",
        "contact",
        "privacy_url",
        "ask_feedback",
        "text_link",
        "voice",
        "language",
    }
)


class CampaignFileError(Exception):
    """A campaign file is malformed; the message names the file and the field."""


@dataclass(frozen=True)
class FixedTarget:
    """A target every supporter calls: an Open States person by id, or an office described inline."""

    source_id: str | None = None
    key: str | None = None
    name: str | None = None
    title: str | None = None
    phone: str | None = None
    extension: str | None = None


@dataclass(frozen=True)
class CampaignSpec:
    """A checked campaign file."""

    path: Path
    slug: str
    values: dict[str, Any]
    fixed_targets: list[FixedTarget] = field(default_factory=list)


def campaign_files(folder: Path = CAMPAIGN_DIR) -> list[Path]:
    """The campaign files in a folder, in name order."""
    return sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")])


def read_campaign(path: Path) -> CampaignSpec:
    """Read and check one campaign file."""

    def fail(message: str) -> CampaignFileError:
        return CampaignFileError(f"{path}: {message}")

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        raise CampaignFileError(f"{path}:{line}: not valid YAML ({exc.problem})") from exc
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise fail(f"cannot read ({exc})") from exc
    if not isinstance(data, dict):
        raise fail("expected a mapping of fields")
    unknown = sorted(set(map(str, data)) - KNOWN)
    if unknown:
        raise fail(f"unknown field(s): {', '.join(unknown)}")
    missing = [name for name in REQUIRED if not data.get(name)]
    if missing:
        raise fail(f"missing field(s): {', '.join(missing)}")

    slug = str(data["slug"])
    if not SLUG.match(slug):
        raise fail("slug must be lower-case letters, digits and dashes")
    values: dict[str, Any] = {name: str(data.get(name) or "").strip() for name in TEXT_FIELDS}
    values["learn_more_label"] = values["learn_more_label"] or None
    state = str(data["state"]).upper()
    if not re.fullmatch(r"[A-Z]{2}", state):
        raise fail("state must be a two-letter code such as MA")
    try:
        house = legislature(state)
    except UnknownState as exc:
        raise fail(f"state: {exc}") from None
    values["state"] = state
    try:
        values["status"] = CampaignStatus(str(data.get("status", "draft")))
    except ValueError:
        raise fail("status must be one of " + ", ".join(s.value for s in CampaignStatus)) from None
    timezone = str(data.get("timezone") or "America/New_York")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise fail(f"unknown timezone {timezone!r}") from None
    values["timezone"] = timezone
    values["ends_at"] = _deadline(data.get("ends_at"), timezone, fail)
    hours = data.get("supporter_call_hours")
    try:
        values["supporter_call_hours"] = str(parse_call_hours(str(hours))) if hours not in (None, "") else None
    except ValueError as exc:
        raise fail(f"supporter_call_hours: {exc}") from None
    values["caller_id"] = _e164(data.get("caller_id"), fail, "caller_id") if data.get("caller_id") else None
    chambers = data.get("target_chambers") or []
    if (
        not isinstance(chambers, list)
        or any(c not in CHAMBERS for c in chambers)
        or len(set(chambers)) != len(chambers)
    ):
        raise fail("target_chambers must list upper and/or lower, each once")
    lacking = [c for c in chambers if c not in house.chambers]
    if lacking:
        has = ", ".join(f"{c} ({house.chambers[c].name})" for c in house.chambers)
        raise fail(
            f"target_chambers asks for {' and '.join(lacking)}, but {house.name}'s legislature has no such chamber: "
            f"it has only {has}"
        )
    values["target_chambers"] = list(chambers)
    url = data.get("learn_more_url")
    if url and not re.match(r"^https?://", str(url)):
        raise fail("learn_more_url must start with http:// or https://")
    values["learn_more_url"] = str(url) if url else None
    values["organisation"] = values["organisation"] or None
    values["paid_for_by"] = values["paid_for_by"] or None
    contact = str(data.get("contact") or "").strip()
    if contact and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+|https?://\S+", contact):
        raise fail("contact must be an e-mail address or an http(s) address")
    values["contact"] = contact or None
    privacy = str(data.get("privacy_url") or "").strip()
    if privacy and not re.match(r"^https?://", privacy):
        raise fail("privacy_url must start with http:// or https://")
    values["privacy_url"] = privacy or None
    values["ask_feedback"] = bool(data.get("ask_feedback", False))
    values["text_link"] = bool(data.get("text_link", False))
    values["voice"] = str(data["voice"]) if data.get("voice") else None
    values["language"] = str(data.get("language") or "en-US")
    fixed = [_fixed_target(item, n, fail) for n, item in enumerate(data.get("fixed_targets") or [], start=1)]
    if not chambers and not fixed:
        raise fail("a campaign needs target_chambers or fixed_targets (or both)")
    return CampaignSpec(path=path, slug=slug, values=values, fixed_targets=fixed)


def _deadline(raw: Any, timezone: str, fail) -> dt.datetime | None:
    """A deadline with an offset, or a local time in the campaign's time zone."""
    if raw in (None, ""):
        return None
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        raise fail("ends_at needs a time as well as a date")
    if isinstance(raw, str):
        try:
            raw = dt.datetime.fromisoformat(raw)
        except ValueError:
            raise fail(f"ends_at is not a date and time: {raw!r}") from None
    if not isinstance(raw, dt.datetime):
        raise fail("ends_at is not a date and time")
    if raw.tzinfo is None:
        raw = raw.replace(tzinfo=ZoneInfo(timezone))
    return raw.astimezone(dt.UTC)


def _e164(raw: Any, fail, field_name: str) -> str:
    try:
        number = phonenumbers.parse(str(raw), "US")
    except phonenumbers.NumberParseException:
        raise fail(f"{field_name} is not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise fail(f"{field_name} is not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _fixed_target(item: Any, n: int, fail) -> FixedTarget:
    if not isinstance(item, dict):
        raise fail(f"fixed_targets item {n} must be a mapping")
    if item.get("source_id"):
        return FixedTarget(source_id=str(item["source_id"]))
    for name in ("key", "name", "title", "phone"):
        if not item.get(name):
            raise fail(f"fixed_targets item {n} needs source_id, or key, name, title and phone")
    if not SLUG.match(str(item["key"])):
        raise fail(f"fixed_targets item {n}: key must be lower-case letters, digits and dashes")
    ext = str(item["extension"]) if item.get("extension") else None
    if ext and not ext.isdigit():
        raise fail(f"fixed_targets item {n}: extension must be digits")
    return FixedTarget(
        key=str(item["key"]),
        name=str(item["name"]),
        title=str(item["title"]),
        phone=_e164(item["phone"], fail, f"fixed_targets item {n} phone"),
        extension=ext,
    )
