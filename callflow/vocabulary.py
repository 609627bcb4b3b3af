"""The call flow's vocabulary: steps and state, keys, tunables, webhook events, inputs and effects.

Plain frozen values shared by :mod:`callflow.flow` (which turns a state and an event into TwiML,
a next state and effects), the webhooks that persist them, the dialer and the pages. Reading
Twilio's request parameters into an :data:`Event` (:func:`parse_event`) lives here too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import ClassVar, Final, Literal, TypeAlias

# --- State ------------------------------------------------------------------------------------


class Step:
    """Names of the steps; plain strings because they are stored in ``calls.step``."""

    START: Final = "start"
    SCRIPT: Final = "script"
    DIALING: Final = "dialing"
    FEEDBACK: Final = "feedback"
    OFFER: Final = "offer"
    DONE: Final = "done"


STEPS: Final[frozenset[str]] = frozenset({Step.START, Step.SCRIPT, Step.DIALING, Step.FEEDBACK, Step.OFFER, Step.DONE})
# Steps whose ``position`` must name an existing leg.
LEG_STEPS: Final[frozenset[str]] = frozenset({Step.DIALING, Step.FEEDBACK, Step.OFFER})


@dataclass(frozen=True)
class FlowState:
    """Where a call is: stored in the ``calls`` columns ``step``, ``position``, ``attempts``."""

    step: str
    position: int = 0  # index of the current leg, 0-based
    attempts: int = 0  # re-prompts so far (silence or unknown key) at the current prompt


INITIAL_STATE: Final = FlowState(Step.START, 0, 0)

# --- Keys -------------------------------------------------------------------------------------

KEY_GO_ON: Final = "1"
KEY_REPEAT: Final = "2"
KEY_SKIP: Final = "3"
KEY_NOT_REQUESTED: Final = "9"  # "I did not ask for this call": ends it and blocklists the number
KEY_END_CONVERSATION: Final = "*"  # handled by Twilio itself through <Dial hangupOnStar="true">

FeedbackOutcome: TypeAlias = Literal["spoke", "voicemail", "not_reached"]
FEEDBACK_KEYS: Final[Mapping[str, FeedbackOutcome]] = MappingProxyType(
    {"1": "spoke", "2": "voicemail", "3": "not_reached"}
)

# What each key does at each step, for the README and for the prompts' tests. Every prompt
# announces exactly these keys; any other key is "Sorry, I didn't get that".
KEY_MAP: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType(
    {
        Step.SCRIPT: MappingProxyType(
            {
                KEY_GO_ON: "go on",
                KEY_REPEAT: "hear the talking points again",
                KEY_NOT_REQUESTED: "I did not ask for this call",
            }
        ),
        Step.DIALING: MappingProxyType({KEY_END_CONVERSATION: "end this conversation, go on"}),
        Step.FEEDBACK: MappingProxyType(
            {"1": "I spoke with someone", "2": "I left a message", "3": "I couldn't get through"}
        ),
        Step.OFFER: MappingProxyType(
            {
                KEY_GO_ON: "connect me to the next target",
                KEY_REPEAT: "hear the talking points again",
                KEY_SKIP: "skip the next target",
            }
        ),
    }
)

# --- Tunables ---------------------------------------------------------------------------------

MAX_REPROMPTS: Final = 2  # silent / wrong-key re-prompts before taking the default
GATHER_TIMEOUT_SECONDS: Final = 8  # Twilio's default 5 s is short for someone lowering the phone
GREETING_PAUSE_SECONDS: Final = 1  # so the first words are not lost while the phone reaches an ear
# Each "w" is a half-second wait before the extension digits (Twilio sendDigits syntax); two
# seconds lets an office's auto-attendant start listening.
EXTENSION_WAIT: Final = "wwww"
# Long text is spoken in several <Say> elements of at most this many characters.
MAX_SAY_CHARS: Final = 1000
# Twilio rejects responses over 64 kB. These caps keep the largest response (greeting +
# talking points + prompt, with every character XML-escaped) well under it; the campaign
# loader should enforce them so a bad campaign fails at load time, not mid-call.
MAX_TALKING_POINTS_CHARS: Final = 8000
MAX_SHORT_TEXT_CHARS: Final = 1000
CONVERSATION_TIME_LIMIT_SECONDS: Final = 20 * 60  # <Dial timeLimit>: longer than any real constituent call
MIN_RING_TIMEOUT, MAX_RING_TIMEOUT = 5, 600  # Twilio's accepted range for <Dial timeout>

_E164 = re.compile(r"\+[1-9]\d{1,14}")

# --- Webhook events ---------------------------------------------------------------------------

EVENT_ANSWERED: Final = "answered"  # the call's own URL, given to Twilio by the dialer
EVENT_GATHER: Final = "gather"  # <Gather action>
EVENT_SILENCE: Final = "silence"  # <Redirect> after every <Gather>
EVENT_DIAL: Final = "dial"  # <Dial action>
EVENTS: Final[frozenset[str]] = frozenset({EVENT_ANSWERED, EVENT_GATHER, EVENT_SILENCE, EVENT_DIAL})

UrlFor: TypeAlias = Callable[[str], str]


@dataclass(frozen=True)
class Answered:
    """Twilio connected the supporter's phone; ``answered_by`` is set when machine detection ran."""

    kind: ClassVar[str] = EVENT_ANSWERED
    answered_by: str | None = None


