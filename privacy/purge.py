"""Delete what a campaign no longer needs about its supporters, keep the anonymous counts.

After the window: supporters' names and towns, the lookup's notes a call page never showed (they name a
ZIP), and the in-browser previews. Whatever the age:
an encrypted number left on a call that ended (the status callback normally erased it already), or
on a promised text that was sent or given up on.
A number on a call older than the window that never reached a final status (Twilio's last
callback never came, or the call was never dialed) goes too: by then nobody will dial it.
Callers stay, known only by the keyed hash, so counts and limits still work; calls and legs stay,
with their statuses and durations, for the results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, null, or_, select, update

from models import FINAL_CALL_STATUSES, Call, CallLeg, CallPreview, DbSession, TextMessage, rows_changed

_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_age(text: str) -> timedelta:
    """'30d' → 30 days (units s, m, h, d, w); raises ValueError on anything else or on zero."""
    match = re.fullmatch(r"\s*(\d{1,6})\s*([smhdw])\s*", text or "")
    if not match or int(match[1]) == 0:
        raise ValueError(f"expected a positive age such as 30d, 12h or 2w; got {text!r}")
    return timedelta(**{_UNITS[match[2]]: int(match[1])})


@dataclass(frozen=True)
class PurgeReport:
    """What was deleted, and the anonymous counts that remain."""

    names_and_towns: int
    numbers: int
    previews: int
    calls: int
    legs: int
    leg_outcomes: dict[str, int]


def purge(session: DbSession, now: datetime, older_than: timedelta) -> PurgeReport:
    """Erase names, towns, numbers and previews as described above; the caller commits."""
    cutoff = now - older_than
    names = rows_changed(
        session,
        update(Call)
        .where(
            Call.created_at < cutoff,
            or_(Call.supporter_name.is_not(None), Call.supporter_town.is_not(None), Call.notes.is_not(None)),
        )
        .values(supporter_name=None, supporter_town=None, notes=null()),
    )
    numbers = rows_changed(
        session,
        update(Call)
        .where(Call.phone_encrypted.is_not(None), or_(Call.status.in_(FINAL_CALL_STATUSES), Call.created_at < cutoff))
        .values(phone_encrypted=None),
    )
    # A promised text's number: kept only until the text is sent or given up on, or the window ends.
    numbers += rows_changed(
        session,
        update(TextMessage)
        .where(
            TextMessage.phone_encrypted.is_not(None),
            or_(TextMessage.sent_at.is_not(None), TextMessage.failure.is_not(None), TextMessage.created_at < cutoff),
        )
        .values(phone_encrypted=None),
    )
    old_calls = select(Call.id).where(Call.created_at < cutoff)
    previews = rows_changed(
        session, delete(CallPreview).where(or_(CallPreview.updated_at < cutoff, CallPreview.call_id.in_(old_calls)))
    )
    outcomes = {
        status.value: count
        for status, count in session.execute(
            select(CallLeg.status, func.count()).group_by(CallLeg.status).order_by(CallLeg.status)
        )
    }
    return PurgeReport(
        names_and_towns=names,
        numbers=numbers,
        previews=previews,
        calls=session.scalar(select(func.count()).select_from(Call)) or 0,
        legs=session.scalar(select(func.count()).select_from(CallLeg)) or 0,
        leg_outcomes=outcomes,
    )
