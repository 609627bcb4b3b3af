"""What each Twilio webhook does to the stored call: load it, run the pure flow, record the effects."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, insert, or_, select, update

from callflow import flow, vocabulary
from callflow.office_lines import lease_until, lines_now, release_lines_statement, take_line
from callflow.parameters import parse_event
from callflow.plans import LoadedCall, load_call
from callflow.responses import apology
from callflow.writes import Dependent, Write, param, prepare
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
    EventType,
    LegStatus,
    utcnow,
)
from security.blocklist import add_block
from voicesim.vocabulary import ANSWERED_BY_VALUES, MACHINE_ANSWERED_BY
from webhooks.outbox import outbox_insert

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
    line_limit: int = 0,
    office_hours: bool = True,
) -> str:
    """Answer one voice webhook: run the flow from the stored state and record what happened.

    One read (the call's state; its plan and campaign come from ``callflow.plans``) and one write:
    a conditional UPDATE that applies only if the call is still in the state the flow started
    from, so two racing webhooks cannot both apply. The loser answers from the state the winner
    left, as the flow answers any stale event. With ``office_hours`` off (``OFFICE_HOURS=always``), no office
    counts as closed.

    With ``line_limit`` (OFFICE_LINE_LIMIT), the flow is told which office numbers have no line free
    and which legs are still to call; an office line the flow dials is taken in the same transaction
    as the write, and when another call took it first the flow decides again (``callflow.office_lines``).
    """
    event = parse_event(event_name, form)
    dial_sid = _sid(event.sid) if isinstance(event, vocabulary.DialFinished) else None
    outcome = None
    held = True
    # Each lost line is a line another call took since the read: a few rounds settle even a surge.
    for _ in range(5):
        call = load_call(session, public_id, dial_sid, voices)
        if call is None:
            log.warning("voice webhook for an unknown call")
            return apology("unknown_call")
        if not owns_sid(call, form):
            log.warning("call %s: voice webhook from another CallSid; hanging up", public_id)
            return apology("unknown_call")
        limit, now = (0 if call.preview else line_limit), utcnow()
        legs = call.legs_at(now if office_hours else None)
        outcome = flow.respond(call.state, event, call.campaign, legs, url)
        if limit > 0 and _chooses(call, outcome):  # which target or line is next depends on the lines
            outcome = flow.respond(call.state, event, call.campaign, legs, url, _lines(session, call, legs, limit, now))
        held = _hold_line(session, call, legs, outcome, limit, now)
        if held and _record(session, call, outcome, _sid(form.get("CallSid")), _gives_back_line(call, outcome, limit)):
            return str(outcome.twiml)
        session.rollback()
    if not held and call is not None:
        # Other calls kept taking the lines this one chose: the current prompt again, and nothing dialed.
        log.warning("call %s: every line chosen was taken meanwhile; repeating the current step", public_id)
        return str(flow.respond(call.state, vocabulary.Answered(), call.campaign, legs, url).twiml)
    log.warning("call %s: the call kept moving under this webhook; answering from where it was", public_id)
    assert outcome is not None
    return str(outcome.twiml)


# Steps from which the flow may dial an office line: only they need to know which lines are free.
_MAY_DIAL = frozenset({vocabulary.Step.SCRIPT, vocabulary.Step.OFFER, vocabulary.Step.FEEDBACK})
_MAY_DIAL |= {vocabulary.Step.DIALING, vocabulary.Step.WAITING}


# Where a call goes once the flow has chosen the next target or line (the end included: a target passed
# over must be come back to before the thank-you).
_CHOSEN = frozenset({vocabulary.Step.OFFER, vocabulary.Step.DIALING, vocabulary.Step.WAITING, vocabulary.Step.DONE})


def _chooses(call: LoadedCall, outcome: flow.Outcome) -> bool:
    """Whether this webhook moves the call on to a target or office line, so the lines' facts matter.

    A repeated prompt, the feedback question or a replay does not: they cost no extra read.
    """
    moved = outcome.state != call.state or bool(outcome.effects)
    return bool(call.plan) and moved and call.state.step in _MAY_DIAL and outcome.state.step in _CHOSEN


def _lines(
    session: DbSession, call: LoadedCall, legs: Sequence[vocabulary.Leg], limit: int, now: datetime
) -> vocabulary.Lines:
    """Which of the call's office numbers are full, and which of its legs are still to call."""
    phones = [line.phone for leg in legs for line in leg.lines]
    return lines_now(session, call.id, phones, limit, now)


def _hold_line(
    session: DbSession,
    call: LoadedCall,
    legs: Sequence[vocabulary.Leg],
    outcome: flow.Outcome,
    limit: int,
    now: datetime,
) -> bool:
    """Take the office line the flow dials now (giving back the one it held); False when another call took it."""
    dialing = _dials(outcome)
    if limit <= 0 or dialing is None:
        return True
    phone = legs[dialing.position].lines[dialing.line].phone
    until = lease_until(now, call.campaign.ring_timeout)
    if take_line(session, call.id, phone, limit, until, now, held=call.state.step == vocabulary.Step.DIALING):
        return True
    log.info("call %s: an office line was taken meanwhile; choosing again", call.public_id)
    return False


def _gives_back_line(call: LoadedCall, outcome: flow.Outcome, limit: int) -> bool:
    """Whether the call's Dial is over with nothing dialed next: the line it held is given back with the write."""
    leaves = call.state.step == vocabulary.Step.DIALING and outcome.state.step != vocabulary.Step.DIALING
    return limit > 0 and leaves and _dials(outcome) is None


def _dials(outcome: flow.Outcome) -> vocabulary.LegDialing | None:
    return next((e for e in outcome.effects if isinstance(e, vocabulary.LegDialing)), None)


def _record(
    session: DbSession, call: LoadedCall, outcome: flow.Outcome, sid: str | None, gives_back_line: bool = False
) -> bool:
    """Store the flow's next state and effects if the call is still where the flow found it (and give back the
    office line it held, when ``gives_back_line``)."""
    values: dict[str, Any] = {}
    if outcome.state != call.state:
        values.update(step=outcome.state.step, position=outcome.state.position, attempts=outcome.state.attempts)
    if call.twilio_sid is None and sid is not None:
        values["twilio_sid"] = sid  # kept only if none is stored yet (a COALESCE)
    legs: dict[int, dict[str, Any]] = {}
    failovers: list[tuple[int, dict[str, Any]]] = []
    for effect in outcome.effects:
        _apply(call, effect, utcnow(), values, legs, failovers)
    if not values and not legs and not failovers and not gives_back_line:
        return True  # a replay: nothing to write
    shape = (
        tuple(sorted(values)),
        tuple((p, tuple(sorted(change))) for p, change in sorted(legs.items())),
        tuple(p for p, _ in failovers),
        gives_back_line,
    )
    params = {
        "p_id": call.id,
        "p_was_step": call.state.step,
        "p_was_position": call.state.position,
        "p_was_attempts": call.state.attempts,
        **{f"p_{name}": value for name, value in values.items()},
        **{f"p_leg{p}_{name}": value for p, change in legs.items() for name, value in change.items()},
        **{f"p_failover{n}_{k}": v for n, (_, attempt) in enumerate(failovers) for k, v in attempt.items()},
    }
    applied = _voice_write(_dialect(session), *shape).run(session, params)
    if applied:
        if any(isinstance(effect, vocabulary.NotRequested) for effect in outcome.effects):
            _block_caller(session, call.id)
        session.commit()
    return applied


@functools.lru_cache(maxsize=256)
def _voice_write(
    dialect: str,
    columns: tuple[str, ...],
    legs: tuple[tuple[int, tuple[str, ...]], ...],
    failovers: tuple[int, ...],
    gives_back_line: bool,
) -> Write:
    """The voice webhook's write of this shape: the call's changed ``columns`` (if the call is still in the state
    the flow started from), the changed columns of its ``legs`` by position, the office lines that legs at
    ``failovers`` failed over from, and the office line it gives back. Values are bound as p_<column>,
    p_leg<position>_<column>, p_failover<n>_<column>.
    """
    values: dict[str, Any] = {
        name: func.coalesce(Call.twilio_sid, param("p_twilio_sid", Call.twilio_sid))
        if name == "twilio_sid"
        else param(f"p_{name}", getattr(Call, name))
        for name in columns
    }
    if not values:
        values["step"] = Call.step  # the call's row still carries the condition
    moved = (
        update(Call)
        .where(
            Call.id == param("p_id", Call.id),
            Call.step == param("p_was_step", Call.step),
            Call.position == param("p_was_position", Call.position),
            Call.attempts == param("p_was_attempts", Call.attempts),
        )
        .values(values)
    )
    dependents: list[Dependent] = [_legs_update(legs)] if legs else []
    dependents += [_failover_insert(p, f"p_failover{n}_") for n, p in enumerate(failovers)]
    if gives_back_line:
        dependents.append(release_lines_statement)
    return prepare(dialect, moved, tuple(dependents))


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


_FAILOVER_COLUMNS = ("line", "kind", "status", "dial_call_sid", "duration", "ended_at")


def _failover_insert(position: int, prefix: str) -> Dependent:
    """One INSERT of an office line leg ``position`` failed over from (its values bound as ``prefix``<column>),
    with the leg's id read in the same statement. The attempt began when the line before it ended (or, for
    the first line, with the leg)."""
    before = select(func.max(CallLegAttempt.ended_at)).where(CallLegAttempt.call_leg_id == CallLeg.id).scalar_subquery()
    return lambda call_ids: insert(CallLegAttempt).from_select(
        ["call_leg_id", *_FAILOVER_COLUMNS, "started_at"],
        select(
            CallLeg.id,
            *(param(prefix + name, getattr(CallLegAttempt, name)) for name in _FAILOVER_COLUMNS),
            func.coalesce(before, CallLeg.started_at),
        ).where(CallLeg.call_id.in_(call_ids), CallLeg.position == position),
    )


def _legs_update(changes: tuple[tuple[int, tuple[str, ...]], ...]) -> Dependent:
    """One UPDATE of the call's changed legs: each column set per position with a CASE (values bound as
    p_leg<position>_<column>)."""
    columns = sorted({name for _, names in changes for name in names})
    values = {
        name: case(
            *[
                (CallLeg.position == p, param(f"p_leg{p}_{name}", getattr(CallLeg, name)))
                for p, names in changes
                if name in names
            ],
            else_=getattr(CallLeg, name),
        )
        for name in columns
    }
    positions = [p for p, _ in changes]
    return lambda call_ids: (
        update(CallLeg).where(CallLeg.call_id.in_(call_ids), CallLeg.position.in_(positions)).values(values)
    )


def _dialect(session: DbSession) -> str:
    return session.get_bind().dialect.name


def handle_status(session: DbSession, public_id: str, form: Mapping[str, str]) -> bool:
    """Apply one status callback; duplicates and late arrivals change nothing. True when it ended the call
    (a final status applied: the call's call.completed events are written, for the delivery to send).

    One conditional UPDATE decides and writes: the call must be ours (its CallSid, when known),
    not yet over, the callback newer than the last one applied (SequenceNumber) and never a step
    back in the call's life. A final status also cancels a leg left dialing (the supporter hung up
    mid-conversation, so its Dial result never comes), writes the call.completed outbox rows for
    the campaign's endpoints and gives back the office line the call held: on PostgreSQL in the same
    statement.
    """
    status = _CALL_STATUSES.get(form.get("CallStatus", ""))
    if status is None:
        return False
    sid, sequence, answered_by = _sid(form.get("CallSid")), _int(form.get("SequenceNumber")), form.get("AnsweredBy")
    known = answered_by in ANSWERED_BY_VALUES
    write = _status_write(_dialect(session), status, sid is not None, sequence is not None, known)
    params = {
        "p_public_id": public_id,
        "p_sid": sid,
        "p_sequence": sequence,
        "p_answered_by": answered_by,
        "p_now": utcnow(),
        "p_duration": _int(form.get("CallDuration")),
    }
    applied = write.run(session, params)
    session.commit()
    return applied and status in FINAL_CALL_STATUSES


@functools.lru_cache(maxsize=64)
def _status_write(dialect: str, status: CallStatus, with_sid: bool, with_sequence: bool, with_answer: bool) -> Write:
    """The status callback's conditional UPDATE for this status and these parameters (bound as p_public_id, p_sid,
    p_sequence, p_answered_by, p_now, p_duration), with a final status's dependents."""
    now = param("p_now", Call.ended_at)
    conditions = [Call.public_id == param("p_public_id", Call.public_id), Call.status.not_in(FINAL_CALL_STATUSES)]
    values: dict[str, Any] = {"status": status}
    if with_sid:
        sid = param("p_sid", Call.twilio_sid)
        conditions.append(or_(Call.twilio_sid.is_(None), Call.twilio_sid == sid))
        values["twilio_sid"] = func.coalesce(Call.twilio_sid, sid)
    if with_sequence:
        sequence = param("p_sequence", Call.status_sequence)
        conditions.append(Call.status_sequence < sequence)
        values["status_sequence"] = sequence
    if status not in FINAL_CALL_STATUSES:
        conditions.append(Call.status.in_([s for s, rank in _PROGRESS.items() if rank <= _PROGRESS[status]]))
    if with_answer:
        # The first verdict stands (the machine-detection webhook's, or the answered webhook's).
        values["answered_by"] = func.coalesce(Call.answered_by, param("p_answered_by", Call.answered_by))
    if status == CallStatus.in_progress:
        values["answered_at"] = func.coalesce(Call.answered_at, now)
    if status not in FINAL_CALL_STATUSES:
        return prepare(dialect, update(Call).where(*conditions).values(values))
    # The number is needed only to place the call: once it is over, erase it.
    values.update(ended_at=now, duration=param("p_duration", Call.duration), phone_encrypted=None)
    # A final status also ends the call for the organiser's endpoints (its call.completed event) and gives back any
    # office line it held (a conversation cut off never gets its Dial result), in the same write.
    ended = (_cancel_dialing_legs(now), _completed_event(now), release_lines_statement)
    return prepare(dialect, update(Call).where(*conditions).values(values), ended)


def _cancel_dialing_legs(now: ColumnElement[datetime]) -> Dependent:
    """Legs still dialing when the call ended: cancelled (a conversation cut off never gets its Dial result)."""
    return lambda call_ids: (
        update(CallLeg)
        .where(CallLeg.call_id.in_(call_ids), CallLeg.status == LegStatus.dialing)
        .values(status=LegStatus.canceled, ended_at=now)
    )


def _completed_event(now: ColumnElement[datetime]) -> Dependent:
    """The ended call's call.completed row for each of its campaign's endpoints (none for a preview)."""
    return lambda call_ids: outbox_insert(EventType.call_completed, call_ids, now)


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
    call = session.connection().execute(_VERDICT_READ, {"p_public_id": public_id}).one_or_none()
    if (
        call is None
        or not _sid_is(call.twilio_sid, form)
        or call.answered_by is not None
        or call.status in FINAL_CALL_STATUSES
    ):
        return False
    state = vocabulary.FlowState(call.step, call.position, call.attempts)
    moved = flow.machine_verdict(state, answered_by)
    if moved is None and answered_by in MACHINE_ANSWERED_BY:
        log.info("call %s: a late machine verdict, ignored: the call has moved on", public_id)
        return False
    params = {"p_id": call.id, "p_answered_by": answered_by}
    if moved is not None:
        params.update(p_was_step=state.step, p_was_position=state.position, p_was_attempts=state.attempts)
        params.update(p_step=moved.step, p_position=moved.position, p_attempts=moved.attempts)
    applied = _verdict_write(moved is not None).run(session, params)
    session.commit()
    return applied and moved is not None


# The verdict's read: what decides whether it applies and where the call is.
_VERDICT_READ = select(
    Call.id, Call.twilio_sid, Call.answered_by, Call.status, Call.step, Call.position, Call.attempts
).where(Call.public_id == param("p_public_id", Call.public_id))


@functools.cache
def _verdict_write(moves: bool) -> Write:
    """The verdict's UPDATE, stored once; when it ``moves`` the call, only from the state it was decided from."""
    conditions = [Call.id == param("p_id", Call.id), Call.answered_by.is_(None)]
    values: dict[str, Any] = {"answered_by": param("p_answered_by", Call.answered_by)}
    if moves:
        conditions += [
            Call.step == param("p_was_step", Call.step),
            Call.position == param("p_was_position", Call.position),
            Call.attempts == param("p_was_attempts", Call.attempts),
        ]
        values.update((name, param(f"p_{name}", getattr(Call, name))) for name in ("step", "position", "attempts"))
    return Write(update(Call).where(*conditions).values(values), returns_rows=False)


def owns_sid(call: Call | LoadedCall, form: Mapping[str, str]) -> bool:
    """True unless the webhook names another CallSid than the call's own (a duplicate dial must not touch it)."""
    return _sid_is(call.twilio_sid, form)


def _sid_is(twilio_sid: str | None, form: Mapping[str, str]) -> bool:
    sid = _sid(form.get("CallSid"))
    return twilio_sid is None or sid is None or sid == twilio_sid


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
