"""Turn a supporter's request into a queued Call with its planned legs — the record the dialer works from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from models import Call, CallLeg, Campaign, DbSession, District, Target, upsert_caller
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
) -> Call:
    """Add a queued Call (number encrypted, caller upserted by hash) with one leg per planned target, to be
    dialed as soon as possible or not before ``scheduled_for``; the caller commits."""
    phone_hash = vault.hash(phone_e164)
    caller = upsert_caller(session, phone_hash)
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
    call = Call(
        campaign=campaign,
        caller=caller,
        phone_encrypted=vault.encrypt(phone_e164),
        supporter_name=(supporter_name or "").strip() or None,
        supporter_town=(supporter_town or "").strip() or None,
        scheduled_for=scheduled_for,
    )
    for position, leg in enumerate(legs):
        if leg.target_id is not None:
            call.legs.append(
                CallLeg(position=position, target_id=leg.target_id, district_id=target_districts.get(leg.target_id))
            )
            continue
        matches = [d for d in seats.get(leg.district_geoid or "", []) if leg.chamber in (None, d.chamber)]
        call.legs.append(CallLeg(position=position, target_id=None, district=matches[0] if len(matches) == 1 else None))
    session.add(call)
    session.flush()
    return call
