"""The call-in line as a pure function: (state, webhook event, line) -> (TwiML, next state, effects).

Someone dialed the campaign's number. Before the call has legs, the line finds out where they live;
then it hands over to the call's own flow (:mod:`callflow.flow`) with a ``<Redirect>`` to the
call's ``answered`` URL, so a call-in hears the same greeting, talking points, keys and feedback
as a call-back. No Flask, no database: the webhooks pass a :class:`Line` whose ``resolve`` turns
the caller's answers into :class:`~callflow.vocabulary.Places` (the lookup, plainly).

The steps (keys in :data:`~callflow.vocabulary.KEY_MAP`; "silence x3" = two re-prompts, then the default)::

    (start)    several live campaigns share the number -> campaign, else welcome at once
    campaign   1..n, or silence x3 = 1 -> welcome (in the next webhook, with the chosen campaign)
    welcome    a caller whose number called for this campaign before -> returning, else zip
    returning  1, or silence x3 -> the same legislators again       2 -> zip
    zip        five digits     -> ready: hand over   split: address (pick when there is no geocoder)
                                  nobody: goodbye   unusable: zip again
    zip        fewer digits, silence, an unusable ZIP (x3) -> goodbye: we never guess a district
    address    speech          -> placed: confirm (the matched address read back, and whom it means)
                                  not found, outside the ZIP, not understood (x2): pick
                                  geocoder down: pick at once
    address    0, or silence x2 -> pick
    confirm    1 / "yes"       -> hand over, or pick for a chamber still unsettled
    confirm    2 / "no", or silence x3 -> pick
    pick       1..n (a district, read by its members' names) or 0 "don't know", or silence x3 = 0
               -> the next chamber to pick, or hand over with the certain legs only (the unknown
               chamber is left out, aloud), or goodbye when nobody is certain
    pick       * (when the campaign offers texts and the caller's number is known) -> a text with the
               campaign page's link instead; goodbye

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

from .flow import Outcome
from .prompts import district, message, speaking
from .say import split_for_say
from .vocabulary import (
    ADDRESS_HINTS,
    ADDRESS_TRIES,
    CALLIN_STEPS,
    EVENT_ANSWERED,
    EVENT_GATHER,
    EVENT_SILENCE,
    GATHER_TIMEOUT_SECONDS,
    KEY_DONT_KNOW,
    KEY_LIST,
    KEY_NEW_ZIP,
    KEY_NO,
    KEY_SAME_AGAIN,
    KEY_TEXT,
    KEY_YES,
    MAX_REPROMPTS,
    MIN_SPEECH_CONFIDENCE,
    SPEECH_TIMEOUT,
    SPOKEN_NO,
    SPOKEN_YES,
    ZIP_DIGITS,
    ZIP_FINISH_KEY,
    Answers,
    AnswersGiven,
    CallFinished,
    CallPlanned,
    Campaign,
    CampaignChosen,
    Effect,
    Event,
    FlowState,
    GatherResult,
    LanguageChosen,
    LanguageOffer,
    Places,
    Question,
    Resolver,
    Step,
    TextRequested,
    UrlFor,
)

_ZIP = re.compile(rf"[0-9]{{{ZIP_DIGITS}}}")
_SPEECH_HINTS: Final[Mapping[str, str]] = MappingProxyType({Step.ADDRESS: ADDRESS_HINTS, Step.CONFIRM: "yes, no"})
_NOT_WORDS = re.compile(r"[^\w\s']+")


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
    # Whether a spoken address can be looked up (a geocoder is configured): else a split ZIP goes to the names.
    listens: bool = False
    # The other languages the campaign's call is written in, offered after the welcome.
    languages: tuple[LanguageOffer, ...] = ()
    # The titles of the live campaigns sharing the number, when there are several to choose from.
    campaigns: tuple[str, ...] = ()
    # Whether the candidates may offer a text with a link instead (the campaign offers texts, and the caller's
    # number is a real one the number rules accept).
    can_text: bool = False


class _Turn:
    """Accumulates one webhook's answer; local to a single call of :func:`welcome` or :func:`respond`."""

    def __init__(self, line: Line) -> None:
        self.line = line
        self.response = VoiceResponse()
        self.effects: list[Effect] = []

    def say(self, text: str, into: VoiceResponse | None = None, offer: LanguageOffer | None = None) -> None:
        target = self.response if into is None else into
        c = self.line.campaign
        voice, language = (offer.voice, offer.language) if offer else (c.voice, c.language)
        for chunk in split_for_say(text):
            target.say(chunk, voice=voice, language=language)

    def finish(self, state: FlowState) -> Outcome:
        return Outcome(self.response, state, tuple(self.effects))


