"""A campaign's real calls as plain records, for the figures and the export (previews left out, nothing personal)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import CHAMBERS, Call, CallLeg, Campaign, DbSession, District

BATCH = 500


@dataclass(frozen=True)
class LegRecord:
    """One planned connection: whom, where, and what came of it."""

    position: int
    target_id: int | None
    target: str  # "State Senator Jane Doe", or "" for a vacant seat
    district_id: int | None
    district: str  # "First Middlesex (upper)", or ""
    status: str  # LegStatus value
    feedback: str | None  # what the supporter reported, when asked
    duration: int | None
    skip_reason: str | None
    started_at: datetime | None


@dataclass(frozen=True)
class CallRecord:
    """One real call; the caller only as an opaque row id, for counting distinct supporters."""

    caller: int
    created_at: datetime
    status: str  # CallStatus value
    step: str
    answered_by: str | None
    answered_at: datetime | None
    legs: tuple[LegRecord, ...]


@dataclass(frozen=True)
class DistrictRecord:
    """A district the campaign's chambers cover."""

    id: int
    name: str
    chamber: str


def _district_name(district: District | None) -> str:
    return f"{district.name} ({district.chamber})" if district is not None else ""


def _record(call: Call) -> CallRecord:
    legs = tuple(
        LegRecord(
            position=leg.position,
            target_id=leg.target_id,
            target=f"{leg.target.title} {leg.target.name}" if leg.target is not None else "",
            district_id=leg.district_id,
            district=_district_name(leg.district),
            status=leg.status.value,
            feedback=leg.feedback,
            duration=leg.duration,
            skip_reason=leg.skip_reason,
            started_at=leg.started_at,
        )
        for leg in call.legs
    )
    return CallRecord(
        caller=call.caller_id,
        created_at=call.created_at,
        status=call.status.value,
        step=call.step,
        answered_by=call.answered_by,
        answered_at=call.answered_at,
        legs=legs,
    )


def iter_calls(session: DbSession, campaign: Campaign, since: datetime | None = None) -> Iterator[CallRecord]:
    """The campaign's real calls, oldest first, read in batches (an export streams without holding them all)."""
    last_id = 0
    while True:
        query = (
            select(Call)
            .where(Call.campaign_id == campaign.id, Call.preview.is_(False), Call.id > last_id)
            .options(
                selectinload(Call.legs).selectinload(CallLeg.target),
                selectinload(Call.legs).selectinload(CallLeg.district),
            )
            .order_by(Call.id)
            .limit(BATCH)
        )
        if since is not None:
            query = query.where(Call.created_at >= since)
        batch = list(session.scalars(query))
        if not batch:
            return
        for call in batch:
            yield _record(call)
        last_id = batch[-1].id


def campaign_districts(session: DbSession, campaign: Campaign) -> list[DistrictRecord]:
    """The districts of the campaign's state in the chambers it calls, by chamber order and name."""
    chambers = [c for c in campaign.target_chambers if c in CHAMBERS]
    if not chambers:
        return []
    rows = session.scalars(
        select(District).where(District.state == campaign.state, District.chamber.in_(chambers)).order_by(District.name)
    )
    districts = [DistrictRecord(d.id, d.name, d.chamber) for d in rows]
    return sorted(districts, key=lambda d: chambers.index(d.chamber))
