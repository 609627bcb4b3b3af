"""The call flow's vocabulary: steps and state, keys, tunables, webhook events, inputs and effects.

Plain frozen values shared by :mod:`callflow.flow` (which turns a state and an event into TwiML,
a next state and effects), the webhooks that persist them, the dialer and the pages. Reading
Twilio's request parameters into an :data:`Event` is :func:`callflow.parameters.parse_event`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
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
    # Asynchronous machine detection reported a machine while the greeting played: the dialer
    # redirects the live call (and any webhook that comes first) to the short voicemail message.
    MACHINE: Final = "machine"
    DONE: Final = "done"

    # The call-in line's steps, before the call has legs (callflow/callin.py).
    CAMPAIGN: Final = "callin_campaign"  # several live campaigns share the number: which one?
    WELCOME: Final = "callin_welcome"  # the campaign is chosen: welcome the caller to it
    LANGUAGE: Final = "callin_language"  # "para español, oprima 2; para português, digite 3"
    RETURNING: Final = "callin_returning"
    ZIP: Final = "callin_zip"
    ADDRESS: Final = "callin_address"
    CONFIRM: Final = "callin_confirm"
    PICK: Final = "callin_pick"


STEPS: Final[frozenset[str]] = frozenset(
    {Step.START, Step.SCRIPT, Step.DIALING, Step.FEEDBACK, Step.OFFER, Step.MACHINE, Step.DONE}
)
CALLIN_STEPS: Final[frozenset[str]] = frozenset(
    {Step.CAMPAIGN, Step.WELCOME, Step.LANGUAGE, Step.RETURNING, Step.ZIP, Step.ADDRESS, Step.CONFIRM, Step.PICK}
)
# Steps a machine verdict may still interrupt: before any office is dialed. Once the call has moved
# on, somebody pressed a key (or a conversation began), so a late verdict changes nothing.
MACHINE_INTERRUPTIBLE_STEPS: Final[frozenset[str]] = frozenset({Step.START, Step.SCRIPT})
# Steps whose ``position`` must name an existing leg.
LEG_STEPS: Final[frozenset[str]] = frozenset({Step.DIALING, Step.FEEDBACK, Step.OFFER})


@dataclass(frozen=True)
class FlowState:
    """Where a call is: stored in the ``calls`` columns ``step``, ``position``, ``attempts``."""

    step: str
    position: int = 0  # index of the current leg, 0-based
    # At a prompt: re-prompts so far (silence or unknown key). While dialing (no prompt, so no
    # re-prompts): the index of the leg's office line being tried, 0 for the line in ``Leg.phone``.
    attempts: int = 0


INITIAL_STATE: Final = FlowState(Step.START, 0, 0)

# --- Keys -------------------------------------------------------------------------------------

KEY_GO_ON: Final = "1"
KEY_REPEAT: Final = "2"
KEY_SKIP: Final = "3"
KEY_NOT_REQUESTED: Final = "9"  # "I did not ask for this call": ends it and blocklists the number
KEY_END_CONVERSATION: Final = "*"  # handled by Twilio itself through <Dial hangupOnStar="true">

# The call-in line's keys.
KEY_SAME_AGAIN: Final = "1"
KEY_NEW_ZIP: Final = "2"
KEY_DONT_KNOW: Final = "0"
KEY_LIST: Final = "0"  # at the address question: skip it, read me the candidates
KEY_TEXT: Final = "*"  # at the candidates, when the campaign offers texts: a link to the campaign page instead
KEY_YES: Final = "1"
KEY_NO: Final = "2"
# What a caller may say instead of pressing 1 or 2 at the confirmation (lower case, no punctuation).
SPOKEN_YES: Final = frozenset({"yes", "yeah", "yep", "correct", "right", "that's right", "yes it is", "sí", "si"})
SPOKEN_NO: Final = frozenset({"no", "nope", "wrong", "no it isn't", "no it's not"})
ZIP_DIGITS: Final = 5
ZIP_FINISH_KEY: Final = "#"

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
        Step.CAMPAIGN: MappingProxyType({"1-9": "this campaign"}),
        Step.LANGUAGE: MappingProxyType({"1-9": "this language (any other key, or none: go on as we are)"}),
        Step.RETURNING: MappingProxyType(
            {KEY_SAME_AGAIN: "call the same legislators again", KEY_NEW_ZIP: "enter a ZIP code"}
        ),
        Step.ZIP: MappingProxyType({"0-9": "the five digits of the ZIP code", ZIP_FINISH_KEY: "done"}),
        Step.ADDRESS: MappingProxyType({"(speech)": "my street number and street name", KEY_LIST: "read me the names"}),
        Step.CONFIRM: MappingProxyType({KEY_YES: "yes, that's where I live", KEY_NO: "no"}),
        Step.PICK: MappingProxyType(
            {"1-9": "this one is mine", KEY_DONT_KNOW: "I don't know", KEY_TEXT: "text me a link instead"}
        ),
    }
)

# --- Tunables ---------------------------------------------------------------------------------

MAX_REPROMPTS: Final = 2  # silent / wrong-key re-prompts before taking the default
# The address is asked for at most this many times (an address not found, speech not understood)
# before the line reads the candidates by name instead.
ADDRESS_TRIES: Final = 2
# Speech recognised with less confidence than this (Twilio's Confidence, 0.0-1.0) counts as not understood.
MIN_SPEECH_CONFIDENCE: Final = 0.2
# What is kept of a speech result at most; an address longer than this is not one.
MAX_SPEECH_CHARS: Final = 200
SPEECH_TIMEOUT: Final = "auto"  # <Gather speechTimeout>: end of speech as the recogniser judges it
ADDRESS_HINTS: Final = "street, avenue, road, drive, lane, court, place, boulevard, way, apartment"
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
EVENT_VOICEMAIL: Final = "voicemail"  # the URL the dialer redirects a call answered by a machine to
EVENTS: Final[frozenset[str]] = frozenset({EVENT_ANSWERED, EVENT_GATHER, EVENT_SILENCE, EVENT_DIAL, EVENT_VOICEMAIL})
# The query parameter of a <Dial action> URL naming the office line it rang (absent for the first), so
# a late or repeated result of an earlier line is recognised. Only this small index ever reaches the URL.
DIAL_LINE_PARAM: Final = "line"
MAX_LINES: Final = 9  # office lines tried per leg at most

UrlFor: TypeAlias = Callable[[str], str]


@dataclass(frozen=True)
class Answered:
    """Twilio connected the supporter's phone; ``answered_by`` is set when machine detection ran."""

    kind: ClassVar[str] = EVENT_ANSWERED
    answered_by: str | None = None


