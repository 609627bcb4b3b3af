"""The call-in line as a pure function: (state, webhook event, line) -> (TwiML, next state, effects).

Someone dialed the campaign's number. Before the call has legs, the line finds out where they live;
then it hands over to the call's own flow (:mod:`callflow.flow`) with a ``<Redirect>`` to the
call's ``answered`` URL, so a call-in hears the same greeting, talking points, keys and feedback
as a call-back. No Flask, no database: the webhooks pass a :class:`Line` whose ``resolve`` turns
the caller's answers into :class:`~callflow.vocabulary.Places` (the lookup, plainly).

The steps (keys in :data:`~callflow.vocabulary.KEY_MAP`; "silence x3" = two re-prompts, then the default)::

    welcome    a caller whose number called for this campaign before -> returning, else zip
    returning  1, or silence x3 -> the same legislators again       2 -> zip
    zip        five digits     -> ready: hand over   split: pick   nobody: goodbye   unusable: zip again
    zip        fewer digits, silence, an unusable ZIP (x3) -> goodbye: we never guess a district
    pick       1..n (a district, read by its members' names) or 0 "don't know", or silence x3 = 0
               -> the next chamber to pick, or hand over with the certain legs only (the unknown
               chamber is left out, aloud), or goodbye when nobody is certain

Off-table events (a stale Gather result, a repeated webhook) change nothing and ask the current
question again, as in the call's own flow.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, TypeAlias

from twilio.twiml.voice_response import VoiceResponse

from .flow import Outcome, split_for_say
from .prompts import message
from .vocabulary import (
    CALLIN_STEPS,
    EVENT_ANSWERED,
    EVENT_GATHER,
    EVENT_SILENCE,
    GATHER_TIMEOUT_SECONDS,
    KEY_DONT_KNOW,
    KEY_NEW_ZIP,
    KEY_SAME_AGAIN,
    MAX_REPROMPTS,
    ZIP_DIGITS,
    ZIP_FINISH_KEY,
    Answers,
    AnswersGiven,
    CallFinished,
    CallPlanned,
    Campaign,
    Effect,
    Event,
    FlowState,
    GatherResult,
    Places,
    Question,
    Resolver,
    Step,
    UrlFor,
)

_ZIP = re.compile(rf"[0-9]{{{ZIP_DIGITS}}}")


@dataclass(frozen=True)
class Line:
    """Everything one call-in webhook needs besides the state and the event."""

    campaign: Campaign
    answers: Answers
    resolve: Resolver
    url: UrlFor  # the call-in line's own events (gather, silence)
    flow_url: UrlFor  # the call's own flow, once it has legs
    # The caller's last call for this campaign: whom it called (read aloud) and its legs to plan again.
    previous_names: tuple[str, ...] = ()
    previous_legs: tuple[object, ...] = ()


class _Turn:
    """Accumulates one webhook's answer; local to a single call of :func:`welcome` or :func:`respond`."""

    def __init__(self, line: Line) -> None:
        self.line = line
        self.response = VoiceResponse()
        self.effects: list[Effect] = []

    def say(self, text: str, into: VoiceResponse | None = None) -> None:
        target = self.response if into is None else into
        c = self.line.campaign
        for chunk in split_for_say(text):
            target.say(chunk, voice=c.voice, language=c.language)

    def finish(self, state: FlowState) -> Outcome:
        return Outcome(self.response, state, tuple(self.effects))


# --- Questions ----------------------------------------------------------------------------------


def _gather(turn: _Turn, step: str, attempts: int, lead: Sequence[str], lines: Sequence[str]) -> Outcome:
    """Ask one question: the whole ZIP at the zip step, one key elsewhere; silence follows the <Redirect>."""
    url = turn.line.url
    if step == Step.ZIP:
        gather = turn.response.gather(
            action=url(EVENT_GATHER),
            method="POST",
            input="dtmf",
            num_digits=ZIP_DIGITS,
            finish_on_key=ZIP_FINISH_KEY,
            timeout=GATHER_TIMEOUT_SECONDS,
        )
    else:
        # finishOnKey="" makes "#" an ordinary (unknown) key, as in the call's own prompts.
        gather = turn.response.gather(
            action=url(EVENT_GATHER),
            method="POST",
            input="dtmf",
            num_digits=1,
            finish_on_key="",
            timeout=GATHER_TIMEOUT_SECONDS,
        )
    for text in (*lead, *lines):
        turn.say(text, into=gather)
    turn.response.redirect(url(EVENT_SILENCE), method="POST")
    return turn.finish(FlowState(step, 0, attempts))


