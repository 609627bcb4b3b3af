"""Turn a supporter's request into a queued Call with its planned legs — the record the dialer works from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from models import Call, CallLeg, Campaign, DbSession, District, upsert_caller
from privacy import PhoneVault


@dataclass(frozen=True)
class PlannedLeg:
    """One connection to plan: a target (by id), or a vacant seat (its district's GEOID alone)."""

    target_id: int | None
    district_geoid: str | None = None


def plan_call(
    session: DbSession,
    vault: PhoneVault,
    campaign: Campaign,
    phone_e164: str,
    legs: Sequence[PlannedLeg],
    supporter_name: str | None = None,
    supporter_town: str | None = None,
) -> Call:
    """Add a queued Call (number encrypted, caller upserted by hash) with one leg per planned target; the caller
    commits."""
    phone_hash = vault.hash(phone_e164)
    caller = upsert_caller(session, phone_hash)
    geoids = {leg.district_geoid for leg in legs if leg.district_geoid}
    districts = (
        {d.census_geoid: d for d in session.scalars(select(District).where(District.census_geoid.in_(geoids)))}
        if geoids
        else {}
    )
    call = Call(
        campaign=campaign,
        caller=caller,
        phone_encrypted=vault.encrypt(phone_e164),
        supporter_name=(supporter_name or "").strip() or None,
        supporter_town=(supporter_town or "").strip() or None,
    )
    for position, leg in enumerate(legs):
        call.legs.append(
            CallLeg(position=position, target_id=leg.target_id, district=districts.get(leg.district_geoid or ""))
        )
    session.add(call)
    session.flush()
    return call