@dataclass(frozen=True)
class GatherResult:
    """The supporter pressed a key at a prompt (``digits`` empty means nothing was entered), or spoke at a
    speech prompt (Twilio's SpeechResult, and its Confidence when sent)."""

    kind: ClassVar[str] = EVENT_GATHER
    digits: str
    speech: str = ""
    confidence: float | None = None


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
    line: int = 0  # which office line of the leg this Dial rang (``DIAL_LINE_PARAM`` in its action URL)


@dataclass(frozen=True)
class Voicemail:
    """The dialer redirected the call because machine detection reported a machine."""

    kind: ClassVar[str] = EVENT_VOICEMAIL


Event: TypeAlias = Answered | GatherResult | Silence | DialFinished | Voicemail

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
    locale: str = "en"  # the call's language (languages.LOCALES): every prompt is said in it
    ring_timeout: int = 30  # <Dial timeout>, seconds
    # We rang the supporter (a call-back): "if you did not ask for this call, press 9" is offered. Not on a
    # call-in, where they dialed us.
    placed: bool = True

    def __post_init__(self) -> None:
        if not MIN_RING_TIMEOUT <= self.ring_timeout <= MAX_RING_TIMEOUT:
            raise ValueError(f"ring_timeout must be {MIN_RING_TIMEOUT}..{MAX_RING_TIMEOUT} s")
        if len(self.talking_points) > MAX_TALKING_POINTS_CHARS:
            raise ValueError(f"talking_points is over {MAX_TALKING_POINTS_CHARS} characters")
        for name in ("title", "greeting", "thanks"):
            if len(getattr(self, name)) > MAX_SHORT_TEXT_CHARS:
                raise ValueError(f"{name} is over {MAX_SHORT_TEXT_CHARS} characters")


@dataclass(frozen=True)
class Line:
    """One more office line of a target, tried when the lines before it are busy or silent."""

    phone: str  # E.164
    extension: str | None = None
    kind: str | None = None  # "capitol", "district", … as Open States classifies the office


@dataclass(frozen=True)
class Leg:
    """One planned conversation: a target to dial, or a vacant seat to mention and skip."""

    name: str  # display name, "Senator Jane Doe"; may be empty for a vacant seat
    district: str | None = None  # "First Middlesex"; None for a fixed target
    phone: str | None = None  # E.164: the first office line
    extension: str | None = None
    vacant: bool = False
    kind: str | None = None  # the first line's office kind
    more_lines: tuple[Line, ...] = ()  # the target's other office lines, in the order they are tried
    # Every office of the target is outside its hours now: the call says so (a message still counts) and
    # dials all the same, to reach voicemail. Set for each webhook from the offices' hours (callflow/plans.py).
    closed: bool = False

    @property
    def lines(self) -> tuple[Line, ...]:
        """Every dialable office line of this leg, the first one first; empty when it cannot be dialed."""
        if not self.dialable:
            return ()
        assert self.phone is not None
        first = Line(self.phone, self.extension, self.kind)
        return (first, *(line for line in self.more_lines if _E164.fullmatch(line.phone)))

    @property
    def dialable(self) -> bool:
        """Whether this leg can be dialed (not vacant, with a well-formed E.164 number)."""
        return not self.vacant and self.phone is not None and bool(_E164.fullmatch(self.phone))