def _names(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _question_lines(question: Question) -> list[str]:
    title = question.member_title
    lines = [message("callin_pick_intro", member_title=title)]
    for key, choice in enumerate(question.choices, start=1):
        if choice.names:
            lines.append(message("callin_pick_choice", member_title=title, names=choice.names, digit=str(key)))
        else:
            lines.append(message("callin_pick_vacant", district=choice.district, digit=str(key)))
    lines.append(message("callin_pick_dont_know"))
    return lines


def _prompt_lines(line: Line, step: str) -> list[str]:
    if step == Step.RETURNING:
        return [message("callin_returning", names=_names(line.previous_names))]
    if step == Step.PICK:
        places = line.resolve(line.answers)
        assert places.question is not None  # the pick step is only entered while asking
        return _question_lines(places.question)
    return [message("callin_zip")]


def _ask(turn: _Turn, step: str, attempts: int = 0, lead: Sequence[str] = ()) -> Outcome:
    return _gather(turn, step, attempts, lead, _prompt_lines(turn.line, step))


def _goodbye(turn: _Turn, sentence: str) -> Outcome:
    turn.say(message(sentence))
    turn.response.hangup()
    turn.effects.append(CallFinished())
    return turn.finish(FlowState(Step.DONE, 0, 0))


def _hand_over(turn: _Turn, legs: tuple[object, ...], skipped: Sequence[str] = ()) -> Outcome:
    """Plan the call and go on with the call's own flow, from its start."""
    turn.effects.append(CallPlanned(legs))
    turn.say(message("callin_found"))
    for member_title in skipped:
        turn.say(message("callin_skipped", member_title=member_title))
    turn.response.redirect(turn.line.flow_url(EVENT_ANSWERED), method="POST")
    return turn.finish(FlowState(Step.START, 0, 0))


def _go_on(turn: _Turn, answers: Answers, places: Places, attempts: int) -> Outcome:
    """What the caller's latest answer leads to, given what the lookup made of it."""
    turn.effects.append(AnswersGiven(answers))
    if places.status == "ready":
        return _hand_over(turn, places.legs, places.skipped)
    if places.status == "ask" and places.question is not None:
        return _gather(turn, Step.PICK, 0, (), _question_lines(places.question))
    if places.status == "nobody":
        return _goodbye(turn, "callin_nobody")
    return _reprompt(turn, FlowState(Step.ZIP, 0, attempts), "callin_zip_unusable")


# --- Handlers -----------------------------------------------------------------------------------

_Handler: TypeAlias = Callable[[_Turn, FlowState, str], Outcome]


def _same_again(turn: _Turn, state: FlowState) -> Outcome:
    return _hand_over(turn, turn.line.previous_legs)


def _dont_know(turn: _Turn, state: FlowState) -> Outcome:
    return _pick(turn, state, KEY_DONT_KNOW)


def _give_up(turn: _Turn, state: FlowState) -> Outcome:
    return _goodbye(turn, "callin_give_up")


# What each step does after MAX_REPROMPTS re-prompts: a silent caller is still patched through
# where we know whom to call, and never to a district we would have to guess.
_DEFAULTS: Final[Mapping[str, Callable[[_Turn, FlowState], Outcome]]] = MappingProxyType(
    {Step.RETURNING: _same_again, Step.PICK: _dont_know, Step.ZIP: _give_up}
)


def _reprompt(turn: _Turn, state: FlowState, why: str) -> Outcome:
    if state.attempts >= MAX_REPROMPTS:
        turn.say(message(why))
        return _DEFAULTS[state.step](turn, state)
    return _ask(turn, state.step, state.attempts + 1, lead=[message(why)])


def _returning(turn: _Turn, state: FlowState, digits: str) -> Outcome:
    if digits == KEY_SAME_AGAIN:
        return _same_again(turn, state)
    if digits == KEY_NEW_ZIP:
        return _ask(turn, Step.ZIP)
    return _reprompt(turn, state, "invalid")


def _zip(turn: _Turn, state: FlowState, digits: str) -> Outcome:
    if not _ZIP.fullmatch(digits):
        return _reprompt(turn, state, "callin_zip_short")
    answers = Answers(zip=digits)
    return _go_on(turn, answers, turn.line.resolve(answers), state.attempts)


def _pick(turn: _Turn, state: FlowState, digits: str) -> Outcome:
    line = turn.line
    places = line.resolve(line.answers)
    assert places.question is not None  # respond() checked that there is something to ask
    choices = places.question.choices
    if digits == KEY_DONT_KNOW:
        geoid = ""
    elif digits.isdigit() and 1 <= int(digits) <= len(choices):
        geoid = choices[int(digits) - 1].geoid
    else:
        return _reprompt(turn, state, "invalid")
    answers = line.answers.picking(places.question.chamber, geoid)
    return _go_on(turn, answers, line.resolve(answers), 0)


_KEYS: Final[Mapping[str, _Handler]] = MappingProxyType({Step.RETURNING: _returning, Step.ZIP: _zip, Step.PICK: _pick})


def _on_key(turn: _Turn, state: FlowState, event: Event) -> Outcome:
    assert isinstance(event, GatherResult)
    digits = event.digits.strip()
    if not digits:
        return _reprompt(turn, state, "silence")
    return _KEYS[state.step](turn, state, digits)


def _on_silence(turn: _Turn, state: FlowState, event: Event) -> Outcome:
    return _reprompt(turn, state, "silence")


TRANSITIONS: Final[Mapping[tuple[str, str], Callable[[_Turn, FlowState, Event], Outcome]]] = MappingProxyType(
    {
        **{(step, EVENT_GATHER): _on_key for step in CALLIN_STEPS},
        **{(step, EVENT_SILENCE): _on_silence for step in CALLIN_STEPS},
    }
)


def welcome(line: Line) -> Outcome:
    """The first answer to a call to the campaign's number: who we are, then where they live (or: again?)."""
    turn = _Turn(line)
    turn.say(message("callin_welcome", title=line.campaign.title))
    return _ask(turn, Step.RETURNING if line.previous_legs else Step.ZIP)


def respond(state: FlowState, event: Event, line: Line) -> Outcome:
    """Answer one call-in webhook: the TwiML to return, the call's next state, and what to record."""
    turn = _Turn(line)
    if state.step not in CALLIN_STEPS:
        # The call has moved on to its own flow (or ended): send Twilio there rather than guess.
        turn.response.redirect(line.flow_url(EVENT_ANSWERED), method="POST")
        return turn.finish(state)
    if state.step == Step.PICK and (places := line.resolve(line.answers)).question is None:
        # Nothing left to ask (the data changed under the call): go on from what the answers settle.
        return _go_on(turn, line.answers, places, 0)
    handler = TRANSITIONS.get((state.step, event.kind))
    if handler is None:
        return _ask(turn, state.step, state.attempts)  # off-table: the current question again
    return handler(turn, state, event)
