"""What each Twilio webhook does to the stored call: load it, run the pure flow, record the effects."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Executable,
    Insert,
    Update,
    bindparam,
    case,
    func,
    insert,
    or_,
    select,
    update,
)

from callflow import flow, vocabulary
from callflow.parameters import parse_event
from callflow.plans import LoadedCall, load_call
from callflow.responses import apology
from languages.voices import DEFAULT_VOICES, Voice
from models import (
    FINAL_CALL_STATUSES,
    BlockKind,
    Call,
    Caller,
    CallLeg,
    CallLegAttempt,
    CallStatus,
    DbSession,
    LegStatus,
    find_call,
    rows_changed,
    utcnow,
)
from security.blocklist import add_block
from voicesim.vocabulary import ANSWERED_BY_VALUES, MACHINE_ANSWERED_BY

log = logging.getLogger(__name__)

# Twilio's DialCallStatus values, as our leg statuses.
_DIAL_STATUSES = {
    s.value: s
    for s in (
        LegStatus.completed,
        LegStatus.answered,
        LegStatus.busy,
        LegStatus.no_answer,
        LegStatus.failed,
        LegStatus.canceled,
    )
}
_CALL_STATUSES = {s.value: s for s in CallStatus if s != CallStatus.queued}
# What we store from Twilio's parameters must look like what Twilio sends; anything else is dropped.
_CALL_SID = re.compile(r"CA[0-9a-fA-F]{32}")
_MAX_INT = 2**31 - 1  # an INTEGER column
# Order of a call's life, so an older status never replaces a newer one.
_PROGRESS = {CallStatus.queued: 0, CallStatus.initiated: 1, CallStatus.ringing: 2, CallStatus.in_progress: 3}


def handle_voice(
    session: DbSession,
    public_id: str,
    event_name: str,
    form: Mapping[str, str],
    url: Callable[[str], str],
    voices: Mapping[str, Voice] = DEFAULT_VOICES,
    office_hours: bool = True,
) -> str:
    """Answer one voice webhook: run the flow from the stored state and record what happened.

    One read (the call's state; its plan and campaign come from ``callflow.plans``) and one write:
    a conditional UPDATE that applies only if the call is still in the state the flow started
    from, so two racing webhooks cannot both apply. The loser answers from the state the winner
    left, as the flow answers any stale event. With ``office_hours`` off (``OFFICE_HOURS=always``), no office
    counts as closed.
    """
    event = parse_event(event_name, form)
    dial_sid = _sid(event.sid) if isinstance(event, vocabulary.DialFinished) else None
    outcome = None
    for _ in range(2):
        call = load_call(session, public_id, dial_sid, voices)
        if call is None:
            log.warning("voice webhook for an unknown call")
            return apology("unknown_call")
        if not owns_sid(call, form):
            log.warning("call %s: voice webhook from another CallSid; hanging up", public_id)
            return apology("unknown_call")
        outcome = flow.respond(call.state, event, call.campaign, call.legs_at(utcnow() if office_hours else None), url)
        if _record(session, call, outcome, _sid(form.get("CallSid"))):
            return str(outcome.twiml)
        session.rollback()
    log.warning("call %s: the call kept moving under this webhook; answering from where it was", public_id)
    assert outcome is not None
    return str(outcome.twiml)


def _record(session: DbSession, call: LoadedCall, outcome: flow.Outcome, sid: str | None) -> bool:
    """Store the flow's next state and effects if the call is still where the flow found it."""
    values: dict[str, Any] = {}
    if outcome.state != call.state:
        values.update(step=outcome.state.step, position=outcome.state.position, attempts=outcome.state.attempts)
    if call.twilio_sid is None and sid is not None:
        values["twilio_sid"] = sid
    legs: dict[int, dict[str, Any]] = {}
    failovers: list[tuple[int, dict[str, Any]]] = []
    for effect in outcome.effects:
        _apply(call, effect, utcnow(), values, legs, failovers)
    if not values and not legs and not failovers:
        return True  # a replay: nothing to write
    # The statements depend only on which columns change (few shapes), the values are bound.
    shape = (
        tuple(sorted(values)),
        tuple((p, tuple(sorted(change))) for p, change in sorted(legs.items())),
        tuple(p for p, _ in failovers),
    )
    bound = {
        "b_id": call.id,
        "b_was_step": call.state.step,
        "b_was_position": call.state.position,
        "b_was_attempts": call.state.attempts,
        **{f"b_{name}": value for name, value in values.items()},
        **{f"b_leg{p}_{name}": value for p, change in legs.items() for name, value in change.items()},
        **{f"b_try{n}_{name}": value for n, (_, attempt) in enumerate(failovers) for name, value in attempt.items()},
    }
    applied = _run(session, _voice_statements(session.get_bind().dialect.name, *shape), bound)
    if applied:
        if any(isinstance(effect, vocabulary.NotRequested) for effect in outcome.effects):
            _block_caller(session, call.id)
        session.commit()
    return applied


@lru_cache(maxsize=256)  # a few shapes in practice; bounded all the same
def _voice_statements(
    dialect: str,
    call_columns: tuple[str, ...],
    leg_columns: tuple[tuple[int, tuple[str, ...]], ...],
    failovers: tuple[int, ...],
) -> tuple[Executable, ...]:
    """A voice webhook's write for one shape (which columns of the call and of which legs change), built once.

    The call's UPDATE applies only while it is in the state the flow started from (``b_was_…``).
    """
    values: dict[str, Any] = {name: bindparam(f"b_{name}", type_=getattr(Call, name).type) for name in call_columns}
    if "twilio_sid" in values:
        values["twilio_sid"] = func.coalesce(Call.twilio_sid, values["twilio_sid"])
    if not values:
        values["step"] = Call.step  # the call's row still carries the condition
    moved = update(Call).where(
        Call.id == bindparam("b_id"),
        Call.step == bindparam("b_was_step"),
        Call.position == bindparam("b_was_position"),
        Call.attempts == bindparam("b_was_attempts"),
    )
    dependents: list[Callable[[ColumnElement[bool]], Update | Insert]] = (
        [_legs_update(dict(leg_columns))] if leg_columns else []
    )
    dependents += [_failover_insert(p, n) for n, p in enumerate(failovers)]
    return _statements(dialect, moved.values(values), *dependents)


def _block_caller(session: DbSession, call_id: int) -> None:
    """Whoever answered did not ask for this call: their number is not to be rung again."""
    phone_hash = session.scalar(
        select(Caller.phone_hash).join(Call, Call.caller_id == Caller.id).where(Call.id == call_id)
    )
    if phone_hash is not None:  # a call-in from a withheld number has no caller to block
        add_block(session, BlockKind.phone, phone_hash, "pressed 9 on a call: did not ask for it")


def _apply(
    call: LoadedCall,
    effect: vocabulary.Effect,
    now: datetime,
    values: dict[str, Any],
    legs: dict[int, dict[str, Any]],
    failovers: list[tuple[int, dict[str, Any]]],
) -> None:
    """Translate one effect into column values: the call's (``values``), a leg's (``legs[position]``), or an
    office line the leg failed over from (``failovers``)."""
    planned = dict(enumerate(call.plan))  # positions are 0..n-1, as the flow counts them
    match effect:
        case vocabulary.LegDialing(position=p, line=0) if p in planned:
            legs.setdefault(p, {}).update(status=LegStatus.dialing, started_at=now)
        case vocabulary.LegDialing():
            pass  # the leg's next office line: the leg is already dialing
        case vocabulary.LegFinished(position=p) if p in planned:
            # A late duplicate of an earlier leg's result must not land on this one.
            if effect.dial_sid and call.dial_sid_position not in (None, p):
                return
            duration = effect.duration if effect.duration is not None and 0 <= effect.duration <= _MAX_INT else None
            dialed = {
                "status": _DIAL_STATUSES.get(effect.dial_status, LegStatus.failed),
                "duration": duration,
                "dial_call_sid": _sid(effect.dial_sid),
                "ended_at": now,
            }
            if effect.failing_over:
                # One attempt of the leg, not its outcome: the leg stays dialing its next line.
                failovers.append((p, {**dialed, "line": effect.line, "kind": _kind(effect.kind)}))
            else:
                legs.setdefault(p, {}).update(dialed, line=effect.line, line_kind=_kind(effect.kind))
        case vocabulary.LegSkipped(position=p, reason=skipped_because) if p in planned:
            reason: str = skipped_because
            if reason == "no_phone" and planned[p].refused is not None:
                # The flow saw no number because the number rules refused this one: say so in the record.
                reason = "refused_number"
                log.warning(
                    "call %s: refused to dial target %s: %s", call.public_id, planned[p].target_id, planned[p].refused
                )
            legs.setdefault(p, {}).update(status=LegStatus.skipped, skip_reason=reason)
        case vocabulary.LegFeedback(position=p, outcome=outcome) if p in planned:
            legs.setdefault(p, {})["feedback"] = outcome
        case vocabulary.AnsweredByMachine(answered_by=answered_by) if answered_by in ANSWERED_BY_VALUES:
            values["answered_by"] = answered_by
        case vocabulary.NotRequested():
            values["not_requested"] = True  # and the number is blocklisted once the write applies
        case vocabulary.CallFinished():
            pass  # the completed status callback closes the call


def _kind(kind: str | None) -> str | None:
    return kind[:32] if kind else None  # a String(32) column


def _failover_insert(position: int, n: int) -> Callable[[ColumnElement[bool]], Insert]:
    """One INSERT of an office line leg ``position`` failed over from (its values bound as ``b_try{n}_…``), with the
    leg's id read in the same statement. The attempt began when the line before it ended (or, for the first line,
    with the leg)."""
    before = select(func.max(CallLegAttempt.ended_at)).where(CallLegAttempt.call_leg_id == CallLeg.id).scalar_subquery()
    columns = ["line", "kind", "status", "dial_call_sid", "duration", "ended_at"]
    return lambda which: insert(CallLegAttempt).from_select(
        ["call_leg_id", *columns, "started_at"],
        select(
            CallLeg.id,
            *(bindparam(f"b_try{n}_{name}", type_=getattr(CallLegAttempt, name).type) for name in columns),
            func.coalesce(before, CallLeg.started_at),
        ).where(which, CallLeg.position == position),
    )


def _legs_update(changes: Mapping[int, tuple[str, ...]]) -> Callable[[ColumnElement[bool]], Update]:
    """One UPDATE of the call's changed legs: each column set per position with a CASE (values bound as
    ``b_leg{position}_{column}``)."""
    columns = sorted({name for change in changes.values() for name in change})
    values = {
        name: case(
            *[
                (CallLeg.position == p, bindparam(f"b_leg{p}_{name}", type_=getattr(CallLeg, name).type))
                for p, change in changes.items()
                if name in change
            ],
            else_=getattr(CallLeg, name),
        )
        for name in columns
    }
    return lambda which: update(CallLeg).where(which, CallLeg.position.in_(list(changes))).values(values)


def _statements(
    dialect: str, call_update: Update, *dependents: Callable[[ColumnElement[bool]], Update | Insert]
) -> tuple[Executable, ...]:
    """A conditional UPDATE of one call and, only if it applies, the statements on that call's legs.

    On PostgreSQL they all ride in one statement (data-modifying CTEs); SQLite has none, so each
    dependent takes a statement of its own there, for the call's id bound as ``b_call_id``. The
    first statement answers the call's id when its UPDATE applied, else nothing. (Parameters are
    named ``b_…``: SQLAlchemy keeps a column's bare name for its own SET parameters.)
    """
    if dialect == "postgresql" and dependents:
        moved = call_update.returning(Call.id).cte("moved")
        query = select(moved.c.id)
        for n, dependent in enumerate(dependents):
            statement = dependent(CallLeg.call_id.in_(select(moved.c.id)))
            query = query.add_cte(statement.returning(statement.table.c.id).cte(f"legs{n}"))
        return (query,)
    return (
        call_update.returning(Call.id),
        *(dependent(CallLeg.call_id == bindparam("b_call_id")) for dependent in dependents),
    )


def _run(session: DbSession, statements: tuple[Executable, ...], values: Mapping[str, Any] | None = None) -> bool:
    """Run ``_statements``' statements with their values; True when the call's UPDATE applied.

    They run as Core on the session's connection (its transaction): there are no objects in the
    session for the ORM to keep in step, and its bookkeeping would cost more than the SQL.
    """
    connection = session.connection()
    first, *dependents = statements
    call_id = connection.execute(first, values).scalar()
    if call_id is None:
        return False
    for dependent in dependents:
        connection.execute(dependent, {**(values or {}), "b_call_id": call_id})
    return True


def handle_status(session: DbSession, public_id: str, form: Mapping[str, str]) -> bool:
    """Apply one status callback; duplicates and late arrivals change nothing. True when applied.

    One conditional UPDATE decides and writes: the call must be ours (its CallSid, when known),
    not yet over, the callback newer than the last one applied (SequenceNumber) and never a step
    back in the call's life. A final status also cancels a leg left dialing (the supporter hung up
    mid-conversation, so its Dial result never comes): on PostgreSQL in the same statement.
    """
    status = _CALL_STATUSES.get(form.get("CallStatus", ""))
    if status is None:
        return False
    sid, sequence = _sid(form.get("CallSid")), _int(form.get("SequenceNumber"))
    answered_by = form.get("AnsweredBy") if form.get("AnsweredBy") in ANSWERED_BY_VALUES else None
    dialect = session.get_bind().dialect.name
    statements = _status_statements(dialect, status, sid is not None, sequence is not None, answered_by is not None)
    values = {
        "b_public_id": public_id,
        "b_sid": sid,
        "b_sequence": sequence,
        "b_answered_by": answered_by,
        "b_now": utcnow(),
        "b_duration": _int(form.get("CallDuration")),
    }
    applied = _run(session, statements, values)
    session.commit()
    return applied


@lru_cache(maxsize=256)  # a few shapes in practice; bounded all the same
def _status_statements(
    dialect: str, status: CallStatus, with_sid: bool, with_sequence: bool, with_answered_by: bool
) -> tuple[Executable, ...]:
    """The statements for one shape of status callback, built once; the callback's values are bound when run."""
    now = bindparam("b_now", type_=Call.ended_at.type)
    conditions = [Call.public_id == bindparam("b_public_id"), Call.status.not_in(FINAL_CALL_STATUSES)]
    values: dict[str, Any] = {"status": status}
    if with_sid:
        sid = bindparam("b_sid", type_=Call.twilio_sid.type)
        conditions.append(or_(Call.twilio_sid.is_(None), Call.twilio_sid == sid))
        values["twilio_sid"] = func.coalesce(Call.twilio_sid, sid)
    if with_sequence:
        sequence = bindparam("b_sequence", type_=Call.status_sequence.type)
        conditions.append(Call.status_sequence < sequence)
        values["status_sequence"] = sequence
    if status not in FINAL_CALL_STATUSES:
        conditions.append(Call.status.in_([s for s, rank in _PROGRESS.items() if rank <= _PROGRESS[status]]))
    if with_answered_by:
        # The first verdict stands (the machine-detection webhook's, or the answered webhook's).
        values["answered_by"] = func.coalesce(Call.answered_by, bindparam("b_answered_by", type_=Call.answered_by.type))
    if status == CallStatus.in_progress:
        values["answered_at"] = func.coalesce(Call.answered_at, now)
    if status not in FINAL_CALL_STATUSES:
        return _statements(dialect, update(Call).where(*conditions).values(values))
    # The number is needed only to place the call: once it is over, erase it.
    values.update(ended_at=now, duration=bindparam("b_duration", type_=Call.duration.type), phone_encrypted=None)
    cancel = lambda which: (  # noqa: E731  # legs still dialing: a conversation cut off never gets its Dial result
        update(CallLeg)
        .where(which, CallLeg.status == LegStatus.dialing)
        .values(status=LegStatus.canceled, ended_at=now)
    )
    return _statements(dialect, update(Call).where(*conditions).values(values), cancel)


def handle_machine(session: DbSession, public_id: str, form: Mapping[str, str]) -> bool:
    """Apply the asynchronous machine-detection verdict; True when it sends the call to the short message.

    The verdict is stored once (a repeat changes nothing). The pure flow decides whether it moves
    the call (``flow.machine_verdict``); the UPDATE applies that only if the call is still in the
    state the decision was made from, so a verdict racing the supporter's key press loses. A
    machine verdict for a call that has moved on is not stored: somebody pressed a key.
    """
    answered_by = form.get("AnsweredBy")
    if answered_by not in ANSWERED_BY_VALUES:
        return False
    call = find_call(session, public_id)
    if call is None or not owns_sid(call, form) or call.answered_by is not None or call.status in FINAL_CALL_STATUSES:
        return False
    state = vocabulary.FlowState(call.step, call.position, call.attempts)
    moved = flow.machine_verdict(state, answered_by)
    if moved is None and answered_by in MACHINE_ANSWERED_BY:
        log.info("call %s: a late machine verdict, ignored: the call has moved on", call.public_id)
        return False
    conditions = [Call.id == call.id, Call.answered_by.is_(None)]
    values: dict[str, Any] = {"answered_by": answered_by}
    if moved is not None:
        conditions += [Call.step == state.step, Call.position == state.position, Call.attempts == state.attempts]
        values.update(step=moved.step, position=moved.position, attempts=moved.attempts)
    applied = rows_changed(session, update(Call).where(*conditions).values(values)) == 1
    session.commit()
    return applied and moved is not None


def owns_sid(call: Call | LoadedCall, form: Mapping[str, str]) -> bool:
    """True unless the webhook names another CallSid than the call's own (a duplicate dial must not touch it)."""
    sid = _sid(form.get("CallSid"))
    return call.twilio_sid is None or sid is None or sid == call.twilio_sid


def _int(value: str | None) -> int | None:
    """A non-negative integer that fits an INTEGER column, or None."""
    try:
        number = int(value) if value not in (None, "") else None
    except ValueError:  # not a number, or more digits than Python will read
        return None
    return number if number is not None and 0 <= number <= _MAX_INT else None


def _sid(value: str | None) -> str | None:
    """A Twilio call SID, or None for anything that is not one."""
    return value if value and _CALL_SID.fullmatch(value) else None