# --- The call-in line's inputs: what the lookup made of the caller's answers so far ------------


@dataclass(frozen=True)
class Answers:
    """What a caller to the campaign's number has told us: a ZIP, and a district for each chamber asked.

    ``picks`` maps a chamber to the GEOID the caller chose, or to "" when they pressed "don't know".
    """

    zip: str | None = None
    picks: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # The districts a spoken address resolved to, until the caller confirms them (then they are picks).
    heard: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # What the caller just said, for the lookup only: never stored.
    address: str | None = None

    def picking(self, chamber: str, geoid: str) -> Answers:
        """These answers with one more chamber answered."""
        return Answers(self.zip, MappingProxyType({**self.picks, chamber: geoid}), self.heard)

    def hearing(self, address: str | None, heard: Mapping[str, str] | None = None) -> Answers:
        """These answers with a spoken address to look up, or the districts it resolved to."""
        return Answers(self.zip, self.picks, MappingProxyType(dict(heard or {})), address)

    def confirmed(self) -> Answers:
        """The districts heard become picks."""
        return Answers(self.zip, MappingProxyType({**self.picks, **self.heard}))

    def rejected(self) -> Answers:
        """The districts heard are forgotten."""
        return Answers(self.zip, self.picks)


@dataclass(frozen=True)
class Choice:
    """One district a caller can pick: its members' names read aloud ("" for a vacant seat)."""

    geoid: str
    district: str
    names: str


@dataclass(frozen=True)
class Question:
    """Which district of one chamber is the caller's: read the choices by name."""

    chamber: str
    member_title: str  # "State Representative"
    choices: tuple[Choice, ...]


PlacesStatus: TypeAlias = Literal["ready", "ask", "heard", "unusable", "nobody"]


@dataclass(frozen=True)
class Places:
    """What the lookup made of the answers: ready to plan, a question, a spoken address placed ("heard"), a ZIP
    we cannot use, or nobody to call."""

    status: PlacesStatus
    question: Question | None = None  # for "ask": the first chamber still unsettled
    legs: tuple[object, ...] = ()  # for "ready": the planned legs, opaque to the flow (calls.planning.PlannedLeg)
    skipped: tuple[str, ...] = ()  # member titles of the chambers left out because the caller didn't know
    reason: str = ""  # for "unusable": the lookup's sentence
    # For "heard": the districts the address is in, the address as the geocoder matched it, and who they mean
    # ("State Representative Jay Livingstone"); for "ready", who will be called.
    picks: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    matched_address: str = ""
    names: tuple[str, ...] = ()
    # For "ask" after a spoken address: the geocoder could not be reached (asking again will not help).
    geocoder_down: bool = False


Resolver: TypeAlias = Callable[[Answers], Places]


# --- Effects ----------------------------------------------------------------------------------

SkipReason: TypeAlias = Literal["vacant", "no_phone", "supporter"]


@dataclass(frozen=True)
class LegDialing:
    """The Dial to leg ``position`` was issued, to its office line ``line`` (0 for the first)."""

    position: int
    line: int = 0


@dataclass(frozen=True)
class LegFinished:
    """The Dial to leg ``position`` ended, as Twilio reported it."""

    position: int
    dial_status: str
    duration: int | None
    dial_sid: str | None
    bridged: bool | None = None
    line: int = 0  # which of the leg's office lines this Dial rang
    kind: str | None = None  # that line's office kind
    # The leg goes on to its next office line: this was one attempt, not the leg's outcome.
    failing_over: bool = False


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


@dataclass(frozen=True)
class AnswersGiven:
    """The call-in caller's answers changed: store them until the call is planned."""

    answers: Answers


@dataclass(frozen=True)
class CampaignChosen:
    """The caller chose the campaign at ``index`` of those sharing the number."""

    index: int


@dataclass(frozen=True)
class LanguageOffer:
    """A language the call-in line offers: its key, and the <Say> language and voice its offer is said in."""

    digit: str
    locale: str
    language: str
    voice: str


@dataclass(frozen=True)
class LanguageChosen:
    """The caller chose to go on in another language (languages.LOCALES)."""

    locale: str


@dataclass(frozen=True)
class TextRequested:
    """The caller asked for a text message with a link to the campaign page instead of a call."""


@dataclass(frozen=True)
class CallPlanned:
    """The call-in caller's legislators are settled: plan these legs; the answers are no longer needed."""

    legs: tuple[object, ...]


Effect: TypeAlias = (
    LegDialing
    | LegFinished
    | LegSkipped
    | LegFeedback
    | AnsweredByMachine
    | NotRequested
    | CallFinished
    | AnswersGiven
    | CampaignChosen
    | LanguageChosen
    | TextRequested
    | CallPlanned
)
