"""Writing events to the outbox, in the same transaction as the call's change that causes them. No Flask."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Insert, Select, insert, literal, select
from sqlalchemy.orm import InstrumentedAttribute

from models import Call, DbSession, DeliveryStatus, EventType, WebhookEndpoint, WebhookEvent

# The calls an event is about: ids, bound parameters standing for ids, or a SELECT of them (a CTE of the
# statement that changed them).
CallIds = Sequence[int] | Sequence[ColumnElement[int]] | Select


def hears_of(campaign_id: InstrumentedAttribute[int]) -> ColumnElement[bool]:
    """The endpoints an event about one of this campaign's calls is written for: the campaign's active ones."""
    return (WebhookEndpoint.campaign_id == campaign_id) & WebhookEndpoint.active.is_(True)


def outbox_insert(event: EventType, call_ids: CallIds, now: datetime | ColumnElement[datetime]) -> Insert:
    """One INSERT … SELECT: a pending row for each of the calls' campaigns' active endpoints (none for a preview).
    ``now`` may be a bound parameter, for a statement built once and run many times."""
    columns = ["type", "status", "attempts", "next_attempt_at", "retry_from", "created_at"]
    when = now if isinstance(now, ColumnElement) else literal(now, WebhookEvent.created_at.type)
    values = [
        literal(event, WebhookEvent.type.type),
        literal(DeliveryStatus.pending, WebhookEvent.status.type),
        literal(0),
        when,
        when,
        when,
    ]
    return insert(WebhookEvent).from_select(
        ["endpoint_id", "call_id", *columns],
        select(WebhookEndpoint.id, Call.id, *values)
        .join(Call, hears_of(Call.campaign_id))
        .where(Call.id.in_(call_ids), Call.preview.is_(False)),
    )


def record_event(session: DbSession, event: EventType, call: Call, now: datetime) -> int:
    """Add the event for this call's endpoints to the session's transaction; how many rows (one per endpoint).
    The caller commits."""
    if call.preview:
        return 0  # played in the browser: never dialed, never reported
    # Counted from RETURNING: psycopg reports no rowcount for an INSERT … SELECT.
    return len(session.execute(outbox_insert(event, [call.id], now).returning(WebhookEvent.id)).all())
