"""The executor: runs a call's TwiML verb by verb the way Twilio's voice platform does.

It fetches our webhooks (signed exactly like Twilio signs them), validates the TwiML strictly
and executes it, keeping a transcript of what the caller would hear. Tests run a whole call
with scripted key presses; the in-browser preview advances until the next <Gather> needs
input and keeps the JSON-able ``SimCallState`` between browser requests.

No Flask app import and no database here: the app is reached through a ``Transport``
(real HTTP, or a WSGI app in-process).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from http.cookies import CookieError, SimpleCookie
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

from voicesim.errors import CallLimitExceeded, NotSimulatedError, ScriptError, SimulatorError, TwiMLError
from voicesim.events import Dialed, DialTarget, Ended, Event, Gathered, Paused, Played, Redirected, Requested, Said
from voicesim.params import CallDirection, call_params
from voicesim.script import HANGUP, CallerInput, DialOutcome, DialScenario, Speech
from voicesim.state import DEFAULT_LIMITS, CallRecord, ExecutionStep, Limits, SimCallState
from voicesim.transport import HttpResult, Transport, WebhookRequest, send_webhook
from voicesim.twiml import UNSIMULATED_DIAL_NOUNS, document_from_response
from voicesim.vocabulary import ANSWERED_BY_VALUES, DTMF_KEYS, new_sid


class CallSimulator:
    """Executes TwiML like Twilio for one account: start a call, feed input, get transcript."""

    def __init__(
        self,
        transport: Transport,
        auth_token: str,
        *,
        dial_scenario: DialScenario | None = None,
        limits: Limits = DEFAULT_LIMITS,
        strict: bool = True,
    ) -> None:
        self.transport = transport
        self.auth_token = auth_token
        self.dial_scenario = dial_scenario
        self.limits = limits
        self.strict = strict

    # -- public API ---------------------------------------------------------

    def start(
        self,
        url: str,
        *,
        to: str,
        from_: str,
        account_sid: str,
        call_sid: str | None = None,
        method: str = "POST",
        answered_by: str | None = None,
        geo: Mapping[str, str] | None = None,
        direction: CallDirection = "outbound-api",
    ) -> ExecutionStep:
        """Answer a call: fetch ``url`` and run until input is needed or the call ends.

        ``direction`` "outbound-api" is a call we placed (``url`` is its Url); "inbound" is someone
        dialing our number ``to`` from ``from_`` (``url`` is the number's Voice URL).

        ``answered_by`` (human, machine_start, fax, unknown, ...) is sent as
        AnsweredBy on this first request, as Twilio does when the call was
        created with MachineDetection.
        """
        if answered_by is not None and answered_by not in ANSWERED_BY_VALUES:
            raise ValueError(f"AnsweredBy {answered_by!r} is not a Twilio value")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"call Url must be absolute http(s): {url!r}")
        params = call_params(direction, account_sid=account_sid, to=to, from_=from_, call_sid=call_sid, geo=geo)
        state = SimCallState(call_params=params, document_url=url, document="<Response/>")
        events: list[Event] = []
        extra = {"AnsweredBy": answered_by} if answered_by else {}
        return self._guard(state, events, lambda: self._begin(state, events, url, method, extra))

    def resume(self, state: SimCallState, user_input: CallerInput) -> ExecutionStep:
        """Give the call what it waits for (digits/None/HANGUP, or a DialOutcome) and run on.

        ``state`` is not modified; the returned ExecutionStep holds a new state.
        """
        state = replace(state, call_params=dict(state.call_params), cookies=dict(state.cookies))
        events: list[Event] = []
        if state.finished:
            raise ScriptError("the call has already ended")
        if state.waiting_for is None:
            raise ScriptError("the call is not waiting for input")
        return self._guard(state, events, lambda: self._resume(state, events, user_input))

    def run(
        self,
        url: str,
        inputs: Iterable[CallerInput] = (),
        *,
        on_exhausted: Literal["error", "silence", "hangup"] = "error",
        **start_kwargs: Any,
    ) -> CallRecord:
        """Run a whole call, feeding ``inputs`` to each <Gather> (and unscripted <Dial>) in order."""
        pending = list(inputs)
        step = self.start(url, **start_kwargs)
        events = list(step.events)
        state = step.state
        while not state.finished:
            if pending:
                item = pending.pop(0)
            elif on_exhausted == "error":
                err = ScriptError(f"scripted inputs ran out while the call waits for {state.waiting_for}")
                err.events = events
                raise err
            elif state.waiting_for == "dial":
                err = ScriptError("no dial outcome scripted for an unscripted <Dial>")
                err.events = events
                raise err
            else:
                item = None if on_exhausted == "silence" else HANGUP
            try:
                step = self.resume(state, item)
            except SimulatorError as exc:
                exc.events = events + exc.events
                raise
            events.extend(step.events)
            state = step.state
        if pending:
            raise ScriptError(f"call ended with {len(pending)} scripted input(s) unused: {pending!r}")
        return CallRecord(state=state, events=events)

    # -- driving -------------------------------------------------------------

    def _guard(self, state: SimCallState, events: list[Event], action: Callable[[], None]) -> ExecutionStep:
        try:
            action()
        except SimulatorError as exc:
            exc.events = events
            raise
        return ExecutionStep(state=state, events=events)

    def _begin(self, state: SimCallState, events: list[Event], url: str, method: str, extra: dict[str, str]) -> None:
        self._fetch(state, events, url, method, extra)
        # An inbound call rings until its first TwiML is answered; from then on it is in progress.
        state.call_params["CallStatus"] = "in-progress"
        self._advance(state, events)

    def _resume(self, state: SimCallState, events: list[Event], user_input: CallerInput) -> None:
        root = ET.fromstring(state.document)
        verb = list(root)[state.index]
        if state.waiting_for == "gather":
            if isinstance(user_input, (DialOutcome, Mapping)):
                raise ScriptError("the call waits for key presses, not a dial outcome")
            state.waiting_for = None
            self._finish_gather(state, events, verb, user_input)
        else:
            if isinstance(user_input, DialOutcome):
                outcomes: Mapping[str, DialOutcome] | DialOutcome = user_input
            elif isinstance(user_input, Mapping):
                outcomes = user_input
            else:
                raise ScriptError("the call waits for a dial outcome, not key presses")
            state.waiting_for = None
            self._run_dial(state, events, verb, outcomes)
        self._advance(state, events)

    def _advance(self, state: SimCallState, events: list[Event]) -> None:
        """Run verbs until the call needs input or ends."""
        parsed_doc: str | None = None
        verbs: list[ET.Element] = []
        while not state.finished and state.waiting_for is None:
            if parsed_doc is not state.document:
                verbs = list(ET.fromstring(state.document))
                parsed_doc = state.document
            if state.index >= len(verbs):
                self._end(state, events, "end-of-document")
                return
            verb = verbs[state.index]
            state.verbs += 1
            if state.verbs > self.limits.max_verbs:
                raise CallLimitExceeded(f"call ran more than {self.limits.max_verbs} verbs")
            handler = getattr(self, f"_verb_{verb.tag}", None)
            if handler is None:
                raise NotSimulatedError(f"<{verb.tag}> is valid TwiML but not simulated")
            handler(state, events, verb)

    def _end(self, state: SimCallState, events: list[Event], reason: str, detail: str | None = None) -> None:
        state.status = "completed"
        state.waiting_for = None
        state.end_reason = reason
        state.call_params["CallStatus"] = "completed"
        events.append(Ended(reason=reason, detail=detail))

    # -- fetching -----------------------------------------------------------

    def _fetch(
        self,
        state: SimCallState,
        events: list[Event],
        url: str,
        method: str,
        extra: Mapping[str, str],
        *,
        load: bool = True,
    ) -> None:
        """Request a webhook like Twilio and (if ``load``) make its TwiML the current document."""
        params = {**state.call_params, **extra}
        target, verb_method = url, method.upper()
        for _hop in range(self.limits.max_http_redirects + 1):
            state.requests += 1
            if state.requests > self.limits.max_requests:
                raise CallLimitExceeded(f"call made more than {self.limits.max_requests} requests")
            req = WebhookRequest(url=target, method=verb_method, params=params)
            result = send_webhook(self.transport, self.auth_token, req, state.cookies)
            events.append(Requested(url=target, method=verb_method, params=dict(params), status=result.status))
            self._store_cookies(state, result)
            if result.status in (301, 302, 303, 307, 308):
                # Twilio follows HTTP redirects like a browser does.
                location = result.header_values("Location")
                if not location:
                    raise TwiMLError(f"HTTP {result.status} without Location", code=11200, url=target)
                target = urljoin(target, location[0])
                if result.status in (301, 302, 303):
                    verb_method, params = "GET", {}
                continue
            break
        else:
            raise TwiMLError("too many HTTP redirects", code=11200, url=url)
        if not load:
            return
        state.document = document_from_response(result, target, strict=self.strict)
        state.document_url = target
        state.index = 0

    @staticmethod
    def _store_cookies(state: SimCallState, result: HttpResult) -> None:
        # Twilio keeps cookies for the life of a call, like a browser.
        for header in result.header_values("Set-Cookie"):
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(header)
            except CookieError:
                continue
            for name, morsel in jar.items():
                if morsel["max-age"] in ("0",) or (morsel.value == "" and morsel["expires"]):
                    state.cookies.pop(name, None)
                else:
                    state.cookies[name] = morsel.value

    # -- verbs --------------------------------------------------------------

    def _verb_Say(self, state: SimCallState, events: list[Event], verb: ET.Element, in_gather: bool = False) -> None:
        loop = int(verb.get("loop", "1"))
        text = " ".join("".join(verb.itertext()).split())
        events.append(
            Said(text=text, voice=verb.get("voice"), language=verb.get("language"), loop=loop, in_gather=in_gather)
        )
        if loop == 0 and not in_gather:
            # loop="0" repeats until the call ends; only the caller can end it.
            self._end(state, events, "caller-hangup", "<Say loop=0> never finishes")
            return
        state.index += 0 if in_gather else 1

    def _verb_Play(self, state: SimCallState, events: list[Event], verb: ET.Element, in_gather: bool = False) -> None:
        loop = int(verb.get("loop", "1"))
        body = (verb.text or "").strip()
        url = urljoin(state.document_url, body) if body else None
        events.append(Played(url=url, loop=loop, digits=verb.get("digits"), in_gather=in_gather))
        if loop == 0 and not in_gather:
            self._end(state, events, "caller-hangup", "<Play loop=0> never finishes")
            return
        state.index += 0 if in_gather else 1

    def _verb_Pause(self, state: SimCallState, events: list[Event], verb: ET.Element, in_gather: bool = False) -> None:
        length = int(verb.get("length", "1"))
        events.append(Paused(length=length, in_gather=in_gather))
        state.elapsed += length
        state.index += 0 if in_gather else 1

    def _verb_Gather(self, state: SimCallState, events: list[Event], verb: ET.Element) -> None:
        for child in verb:
            getattr(self, f"_verb_{child.tag}")(state, events, child, in_gather=True)
        state.waiting_for = "gather"

    def _finish_gather(
        self, state: SimCallState, events: list[Event], verb: ET.Element, user_input: CallerInput
    ) -> None:
        action = urljoin(state.document_url, verb.get("action", "").strip() or state.document_url)
        if user_input is HANGUP:
            self._end(state, events, "caller-hangup", "caller hung up during <Gather>")
            return
        if isinstance(user_input, Speech):
            self._finish_speech(state, events, verb, action, user_input)
            return
        if user_input is not None and not isinstance(user_input, str):
            raise ScriptError(f"gather input must be a key string, None or HANGUP, not {user_input!r}")
        keys = user_input or ""
        if not keys and any(child.get("loop") == "0" for child in verb):
            # A prompt with loop="0" never ends, so Twilio's timeout never
            # starts: a silent caller can only hang up.
            self._end(state, events, "caller-hangup", "silence during an endless <Gather> prompt")
            return
        if any(k not in DTMF_KEYS for k in keys):
            raise ScriptError(f"{keys!r} contains something other than 0-9 * #")
        if "dtmf" not in verb.get("input", "dtmf").split():
            keys = ""  # a speech-only Gather does not listen to the keypad
        finish = verb.get("finishOnKey", "#")
        num_digits = int(verb.get("numDigits", "0")) or None
        digits, finished_on_key = "", False
        for key in keys:
            if finish and key == finish:
                finished_on_key = True
                break
            digits += key
            if num_digits is not None and len(digits) >= num_digits:
                break
        complete = finished_on_key or (num_digits is not None and len(digits) >= num_digits)
        if not complete:
            # Twilio waits `timeout` seconds after the last key (or the prompt).
            state.elapsed += int(verb.get("timeout", "5"))
        submit = bool(digits) or verb.get("actionOnEmptyResult") == "true"
        events.append(
            Gathered(
                keys=user_input,
                digits=digits,
                submitted=submit,
                action=action,
                timed_out=not complete,
            )
        )
        if submit:
            self._fetch(state, events, action, verb.get("method", "POST"), {"Digits": digits})
        else:
            # No input: Twilio falls through to the verb after the <Gather>.
            state.index += 1

    def _finish_speech(
        self, state: SimCallState, events: list[Event], verb: ET.Element, action: str, speech: Speech
    ) -> None:
        """Twilio posts SpeechResult and Confidence when a speech <Gather> heard something; else it is silence."""
        heard = bool(speech.text.strip()) and "speech" in verb.get("input", "dtmf").split()
        state.elapsed += speech.seconds if heard else int(verb.get("timeout", "5"))
        submit = heard or verb.get("actionOnEmptyResult") == "true"
        events.append(
            Gathered(keys=None, digits="", submitted=submit, action=action, timed_out=not heard, speech=speech.text)
        )
        if heard:
            params = {"SpeechResult": speech.text, "Confidence": f"{speech.confidence:.8f}"}
            self._fetch(state, events, action, verb.get("method", "POST"), params)
        elif submit:
            self._fetch(state, events, action, verb.get("method", "POST"), {"Digits": ""})
        else:
            state.index += 1

    def _verb_Dial(self, state: SimCallState, events: list[Event], verb: ET.Element) -> None:
        targets = self._dial_targets(state, verb)
        outcomes: dict[str, DialOutcome] = {}
        for target in targets:
            found = self._scenario_outcome(target.value)
            if found is None:
                state.waiting_for = "dial"
                return
            outcomes[target.value] = found
        self._run_dial(state, events, verb, outcomes)

    def _scenario_outcome(self, number: str) -> DialOutcome | None:
        scenario = self.dial_scenario
        if scenario is None:
            return None
        if callable(scenario):
            return scenario(number)
        return scenario.get(number)

    def _dial_targets(self, state: SimCallState, verb: ET.Element) -> list[DialTarget]:
        nouns = list(verb)
        if not nouns:
            return [DialTarget(kind="number", value=(verb.text or "").strip())]
        targets = []
        for noun in nouns:
            if noun.tag in UNSIMULATED_DIAL_NOUNS:
                raise NotSimulatedError(f"<Dial><{noun.tag}> is valid TwiML but not simulated")
            value = (noun.text or "").strip()
            if noun.tag == "Client" and not value:
                value = next((c.text or "").strip() for c in noun if c.tag == "Identity")
            url = noun.get("url")
            targets.append(
                DialTarget(
                    kind=noun.tag.lower(),
                    value=value if noun.tag != "Client" else f"client:{value}",
                    send_digits=noun.get("sendDigits"),
                    url=urljoin(state.document_url, url) if url else None,
                )
            )
        return targets

    def _run_dial(
        self,
        state: SimCallState,
        events: list[Event],
        verb: ET.Element,
        outcomes: Mapping[str, DialOutcome] | DialOutcome,
    ) -> None:
        targets = self._dial_targets(state, verb)

        def outcome_for(target: DialTarget) -> DialOutcome:
            if isinstance(outcomes, DialOutcome):
                return outcomes
            if target.value not in outcomes:
                raise ScriptError(f"no dial outcome given for {target.value}")
            return outcomes[target.value]

        resolved = [(t, outcome_for(t)) for t in targets]
        # Simultaneous dialing: the first party (in document order) to answer wins.
        winner = next(((t, o) for t, o in resolved if o.status == "completed"), resolved[0])
        target, outcome = winner
        timeout = int(verb.get("timeout", "30"))
        time_limit = int(verb.get("timeLimit", "14400"))
        hangup_on_star = verb.get("hangupOnStar") == "true"
        answered = outcome.status == "completed"
        talk, star = 0, False
        if answered:
            talk = outcome.talk_seconds
            if hangup_on_star and outcome.star_after is not None and outcome.star_after < talk:
                talk, star = outcome.star_after, True
            talk = min(talk, time_limit)
            state.elapsed += min(outcome.ring_seconds, timeout) + talk
        else:
            state.elapsed += timeout if outcome.status == "no-answer" else outcome.ring_seconds
        action = verb.get("action")
        action_url = urljoin(state.document_url, action.strip()) if action else None
        dialed = Dialed(
            targets=tuple(targets),
            connected=target.value if answered else None,
            status=outcome.status,
            duration=talk,
            dial_call_sid=new_sid("CA"),
            bridged=answered,
            hung_up_on_star=star,
            caller_id=verb.get("callerId"),
            action=action_url,
        )
        events.append(dialed)
        params = {
            "DialCallStatus": dialed.status,
            "DialCallSid": dialed.dial_call_sid,
            "DialBridged": "true" if dialed.bridged else "false",
        }
        if answered:
            # Twilio reports DialCallDuration for a dialed call that was answered.
            params["DialCallDuration"] = str(dialed.duration)
        if answered and outcome.caller_hangs_up and not star:
            # The caller left: Twilio still posts the Dial action (CallStatus
            # completed) but no further TwiML can run.
            state.call_params["CallStatus"] = "completed"
            if action_url:
                self._fetch(state, events, action_url, verb.get("method", "POST"), params, load=False)
            self._end(state, events, "caller-hangup", "caller hung up during <Dial>")
            return
        if action_url:
            self._fetch(state, events, action_url, verb.get("method", "POST"), params)
        else:
            state.index += 1

    def _verb_Redirect(self, state: SimCallState, events: list[Event], verb: ET.Element) -> None:
        url = urljoin(state.document_url, (verb.text or "").strip())
        method = verb.get("method", "POST")
        events.append(Redirected(url=url, method=method))
        self._fetch(state, events, url, method, {})

    def _verb_Hangup(self, state: SimCallState, events: list[Event], verb: ET.Element) -> None:
        self._end(state, events, "hangup")

    def _verb_Reject(self, state: SimCallState, events: list[Event], verb: ET.Element) -> None:
        # On an outbound call that is already answered, <Reject> just ends it.
        self._end(state, events, "reject", verb.get("reason", "rejected"))


def describe_wait(state: SimCallState) -> dict[str, Any] | None:
    """What the call waits for, for a preview UI: verb, its attributes and dial targets."""
    if state.waiting_for is None:
        return None
    verb = list(ET.fromstring(state.document))[state.index]
    info: dict[str, Any] = {"verb": verb.tag, "attributes": dict(verb.attrib)}
    if verb.tag == "Dial":
        nouns = list(verb)
        info["targets"] = [(n.text or "").strip() for n in nouns] if nouns else [(verb.text or "").strip()]
    return info
