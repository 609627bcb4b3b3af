"""The supporter's call as a pure function: (state, webhook event) -> (TwiML, next state, effects).

No Flask, no database: the route layer loads the call, builds the plain values below, calls
:func:`respond`, persists the returned state and effects, and returns ``str(outcome.twiml)``.

The call, step by step (keys in :data:`KEY_MAP`; "silence x3" = two re-prompts, then the default)::

    start    answered by a person, unknown or no AMD -> script: greeting, talking points, menu
    start    answered by machine_* or fax            -> done: a short message, hang up
    start/script  asynchronous detection: a machine  -> machine (see machine_verdict)
    machine  any webhook (the dialer's redirect)     -> done: the short message, hang up
    script   1, or silence x3  -> dialing(first dialable leg), or the thank-you if there is none
                               (a leg whose offices are all closed now: "Their office is closed right
                               now … A message still counts.", then dialed all the same, for voicemail)
    script   2                 -> script: the talking points again
    dialing  busy / no answer / failed / never bridged, and the target has another office line
                               -> dialing(p, next line): "Their State House line was busy. Trying
                                  their district office." (``attempts`` is the line while dialing)
    dialing  dial result       -> feedback(p) if asked and they talked, else offer(next leg)
    feedback 1/2/3, silence x3 -> offer(next dialable leg), or the thank-you after the last
    offer    1, or silence x3  -> dialing(q)    2: talking points again    3: skip q
    waiting  silence, 1        -> dialing(first leg with a free line), else waiting(p) again (~20 s)
    waiting  3, WAIT_ROUNDS    -> skip p, offer(next leg)
    thank-you                  -> done (hang up)

On the way to the next leg, a vacant seat or a target without a phone is skipped aloud. With office
lines full (:class:`Lines`, from the route) a leg is dialed on its first free line, a target with none
is passed over aloud and come back to, and when no target left has a free line the supporter waits.

Stale or duplicate events. A webhook whose (step, event kind) is not in :data:`TRANSITIONS`
(e.g. a second ``dial`` result once the call has moved on, or the result of an office line tried
before the one being dialed now, a Gather result for a prompt that is
already past, a repeated ``answered``) changes nothing: no effects, the same state, and the TwiML
of the step the call is at now is issued again (the current prompt, the current leg's Dial, or a
bare ``<Hangup/>`` once done). If Twilio executes that answer, the call resumes exactly where our
state says it is; if Twilio ignores it (it was not waiting), nothing was corrupted. A state the
flow cannot interpret (unknown step, leg index out of range) ends the call politely.

The values it speaks of (steps, keys, events, inputs, effects) are in :mod:`callflow.vocabulary`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, TypeAlias

from twilio.twiml import TwiML
from twilio.twiml.voice_response import VoiceResponse

from voicesim.vocabulary import MACHINE_ANSWERED_BY

from .lines import FAILURE_PROMPTS, LINE_FAILURES, fails_over, free_line, line_name, next_leg, office_name, passed_over
from .prompts import district, message, speaking
from .say import split_for_say
from .vocabulary import (
    CONVERSATION_TIME_LIMIT_SECONDS,
    DIAL_LINE_PARAM,
    EVENT_DIAL,
    EVENT_GATHER,
    EVENT_SILENCE,
    EVENTS,
    EXTENSION_WAIT,
    FEEDBACK_KEYS,
    GATHER_TIMEOUT_SECONDS,
    GREETING_PAUSE_SECONDS,
    KEY_GO_ON,
    KEY_NOT_REQUESTED,
    KEY_REPEAT,
    KEY_SKIP,
    LEG_STEPS,
    MACHINE_INTERRUPTIBLE_STEPS,
    MAX_REPROMPTS,
    STEPS,
    WAIT_GATHER_TIMEOUT_SECONDS,
    WAIT_PAUSE_SECONDS,
    WAIT_ROUNDS,
    Answered,
    AnsweredByMachine,
    CallFinished,
    Campaign,
    DialFinished,
    Effect,
    Event,
    FeedbackOutcome,
    FlowState,
    GatherResult,
    Leg,
    LegDialing,
    LegFeedback,
    LegFinished,
    LegSkipped,
    Lines,
    NotRequested,
    Step,
    UrlFor,
)

_NOT_DTMF = re.compile(r"[^0-9*#]")
# Dial outcomes in which the supporter actually talked to someone (or something) at the office.
_CONNECTED_STATUSES: Final = frozenset({"completed", "answered"})


@dataclass(frozen=True)
class Outcome:
    """What to answer Twilio, what to store as the call's state, and what to record."""

    twiml: VoiceResponse
    state: FlowState
    effects: tuple[Effect, ...]


