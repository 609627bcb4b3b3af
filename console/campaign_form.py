"""The console's campaign form: from the form to the one campaign schema and back, saving, status changes. No Flask."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from campaigns.files import CampaignFileError, CampaignSpec, parse_campaign_yaml
from campaigns.loader import apply_campaign
from campaigns.schema import TEXT_FIELDS, CampaignInvalid, check_campaign
from languages import DEFAULT_LOCALE, LOCALES, N_, NATIVE_NAMES, normalize
from models import Campaign, CampaignStatus, DbSession, Target

# Which chambers supporters call, in calling order, as the form offers them (labels shown through `_()`).
CHAMBER_ORDERS = {
    "upper,lower": N_("Senate first, then House"),
    "lower,upper": N_("House first, then Senate"),
    "upper": N_("Senate only"),
    "lower": N_("House only"),
}
# The time zones the form offers (a campaign file may name any IANA zone; the form keeps one it does not list).
TIME_ZONES = {
    "America/New_York": N_("Eastern (New York)"),
    "America/Chicago": N_("Central (Chicago)"),
    "America/Denver": N_("Mountain (Denver)"),
    "America/Phoenix": N_("Mountain, no daylight saving (Phoenix)"),
    "America/Los_Angeles": N_("Pacific (Los Angeles)"),
    "America/Anchorage": N_("Alaska (Anchorage)"),
    "Pacific/Honolulu": N_("Hawaii (Honolulu)"),
    "America/Puerto_Rico": N_("Atlantic (Puerto Rico)"),
    "Pacific/Guam": N_("Chamorro (Guam)"),
}
# The other single-line fields the form has beside the texts.
LINE_FIELDS = (
    "slug",
    "state",
    "timezone",
    "supporter_call_hours",
    "office_holidays",
    "caller_id",
    "learn_more_url",
    "voice",
    "language",
    "contact",
    "privacy_url",
)
# Status changes an organiser may make; each is confirmed on its own page.
NEXT_STATUSES = {
    CampaignStatus.draft: (CampaignStatus.live,),
    CampaignStatus.live: (CampaignStatus.paused, CampaignStatus.ended),
    CampaignStatus.paused: (CampaignStatus.live, CampaignStatus.ended),
    CampaignStatus.ended: (),
}
FORM_SOURCE = Path("console form")
# Extra offices every supporter calls, chosen from the directory; the form offers this many free slots.
FIXED_SLOTS = 3
# No campaign calls more extra offices than this.
MAX_FIXED = 20


def fixed_fields(count: int) -> list[str]:
    """The form's fields for fixed targets, in calling order."""
    return [f"fixed_{n}" for n in range(1, count + 1)]


@dataclass(frozen=True)
class DirectoryChoice:
    """One office the form offers as a fixed target."""

    source_id: str
    label: str


def directory_choices(session: DbSession, state: str) -> list[DirectoryChoice]:
    """The state's active offices by name, each labelled with its title and district (none for a malformed state)."""
    if not re.fullmatch(r"[A-Za-z]{2}", state):
        return []
    rows = session.scalars(
        select(Target)
        .where(Target.state == state.upper(), Target.active.is_(True))
        .options(joinedload(Target.district))
        .order_by(Target.name)
    )
    return [
        DirectoryChoice(t.source_id, f"{t.name}, {t.title}" + (f" ({t.district.name})" if t.district else ""))
        for t in rows
    ]


# Fields the audit log records as changed (never anything about supporters; campaigns hold none).
AUDITED = (
    *TEXT_FIELDS,
    *LINE_FIELDS[1:],
    "ends_at",
    "target_chambers",
    "ask_feedback",
    "text_link",
    "status",
    "embed_origins",
)


def form_values(campaign: Campaign) -> dict[str, str]:
    """The form's fields for an existing campaign, as the form shows them."""
    values = {name: str(getattr(campaign, name) or "") for name in (*TEXT_FIELDS, *LINE_FIELDS)}
    values["target_chambers"] = ",".join(campaign.target_chambers)
    values["office_holidays"] = ", ".join(campaign.office_holidays or [])
    values["ask_feedback"] = "1" if campaign.ask_feedback else ""
    values["text_link"] = "1" if campaign.text_link else ""
    values["embed_origins"] = "\n".join(campaign.embed_origins)
    for name, ct in zip(fixed_fields(len(campaign.fixed_targets)), campaign.fixed_targets, strict=True):
        values[name] = ct.target.source_id
    values["ends_at"] = (
        campaign.ends_at.astimezone(ZoneInfo(campaign.timezone)).strftime("%Y-%m-%dT%H:%M") if campaign.ends_at else ""
    )
    for locale, texts in (campaign.translations or {}).items():
        values.update({translation_field(locale, name): text for name, text in texts.items()})
    return values


def schema_data(form: Mapping[str, str], campaign: Campaign | None) -> dict[str, Any]:
    """The form's answers in the shape of a campaign file, keeping what the form does not edit (status, fixed
    targets)."""
    data: dict[str, Any] = {
        name: form.get(name, "") for name in (*TEXT_FIELDS, *LINE_FIELDS, "ends_at", "embed_origins")
    }
    if campaign is not None:
        data["slug"] = campaign.slug
        data["status"] = campaign.status.value
    # fixed_1 … fixed_n: never more of them than the form has fields.
    chosen = [form.get(name, "").strip() for name in fixed_fields(len(form))]
    data["fixed_targets"] = [{"source_id": source_id} for source_id in chosen if source_id]
    chambers = form.get("target_chambers", "")
    data["target_chambers"] = [c for c in chambers.split(",") if c] if chambers in CHAMBER_ORDERS else [chambers]
    data["ask_feedback"] = form.get("ask_feedback") == "1"
    data["text_link"] = form.get("text_link") == "1"
    data["translations"] = _translations(form, campaign)
    return {name: value for name, value in data.items() if value not in ("", None)}


