"""Office lines in use, across every process: the leases behind OFFICE_LINE_LIMIT.

A call takes one of an office number's OFFICE_LINE_LIMIT lines when its flow dials that number, in
the same transaction that stores the flow's next state; it gives the line back when the Dial ends
(the next webhook finds the call no longer dialing it), when the call ends (its final status), and
in any case when the lease expires: after the longest a Dial can last, so a lost callback or a
process that died frees the line too. A line is a row keyed (number, slot): two calls can never
hold the same slot, whichever process or database connection they come from.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import Delete, Insert, String, bindparam, cast, delete, func, literal, select, union_all, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from callflow import vocabulary
from models import CallLeg, DbSession, LegStatus, LineLease
from webhooks.outbox import CallIds


def lease_seconds(ring_timeout: int) -> int:
    """How long a line is held at most: the ring, the longest conversation, and a margin for Twilio's delays."""
    return ring_timeout + vocabulary.CONVERSATION_TIME_LIMIT_SECONDS + vocabulary.LINE_LEASE_MARGIN_SECONDS


# The statements below are built once; each use binds its values, on the session's connection (its transaction).
_FULL_OR_PENDING = union_all(
    select(literal("full").label("what"), LineLease.phone.label("value"))
    .where(
        LineLease.phone.in_(bindparam("p_phones", expanding=True)),
        LineLease.slot < bindparam("p_limit", type_=LineLease.slot.type),
        LineLease.expires_at > bindparam("p_now", type_=LineLease.expires_at.type),
        LineLease.call_id != bindparam("p_call_id", type_=LineLease.call_id.type),
    )
    .group_by(LineLease.phone)
    .having(func.count() >= bindparam("p_limit", type_=LineLease.slot.type)),
    select(literal("pending"), cast(CallLeg.position, String)).where(
        CallLeg.call_id == bindparam("p_call_id", type_=LineLease.call_id.type), CallLeg.status == LegStatus.planned
    ),
)


def lines_now(session: DbSession, call_id: int, phones: Iterable[str], limit: int, now: datetime) -> vocabulary.Lines:
    """Which of these office numbers have no line free for this call, and which of its legs are still to call.

    One SELECT: the full numbers and the pending legs' positions, told apart by a first column.
    """
    params = {"p_phones": sorted(set(phones)), "p_limit": limit, "p_now": now, "p_call_id": call_id}
    rows = session.connection().execute(_FULL_OR_PENDING, params).all()
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
    connection = session.connection()
    for slot in range(limit):
        values = {"p_phone": phone, "p_slot": slot, "p_call_id": call_id, "p_until": until, "p_now": now}
        if connection.execute(_insert_free(connection.dialect.name), values).first() is not None:
            return True
        if connection.execute(_TAKE_EXPIRED, values).rowcount:
            return True
    return False


@functools.cache
def _insert_free(dialect: str) -> Insert:
    """INSERT the lease unless its slot is taken (waiting for a concurrent insert of it to settle), RETURNING."""
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return (
        insert(LineLease)
        .values(
            phone=bindparam("p_phone", type_=LineLease.phone.type),
            slot=bindparam("p_slot", type_=LineLease.slot.type),
            call_id=bindparam("p_call_id", type_=LineLease.call_id.type),
            expires_at=bindparam("p_until", type_=LineLease.expires_at.type),
        )
        .on_conflict_do_nothing(index_elements=["phone", "slot"])
        .returning(LineLease.slot)
    )


# A slot whose lease has expired is taken over as it is.
_TAKE_EXPIRED = (
    update(LineLease)
    .where(
        LineLease.phone == bindparam("p_phone", type_=LineLease.phone.type),
        LineLease.slot == bindparam("p_slot", type_=LineLease.slot.type),
        LineLease.expires_at <= bindparam("p_now", type_=LineLease.expires_at.type),
    )
    .values(
        call_id=bindparam("p_call_id", type_=LineLease.call_id.type),
        expires_at=bindparam("p_until", type_=LineLease.expires_at.type),
    )
)
_RELEASE = delete(LineLease).where(LineLease.call_id == bindparam("p_call_id", type_=LineLease.call_id.type))


def release_lines(session: DbSession, call_id: int) -> None:
    """Give back every line this call holds (its Dial ended, or the call did)."""
    session.connection().execute(_RELEASE, {"p_call_id": call_id})


def release_lines_statement(call_ids: CallIds) -> Delete:
    """The DELETE giving back every line these calls hold, to ride with the write that ends their Dial."""
    return delete(LineLease).where(LineLease.call_id.in_(call_ids))


def in_use(session: DbSession, phone: str, now: datetime) -> int:
    """How many of this office number's lines are held right now."""
    return session.scalar(select(func.count()).where(LineLease.phone == phone, LineLease.expires_at > now)) or 0


def lease_until(now: datetime, ring_timeout: int) -> datetime:
    """When a line taken now is free again at the latest."""
    return now + timedelta(seconds=lease_seconds(ring_timeout))