# --- Questions ----------------------------------------------------------------------------------


def _gather(turn: _Turn, step: str, attempts: int, lead: Sequence[str], lines: Sequence[str]) -> Outcome:
    """Ask one question: the whole ZIP at the zip step, one key elsewhere; silence follows the <Redirect>."""
    url = turn.line.url
    gather = turn.response.gather(
        action=url(EVENT_GATHER), method="POST", timeout=GATHER_TIMEOUT_SECONDS, **_listening(turn.line, step)
    )
    for text in (*lead, *lines):
        turn.say(text, into=gather)
    turn.response.redirect(url(EVENT_SILENCE), method="POST")
    return turn.finish(FlowState(step, 0, attempts))


def _listening(line: Line, step: str) -> dict[str, object]:
    """How a step's <Gather> listens: the whole ZIP, one key, or one key or speech."""
    if step == Step.ZIP:
        return {"input": "dtmf", "num_digits": ZIP_DIGITS, "finish_on_key": ZIP_FINISH_KEY}
    # finishOnKey="" makes "#" an ordinary (unknown) key, as in the call's own prompts.
    one_key: dict[str, object] = {"input": "dtmf", "num_digits": 1, "finish_on_key": ""}
    if step not in _SPEECH_HINTS:
        return one_key
    # The recogniser listens in the campaign's language.
    speech = {"speech_timeout": SPEECH_TIMEOUT, "hints": _SPEECH_HINTS[step], "language": line.campaign.language}
    return {**one_key, "input": "speech dtmf", **speech}


