"""Turn where a supporter lives into a Call with its planned legs — the record the dialer and the call-in line work
from. Shared by the campaign page (pages/) and the call-in line (callflow/)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, insert, or_, select

import lookup
from campaigns.translations import campaign_locale
from models import (
    Call,
    CallLeg,
    CallSource,
    CallStatus,
    Campaign,
    CampaignStatus,
    DbSession,
    District,
    Target,
    fixed_targets_of,
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
    caller_id: int | None = None,
    chose_time: bool = False,
    notes: list[list[object]] | None = None,
) -> Call:
    """Add a queued Call (number encrypted, caller upserted by hash unless ``caller_id`` is known already) with one
    leg per planned target, to be dialed as soon as possible or not before ``scheduled_for`` (``chose_time``: the
    supporter's choice), speaking ``locale``; the caller commits. A ``preview`` call is played in the browser: the
    dialer never dials it and the results never count it. ``source`` says where it was asked for (the campaign page,
    or a partner's form through the API); ``notes``: the lookup's notes for the call page, as codes and values.
    Two INSERTs: the call's, then all its legs' at once."""
    call = Call(
        campaign=campaign,
        caller_id=caller_id if caller_id is not None else upsert_caller(session, vault.hash(phone_e164)).id,
        phone_encrypted=vault.encrypt(phone_e164),
        supporter_name=(supporter_name or "").strip() or None,
        supporter_town=(supporter_town or "").strip() or None,
        scheduled_for=scheduled_for,
        chose_time=chose_time,
        preview=preview,
        locale=locale,
        source=source,
    )
    if notes:
        call.notes = notes  # only when there are some: None would be stored as JSON null, not NULL
    session.add(call)
    session.flush()
    if legs:
        # Core, not call.legs: the ORM would read the new call's (empty) legs first, and insert them one by one.
        _insert_legs(session, call.id, legs)
    return call


def _leg_row(call_id: int, position: int, leg: PlannedLeg) -> dict[str, object]:
    """One leg's values for :data:`_INSERT_LEG`."""
    target, geoid = leg.target_id, None if leg.target_id is not None else leg.district_geoid
    return {"call_id": call_id, "position": position, "target_id": target, "geoid": geoid, "chamber": leg.chamber}


# One leg's INSERT, built once and run for all of a call's legs at once (executemany; a multi-row INSERT on
# PostgreSQL). Its district is found inside the statement: a target's own district; a vacant seat's by its GEOID
# (and chamber, where both chambers use the GEOID) when exactly one district matches; else none.
_ONE_DISTRICT = (
    select(func.min(District.id))
    .where(
        District.census_geoid == bindparam("geoid", type_=District.census_geoid.type),
        or_(bindparam("chamber", type_=District.chamber.type).is_(None), District.chamber == bindparam("chamber")),
    )
    .having(func.count() == 1)  # an aggregate without GROUP BY gives one row, which HAVING drops unless one matched
    .scalar_subquery()
)
_INSERT_LEG = insert(CallLeg).values(
    call_id=bindparam("call_id"),
    position=bindparam("position"),
    target_id=bindparam("target_id"),
    district_id=func.coalesce(
        select(Target.district_id).where(Target.id == bindparam("target_id")).scalar_subquery(), _ONE_DISTRICT
    ),
)


def _insert_legs(session: DbSession, call_id: int, legs: Sequence[PlannedLeg], first: int = 0) -> None:
    """The call's legs, numbered from ``first``: one statement."""
    rows = [_leg_row(call_id, position, leg) for position, leg in enumerate(legs, start=first)]
    session.connection().execute(_INSERT_LEG, rows)


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
    """Give the call one leg per planned target, in order, after any it has (each leg's district as plan_call finds
    it). One INSERT; the call's legs are read again when next used."""
    if not legs:
        return
    _insert_legs(session, call.id, legs, first=len(call.legs))
    session.expire(call, ["legs"])


def accepts_calls(campaign: Campaign, now: datetime) -> bool:
    """True while the campaign is live and its deadline has not passed."""
    return campaign.status == CampaignStatus.live and (campaign.ends_at is None or now < campaign.ends_at)


def fixed_targets(session: DbSession, campaign: Campaign) -> tuple[lookup.TargetInfo, ...]:
    """The campaign's fixed targets, in the campaign's order, as lookup values (none or one query)."""
    return tuple(
        target_info(target, target.district.census_geoid if target.district else None)
        for target in fixed_targets_of(session, campaign)
    )


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