# --- Building one response --------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    campaign: Campaign
    legs: tuple[Leg, ...]
    url: UrlFor
    full: frozenset[str] = frozenset()  # office numbers with no line free
    pending: frozenset[int] = frozenset()  # legs neither dialed nor skipped yet

    def link(self, event: str) -> str:
        # Only fixed event names ever reach a URL: no numbers, names or targets.
        assert event in EVENTS, event
        return self.url(event)


class _Turn:
    """Accumulates one webhook's answer; local to a single :func:`respond` call."""

    def __init__(self, ctx: _Context) -> None:
        self.ctx = ctx
        self.response = VoiceResponse()
        self.effects: list[Effect] = []

    def say(self, text: str, into: TwiML | None = None) -> None:
        target: TwiML = self.response if into is None else into
        c = self.ctx.campaign
        for chunk in split_for_say(text):
            target.say(chunk, voice=c.voice, language=c.language)

    def finish(self, state: FlowState) -> Outcome:
        return Outcome(self.response, state, tuple(self.effects))


def _target(leg: Leg) -> str:
    if not leg.name:
        return message("target_unnamed")
    if leg.district:
        return message("target_with_district", name=leg.name, district=district(leg.district))
    return message("target", name=leg.name)


def _ask(
    turn: _Turn, step: str, position: int, attempts: int, lead: Sequence[str] = (), instructions: str | None = None
) -> Outcome:
    """Gather one key for a prompt step (after ``lead``, with the step's own instructions unless others are
    given); silence falls through to the <Redirect>."""
    ctx = turn.ctx
    # finishOnKey="" makes "#" an ordinary (unknown) key rather than an empty submission.
    gather = turn.response.gather(
        action=ctx.link(EVENT_GATHER),
        method="POST",
        num_digits=1,
        timeout=GATHER_TIMEOUT_SECONDS,
        finish_on_key="",
    )
    for text in lead:
        turn.say(text, into=gather)
    turn.say(instructions or _PROMPTS[step].instructions(ctx, position), into=gather)
    # Without actionOnEmptyResult Twilio runs the next verb on timeout: this defines silence.
    turn.response.redirect(ctx.link(EVENT_SILENCE), method="POST")
    return turn.finish(FlowState(step, position, attempts))


def _choose(turn: _Turn, first: int | None = None, done: int | None = None) -> tuple[int | None, list[int]]:
    """The next leg with a free line (:func:`callflow.lines.next_leg`), skipping aloud those that cannot be dialed."""
    ctx = turn.ctx
    choice = next_leg(ctx.legs, ctx.pending, ctx.full, first, done)
    for position in choice.undialable:
        leg = ctx.legs[position]
        turn.effects.append(LegSkipped(position, "vacant" if leg.vacant else "no_phone"))
        if not leg.vacant:
            turn.say(message("no_phone", target=_target(leg)))
        elif leg.district:
            turn.say(message("vacant", district=district(leg.district, article=True)))
        else:
            turn.say(message("vacant_no_district"))
    return choice.found, list(choice.passed)


def _thank(turn: _Turn) -> Outcome:
    ctx = turn.ctx
    turn.say(ctx.campaign.thanks or message("thanks_default"))
    turn.say(message("share"))
    turn.say(message("goodbye"))
    turn.response.hangup()
    turn.effects.append(CallFinished())
    return turn.finish(FlowState(Step.DONE, len(ctx.legs), 0))


def _dial(turn: _Turn, position: int) -> Outcome:
    """Announce and dial leg ``position``, or the next leg with a free line; wait or thank when there is none."""
    return _connect(turn, *_choose(turn, first=position), position)


def _connect(turn: _Turn, found: int | None, passed: Sequence[int], asked: int) -> Outcome:
    """Dial ``found`` (the leg ``asked`` for, or the one taken instead of it), or wait, or thank."""
    if found is None:
        return _wait(turn, passed[0], 0) if passed else _thank(turn)
    for p in passed:
        turn.say(message("lines_full_later", target=_target(turn.ctx.legs[p])))
    leg = turn.ctx.legs[found]
    back = found != asked and passed_over(found, turn.ctx.pending, len(turn.ctx.legs))  # asked was named already
    turn.say(message("back_to" if back else "connecting", target=_target(leg)))
    if leg.closed:
        turn.say(message("office_closed"))
    return _dial_line(turn, found, free_line(leg.lines, turn.ctx.full) or 0)  # _choose found a free one


