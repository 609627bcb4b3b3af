"""A campaign's real calls as plain records, for the figures and the export (previews left out, nothing personal)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select

from lookup.messages import TargetName
from models import CHAMBERS, Call, CallLeg, CallLegAttempt, Campaign, DbSession, District, Target

BATCH = 2000


@dataclass(frozen=True)
class LegRecord:
    """One planned connection: whom, where, and what came of it."""

    position: int
    target_id: int | None
    target: str  # "State Senator Jane Doe" (a TargetName: a page translates the title), or "" for a vacant seat
    district_id: int | None
    district: str  # "First Middlesex (upper)", or ""
    status: str  # LegStatus value
    feedback: str | None  # what the supporter reported, when asked
    duration: int | None
    skip_reason: str | None
    started_at: datetime | None
    # The statuses of the office lines the leg failed over from (busy, no-answer…), first line first; the
    # leg's own status is the line that decided it.
    failovers: tuple[str, ...] = ()


@dataclass(frozen=True)
class CallRecord:
    """One real call; the caller only as an opaque row id, for counting distinct supporters."""

    caller: int | None  # None: a call-in whose number was withheld (no supporter to count)
    created_at: datetime
    status: str  # CallStatus value
    step: str
    answered_by: str | None
    answered_at: datetime | None
    legs: tuple[LegRecord, ...]
    # Whoever answered pressed 9: "I did not ask for this call".
    not_requested: bool = False
    source: str = "web"  # CallSource value: the campaign page, a supporter dialing in, or the API


@dataclass(frozen=True)
class DistrictRecord:
    """A district the campaign's chambers cover."""

    id: int
    name: str
    chamber: str


def iter_calls(session: DbSession, campaign: Campaign, since: datetime | None = None) -> Iterator[CallRecord]:
    """The campaign's real calls, oldest first, read in batches of plain rows (an export streams without holding
    them all, and no ORM object is built: a campaign's figures are read often)."""
    last_id = 0
    while True:
        query = (
            select(
                Call.id,
                Call.caller_id,
                Call.created_at,
                Call.status,
                Call.step,
                Call.answered_by,
                Call.answered_at,
                Call.not_requested,
                Call.source,
            )
            .where(Call.campaign_id == campaign.id, Call.preview.is_(False), Call.id > last_id)
            .order_by(Call.id)
            .limit(BATCH)
        )
        if since is not None:
            query = query.where(Call.created_at >= since)
        calls = session.execute(query).all()
        if not calls:
            return
        legs = _legs_of(session, [row.id for row in calls])
        for row in calls:
            yield CallRecord(
                caller=row.caller_id,
                created_at=row.created_at,
                status=row.status.value,
                step=row.step,
                answered_by=row.answered_by,
                answered_at=row.answered_at,
                legs=tuple(legs.get(row.id, ())),
                not_requested=row.not_requested,
                source=row.source.value,
            )
        last_id = calls[-1].id


def _leg_columns():
    """A leg's columns, with its target's and district's names (outer joins: a vacant seat has no target)."""
    return (
        select(
            CallLeg.call_id,
            CallLeg.position,
            CallLeg.target_id,
            Target.title,
            Target.name,
            CallLeg.district_id,
            District.name.label("district_name"),
            District.chamber,
            CallLeg.status,
            CallLeg.feedback,
            CallLeg.duration,
            CallLeg.skip_reason,
            CallLeg.started_at,
        )
        .outerjoin(Target, Target.id == CallLeg.target_id)
        .outerjoin(District, District.id == CallLeg.district_id)
    )


def _leg_record(row, failovers: dict[tuple[int, int], list[str]]) -> LegRecord:
    return LegRecord(
        position=row.position,
        target_id=row.target_id,
        target=TargetName(row.title, row.name) if row.target_id is not None else "",
        district_id=row.district_id,
        district=f"{row.district_name} ({row.chamber})" if row.district_id is not None else "",
        status=row.status.value,
        feedback=row.feedback,
        duration=row.duration,
        skip_reason=row.skip_reason,
        started_at=row.started_at,
        failovers=tuple(failovers.get((row.call_id, row.position), ())),
    )


def _legs_of(session: DbSession, call_ids: list[int]) -> dict[int, list[LegRecord]]:
    """Every leg of these calls, with its target's and district's names, in calling order (one SELECT), and
    the office lines each failed over from (one more)."""
    failovers = _failovers_of(session, call_ids)
    rows = session.execute(
        _leg_columns().where(CallLeg.call_id.in_(call_ids)).order_by(CallLeg.call_id, CallLeg.position)
    )
    legs: dict[int, list[LegRecord]] = {}
    for row in rows:
        legs.setdefault(row.call_id, []).append(_leg_record(row, failovers))
    return legs


@dataclass(frozen=True)
class LegRow:
    """One leg of a real call with its call's own facts, for paging through a campaign's legs."""

    call_id: int  # our row id: says nothing about the supporter, and never opens their call page
    requested_at: datetime
    call_status: str
    answered_by: str | None
    leg: LegRecord
    source: str = "web"  # CallSource value: the campaign page, the call-in line, or the API


def leg_page(session: DbSession, campaign: Campaign, after: tuple[int, int] | None, limit: int) -> list[LegRow]:
    """Up to `limit` legs of the campaign's real calls after (call id, position) `after`, in that order: a cursor
    over this order never skips or repeats a leg, however many calls arrive meanwhile."""
    query = (
        _leg_columns()
        .add_columns(Call.created_at, Call.status.label("call_status"), Call.answered_by, Call.source)
        .join(Call, Call.id == CallLeg.call_id)
        .where(Call.campaign_id == campaign.id, Call.preview.is_(False))
        .order_by(CallLeg.call_id, CallLeg.position)
        .limit(limit)
    )
    if after is not None:
        call_id, position = after
        query = query.where(
            or_(CallLeg.call_id > call_id, and_(CallLeg.call_id == call_id, CallLeg.position > position))
        )
    rows = session.execute(query).all()
    failovers = _failovers_of(session, sorted({row.call_id for row in rows})) if rows else {}
    return [
        LegRow(
            row.call_id,
            row.created_at,
            row.call_status.value,
            row.answered_by,
            _leg_record(row, failovers),
            row.source.value,
        )
        for row in rows
    ]


def _failovers_of(session: DbSession, call_ids: list[int]) -> dict[tuple[int, int], list[str]]:
    """The statuses of the office lines these calls' legs failed over from, by (call, leg position)."""
    rows = session.execute(
        select(CallLeg.call_id, CallLeg.position, CallLegAttempt.status)
        .join(CallLeg, CallLeg.id == CallLegAttempt.call_leg_id)
        .where(CallLeg.call_id.in_(call_ids))
        .order_by(CallLeg.call_id, CallLeg.position, CallLegAttempt.line)
    )
    found: dict[tuple[int, int], list[str]] = {}
    for row in rows:
        found.setdefault((row.call_id, row.position), []).append(row.status.value)
    return found


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
