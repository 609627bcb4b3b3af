"""The line: a waiting supporter's place among the queued calls, an honest estimate, and leaving the line.

Calls are dialed oldest first at TWILIO_CPS (see dialer.pacing), so a supporter's place is one more
than the queued calls that asked before them, and their wait is about place / TWILIO_CPS seconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select, update

from dialer.placing import CLAIM_LEASE
from models import Call, CallStatus, DbSession, EventType, rows_changed, utcnow
from webhooks.outbox import record_event

CANCELED_REASON = "canceled by the supporter before it was dialed"


@dataclass(frozen=True)
class LinePlace:
    """Where a waiting call stands: 1 is next; `wait_seconds` is the estimate until the dialer reaches it."""

    place: int
    wait_seconds: int


def estimate(place: int, cps: float) -> LinePlace:
    """The wait for the call at `place` when calls leave the line at `cps` per second."""
    return LinePlace(place=place, wait_seconds=max(1, math.ceil(place / cps)))


def place_in_line(session: DbSession, call: Call, cps: float) -> LinePlace | None:
    """The call's place in line and its estimated wait, or None when it is not waiting to be dialed (a preview
    never is, and is never ahead of anyone)."""
    now = utcnow()
    if (
        call.status != CallStatus.queued
        or call.preview
        or (call.scheduled_for is not None and call.scheduled_for > now)
    ):
        return None  # not waiting in line: dialed or over, waiting for its time, or played in the browser
    ahead = session.scalar(
        select(func.count())
        .select_from(Call)
        .where(
            Call.status == CallStatus.queued,
            Call.preview.is_(False),
            or_(Call.scheduled_for.is_(None), Call.scheduled_for <= now),
            or_(Call.created_at < call.created_at, and_(Call.created_at == call.created_at, Call.id < call.id)),
        )
    )
    return estimate((ahead or 0) + 1, cps)


def leave_line(session: DbSession, call: Call, now: datetime) -> bool:
    """Take a waiting call out of the line for good, erasing the number; False once a dialer holds it.

    One conditional UPDATE: a dialer that has claimed the call may already be asking Twilio, and
    from then on only Twilio can end it; an unclaimed (or long-lapsed) call is never dialed after this.
    """
    changed = rows_changed(
        session,
        update(Call)
        .where(
            Call.id == call.id,
            Call.status == CallStatus.queued,
            or_(Call.dialing_since.is_(None), Call.dialing_since <= now - CLAIM_LEASE),
        )
        .values(
            status=CallStatus.canceled,
            failure_reason=CANCELED_REASON,
            phone_encrypted=None,
            ended_at=now,
            dialing_since=None,
        ),
    )
    if changed == 1:
        record_event(session, EventType.call_completed, call, now)  # the route then has it delivered
    return changed == 1