def _names(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _question_lines(line: Line, question: Question) -> list[str]:
    title = question.member_title
    lines = [message("callin_pick_intro", member_title=title)]
    for key, choice in enumerate(question.choices, start=1):
        if choice.names:
            lines.append(message("callin_pick_choice", member_title=title, names=choice.names, digit=str(key)))
        else:
            lines.append(
                message("callin_pick_vacant", district=district(choice.district, article=True), digit=str(key))
            )
    lines.append(message("callin_pick_dont_know"))
    if line.can_text:
        lines.append(message("callin_text_offer"))
    return lines


def _prompt_lines(line: Line, step: str) -> list[str]:
    if step == Step.RETURNING:
        return [message("callin_returning", names=_names(line.previous_names))]
    if step == Step.CAMPAIGN:
        return [message("callin_campaign_choice", title=t, digit=str(n)) for n, t in enumerate(line.campaigns, 1)]
    if step == Step.PICK:
        places = line.resolve(line.answers)
        assert places.question is not None  # the pick step is only entered while asking
        return _question_lines(line, places.question)
    if step == Step.ADDRESS:
        return [message("callin_address")]
    if step == Step.CONFIRM:
        return [message("callin_confirm", names=_names(line.resolve(line.answers).names))]
    return [message("callin_zip")]


def _ask(turn: _Turn, step: str, attempts: int = 0, lead: Sequence[str] = ()) -> Outcome:
    if step == Step.LANGUAGE:
        return _offer_languages(turn)
    return _gather(turn, step, attempts, lead, _prompt_lines(turn.line, step))


def _offer_languages(turn: _Turn) -> Outcome:
    """Each other language in its own words and voice; a key chooses one, anything else goes on as we are."""
    gather = turn.response.gather(
        action=turn.line.url(EVENT_GATHER), method="POST", timeout=GATHER_TIMEOUT_SECONDS, **_listening(turn.line, "")
    )
    for offer in turn.line.languages:
        with speaking(offer.locale):
            turn.say(message("callin_language_offer", digit=offer.digit), into=gather, offer=offer)
    turn.response.redirect(turn.line.url(EVENT_SILENCE), method="POST")
    return turn.finish(FlowState(Step.LANGUAGE))


def _stay(turn: _Turn, state: FlowState | None = None) -> Outcome:
    """Go on in the language the call speaks: the first question."""
    return _ask(turn, Step.RETURNING if turn.line.previous_legs else Step.ZIP)


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
        return _gather(turn, Step.PICK, 0, (), _question_lines(turn.line, places.question))
    if places.status == "heard":
        lead = [message("callin_confirm_heard", address=places.matched_address)] if places.matched_address else []
        return _gather(turn, Step.CONFIRM, 0, lead, [message("callin_confirm", names=_names(places.names))])
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


def _first_campaign(turn: _Turn, state: FlowState) -> Outcome:
    return _choose(turn, 0)


def _choose(turn: _Turn, index: int) -> Outcome:
    """Switch the call to the chosen campaign and welcome the caller to it in the next webhook."""
    turn.effects.append(CampaignChosen(index))
    turn.response.redirect(turn.line.url(EVENT_ANSWERED), method="POST")
    return turn.finish(FlowState(Step.WELCOME))


def _names_instead(turn: _Turn, state: FlowState) -> Outcome:
    """Leave the address (and any districts heard) aside: read the candidates by name."""
    answers = turn.line.answers.rejected()
    return _go_on(turn, answers, turn.line.resolve(answers), 0)


# What each step does after MAX_REPROMPTS re-prompts: a silent caller is still patched through
# where we know whom to call, and never to a district we would have to guess.
_DEFAULTS: Final[Mapping[str, Callable[[_Turn, FlowState], Outcome]]] = MappingProxyType(
    {
        Step.CAMPAIGN: _first_campaign,  # the one closing soonest
        Step.LANGUAGE: _stay,
        Step.RETURNING: _same_again,
        Step.PICK: _dont_know,
        Step.ZIP: _give_up,
        Step.ADDRESS: _names_instead,
        Step.CONFIRM: _names_instead,
    }
)
# The address is asked at most ADDRESS_TRIES times; every other question, 1 + MAX_REPROMPTS times.
_REPROMPTS: Final[Mapping[str, int]] = MappingProxyType({Step.ADDRESS: ADDRESS_TRIES - 1})


def _reprompt(turn: _Turn, state: FlowState, why: str) -> Outcome:
    if state.attempts >= _REPROMPTS.get(state.step, MAX_REPROMPTS):
        turn.say(message(why))
        return _DEFAULTS[state.step](turn, state)
    return _ask(turn, state.step, state.attempts + 1, lead=[message(why)])


def _campaign(turn: _Turn, state: FlowState, digits: str) -> Outcome:
    if digits.isdigit() and 1 <= int(digits) <= len(turn.line.campaigns):
        return _choose(turn, int(digits) - 1)
    return _reprompt(turn, state, "invalid")


def _language(turn: _Turn, state: FlowState, digits: str) -> Outcome:
    chosen = next((offer for offer in turn.line.languages if offer.digit == digits), None)
    if chosen is None:
        return _stay(turn)
    # Welcomed again in the next webhook, which speaks the chosen language throughout.
    turn.effects.append(LanguageChosen(chosen.locale))
    turn.response.redirect(turn.line.url(EVENT_ANSWERED), method="POST")
    return turn.finish(FlowState(Step.WELCOME))


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
    places = turn.line.resolve(answers)
    if places.status == "ask" and turn.line.listens:
        turn.effects.append(AnswersGiven(answers))
        return _ask(turn, Step.ADDRESS)
    return _go_on(turn, answers, places, state.attempts)


def _address(turn: _Turn, state: FlowState, event: GatherResult) -> Outcome:
    """A spoken address: look it up (with the ZIP) and read back what it found, or try again, or the names."""
    digits, speech = event.digits.strip(), " ".join(event.speech.split())
    if digits == KEY_LIST:
        return _names_instead(turn, state)
    if digits:
        return _reprompt(turn, state, "invalid")
    if not speech:
        return _reprompt(turn, state, "silence")
    if event.confidence is not None and event.confidence < MIN_SPEECH_CONFIDENCE:
        return _reprompt(turn, state, "callin_address_unheard")
    line = turn.line
    places = line.resolve(line.answers.hearing(speech))
    if places.status == "heard":
        # Only the districts are kept, never what was said.
        return _go_on(turn, line.answers.hearing(None, places.picks), places, 0)
    if places.geocoder_down:
        turn.say(message("callin_geocoder_down"))
        return _names_instead(turn, state)
    return _reprompt(turn, state, "callin_address_again")


def _confirm(turn: _Turn, state: FlowState, event: GatherResult) -> Outcome:
    digits = event.digits.strip()
    spoken = _NOT_WORDS.sub("", event.speech).strip().lower()
    if digits == KEY_YES or (not digits and spoken in SPOKEN_YES):
        answers = turn.line.answers.confirmed()
        return _go_on(turn, answers, turn.line.resolve(answers), 0)
    if digits == KEY_NO or (not digits and spoken in SPOKEN_NO):
        return _names_instead(turn, state)
    if not digits and not spoken:
        return _reprompt(turn, state, "silence")
    return _reprompt(turn, state, "invalid")


def _pick(turn: _Turn, state: FlowState, digits: str) -> Outcome:
    line = turn.line
    places = line.resolve(line.answers)
    assert places.question is not None  # respond() checked that there is something to ask
    choices = places.question.choices
    if digits == KEY_TEXT and line.can_text:
        turn.effects.append(TextRequested())
        return _goodbye(turn, "callin_text_sent")
    if digits == KEY_DONT_KNOW:
        geoid = ""
    elif digits.isdigit() and 1 <= int(digits) <= len(choices):
        geoid = choices[int(digits) - 1].geoid
    else:
        return _reprompt(turn, state, "invalid")
    answers = line.answers.picking(places.question.chamber, geoid)
    return _go_on(turn, answers, line.resolve(answers), 0)


_KEYS: Final[Mapping[str, _Handler]] = MappingProxyType(
    {Step.CAMPAIGN: _campaign, Step.LANGUAGE: _language, Step.RETURNING: _returning, Step.ZIP: _zip, Step.PICK: _pick}
)
# The steps that listen to speech as well as keys get the whole Gather result.
_HEARD: Final[Mapping[str, Callable[[_Turn, FlowState, GatherResult], Outcome]]] = MappingProxyType(
    {Step.ADDRESS: _address, Step.CONFIRM: _confirm}
)


def _on_key(turn: _Turn, state: FlowState, event: Event) -> Outcome:
    assert isinstance(event, GatherResult)
    if state.step in _HEARD:
        return _HEARD[state.step](turn, state, event)
    digits = event.digits.strip()
    if not digits:
        return _reprompt(turn, state, "silence")
    return _KEYS[state.step](turn, state, digits)


def _on_silence(turn: _Turn, state: FlowState, event: Event) -> Outcome:
    if state.step == Step.LANGUAGE:
        return _stay(turn)  # no language chosen: the call goes on as it is, without an apology
    return _reprompt(turn, state, "silence")


def _on_welcome(turn: _Turn, state: FlowState, event: Event) -> Outcome:
    return _welcome(turn)


_ASKING: Final = CALLIN_STEPS - {Step.WELCOME}
TRANSITIONS: Final[Mapping[tuple[str, str], Callable[[_Turn, FlowState, Event], Outcome]]] = MappingProxyType(
    {
        **{(step, EVENT_GATHER): _on_key for step in _ASKING},
        **{(step, EVENT_SILENCE): _on_silence for step in _ASKING},
        **{(Step.WELCOME, kind): _on_welcome for kind in (EVENT_ANSWERED, EVENT_GATHER, EVENT_SILENCE)},
    }
)


# What the lookup must say for a step's question to still make sense.
_EXPECTED: Final[Mapping[str, str]] = MappingProxyType({Step.PICK: "ask", Step.ADDRESS: "ask", Step.CONFIRM: "heard"})


def welcome(line: Line) -> Outcome:
    """The first answer to a call to the campaign's number: which campaign, when several share it; else who we
    are, then where they live (or: the same legislators again?)."""
    turn = _Turn(line)
    with speaking(line.campaign.locale):
        if len(line.campaigns) > 1:
            return _ask(turn, Step.CAMPAIGN, lead=[message("callin_campaigns")])
        return _welcome(turn)


def _welcome(turn: _Turn) -> Outcome:
    line = turn.line
    turn.say(message("callin_welcome", title=line.campaign.title))
    if line.languages:
        return _offer_languages(turn)
    return _stay(turn)


def respond(state: FlowState, event: Event, line: Line) -> Outcome:
    """Answer one call-in webhook: the TwiML to return, the call's next state, and what to record."""
    with speaking(line.campaign.locale):
        return _respond(_Turn(line), state, event, line)


def _respond(turn: _Turn, state: FlowState, event: Event, line: Line) -> Outcome:
    if state.step not in CALLIN_STEPS:
        # The call has moved on to its own flow (or ended): send Twilio there rather than guess.
        turn.response.redirect(line.flow_url(EVENT_ANSWERED), method="POST")
        return turn.finish(state)
    expected = _EXPECTED.get(state.step)
    if expected is not None and (places := line.resolve(line.answers)).status != expected:
        # Nothing left to ask here (the data changed under the call): go on from what the answers settle.
        return _go_on(turn, line.answers, places, 0)
    handler = TRANSITIONS.get((state.step, event.kind))
    if handler is None:
        return _ask(turn, state.step, state.attempts)  # off-table: the current question again
    return handler(turn, state, event)