def _wait(turn: _Turn, position: int, rounds: int) -> Outcome:
    """Every line of the targets still to call is full: a short sentence, a pause, then a look again."""
    gather = turn.response.gather(
        action=turn.ctx.link(EVENT_GATHER),
        method="POST",
        num_digits=1,
        timeout=WAIT_GATHER_TIMEOUT_SECONDS,
        finish_on_key="",
    )
    sentence = message("wait_offer" if rounds == 0 else "wait_still", target=_target(turn.ctx.legs[position]))
    turn.say(sentence, into=gather)
    gather.pause(length=WAIT_PAUSE_SECONDS)
    turn.response.redirect(turn.ctx.link(EVENT_SILENCE), method="POST")
    return turn.finish(FlowState(Step.WAITING, position, rounds))


def _dial_line(turn: _Turn, position: int, line: int, *, record: bool = True, failover: bool = False) -> Outcome:
    """Dial office line ``line`` of leg ``position``; while dialing, the state's ``attempts`` is that line."""
    office = turn.ctx.legs[position].lines[line]
    action = turn.ctx.link(EVENT_DIAL)
    dial = turn.response.dial(
        action=f"{action}?{DIAL_LINE_PARAM}={line}" if line else action,
        method="POST",
        timeout=turn.ctx.campaign.ring_timeout,
        # A phone left lying on a table must not hold an office's line for Twilio's default 4 hours.
        time_limit=CONVERSATION_TIME_LIMIT_SECONDS,
        hangup_on_star=True,
    )
    extension = _NOT_DTMF.sub("", office.extension or "")
    dial.number(office.phone, send_digits=EXTENSION_WAIT + extension if extension else None)
    if record:
        turn.effects.append(LegDialing(position, line, failover))
    return turn.finish(FlowState(Step.DIALING, position, line))


# --- Actions: what a key (or the silent default) does at a prompt -----------------------------

_Action: TypeAlias = Callable[[_Turn, int], Outcome]


def _go_on_from_script(turn: _Turn, _position: int) -> Outcome:
    return _dial(turn, 0)


def _not_requested(turn: _Turn, position: int) -> Outcome:
    if not turn.ctx.campaign.placed:  # they dialed us: 9 means nothing here
        return _ask(turn, Step.SCRIPT, position, 0, lead=[message("invalid")])
    turn.say(message("not_requested_goodbye"))
    turn.response.hangup()
    turn.effects += [NotRequested(), CallFinished()]
    return turn.finish(FlowState(Step.DONE, 0, 0))


def _repeat_script(turn: _Turn, position: int) -> Outcome:
    return _ask(turn, Step.SCRIPT, position, 0, lead=[turn.ctx.campaign.talking_points])


def _after_leg(turn: _Turn, position: int) -> Outcome:
    found, passed = _choose(turn, done=position)
    if found is None:
        return _wait(turn, passed[0], 0) if passed else _thank(turn)
    for p in passed:
        turn.say(message("lines_full_later", target=_target(turn.ctx.legs[p])))
    again = passed_over(found, turn.ctx.pending, len(turn.ctx.legs))
    lead = [message("lines_free_again", target=_target(turn.ctx.legs[found]))] if again else []
    return _ask(turn, Step.OFFER, found, 0, lead=lead)


def _feedback(outcome: FeedbackOutcome) -> _Action:
    def record(turn: _Turn, position: int) -> Outcome:
        turn.effects.append(LegFeedback(position, outcome))
        turn.say(message("feedback_thanks"))
        return _after_leg(turn, position)

    return record


def _repeat_offer(turn: _Turn, position: int) -> Outcome:
    return _ask(turn, Step.OFFER, position, 0, lead=[turn.ctx.campaign.talking_points])


def _skip_offered(turn: _Turn, position: int) -> Outcome:
    turn.effects.append(LegSkipped(position, "supporter"))
    turn.say(message("skipped", target=_target(turn.ctx.legs[position])))
    return _after_leg(turn, position)


@dataclass(frozen=True)
class _Prompt:
    instructions: Callable[[_Context, int], str]
    keys: Mapping[str, _Action]
    default: _Action  # taken after MAX_REPROMPTS re-prompts


