"""Office lines in use, across every process: the leases behind OFFICE_LINE_LIMIT.

A call takes one of an office number's OFFICE_LINE_LIMIT lines when its flow dials that number, in
the same transaction that stores the flow's next state; it gives the line back when the Dial ends
(the next webhook finds the call no longer dialing it), when the call ends (its final status), and
in any case when the lease expires: after the longest a Dial can last, so a lost callback or a
process that died frees the line too. A line is a row keyed (number, slot): two calls can never
hold the same slot, whichever process or database connection they come from.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import String, cast, delete, func, literal, select, union_all, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from callflow import vocabulary
from models import Call, CallLeg, DbSession, LegStatus, LineLease, rows_changed


def lease_seconds(ring_timeout: int) -> int:
    """How long a line is held at most: the ring, the longest conversation, and a margin for Twilio's delays."""
    return ring_timeout + vocabulary.CONVERSATION_TIME_LIMIT_SECONDS + vocabulary.LINE_LEASE_MARGIN_SECONDS


def lines_now(session: DbSession, call_id: int, phones: Iterable[str], limit: int, now: datetime) -> vocabulary.Lines:
    """Which of these office numbers have no line free for this call, and which of its legs are still to call.

    One SELECT: the full numbers and the pending legs' positions, told apart by a first column.
    """
    full = (
        select(literal("full").label("what"), LineLease.phone.label("value"))
        .where(
            LineLease.phone.in_(sorted(set(phones))),
            LineLease.slot < limit,
            LineLease.expires_at > now,
            LineLease.call_id != call_id,
        )
        .group_by(LineLease.phone)
        .having(func.count() >= limit)
    )
    pending = select(literal("pending"), cast(CallLeg.position, String)).where(
        CallLeg.call_id == call_id, CallLeg.status == LegStatus.planned
    )
    rows = session.execute(union_all(full, pending)).all()
    return vocabulary.Lines(
        frozenset(value for what, value in rows if what == "full"),
        frozenset(int(value) for what, value in rows if what == "pending"),
    )


def take_line(
    session: DbSession, call_id: int, phone: str, limit: int, until: datetime, now: datetime, *, held: bool
) -> bool:
    """Hold one of ``phone``'s lines for this call until ``until``; False when all ``limit`` are held by others.

    ``held``: the call was dialing another line, which it gives back (a call talks to one office at a
    time). Nothing is committed here: the caller commits with the call's next state, or rolls both back.
    """
    if held:
        release_lines(session, call_id)
    for slot in range(limit):
        if _insert_free(session, phone=phone, slot=slot, call_id=call_id, expires_at=until):
            return True
        expired = update(LineLease).where(LineLease.phone == phone, LineLease.slot == slot, LineLease.expires_at <= now)
        if rows_changed(session, expired.values(call_id=call_id, expires_at=until)):
            return True
    return False


def _insert_free(session: DbSession, **values: object) -> bool:
    """INSERT the lease unless its slot is taken (waiting for a concurrent insert of it to settle)."""
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(LineLease).values(**values).on_conflict_do_nothing(index_elements=["phone", "slot"])
    return session.execute(statement.returning(LineLease.slot)).first() is not None


def release_lines(session: DbSession, call_id: int) -> None:
    """Give back every line this call holds (its Dial ended, or the call did)."""
    session.execute(delete(LineLease).where(LineLease.call_id == call_id))


def release_lines_of(session: DbSession, public_id: str) -> None:
    """Give back every line the call known by this public id holds."""
    session.execute(delete(LineLease).where(LineLease.call_id.in_(select(Call.id).where(Call.public_id == public_id))))


def in_use(session: DbSession, phone: str, now: datetime) -> int:
    """How many of this office number's lines are held right now."""
    return session.scalar(select(func.count()).where(LineLease.phone == phone, LineLease.expires_at > now)) or 0


def lease_until(now: datetime, ring_timeout: int) -> datetime:
    """When a line taken now is free again at the latest."""
    return now + timedelta(seconds=lease_seconds(ring_timeout))
