"""Number health: an office number's recent record, and whether it looks wrong.

A number that is disconnected, changed or routed to a fax machine shows the same signs in our
own calls: Twilio reports the dial as failed, or it connects for a few seconds (a recording saying
the number is not in service) and ends, or supporters say they couldn't get through. A number is
flagged when enough recent dials ended that way; busy and unanswered lines are counted and shown
but do not flag a number by themselves (a busy line is a full office, not a wrong number).

An organiser who has checked a number marks it so (``targets.numbers``): only dials after that
count as evidence, so the flag comes back only when new dials look wrong again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, func, literal, select, union_all

from lookup.messages import TargetName
from models import Call, CallLeg, CallLegAttempt, DbSession, LegStatus, OfficeNumber, Target

# A connection shorter than this was a recording or a hang-up, not a conversation.
SHORT_CONNECTION_SECONDS = 10
# At least this many dials in the window before a number can be judged.
MIN_DIALS = 5
# Flagged when at least this share of its dials failed, were short or "couldn't get through".
FLAG_SHARE = 0.5

_CONNECTED = (LegStatus.completed, LegStatus.answered)
_DIALED = (*_CONNECTED, LegStatus.busy, LegStatus.no_answer, LegStatus.failed, LegStatus.canceled)


@dataclass(frozen=True)
class NumberHealth:
    """One office number's record over the window: the evidence, and the verdict."""

    phone: str
    # "State Senator Jane Doe", every active target sharing the number (TargetNames: a page translates the titles)
    targets: tuple[str, ...]
    dials: int
    failed: int
    short: int
    couldnt_get_through: int  # the supporter's own answer, when the campaign asks
    busy: int
    no_answer: int
    checked_at: datetime | None = None  # an organiser checked it then: only later dials count
    out_of_rotation: bool = False  # an organiser took it out: calls do not dial it

    @property
    def bad(self) -> int:
        """Dials that suggest a wrong number (a dial can be short and reported, it counts once)."""
        return self.failed + self.short + self.couldnt_get_through

    @property
    def flagged(self) -> bool:
        return self.dials >= MIN_DIALS and self.bad >= FLAG_SHARE * self.dials


def number_health(session: DbSession, since: datetime) -> list[NumberHealth]:
    """Every office number dialed since `since`, worst first; `flagged` says which look wrong."""
    # The dials of each target's first line (the number in targets.phone): the legs decided there, and
    # the attempts there that failed over to another office line (they carry no supporter's answer).
    on_first_line = union_all(
        select(CallLeg.target_id, CallLeg.status, CallLeg.duration, CallLeg.feedback, Call.created_at)
        .join(Call, Call.id == CallLeg.call_id)
        .where(CallLeg.line == 0, Call.created_at >= since),
        select(
            CallLeg.target_id,
            CallLegAttempt.status,
            CallLegAttempt.duration,
            literal(None).label("feedback"),
            Call.created_at,
        )
        .join(CallLeg, CallLeg.id == CallLegAttempt.call_leg_id)
        .join(Call, Call.id == CallLeg.call_id)
        .where(CallLegAttempt.line == 0, Call.created_at >= since),
    ).subquery("dials")
    status, duration, feedback = on_first_line.c.status, on_first_line.c.duration, on_first_line.c.feedback
    connected = status.in_([s.value for s in _CONNECTED])
    short = and_(connected, func.coalesce(duration, 0) < SHORT_CONNECTION_SECONDS)
    reported = and_(feedback == "not_reached", ~short, status != LegStatus.failed.value)

    def count(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.sum(case((condition, 1), else_=0))

    rows = session.execute(
        select(
            Target.phone,
            OfficeNumber.checked_at,
            func.coalesce(OfficeNumber.out_of_rotation, False),
            func.count(),
            count(status == LegStatus.failed.value),
            count(short),
            count(reported),
            count(status == LegStatus.busy.value),
            count(status == LegStatus.no_answer.value),
        )
        .join(on_first_line, on_first_line.c.target_id == Target.id)
        .outerjoin(OfficeNumber, OfficeNumber.phone == Target.phone)
        .where(
            status.in_([s.value for s in _DIALED]),
            Target.phone.is_not(None),
            on_first_line.c.created_at >= func.coalesce(OfficeNumber.checked_at, since),
        )
        .group_by(Target.phone, OfficeNumber.checked_at, OfficeNumber.out_of_rotation)
    ).all()
    phones = [row[0] for row in rows]
    names: dict[str, list[str]] = {}
    for phone, title, name in session.execute(
        select(Target.phone, Target.title, Target.name)
        .where(Target.phone.in_(phones), Target.active.is_(True))
        .order_by(Target.name)
    ):
        if phone:
            names.setdefault(phone, []).append(TargetName(title, name))
    found = [
        NumberHealth(
            phone,
            tuple(names.get(phone, [])),
            dials,
            failed=int(failed or 0),
            short=int(short_ or 0),
            couldnt_get_through=int(reported_ or 0),
            busy=int(busy or 0),
            no_answer=int(no_answer or 0),
            checked_at=checked_at,
            out_of_rotation=bool(out),
        )
        for phone, checked_at, out, dials, failed, short_, reported_, busy, no_answer in rows
        if phone
    ]
    # Worst first: flagged, then the share of wrong-number signs, then of busy or unanswered lines.
    return sorted(found, key=lambda h: (not h.flagged, -h.bad / h.dials, -(h.busy + h.no_answer) / h.dials, h.phone))