_PROMPTS: Final[Mapping[str, _Prompt]] = MappingProxyType(
    {
        Step.SCRIPT: _Prompt(
            instructions=lambda ctx, position: message(
                "script_instructions" if ctx.campaign.placed else "script_instructions_call_in"
            ),
            keys={KEY_GO_ON: _go_on_from_script, KEY_REPEAT: _repeat_script, KEY_NOT_REQUESTED: _not_requested},
            default=_go_on_from_script,
        ),
        Step.FEEDBACK: _Prompt(
            instructions=lambda ctx, position: message("feedback_instructions"),
            keys={key: _feedback(outcome) for key, outcome in FEEDBACK_KEYS.items()},
            default=_after_leg,  # no feedback recorded: the supporter said nothing
        ),
        Step.OFFER: _Prompt(
            instructions=lambda ctx, position: message("offer_instructions", target=_target(ctx.legs[position])),
            keys={KEY_GO_ON: _dial, KEY_REPEAT: _repeat_offer, KEY_SKIP: _skip_offered},
            default=_dial,  # a silent supporter is still patched through
        ),
    }
)

# --- Handlers: one per (step, event kind) -----------------------------------------------------

_Handler: TypeAlias = Callable[[_Context, FlowState, Event], Outcome]


def _on_start(ctx: _Context, state: FlowState, event: Event) -> Outcome:
    # Any first webhook begins the call; only an explicit machine answer stops it.
    answered_by = event.answered_by if isinstance(event, Answered) else None
    if answered_by in MACHINE_ANSWERED_BY:
        assert answered_by is not None
        return _leave_voicemail(ctx, [AnsweredByMachine(answered_by)])
    turn = _Turn(ctx)
    turn.response.pause(length=GREETING_PAUSE_SECONDS)
    turn.say(ctx.campaign.greeting or message("greeting_default", title=ctx.campaign.title))
    offer = [message("not_requested_offer")] if ctx.campaign.placed else []
    # The offer to press 9 was just made: the menu after the talking points does not say it again
    # (every later menu does, for whoever missed it).
    return _ask(
        turn,
        Step.SCRIPT,
        0,
        0,
        lead=[*offer, ctx.campaign.talking_points],
        instructions=message("script_instructions_call_in"),
    )


def _leave_voicemail(ctx: _Context, effects: list[Effect]) -> Outcome:
    turn = _Turn(ctx)
    turn.say(message("machine", title=ctx.campaign.title))
    turn.response.hangup()
    turn.effects += [*effects, CallFinished()]
    return turn.finish(FlowState(Step.DONE, 0, 0))


def _on_machine(ctx: _Context, state: FlowState, event: Event) -> Outcome:
    # The dialer's redirect, or whichever webhook arrives first: the machine hears the short message.
    return _leave_voicemail(ctx, [])


def machine_verdict(state: FlowState, answered_by: str) -> FlowState | None:
    """Where an asynchronous machine-detection result moves the call; None when it changes nothing.

    A machine (or fax) heard only the greeting so far: the call goes to the machine step and the
    short message. A person, an unknown verdict, or any verdict once the call has moved on leaves
    the call where it is.
    """
    if answered_by in MACHINE_ANSWERED_BY and state.step in MACHINE_INTERRUPTIBLE_STEPS:
        return FlowState(Step.MACHINE, 0, 0)
    return None


def _reprompt(turn: _Turn, state: FlowState, why: str) -> Outcome:
    if state.attempts >= MAX_REPROMPTS:
        turn.say(message(why))
        return _PROMPTS[state.step].default(turn, state.position)
    return _ask(turn, state.step, state.position, state.attempts + 1, lead=[message(why)])


def _on_key(ctx: _Context, state: FlowState, event: Event) -> Outcome:
    assert isinstance(event, GatherResult)
    turn = _Turn(ctx)
    digits = event.digits.strip()
    if not digits:
        return _reprompt(turn, state, "silence")
    action = _PROMPTS[state.step].keys.get(digits)
    if action is None:
        return _reprompt(turn, state, "invalid")
    return action(turn, state.position)


def _on_silence(ctx: _Context, state: FlowState, event: Event) -> Outcome:
    return _reprompt(_Turn(ctx), state, "silence")


def _on_waiting(ctx: _Context, state: FlowState, event: Event) -> Outcome:
    """3 skips the target waited for; silence or any other key looks at the lines again."""
    turn = _Turn(ctx)
    if isinstance(event, GatherResult) and event.digits.strip() == KEY_SKIP:
        return _skip_offered(turn, state.position)
    found, passed = _choose(turn, first=state.position)
    if found is not None:
        return _connect(turn, found, passed, state.position)
    if state.attempts + 1 >= WAIT_ROUNDS:
        turn.effects.append(LegSkipped(state.position, "lines_full"))
        turn.say(message("wait_gave_up", target=_target(ctx.legs[state.position])))
        return _after_leg(turn, state.position)
    return _wait(turn, state.position, state.attempts + 1)