@dataclass(frozen=True)
class GatherResult:
    """The supporter pressed a key at a prompt (``digits`` empty means nothing was entered)."""

    kind: ClassVar[str] = EVENT_GATHER
    digits: str


@dataclass(frozen=True)
class Silence:
    """The Gather timed out with no key and Twilio followed the <Redirect>."""

    kind: ClassVar[str] = EVENT_SILENCE


@dataclass(frozen=True)
class DialFinished:
    """The <Dial> to the current leg ended."""

    kind: ClassVar[str] = EVENT_DIAL
    status: str  # DialCallStatus: completed, answered, busy, no-answer, failed, canceled
    duration: int | None = None  # DialCallDuration, seconds
    sid: str | None = None  # DialCallSid
    bridged: bool | None = None  # DialBridged


Event: TypeAlias = Answered | GatherResult | Silence | DialFinished

# --- Inputs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Campaign:
    """What the call says, and how it dials."""

    title: str
    greeting: str  # who is calling and why, one or two sentences
    talking_points: str
    thanks: str
    ask_feedback: bool = False
    voice: str | None = None  # <Say voice>, e.g. "Polly.Joanna"
    language: str | None = None  # <Say language>, e.g. "en-US"
    ring_timeout: int = 30  # <Dial timeout>, seconds

    def __post_init__(self) -> None:
        if not MIN_RING_TIMEOUT <= self.ring_timeout <= MAX_RING_TIMEOUT:
            raise ValueError(f"ring_timeout must be {MIN_RING_TIMEOUT}..{MAX_RING_TIMEOUT} s")
        if len(self.talking_points) > MAX_TALKING_POINTS_CHARS:
            raise ValueError(f"talking_points is over {MAX_TALKING_POINTS_CHARS} characters")
        for name in ("title", "greeting", "thanks"):
            if len(getattr(self, name)) > MAX_SHORT_TEXT_CHARS:
                raise ValueError(f"{name} is over {MAX_SHORT_TEXT_CHARS} characters")


@dataclass(frozen=True)
class Leg:
    """One planned conversation: a target to dial, or a vacant seat to mention and skip."""

    name: str  # display name, "Senator Jane Doe"; may be empty for a vacant seat
    district: str | None = None  # "First Middlesex"; None for a fixed target
    phone: str | None = None  # E.164
    extension: str | None = None
    vacant: bool = False

    @property
    def dialable(self) -> bool:
        """Whether this leg can be dialed (not vacant, with a well-formed E.164 number)."""
        return not self.vacant and self.phone is not None and bool(_E164.fullmatch(self.phone))


# --- Effects ----------------------------------------------------------------------------------

SkipReason: TypeAlias = Literal["vacant", "no_phone", "supporter"]


@dataclass(frozen=True)
class LegDialing:
    """The Dial to leg ``position`` was issued."""

    position: int


@dataclass(frozen=True)
class LegFinished:
    """The Dial to leg ``position`` ended, as Twilio reported it."""

    position: int
    dial_status: str
    duration: int | None
    dial_sid: str | None
    bridged: bool | None = None


@dataclass(frozen=True)
class LegSkipped:
    """Leg ``position`` was not dialed, and why."""

    position: int
    reason: SkipReason


@dataclass(frozen=True)
class LegFeedback:
    """The supporter's own account of leg ``position``."""

    position: int
    outcome: FeedbackOutcome


@dataclass(frozen=True)
class AnsweredByMachine:
    """A machine, not the supporter, answered (Twilio's AnsweredBy value)."""

    answered_by: str


@dataclass(frozen=True)
class NotRequested:
    """Whoever answered pressed 9: they did not ask for this call, and their number is not to be rung again."""


@dataclass(frozen=True)
class CallFinished:
    """The flow has said goodbye and hung up."""


Effect: TypeAlias = (
    LegDialing | LegFinished | LegSkipped | LegFeedback | AnsweredByMachine | NotRequested | CallFinished
)

# --- Reading Twilio's request parameters ------------------------------------------------------


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _bool_or_none(value: str | None) -> bool | None:
    return {"true": True, "false": False}.get((value or "").lower())


_PARSERS: Final[Mapping[str, Callable[[Mapping[str, str]], Event]]] = MappingProxyType(
    {
        EVENT_ANSWERED: lambda form: Answered(form.get("AnsweredBy") or None),
        EVENT_GATHER: lambda form: GatherResult(form.get("Digits", "")),
        EVENT_SILENCE: lambda form: Silence(),
        EVENT_DIAL: lambda form: DialFinished(
            status=form.get("DialCallStatus", ""),
            duration=_int_or_none(form.get("DialCallDuration")),
            sid=form.get("DialCallSid") or None,
            bridged=_bool_or_none(form.get("DialBridged")),
        ),
    }
)


def parse_event(name: str, form: Mapping[str, str]) -> Event:
    """Build the event for webhook ``name`` from Twilio's request parameters."""
    try:
        parser = _PARSERS[name]
    except KeyError:
        raise ValueError(f"unknown flow event {name!r}") from None
    return parser(form)
