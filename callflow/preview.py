"""The in-browser preview: the simulator plays Twilio against our own webhooks, one keypress at a time.

Used when no Twilio account is configured. It drives the same routes, flow and records as a real
call (signed with the preview key), so what an organiser walks through is exactly what a supporter
would hear; the status callbacks are played too, so the call page shows the live state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask

from callflow import vocabulary
from callflow.signatures import signing_token
from callflow.urls import public_url
from models import Call, CallPreview
from voicesim import (
    STATUS_CALLBACK_EVENTS,
    CallSimulator,
    DialOutcome,
    ExecutionStep,
    SimCallState,
    SimulatorError,
    Speech,
    WSGITransport,
    deliver_webhooks,
    describe_wait,
    event_to_dict,
    new_sid,
    status_callback_requests,
)

# Twilio's test number: the preview never needs the supporter's real number.
PREVIEW_TO = "+15005550006"
PREVIEW_ACCOUNT = "AC" + "0" * 32
# What the organiser can make the other end do when the call dials someone.
DIAL_CHOICES = {
    "answered": lambda: DialOutcome.answered(60),
    "star": lambda: DialOutcome.pressed_star(after=30),
    # An office's voicemail picks up: to Twilio, a call that connected; the supporter leaves a message.
    "voicemail": lambda: DialOutcome.answered(25),
    "busy": DialOutcome.busy,
    "no-answer": DialOutcome.no_answer,
    "failed": DialOutcome.failed,
}
KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#")
# A call-in preview dials the campaign's number the way Twilio reports a withheld caller ID: never a
# returning caller, never counted against a supporter's limits.
CALL_IN_FROM = "anonymous"
MAX_SPOKEN_CHARS = vocabulary.MAX_SPEECH_CHARS
MAX_KEYS = 10  # keys typed at once


class PreviewError(Exception):
    """The preview cannot take that input now."""


@dataclass(frozen=True)
class PreviewView:
    """What the preview page shows."""

    started: bool
    finished: bool
    waiting_for: str | None
    transcript: list[dict[str, Any]]
    listens: bool = False  # the current <Gather> takes speech as well as keys
    digits: int = 1  # how many keys the current <Gather> waits for (its numDigits)


def _simulator(app: Flask) -> CallSimulator:
    return CallSimulator(WSGITransport(app), signing_token(app))


def _status_callbacks(
    app: Flask, call: Call, state: SimCallState, events: tuple[str, ...], final: bool = False
) -> None:
    webhooks = status_callback_requests(
        call_params=state.call_params,
        url=public_url(app, "callflow.status", public_id=call.public_id),
        events=STATUS_CALLBACK_EVENTS,
        duration=state.elapsed,
    )
    chosen = [
        w for w in webhooks if w.params["CallStatus"] in events or (final and w.params["CallStatus"] == "completed")
    ]
    deliver_webhooks(WSGITransport(app), signing_token(app), chosen)


def view(preview: CallPreview | None) -> PreviewView:
    """The page's view of a preview (or of one not started yet)."""
    if preview is None:
        return PreviewView(False, False, None, [])
    state = SimCallState.from_dict(preview.state)
    waiting = describe_wait(state) or {}
    attributes = waiting.get("attributes", {})
    listens = "speech" in str(attributes.get("input", "")).split()
    digits = int(attributes.get("numDigits", "1") or "1")
    return PreviewView(True, state.finished, state.waiting_for, list(preview.transcript), listens, digits)


def dial_in(app: Flask, number: str) -> tuple[str, dict, list[dict]]:
    """Call the campaign's ``number`` as a supporter would (its Voice URL); returns (CallSid, state, transcript).

    The call-in line creates the Call itself, known by this CallSid; the line may also refuse (a paused
    campaign), in which case no Call exists and the transcript says why.
    """
    sid = new_sid("CA")
    step = _simulator(app).start(
        public_url(app, "callin.inbound"),
        to=number,
        from_=CALL_IN_FROM,
        account_sid=PREVIEW_ACCOUNT,
        call_sid=sid,
        direction="inbound",
    )
    state, transcript = step.state.to_dict(), [event_to_dict(e) for e in step.events if type(e).__name__ != "Requested"]
    return sid, state, transcript


def start(app: Flask, call: Call) -> tuple[dict, list[dict]]:
    """Ring the (pretend) phone: status callbacks, then the call's first webhook; returns (state, transcript)."""
    sim = _simulator(app)
    url = public_url(app, "callflow.voice", public_id=call.public_id, event=vocabulary.EVENT_ANSWERED)
    caller_id = call.campaign.caller_id or app.config.get("TWILIO_CALLER_ID") or "+15005550006"
    pending = SimCallState(
        call_params={
            "CallSid": "CA" + call.public_id.encode().hex()[:32].ljust(32, "0"),
            "AccountSid": PREVIEW_ACCOUNT,
            "From": caller_id,
            "To": PREVIEW_TO,
        },
        document_url=url,
        document="<Response/>",
    )
    _status_callbacks(app, call, pending, ("initiated", "ringing", "in-progress"))
    step = sim.start(
        url,
        to=PREVIEW_TO,
        from_=caller_id,
        account_sid=PREVIEW_ACCOUNT,
        call_sid=pending.call_params["CallSid"],
        answered_by="human",
    )
    return _finish_step(app, call, step, [])


def advance(app: Flask, call: Call, preview: CallPreview, action: str, value: str | None) -> tuple[dict, list[dict]]:
    """Feed one input: a key, silence, or what the dialed office does; returns (state, transcript)."""
    state = SimCallState.from_dict(preview.state)
    if state.finished:
        raise PreviewError("the call is over")
    if (
        action == "key"
        and state.waiting_for == "gather"
        and value
        and len(value) <= MAX_KEYS
        and set(value) <= set(KEYS)
    ):
        user_input: Any = value  # one key, or several typed at once (a ZIP code)
    elif action == "silence" and state.waiting_for == "gather":
        user_input = None
    elif action == "say" and state.waiting_for == "gather" and value and value.strip():
        user_input = Speech(" ".join(value.split())[:MAX_SPOKEN_CHARS])
    elif action == "dial" and state.waiting_for == "dial" and value in DIAL_CHOICES:
        user_input = DIAL_CHOICES[value]()
    else:
        raise PreviewError("that input does not fit this moment of the call")
    transcript = list(preview.transcript)
    if action == "key":
        transcript.append({"kind": "Pressed", "keys": value})
    elif action == "say":
        transcript.append({"kind": "Spoke", "text": user_input.text})
    step = _simulator(app).resume(state, user_input)
    return _finish_step(app, call, step, transcript)


def _finish_step(app: Flask, call: Call, step: ExecutionStep, transcript: list[dict]) -> tuple[dict, list[dict]]:
    transcript = transcript + [event_to_dict(e) for e in step.events if type(e).__name__ != "Requested"]
    if step.finished:
        _status_callbacks(app, call, step.state, (), final=True)
    return step.state.to_dict(), transcript


__all__ = [
    "DIAL_CHOICES",
    "KEYS",
    "PreviewError",
    "PreviewView",
    "SimulatorError",
    "advance",
    "dial_in",
    "start",
    "view",
]