def _on_dial_finished(ctx: _Context, state: FlowState, event: Event) -> Outcome:
    assert isinstance(event, DialFinished)
    position, line = state.position, state.attempts
    lines = ctx.legs[position].lines
    if event.line != line or line >= len(lines):
        return _replay(ctx, state, event)  # a late or repeated result of a line tried before: changes nothing
    turn = _Turn(ctx)
    # DialBridged false with a "completed" status means nobody was ever on the line
    # (e.g. star pressed while it rang): no thanks for a call, and no feedback question.
    connected = event.status in _CONNECTED_STATUSES and event.bridged is not False
    # The target's next office line that is free; a full one is not rung (it is someone else's conversation).
    next_line = None if connected or not fails_over(event.status) else free_line(lines, ctx.full, line + 1)
    failing_over = next_line is not None
    turn.effects.append(
        LegFinished(
            position, event.status, event.duration, event.sid, event.bridged, line, lines[line].kind, failing_over
        )
    )
    if next_line is not None:
        # The supporter hears why, then the target's next office: the leg is not over yet.
        turn.say(message(LINE_FAILURES[event.status], line=line_name(lines[line].kind)))
        turn.say(message("trying_next_line", office=office_name(lines[next_line].kind)))
        return _dial_line(turn, position, next_line, failover=True)
    if connected:
        sentence = message("dial_completed")
    elif event.status in FAILURE_PROMPTS:
        sentence = message(FAILURE_PROMPTS[event.status])
    else:
        sentence = ""  # never bridged, or a status we cannot put into words: recorded, not said
    if connected and ctx.campaign.ask_feedback:
        return _ask(turn, Step.FEEDBACK, position, 0, lead=[sentence])
    if sentence:
        turn.say(sentence)
    return _after_leg(turn, position)


def _replay(ctx: _Context, state: FlowState, event: Event) -> Outcome:
    """Off-table event: issue the current step's TwiML again; same state, no effects."""
    turn = _Turn(ctx)
    if state.step in _PROMPTS:
        # The script prompt is the talking points; without them a repeat would be a bare menu.
        lead = [ctx.campaign.talking_points] if state.step == Step.SCRIPT else []
        return _ask(turn, state.step, state.position, state.attempts, lead=lead)
    if state.step == Step.DIALING:
        if state.attempts >= len(ctx.legs[state.position].lines):
            return _thank(turn)  # a line that is no longer planned: end politely rather than guess
        if state.attempts == 0:
            turn.say(message("connecting", target=_target(ctx.legs[state.position])))
            if ctx.legs[state.position].closed:
                turn.say(message("office_closed"))
        return _dial_line(turn, state.position, state.attempts, record=False)
    if state.step == Step.WAITING:
        return _wait(turn, state.position, state.attempts)
    turn.response.hangup()  # DONE: the call is over whatever arrives
    return turn.finish(state)


TRANSITIONS: Final[Mapping[tuple[str, str], _Handler]] = MappingProxyType(
    {
        **{(Step.START, kind): _on_start for kind in EVENTS},
        **{(step, EVENT_GATHER): _on_key for step in _PROMPTS},
        **{(step, EVENT_SILENCE): _on_silence for step in _PROMPTS},
        (Step.DIALING, EVENT_DIAL): _on_dial_finished,
        (Step.WAITING, EVENT_GATHER): _on_waiting,
        (Step.WAITING, EVENT_SILENCE): _on_waiting,
        **{(Step.MACHINE, kind): _on_machine for kind in EVENTS},
    }
)


def respond(
    state: FlowState,
    event: Event,
    campaign: Campaign,
    legs: Sequence[Leg],
    url: UrlFor,
    lines: Lines | None = None,
) -> Outcome:
    """Answer one Twilio webhook: the TwiML to return, the call's next state, and what to record."""
    lines = lines or Lines()
    ctx = _Context(campaign, tuple(legs), url, lines.full, lines.pending_legs(state.position, len(legs)))
    if state.step not in STEPS or (state.step in LEG_STEPS and not 0 <= state.position < len(ctx.legs)):
        # Unreadable state (a renamed step, legs that changed under the call): end politely
        # rather than guess which target the supporter was on.
        with speaking(campaign.locale):
            return _thank(_Turn(ctx))
    handler = TRANSITIONS.get((state.step, event.kind), _replay)
    with speaking(campaign.locale):
        return handler(ctx, state, event)
