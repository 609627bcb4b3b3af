"""Where a call stands, for the supporter watching the call page: derived from the Call row. No Flask.

The steps are the call flow's (callflow.vocabulary.Step); a step this module does not know, such as
one added to the flow later, is described generically ("in progress") rather than guessed at.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from callflow.vocabulary import Step
from models import Call, CallLeg, CallStatus, LegStatus, utcnow
from voicesim.vocabulary import MACHINE_ANSWERED_BY

_TALKING_STEPS = frozenset({Step.START, Step.SCRIPT})
_BETWEEN_STEPS = frozenset({Step.FEEDBACK, Step.OFFER, Step.DONE})


class CallState(StrEnum):
    """What the supporter is told; the status JSON's `state` and the page's data-state."""

    QUEUED = "queued"
    SCHEDULED = "scheduled"  # waiting for the supporter's morning (nobody is rung at night)
    RETRYING = "retrying"
    RINGING = "ringing"
    TALKING_POINTS = "talking_points"
    CONNECTED = "connected"
    BETWEEN = "between"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    UNREACHED = "unreached"
    FAILED = "failed"
    CANCELED = "canceled"


FINAL_STATES = frozenset({CallState.DONE, CallState.UNREACHED, CallState.FAILED, CallState.CANCELED})


class LegState(StrEnum):
    """One leg as the page shows it."""

    UPCOMING = "upcoming"
    CURRENT = "current"
    REACHED = "reached"
    MISSED = "missed"
    SKIPPED = "skipped"


_LEG_STATES = {
    LegStatus.planned: LegState.UPCOMING,
    LegStatus.dialing: LegState.CURRENT,
    LegStatus.completed: LegState.REACHED,
    LegStatus.answered: LegState.REACHED,
    LegStatus.busy: LegState.MISSED,
    LegStatus.no_answer: LegState.MISSED,
    LegStatus.failed: LegState.MISSED,
    LegStatus.canceled: LegState.MISSED,
    LegStatus.skipped: LegState.SKIPPED,
}


@dataclass(frozen=True)
class Progress:
    """The call's state for the page; `leg` is the leg the state is about (connected to, next up)."""

    state: CallState
    leg: CallLeg | None
    legs: tuple[tuple[CallLeg, LegState], ...]
    chose_time: bool = False  # scheduled for a time the supporter chose (when the offices open)

    @property
    def final(self) -> bool:
        """True when nothing more will happen: the page can stop asking."""
        return self.state in FINAL_STATES


def _leg_at(call: Call, position: int) -> CallLeg | None:
    return next((leg for leg in call.legs if leg.position == position), None)


def _in_progress(call: Call) -> tuple[CallState, CallLeg | None]:
    if call.step in _TALKING_STEPS:
        return CallState.TALKING_POINTS, None
    leg = _leg_at(call, call.position)
    if call.step == Step.DIALING and leg is not None:
        return CallState.CONNECTED, leg
    if call.step in _BETWEEN_STEPS:
        upcoming = next((g for g in call.legs if g.position >= call.position and g.status == LegStatus.planned), None)
        return CallState.BETWEEN, upcoming
    return CallState.IN_PROGRESS, None


def describe(call: Call) -> Progress:
    """The call's state from its status, step, position and legs."""
    leg: CallLeg | None = None
    if call.status == CallStatus.queued and call.scheduled_for is not None and call.scheduled_for > utcnow():
        state = CallState.SCHEDULED
    elif call.status == CallStatus.queued:
        # The dialer has tried and will try again (Twilio busy or slow): say so rather than "getting ready".
        state = CallState.RETRYING if call.dial_attempts and call.failure_reason else CallState.QUEUED
    elif call.status in (CallStatus.initiated, CallStatus.ringing):
        state = CallState.RINGING
    elif call.status == CallStatus.in_progress:
        state, leg = _in_progress(call)
    elif call.status == CallStatus.completed:
        # A machine or fax that answered heard a short message; the supporter was never reached.
        machine = call.answered_by in MACHINE_ANSWERED_BY
        state = CallState.UNREACHED if machine else CallState.DONE
    elif call.status in (CallStatus.busy, CallStatus.no_answer):
        state = CallState.UNREACHED
    elif call.status == CallStatus.canceled and call.dialed_at is None:
        state = CallState.CANCELED  # the supporter left the line before we dialed
    else:
        state = CallState.FAILED
    legs = tuple((g, _LEG_STATES.get(g.status, LegState.UPCOMING)) for g in call.legs)
    if state == CallState.CONNECTED and leg is not None:
        # The page marks the leg being dialled even before its status catches up.
        legs = tuple((g, LegState.CURRENT if g is leg else s) for g, s in legs)
    return Progress(state, leg, legs, bool(call.chose_time))


class View(StrEnum):
    """The call page as a whole (heading, words, demo box, ending): one value, so no two parts disagree."""

    SCHEDULED = "scheduled"  # waiting for the supporter's morning
    PREVIEW = "preview"  # no phone line on this server: nobody will ring, the preview is offered
    WAITING = "waiting"  # queued, retrying, ringing: before the supporter answers
    CALLING = "calling"  # the supporter is on the call
    DONE = "done"  # over, and at least one office answered
    NOBODY_ANSWERED = "nobody_answered"  # over, and no office answered
    ENDED_EARLY = "ended_early"  # over before any office was dialed (the supporter hung up)
    UNREACHED = "unreached"  # we couldn't reach the supporter, or couldn't place the call
    CANCELED = "canceled"


_BEFORE_ANSWER = frozenset({CallState.QUEUED, CallState.RETRYING, CallState.RINGING})


def page_view(progress: Progress, preview: bool) -> View:
    """What the call page as a whole shows for this progress; `preview` when no phone line will ring."""
    state = progress.state
    if state == CallState.CANCELED:
        return View.CANCELED
    if state == CallState.SCHEDULED:
        return View.SCHEDULED
    if state in (CallState.UNREACHED, CallState.FAILED):
        return View.UNREACHED
    if state == CallState.DONE:
        if reached(progress):
            return View.DONE
        tried = any(leg_state == LegState.MISSED for _, leg_state in progress.legs)
        return View.NOBODY_ANSWERED if tried else View.ENDED_EARLY
    if state in _BEFORE_ANSWER:
        return View.PREVIEW if preview and state == CallState.QUEUED else View.WAITING
    return View.CALLING


def reached(progress: Progress) -> tuple[CallLeg, ...]:
    """The legs whose office answered."""
    return tuple(leg for leg, state in progress.legs if state == LegState.REACHED)


def missed(progress: Progress) -> tuple[CallLeg, ...]:
    """The legs not reached (busy, unanswered, skipped, never dialed) that the supporter could still dial."""
    return tuple(
        leg for leg, state in progress.legs if state != LegState.REACHED and leg.target is not None and leg.target.phone
    )
