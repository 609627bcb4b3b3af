"""Turn where a supporter lives into a Call with its planned legs — the record the dialer and the call-in line work
from. Shared by the campaign page (pages/) and the call-in line (callflow/)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

import lookup
from campaigns.translations import campaign_locale
from models import (
    Call,
    CallLeg,
    CallSource,
    CallStatus,
    Campaign,
    CampaignStatus,
    CampaignTarget,
    DbSession,
    District,
    Target,
    upsert_caller,
    utcnow,
)
from models.directory import target_info
from privacy import PhoneVault


@dataclass(frozen=True)
class PlannedLeg:
    """One connection to plan: a target (by id), or a vacant seat (its district's GEOID and chamber)."""

    target_id: int | None
    district_geoid: str | None = None
    chamber: str | None = None  # needed where both chambers use the GEOID (Arizona's district 1)


def plan_call(
    session: DbSession,
    vault: PhoneVault,
    campaign: Campaign,
    phone_e164: str,
    legs: Sequence[PlannedLeg],
    supporter_name: str | None = None,
    supporter_town: str | None = None,
    scheduled_for: datetime | None = None,
    preview: bool = False,
    locale: str = "en",
    source: CallSource = CallSource.web,
) -> Call:
    """Add a queued Call (number encrypted, caller upserted by hash) with one leg per planned target, to be
    dialed as soon as possible or not before ``scheduled_for``, speaking ``locale``; the caller commits. A
    ``preview`` call is played in the browser: the dialer never dials it and the results never count it.
    ``source`` says where it was asked for (the campaign page, or a partner's form through the API)."""
    # The legs are made before the call is added: adding them to a stored call would read its (empty) legs first.
    planned = _legs(session, legs, first=0)
    call = Call(
        campaign=campaign,
        caller=upsert_caller(session, vault.hash(phone_e164)),
        phone_encrypted=vault.encrypt(phone_e164),
        supporter_name=(supporter_name or "").strip() or None,
        supporter_town=(supporter_town or "").strip() or None,
        scheduled_for=scheduled_for,
        preview=preview,
        locale=locale,
        source=source,
        legs=planned,
    )
    session.add(call)
    session.flush()
    return call


def start_call_in(session: DbSession, campaign: Campaign, phone_hash: str | None, twilio_sid: str | None) -> Call:
    """Add the Call for someone who dialed the campaign's number: already in progress, no legs yet (the line
    asks where they live), no number kept; ``phone_hash`` is None for a withheld caller ID. The caller commits."""
    call = Call(
        campaign=campaign,
        caller=upsert_caller(session, phone_hash) if phone_hash else None,
        source=CallSource.call_in,
        status=CallStatus.in_progress,
        locale=campaign_locale(campaign),  # until the caller chooses another the campaign's call is written in
        twilio_sid=twilio_sid,
        answered_at=utcnow(),
    )
    session.add(call)
    session.flush()
    return call


def add_legs(session: DbSession, call: Call, legs: Sequence[PlannedLeg]) -> None:
    """Give the call one leg per planned target, in order, after any it has (a vacant seat by its district)."""
    call.legs.extend(_legs(session, legs, first=len(call.legs)))


def _legs(session: DbSession, legs: Sequence[PlannedLeg], first: int) -> list[CallLeg]:
    """One CallLeg per planned target, numbered from ``first``."""
    # A target's leg is in the target's own district; a vacant seat's is named by GEOID and chamber.
    target_ids = {leg.target_id for leg in legs if leg.target_id is not None}
    target_districts: dict[int, int | None] = {}
    if target_ids:
        rows = session.execute(select(Target.id, Target.district_id).where(Target.id.in_(target_ids)))
        target_districts = {row.id: row.district_id for row in rows}
    geoids = {leg.district_geoid for leg in legs if leg.target_id is None and leg.district_geoid}
    seats: dict[str, list[District]] = {}
    for district in session.scalars(select(District).where(District.census_geoid.in_(geoids))) if geoids else ():
        seats.setdefault(district.census_geoid, []).append(district)
    made = []
    for position, leg in enumerate(legs, start=first):
        if leg.target_id is not None:
            made.append(
                CallLeg(position=position, target_id=leg.target_id, district_id=target_districts.get(leg.target_id))
            )
            continue
        matches = [d for d in seats.get(leg.district_geoid or "", []) if leg.chamber in (None, d.chamber)]
        made.append(CallLeg(position=position, target_id=None, district=matches[0] if len(matches) == 1 else None))
    return made


def accepts_calls(campaign: Campaign, now: datetime) -> bool:
    """True while the campaign is live and its deadline has not passed."""
    return campaign.status == CampaignStatus.live and (campaign.ends_at is None or now < campaign.ends_at)


def fixed_targets(session: DbSession, campaign: Campaign) -> tuple[lookup.TargetInfo, ...]:
    """The campaign's fixed targets, in the campaign's order, as lookup values (one query)."""
    rows = session.scalars(
        select(CampaignTarget)
        .where(CampaignTarget.campaign_id == campaign.id)
        .options(selectinload(CampaignTarget.target).selectinload(Target.district))
        .order_by(CampaignTarget.position)
    ).all()
    return tuple(target_info(ct.target, ct.target.district.census_geoid if ct.target.district else None) for ct in rows)


def planned_legs(resolution: lookup.Resolution) -> list[PlannedLeg]:
    """The call order: each chamber's targets (a vacant seat as a leg without a target), then the fixed targets."""
    legs: list[PlannedLeg] = []
    for outcome in resolution.chambers:
        if outcome.district is not None and not outcome.targets:
            # Planned all the same, so the call page and the results can say the seat was vacant.
            legs.append(PlannedLeg(None, outcome.district.census_geoid, outcome.chamber))
        legs.extend(
            PlannedLeg(t.target.id, t.target.district_geoid) for t in resolution.targets if t.chamber == outcome.chamber
        )
    legs.extend(PlannedLeg(t.target.id, t.target.district_geoid) for t in resolution.targets if t.chamber is None)
    return legs
