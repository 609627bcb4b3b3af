"""The transcript of a simulated call: what Twilio fetched, what the caller heard, how it ended.

Every event is a frozen dataclass and round-trips through JSON (``event_to_dict`` /
``event_from_dict``), so the preview can keep a transcript between browser requests.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Requested:
    """Twilio fetched a webhook (the document URL, a Gather/Dial action, a Redirect)."""

    url: str
    method: str
    params: dict[str, str]
    status: int


@dataclass(frozen=True)
class Said:
    """<Say> text the caller heard."""

    text: str
    voice: str | None = None
    language: str | None = None
    loop: int = 1
    in_gather: bool = False


@dataclass(frozen=True)
class Played:
    """<Play> of an audio URL (or DTMF digits)."""

    url: str | None
    loop: int = 1
    digits: str | None = None
    in_gather: bool = False


@dataclass(frozen=True)
class Paused:
    """<Pause> of ``length`` seconds."""

    length: int
    in_gather: bool = False


@dataclass(frozen=True)
class Gathered:
    """A <Gather> finished: what was pressed, what Twilio submitted, and where."""

    keys: str | None  # what the caller pressed; None = silence
    digits: str  # the Digits value (finishOnKey stripped, numDigits applied)
    submitted: bool  # True if the action URL was requested
    action: str | None  # the absolute action URL (requested or not)
    timed_out: bool
    speech: str | None = None  # the SpeechResult sent, when the caller spoke to a speech <Gather>


@dataclass(frozen=True)
class DialTarget:
    """One party inside a <Dial>: kind is number/client/sip, plus noun attributes."""

    kind: str
    value: str
    send_digits: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Dialed:
    """A <Dial> ended: targets, outcome and what was posted to the action URL."""

    targets: tuple[DialTarget, ...]
    connected: str | None  # the target value that answered, if any
    status: str  # DialCallStatus
    duration: int  # DialCallDuration (seconds bridged)
    dial_call_sid: str
    bridged: bool
    hung_up_on_star: bool
    caller_id: str | None
    action: str | None  # absolute action URL if the verb had one


@dataclass(frozen=True)
class Redirected:
    """<Redirect> to another TwiML document."""

    url: str
    method: str


@dataclass(frozen=True)
class Ended:
    """The call ended: reason is hangup, reject, end-of-document or caller-hangup."""

    reason: str
    detail: str | None = None


Event = Requested | Said | Played | Paused | Gathered | Dialed | Redirected | Ended
_EVENT_TYPES: dict[str, type] = {
    cls.__name__: cls for cls in (Requested, Said, Played, Paused, Gathered, Dialed, Redirected, Ended)
}


def event_to_dict(event: Event) -> dict[str, Any]:
    """A JSON-able dict for an event, tagged with its kind."""
    data = asdict(event)
    if isinstance(event, Dialed):
        data["targets"] = [asdict(t) for t in event.targets]
    return {"kind": type(event).__name__, **data}


def event_from_dict(data: Mapping[str, Any]) -> Event:
    """Rebuild an event from ``event_to_dict`` output."""
    payload = dict(data)
    cls = _EVENT_TYPES[payload.pop("kind")]
    if cls is Dialed:
        payload["targets"] = tuple(DialTarget(**t) for t in payload["targets"])
    return cls(**payload)