@dataclass(frozen=True)
class TranslationSection:
    """One other language in the form: its name, and the texts (by their labels) it still lacks."""

    locale: str
    name: str
    missing: list[str]


def translation_sections(
    campaign: Campaign | None, values: Mapping[str, str], labels: Mapping[str, str]
) -> list[TranslationSection]:
    """The languages a campaign may be translated into, each with what it still lacks (from the form's values)."""
    own = normalize(values.get("language") or (campaign.language if campaign else "")) or DEFAULT_LOCALE
    return [
        TranslationSection(
            locale,
            NATIVE_NAMES[locale],
            [
                labels.get(name, name)
                for name in TEXT_FIELDS
                if values.get(name) and not values.get(translation_field(locale, name))
            ],
        )
        for locale in LOCALES
        if locale != own
    ]


def translation_field(locale: str, name: str) -> str:
    """The form's field for one text in another language: tr_es_headline, tr_pt_BR_greeting."""
    return f"tr_{locale}_{name}"


TRANSLATION_FIELDS = tuple(translation_field(locale, name) for locale in LOCALES for name in TEXT_FIELDS)


def _translations(form: Mapping[str, str], campaign: Campaign | None) -> dict[str, dict[str, str]]:
    # A form without the translation fields (an older page, a script) keeps the campaign's translations.
    if not any(key.startswith("tr_") for key in form):
        return dict(campaign.translations or {}) if campaign is not None else {}
    return {
        locale: {name: form.get(translation_field(locale, name), "") for name in TEXT_FIELDS}
        for locale in LOCALES
        if any(form.get(translation_field(locale, name)) for name in TEXT_FIELDS)
    }


def save_campaign(
    session: DbSession, form: Mapping[str, str], campaign: Campaign | None
) -> tuple[Campaign, dict[str, tuple[Any, Any]]]:
    """Check the form against the campaign schema and store it; returns the campaign and each changed field's
    (old, new). CampaignInvalid (nothing stored) names every wrong field. The caller commits."""
    checked = check_campaign(schema_data(form, campaign))
    if campaign is None and session.scalar(select(Campaign.id).where(Campaign.slug == checked.slug)) is not None:
        raise CampaignInvalid({"slug": N_("there is already a campaign at /c/%(slug)s", slug=checked.slug)})
    before = _audited(campaign) if campaign is not None else {}
    try:
        apply_campaign(session, CampaignSpec(FORM_SOURCE, checked.slug, checked.values, checked.fixed_targets))
    except CampaignFileError:
        raise CampaignInvalid({"fixed_targets": N_("choose the extra offices from the list")}) from None
    session.flush()
    saved = session.scalars(select(Campaign).where(Campaign.slug == checked.slug)).one()
    after = _audited(saved)
    return saved, {name: (before.get(name), value) for name, value in after.items() if before.get(name) != value}


def import_campaign(session: DbSession, text: str) -> tuple[Campaign, dict[str, tuple[Any, Any]]]:
    """Create or update a campaign from a campaign file's text; returns it and each changed field's (old, new).

    The status is never taken from the file: a new campaign starts as a draft and an existing one keeps
    its status, so going live stays a confirmed step. CampaignFileError (nothing stored) says what is wrong.
    """
    spec = parse_campaign_yaml(text, Path("uploaded file"))
    existing = session.scalars(select(Campaign).where(Campaign.slug == spec.slug)).one_or_none()
    values = {**spec.values, "status": existing.status if existing is not None else CampaignStatus.draft}
    before = _audited(existing) if existing is not None else {}
    apply_campaign(session, CampaignSpec(spec.path, spec.slug, values, spec.fixed_targets))
    session.flush()
    saved = session.scalars(select(Campaign).where(Campaign.slug == spec.slug)).one()
    after = _audited(saved)
    return saved, {name: (before.get(name), value) for name, value in after.items() if before.get(name) != value}


def duplicate_slug(session: DbSession, slug: str) -> str:
    """A free slug for a copy: `slug-copy`, `slug-copy-2`…"""
    taken = set(session.scalars(select(Campaign.slug).where(Campaign.slug.like(f"{slug[:70]}-copy%"))))
    candidate, n = f"{slug[:70]}-copy", 1
    while candidate in taken:
        n += 1
        candidate = f"{slug[:70]}-copy-{n}"
    return candidate


def change_status(campaign: Campaign, status: CampaignStatus) -> bool:
    """Move the campaign to `status` when that is a step it may take; False (nothing changed) otherwise."""
    if status not in NEXT_STATUSES[campaign.status]:
        return False
    campaign.status = status
    return True


def _audited(campaign: Campaign) -> dict[str, Any]:
    values = {name: getattr(campaign, name) for name in AUDITED}
    values["status"] = campaign.status.value
    values["ends_at"] = campaign.ends_at.isoformat() if campaign.ends_at else None
    values["target_chambers"] = ",".join(campaign.target_chambers)
    values["office_holidays"] = ", ".join(campaign.office_holidays or [])
    values["embed_origins"] = " ".join(campaign.embed_origins)
    values["fixed_targets"] = ",".join(ct.target.source_id for ct in campaign.fixed_targets)
    return values
