"""What each Twilio webhook does to the stored call: load it, run the pure flow, record the effects."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import object_session

from callflow import flow, vocabulary
from callflow.responses import apology
from models import (
    FINAL_CALL_STATUSES,
    BlockKind,
    Call,
    CallLeg,
    CallSource,
    CallStatus,
    DbSession,
    LegStatus,
    find_call,
    utcnow,
)
from phones import Allowed, classify_target
from security.blocklist import add_block
from voicesim.vocabulary import ANSWERED_BY_VALUES

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


def flow_campaign(call: Call) -> vocabulary.Campaign:
    """The campaign as the flow sees it."""
    c = call.campaign
    return vocabulary.Campaign(
        title=c.title,
        greeting=c.greeting,
        talking_points=c.talking_points,
        thanks=c.goodbye,
        ask_feedback=c.ask_feedback,
        voice=c.voice,
        language=c.language,
        placed=call.source != CallSource.call_in,
    )


def flow_legs(call: Call) -> tuple[vocabulary.Leg, ...]:
    """The planned legs as the flow sees them; a leg whose target left office counts as a vacant seat."""
    legs = []
    for leg in call.legs:
        target = leg.target
        district = leg.district.name if leg.district else (target.district.name if target and target.district else None)
        if target is None:
            legs.append(vocabulary.Leg(name="", district=district, vacant=True))
        else:
            legs.append(
                vocabulary.Leg(
                    name=f"{target.title} {target.name}",
                    district=district,
                    phone=dialable_target_phone(target.phone),
                    extension=target.extension,
                )
            )
    return tuple(legs)


def dialable_target_phone(phone: str | None) -> str | None:
    """The target's number when the number rules allow dialing it; None (skipped aloud) for a special number."""
    # Targets come from our own data, so any country and an office's toll-free line are fine; a
    # premium-rate or other special number is not, whoever typed it into a campaign file.
    if phone and isinstance(classify_target(phone), Allowed):
        return phone
    return None


def handle_voice(
    session: DbSession, public_id: str, event_name: str, form: Mapping[str, str], url: Callable[[str], str]
) -> str:
    """Answer one voice webhook: run the flow from the stored state and record what happened."""
    call = find_call(session, public_id, with_plan=True)
    if call is None:
        log.warning("voice webhook for an unknown call")
        return apology("unknown_call")
    if not owns_sid(call, form):
        log.warning("call %s: voice webhook from another CallSid; hanging up", call.public_id)
        return apology("unknown_call")
    event = vocabulary.parse_event(event_name, form)
    state = vocabulary.FlowState(call.step, call.position, call.attempts)
    outcome = flow.respond(state, event, flow_campaign(call), flow_legs(call), url)
    now = utcnow()
    call.step, call.position, call.attempts = outcome.state.step, outcome.state.position, outcome.state.attempts
    if call.twilio_sid is None:
        call.twilio_sid = _sid(form.get("CallSid"))
    for effect in outcome.effects:
        _apply(call, effect, now)
    session.commit()
    return str(outcome.twiml)


def _apply(call: Call, effect: vocabulary.Effect, now: datetime) -> None:
    legs = {leg.position: leg for leg in call.legs}
    match effect:
        case vocabulary.LegDialing(position=p) if p in legs:
            legs[p].status, legs[p].started_at = LegStatus.dialing, now
        case vocabulary.LegFinished(position=p) if p in legs:
            leg = legs[p]
            # A late duplicate of an earlier leg's result must not land on this one.
            if effect.dial_sid and any(o.dial_call_sid == effect.dial_sid for o in call.legs if o is not leg):
                return
            leg.status = _DIAL_STATUSES.get(effect.dial_status, LegStatus.failed)
            duration = effect.duration if effect.duration is not None and 0 <= effect.duration <= _MAX_INT else None
            leg.duration, leg.dial_call_sid, leg.ended_at = duration, _sid(effect.dial_sid), now
        case vocabulary.LegSkipped(position=p, reason=skipped_because) if p in legs:
            target = legs[p].target
            reason: str = skipped_because
            if reason == "no_phone" and target is not None and target.phone:
                # The flow saw no number because the number rules refused this one: say so in the record.
                reason = "refused_number"
                log.warning(
                    "call %s: refused to dial target %s: %s",
                    call.public_id,
                    target.id,
                    getattr(classify_target(target.phone), "reason", "refused"),
                )
            legs[p].status, legs[p].skip_reason = LegStatus.skipped, reason
        case vocabulary.LegFeedback(position=p, outcome=outcome) if p in legs:
            legs[p].feedback = outcome
        case vocabulary.AnsweredByMachine(answered_by=answered_by) if answered_by in ANSWERED_BY_VALUES:
            call.answered_by = answered_by
        case vocabulary.NotRequested() if call.caller is not None:
            call.not_requested = True
            session = object_session(call)
            assert session is not None
            add_block(session, BlockKind.phone, call.caller.phone_hash, "pressed 9 on a call: did not ask for it")
        case vocabulary.CallFinished():
            pass  # the completed status callback closes the call


def handle_status(session: DbSession, public_id: str, form: Mapping[str, str]) -> bool:
    """Apply one status callback; duplicates and late arrivals change nothing. True when applied."""
    call = find_call(session, public_id)
    status = _CALL_STATUSES.get(form.get("CallStatus", ""))
    if call is None or status is None or not owns_sid(call, form):
        return False
    sequence = _int(form.get("SequenceNumber"))
    if sequence is not None and sequence <= call.status_sequence:
        return False
    if call.status in FINAL_CALL_STATUSES:
        return False
    if status not in FINAL_CALL_STATUSES and _PROGRESS.get(status, 0) < _PROGRESS.get(call.status, 0):
        return False
    now = utcnow()
    call.status = status
    if sequence is not None:
        call.status_sequence = sequence
    if call.twilio_sid is None:
        call.twilio_sid = _sid(form.get("CallSid"))
    if form.get("AnsweredBy") in ANSWERED_BY_VALUES:
        call.answered_by = form["AnsweredBy"]
    if status == CallStatus.in_progress and call.answered_at is None:
        call.answered_at = now
    if status in FINAL_CALL_STATUSES:
        call.ended_at = now
        call.duration = _int(form.get("CallDuration"))
        # The number is needed only to place the call: once it is over, erase it.
        call.phone_encrypted = None
        # A conversation cut off by the supporter hanging up never gets its Dial result.
        session.execute(
            update(CallLeg)
            .where(CallLeg.call_id == call.id, CallLeg.status == LegStatus.dialing)
            .values(status=LegStatus.canceled, ended_at=now)
        )
    session.commit()
    return True


def owns_sid(call: Call, form: Mapping[str, str]) -> bool:
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
