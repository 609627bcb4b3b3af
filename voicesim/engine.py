"""A Twilio stand-in that executes TwiML the way Twilio's voice platform does.

It fetches our webhooks (signed exactly like Twilio signs them), validates the
TwiML strictly and executes it verb by verb, keeping a transcript of what the
caller would hear. It is used by tests (run a whole call with scripted key
presses) and by the in-browser preview (advance until the next <Gather> needs
input, keep the JSON-able ``SimCallState`` between browser requests).

Behaviour follows Twilio's public documentation (TwiML verb pages, "Your
Response", webhook security, Voice webhooks). Where Twilio is lenient, strict
mode (the default) is deliberately stricter and says so in the error text.

No Flask app import and no database here: the app is reached through a
``Transport`` (real HTTP, or a WSGI app in-process).
"""

from __future__ import annotations

import http.cookiejar
import re
import secrets
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.cookies import CookieError, SimpleCookie
from typing import Any, Callable, Iterable, Literal, Mapping, Protocol, Sequence, Union
from urllib.parse import urlencode, urljoin, urlsplit

import requests
from twilio.request_validator import RequestValidator
from werkzeug.test import Client as WerkzeugClient

API_VERSION = "2010-04-01"
# Twilio rejects TwiML response bodies larger than 64 kB (error 11750).
MAX_RESPONSE_BYTES = 64 * 1024
SIGNATURE_HEADER = "X-Twilio-Signature"
# What Twilio's webhook fetcher identifies itself as.
USER_AGENT = "TwilioProxy/1.1"
STATE_VERSION = 1

ANSWERED_BY_VALUES = frozenset(
    {
        "human",
        "machine_start",
        "machine_end_beep",
        "machine_end_silence",
        "machine_end_other",
        "fax",
        "unknown",
    }
)
DTMF_KEYS = frozenset("0123456789*#")


# --------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------


class SimulatorError(Exception):
    """Base class for everything the Twilio stand-in raises."""

    events: list["Event"]

    def __init__(self, message: str) -> None:
        super().__init__(message)
        # Filled in by the simulator so a failing test can show what was heard.
        self.events = []


class TwiMLError(SimulatorError):
    """The app's response would make Twilio say "An application error has occurred"."""

    def __init__(
        self,
        message: str,
        *,
        code: int | None = None,
        url: str | None = None,
        body: bytes | str | None = None,
    ) -> None:
        self.message = message
        self.code = code
        self.url = url
        self.body = body
        parts = [message]
        if code is not None:
            parts.append(f"(Twilio error {code})")
        if url:
            parts.append(f"at {url}")
        super().__init__(" ".join(parts))


class CallLimitExceeded(SimulatorError):
    """The call made more requests or ran more verbs than the configured limit (a loop)."""


class NotSimulatedError(SimulatorError):
    """Valid TwiML that this stand-in does not execute (e.g. <Record>, <Conference>)."""


class ScriptError(SimulatorError):
    """The scripted caller input does not fit what the call is waiting for."""


# --------------------------------------------------------------------------
# Transports
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class HttpResult:
    """What a webhook answered: status, media type, raw body and headers."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def media_type(self) -> str:
        """The content type without parameters, lower-cased ("text/xml")."""
        return self.content_type.split(";", 1)[0].strip().lower()

    def header_values(self, name: str) -> list[str]:
        """All values of a (case-insensitive) response header."""
        lname = name.lower()
        return [v for k, v in self.headers if k.lower() == lname]


class Transport(Protocol):
    """Sends one HTTP request to an absolute URL and returns the reply."""

    def send(
        self,
        method: str,
        url: str,
        form: Mapping[str, str] | None,
        headers: Mapping[str, str],
    ) -> HttpResult:
        """Send ``form`` (POST body, or None for GET) with ``headers`` to ``url``."""
        ...


class RequestsTransport:
    """Transport over real HTTP using ``requests`` (for a live server on 127.0.0.1)."""

    def __init__(self, timeout: float = 15.0, session: requests.Session | None = None) -> None:
        # Twilio's default webhook timeout is 15 s.
        self.timeout = timeout
        self.session = session or requests.Session()
        # Cookies belong to one simulated call (kept in SimCallState), never to
        # the session, otherwise they would leak between simulated calls.
        self.session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))

    def send(
        self,
        method: str,
        url: str,
        form: Mapping[str, str] | None,
        headers: Mapping[str, str],
    ) -> HttpResult:
        """Send the request with ``requests``; connection problems become TwiMLError 11205."""
        try:
            resp = self.session.request(
                method,
                url,
                data=dict(form) if form is not None else None,
                headers=dict(headers),
                timeout=self.timeout,
                allow_redirects=False,  # redirects are followed by the simulator, like Twilio
            )
        except requests.RequestException as exc:
            raise TwiMLError(f"HTTP connection failure: {exc}", code=11205, url=url) from exc
        raw_headers = getattr(resp.raw, "headers", None)
        if raw_headers is not None and hasattr(raw_headers, "items"):
            header_pairs = tuple((str(k), str(v)) for k, v in raw_headers.items())
        else:
            header_pairs = tuple(resp.headers.items())
        return HttpResult(
            status=resp.status_code,
            content_type=resp.headers.get("Content-Type", ""),
            body=resp.content,
            headers=header_pairs,
        )

    def close(self) -> None:
        """Close the underlying requests session."""
        self.session.close()


class WSGITransport:
    """Transport that calls a WSGI app in-process while the app sees the public URL.

    The scheme and host of the absolute URL are passed as werkzeug's base_url so
    ``request.url`` inside the app equals the URL Twilio signed.
    """

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app

    def send(
        self,
        method: str,
        url: str,
        form: Mapping[str, str] | None,
        headers: Mapping[str, str],
    ) -> HttpResult:
        """Run the request through the WSGI app with werkzeug's test client."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise TwiMLError(f"not an absolute http(s) URL: {url!r}", code=11100, url=url)
        # Cookies live in SimCallState; the test client must not keep its own.
        client = WerkzeugClient(self.app, use_cookies=False)
        resp = client.open(
            path=parts.path or "/",
            base_url=f"{parts.scheme}://{parts.netloc}",
            query_string=parts.query,
            method=method,
            data=dict(form) if form is not None else None,
            headers=list(headers.items()),
        )
        try:
            body = resp.get_data()
            return HttpResult(
                status=resp.status_code,
                content_type=resp.headers.get("Content-Type", ""),
                body=body,
                headers=tuple(resp.headers.items()),
            )
        finally:
            resp.close()


# --------------------------------------------------------------------------
# Signing and webhook requests
# --------------------------------------------------------------------------


def sign(auth_token: str, url: str, params: Mapping[str, str] | None) -> str:
    """X-Twilio-Signature for a request: HMAC-SHA1 of URL + sorted params, base64."""
    return RequestValidator(auth_token).compute_signature(url, dict(params or {}))


def webhook_headers(auth_token: str, url: str, params: Mapping[str, str] | None) -> dict[str, str]:
    """The headers Twilio sends with a webhook, including the signature."""
    headers = {
        SIGNATURE_HEADER: sign(auth_token, url, params),
        "User-Agent": USER_AGENT,
        "Accept": "*/*",
        "Cache-Control": "max-age=259200",
    }
    if params is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    return headers


@dataclass(frozen=True)
class WebhookRequest:
    """One request Twilio would send: where, how, and which parameters."""

    url: str
    method: str
    params: dict[str, str]


def send_webhook(
    transport: Transport,
    auth_token: str,
    request: WebhookRequest,
    cookies: Mapping[str, str] | None = None,
) -> HttpResult:
    """Sign and send one webhook the way Twilio does (GET puts params in the query)."""
    method = request.method.upper()
    if method == "GET":
        # Twilio signs the full URL including the appended query, with no body params.
        url = _append_query(request.url, request.params)
        headers = webhook_headers(auth_token, url, None)
        form = None
    else:
        url = request.url
        headers = webhook_headers(auth_token, url, request.params)
        form = request.params
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    return transport.send(method, url, form, headers)


def _append_query(url: str, params: Mapping[str, str]) -> str:
    if not params:
        return url
    sep = "&" if urlsplit(url).query else ("" if url.endswith("?") else "?")
    return f"{url}{sep}{urlencode(list(params.items()))}"


def new_sid(prefix: str) -> str:
    """A Twilio-shaped SID: two-letter prefix plus 32 lowercase hex digits."""
    return prefix + secrets.token_hex(16)


def rfc2822(dt: datetime) -> str:
    """Format a datetime the way Twilio does ("Tue, 05 Mar 2024 12:00:00 +0000")."""
    return format_datetime(dt.astimezone(timezone.utc))


# --------------------------------------------------------------------------
# Transcript events
# --------------------------------------------------------------------------


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


Event = Union[Requested, Said, Played, Paused, Gathered, Dialed, Redirected, Ended]
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
    return cls(**payload)  # type: ignore[no-any-return]


# --------------------------------------------------------------------------
# Caller script: inputs and dial outcomes
# --------------------------------------------------------------------------


class _Hangup:
    """Sentinel input: the caller hangs up while a <Gather> is waiting."""

    _instance: "_Hangup | None" = None

    def __new__(cls) -> "_Hangup":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "HANGUP"


HANGUP = _Hangup()

DialStatus = Literal["completed", "busy", "no-answer", "failed", "canceled"]
_DIAL_STATUSES = ("completed", "busy", "no-answer", "failed", "canceled")


@dataclass(frozen=True)
class DialOutcome:
    """What happens when Twilio dials one party (a legislator's office)."""

    status: DialStatus
    talk_seconds: int = 0  # seconds bridged when answered
    ring_seconds: int = 5  # seconds ringing before answer/busy
    star_after: int | None = None  # caller presses * after N bridged seconds
    caller_hangs_up: bool = False  # caller hangs up the whole call while bridged

    def __post_init__(self) -> None:
        if self.status not in _DIAL_STATUSES:
            raise ValueError(f"unknown dial status {self.status!r}")
        if self.talk_seconds < 0 or self.ring_seconds < 0:
            raise ValueError("durations must be >= 0")
        if self.status != "completed" and (self.talk_seconds or self.caller_hangs_up or self.star_after):
            raise ValueError("only an answered call can have talk time, * or a caller hang-up")

    @classmethod
    def answered(cls, talk_seconds: int, *, ring_seconds: int = 5) -> "DialOutcome":
        """The party answers and talks for ``talk_seconds``, then hangs up."""
        return cls("completed", talk_seconds=talk_seconds, ring_seconds=ring_seconds)

    @classmethod
    def busy(cls) -> "DialOutcome":
        """The line is busy."""
        return cls("busy", ring_seconds=0)

    @classmethod
    def no_answer(cls) -> "DialOutcome":
        """Nobody picks up before the Dial timeout."""
        return cls("no-answer")

    @classmethod
    def failed(cls) -> "DialOutcome":
        """The number cannot be reached (invalid, carrier error)."""
        return cls("failed", ring_seconds=0)

    @classmethod
    def pressed_star(cls, after: int, *, talk_seconds: int = 600) -> "DialOutcome":
        """Answered; the caller presses * after ``after`` seconds (ends it if hangupOnStar)."""
        return cls("completed", talk_seconds=talk_seconds, star_after=after)

    @classmethod
    def caller_hangup(cls, after: int) -> "DialOutcome":
        """Answered; the caller hangs up the whole call after ``after`` seconds."""
        return cls("completed", talk_seconds=after, caller_hangs_up=True)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "DialOutcome":
        """Inverse of ``to_dict``."""
        return cls(**dict(data))


DialScenario = Union[Mapping[str, DialOutcome], Callable[[str], "DialOutcome | None"]]
CallerInput = Union[str, None, _Hangup, DialOutcome, Mapping[str, DialOutcome]]


# --------------------------------------------------------------------------
# TwiML validation
# --------------------------------------------------------------------------

_E_URL, _E_METHOD, _E_BOOL, _E_POS, _E_NONNEG, _E_STR = "url", "method", "bool", "pos", "nonneg", "str"
_E_DTMF, _E_FINISH, _E_EVENTS = "dtmf", "finish", "events"

_CALL_EVENTS = frozenset({"initiated", "ringing", "answered", "completed"})
_AMD = ("Enable", "DetectMessageEnd")

# Attributes per executed verb/noun, from Twilio's TwiML reference pages.
# A tuple value is an enumeration of allowed strings.
_ATTRS: dict[str, dict[str, str | tuple[str, ...]]] = {
    "Response": {},
    "Say": {"voice": _E_STR, "language": _E_STR, "loop": _E_NONNEG},
    "Play": {"loop": _E_NONNEG, "digits": _E_DTMF},
    "Pause": {"length": _E_POS},
    "Gather": {
        "action": _E_URL,
        "method": _E_METHOD,
        "timeout": _E_POS,
        "finishOnKey": _E_FINISH,
        "numDigits": _E_POS,
        "input": ("dtmf", "speech", "dtmf speech", "speech dtmf"),
        "actionOnEmptyResult": _E_BOOL,
        "hints": _E_STR,
        "language": _E_STR,
        "partialResultCallback": _E_URL,
        "partialResultCallbackMethod": _E_METHOD,
        "profanityFilter": _E_BOOL,
        "speechTimeout": _E_STR,
        "maxSpeechTime": _E_POS,
        "speechModel": _E_STR,
        "enhanced": _E_BOOL,
        "bargeIn": _E_BOOL,
        "debug": _E_BOOL,
    },
    "Dial": {
        "action": _E_URL,
        "method": _E_METHOD,
        "timeout": _E_POS,
        "hangupOnStar": _E_BOOL,
        "timeLimit": _E_POS,
        "callerId": _E_STR,
        "record": (
            "true",
            "false",
            "do-not-record",
            "record-from-answer",
            "record-from-ringing",
            "record-from-answer-dual",
            "record-from-ringing-dual",
        ),
        "trim": ("trim-silence", "do-not-trim"),
        "recordingStatusCallback": _E_URL,
        "recordingStatusCallbackMethod": _E_METHOD,
        "recordingStatusCallbackEvent": _E_STR,
        "recordingTrack": ("both", "inbound", "outbound"),
        "answerOnBridge": _E_BOOL,
        "ringTone": _E_STR,
        "callReason": _E_STR,
        "referUrl": _E_URL,
        "referMethod": _E_METHOD,
        "sequential": _E_BOOL,
    },
    "Number": {
        "sendDigits": _E_DTMF,
        "url": _E_URL,
        "method": _E_METHOD,
        "byoc": _E_STR,
        "statusCallbackEvent": _E_EVENTS,
        "statusCallback": _E_URL,
        "statusCallbackMethod": _E_METHOD,
        "machineDetection": _AMD,
        "machineDetectionTimeout": _E_POS,
        "machineDetectionSpeechThreshold": _E_POS,
        "machineDetectionSpeechEndThreshold": _E_POS,
        "machineDetectionSilenceTimeout": _E_POS,
        "amdStatusCallback": _E_URL,
        "amdStatusCallbackMethod": _E_METHOD,
    },
    "Client": {
        "url": _E_URL,
        "method": _E_METHOD,
        "statusCallbackEvent": _E_EVENTS,
        "statusCallback": _E_URL,
        "statusCallbackMethod": _E_METHOD,
    },
    "Sip": {
        "username": _E_STR,
        "password": _E_STR,
        "url": _E_URL,
        "method": _E_METHOD,
        "statusCallbackEvent": _E_EVENTS,
        "statusCallback": _E_URL,
        "statusCallbackMethod": _E_METHOD,
        "machineDetection": _AMD,
    },
    "Redirect": {"method": _E_METHOD},
    "Hangup": {},
    "Reject": {"reason": ("rejected", "busy")},
}

# Valid voice verbs we recognise but do not execute (documented TwiML, not used by us).
_OTHER_VERBS = frozenset(
    {"Record", "Enqueue", "Leave", "Connect", "Start", "Stop", "Refer", "Pay", "Prompt", "Echo", "Sms", "Queue"}
)
# Dial nouns that are valid but not simulated.
_OTHER_DIAL_NOUNS = frozenset({"Conference", "Queue", "Application", "WhatsApp"})
# SSML tags allowed inside <Say>.
_SSML = frozenset({"break", "emphasis", "lang", "p", "phoneme", "prosody", "s", "say-as", "sub", "w"})
# E.164, or the unformatted US styles Twilio also accepts: (415) 555-1212, 415-555-1212.
_PHONE_TEXT = re.compile(r"^\+?[\d\-\(\)\.\s]*\d[\d\-\(\)\.\s]*$")


def _is_blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _check_value(verb: str, attr: str, kind: str | tuple[str, ...], value: str, url: str | None) -> None:
    def bad(expected: str) -> TwiMLError:
        return TwiMLError(
            f"<{verb} {attr}={value!r}>: expected {expected}", code=12200, url=url
        )

    if isinstance(kind, tuple):
        if value not in kind:
            raise bad("one of " + ", ".join(kind))
    elif kind == _E_URL:
        parts = urlsplit(value.strip())
        if not value.strip():
            raise bad("a URL")
        if parts.scheme and (parts.scheme not in ("http", "https") or not parts.netloc):
            raise bad("a relative or absolute http(s) URL")
    elif kind == _E_METHOD:
        if value not in ("GET", "POST"):
            raise bad("GET or POST")
    elif kind == _E_BOOL:
        if value not in ("true", "false"):
            raise bad("true or false")
    elif kind == _E_POS:
        if not value.isdigit() or int(value) < 1:
            raise bad("a positive integer")
    elif kind == _E_NONNEG:
        if not value.isdigit():
            raise bad("an integer >= 0")
    elif kind == _E_DTMF:
        if not value or any(ch not in "0123456789*#wW" for ch in value):
            raise bad("digits 0-9, *, #, w, W")
    elif kind == _E_FINISH:
        if len(value) > 1 or (value and value not in DTMF_KEYS):
            raise bad("one of 0-9, *, # or the empty string")
    elif kind == _E_EVENTS:
        if not value.split() or any(ev not in _CALL_EVENTS for ev in value.split()):
            raise bad("space-separated initiated/ringing/answered/completed")


def _check_attrs(el: ET.Element, url: str | None, strict: bool) -> None:
    schema = _ATTRS[el.tag]
    for attr, value in el.attrib.items():
        kind = schema.get(attr)
        if kind is None:
            if strict:
                # Twilio only logs warning 12200 and ignores the attribute; a
                # misspelt attribute is nearly always a bug on our side.
                raise TwiMLError(
                    f"<{el.tag}> has unknown attribute {attr!r} (Twilio would ignore it with warning 12200)",
                    code=12200,
                    url=url,
                )
            continue
        _check_value(el.tag, attr, kind, value, url)


def _no_children(el: ET.Element, url: str | None) -> None:
    if len(el):
        raise TwiMLError(f"<{el.tag}> cannot contain <{el[0].tag}>", code=12200, url=url)


def _no_stray_text(el: ET.Element, url: str | None) -> None:
    """Verbs that only hold elements must not carry loose text between them."""
    if not _is_blank(el.text) or any(not _is_blank(child.tail) for child in el):
        raise TwiMLError(f"<{el.tag}> contains stray text", code=12200, url=url)


def validate_twiml(root: ET.Element, url: str | None = None, *, strict: bool = True) -> None:
    """Raise TwiMLError unless ``root`` is a TwiML voice document Twilio accepts."""
    if root.tag != "Response":
        raise TwiMLError(f"root element must be <Response>, not <{root.tag}>", code=12102, url=url)
    _check_attrs(root, url, strict)
    _no_stray_text(root, url)
    for verb in root:
        if verb.tag in _OTHER_VERBS:
            continue
        if verb.tag not in _ATTRS or verb.tag in ("Response", "Number", "Client", "Sip"):
            where = " (only valid inside <Dial>)" if verb.tag in ("Number", "Client", "Sip") else ""
            raise TwiMLError(f"<{verb.tag}> is not a TwiML verb{where}", code=12100, url=url)
        _validate_verb(verb, url, strict, in_gather=False)


def _validate_verb(verb: ET.Element, url: str | None, strict: bool, *, in_gather: bool) -> None:
    _check_attrs(verb, url, strict)
    tag = verb.tag
    if tag == "Say":
        for child in verb.iter():
            if child is verb:
                continue
            local = child.tag.rsplit("}", 1)[-1]
            if local not in _SSML and not child.tag.startswith("{"):
                raise TwiMLError(f"<Say> cannot contain <{child.tag}>", code=12200, url=url)
        if strict and _is_blank("".join(verb.itertext())):
            raise TwiMLError("<Say> has no text (Twilio error 13520)", code=13520, url=url)
    elif tag == "Play":
        _no_children(verb, url)
        if _is_blank(verb.text) and "digits" not in verb.attrib:
            raise TwiMLError("<Play> needs a URL or a digits attribute", code=13410, url=url)
        if not _is_blank(verb.text):
            _check_value("Play", "(body)", _E_URL, verb.text.strip(), url)  # type: ignore[union-attr]
    elif tag in ("Pause", "Hangup", "Reject"):
        _no_children(verb, url)
        if not _is_blank(verb.text):
            raise TwiMLError(f"<{tag}> must be empty", code=12200, url=url)
    elif tag == "Redirect":
        _no_children(verb, url)
        if _is_blank(verb.text):
            raise TwiMLError("<Redirect> needs a URL", code=12200, url=url)
        _check_value("Redirect", "(body)", _E_URL, verb.text.strip(), url)  # type: ignore[union-attr]
    elif tag == "Gather":
        _no_stray_text(verb, url)
        for child in verb:
            if child.tag == "Gather":
                raise TwiMLError("<Gather> cannot be nested in <Gather>", code=12200, url=url)
            if child.tag not in ("Say", "Play", "Pause"):
                raise TwiMLError(
                    f"<Gather> may only contain <Say>, <Play> and <Pause>, not <{child.tag}>",
                    code=12200,
                    url=url,
                )
            _validate_verb(child, url, strict, in_gather=True)
    elif tag == "Dial":
        _validate_dial(verb, url, strict)


def _validate_dial(dial: ET.Element, url: str | None, strict: bool) -> None:
    nouns = list(dial)
    has_text = not _is_blank(dial.text) or any(not _is_blank(n.tail) for n in nouns)
    if nouns and has_text:
        raise TwiMLError("<Dial> mixes a plain number with nouns", code=12200, url=url)
    if not nouns and not has_text:
        raise TwiMLError("<Dial> has nothing to dial", code=12200, url=url)
    if has_text and not _PHONE_TEXT.match(dial.text.strip()):  # type: ignore[union-attr]
        raise TwiMLError(f"<Dial> text {dial.text.strip()!r} is not a phone number", code=13214, url=url)  # type: ignore[union-attr]
    if sum(1 for n in nouns if n.tag == "Number") > 10:
        raise TwiMLError("<Dial> allows at most ten <Number> nouns", code=12200, url=url)
    for noun in nouns:
        if noun.tag in _OTHER_DIAL_NOUNS:
            continue
        if noun.tag not in ("Number", "Client", "Sip"):
            raise TwiMLError(f"<Dial> cannot contain <{noun.tag}>", code=12200, url=url)
        _check_attrs(noun, url, strict)
        if noun.tag == "Number":
            _no_children(noun, url)
            if _is_blank(noun.text) or not _PHONE_TEXT.match(noun.text.strip()):  # type: ignore[union-attr]
                raise TwiMLError(f"<Number> {noun.text!r} is not a phone number", code=13223, url=url)
        elif noun.tag == "Sip":
            _no_children(noun, url)
            if _is_blank(noun.text) or not noun.text.strip().lower().startswith(("sip:", "sips:")):  # type: ignore[union-attr]
                raise TwiMLError("<Sip> needs a sip: URI", code=12200, url=url)
        elif noun.tag == "Client":
            if _is_blank(noun.text) and not any(c.tag == "Identity" for c in noun):
                raise TwiMLError("<Client> needs an identity", code=12200, url=url)


def parse_twiml(body: bytes | str, url: str | None = None, *, strict: bool = True) -> ET.Element:
    """Parse and validate a TwiML document; raise TwiMLError if Twilio would reject it."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    if len(raw) > MAX_RESPONSE_BYTES:
        raise TwiMLError(
            f"response body is {len(raw)} bytes, larger than 64 kB", code=11750, url=url, body=raw[:200]
        )
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        # TwiML never needs a DTD; refusing it also keeps entity expansion out.
        raise TwiMLError("document declares a DTD/entities", code=12100, url=url, body=raw[:200])
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise TwiMLError(f"document parse failure: {exc}", code=12100, url=url, body=raw[:200]) from exc
    validate_twiml(root, url, strict=strict)
    return root


# --------------------------------------------------------------------------
# Call state
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """Bounds that turn a looping call flow into an error instead of a hang."""

    max_requests: int = 50
    max_verbs: int = 500
    max_http_redirects: int = 5


@dataclass
class SimCallState:
    """Where a simulated call is; ``to_dict``/``from_dict`` round-trip through JSON."""

    call_params: dict[str, str]
    document_url: str
    document: str  # current TwiML (validated, re-serialised)
    index: int = 0  # next top-level verb to run
    waiting_for: Literal["gather", "dial"] | None = None
    status: Literal["in-progress", "completed"] = "in-progress"
    end_reason: str | None = None
    requests: int = 0
    verbs: int = 0
    elapsed: int = 0  # simulated seconds (pauses, gather timeouts, dials)
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def finished(self) -> bool:
        """True once the call has ended."""
        return self.status == "completed"

    @property
    def call_sid(self) -> str:
        """The CallSid sent with every request."""
        return self.call_params["CallSid"]

    def to_dict(self) -> dict[str, Any]:
        """A small JSON-able dict (no transcript) to keep between browser requests."""
        data = asdict(self)
        data["v"] = STATE_VERSION
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "SimCallState":
        """Rebuild a state saved with ``to_dict``; raises ValueError on a foreign dict."""
        payload = dict(data)
        if payload.pop("v", None) != STATE_VERSION:
            raise ValueError("not a SimCallState dict (or from another version)")
        names = {f.name for f in fields(cls)}
        if set(payload) != names:
            raise ValueError(f"SimCallState keys differ: {sorted(set(payload) ^ names)}")
        if payload["waiting_for"] not in (None, "gather", "dial"):
            raise ValueError("bad waiting_for")
        return cls(**payload)


@dataclass
class ExecutionStep:
    """Result of advancing a call: the new state and the events since the last step."""

    state: SimCallState
    events: list[Event]

    @property
    def waiting_for(self) -> str | None:
        """Either "gather" or "dial" when the call needs input; None otherwise."""
        return self.state.waiting_for

    @property
    def finished(self) -> bool:
        """True once the call has ended."""
        return self.state.finished


@dataclass
class CallRecord:
    """A whole simulated call: final state and full transcript."""

    state: SimCallState
    events: list[Event]

    def of(self, kind: type) -> list[Any]:
        """Events of one type, in order."""
        return [e for e in self.events if isinstance(e, kind)]

    @property
    def said(self) -> list[str]:
        """Every <Say> text, in order."""
        return [e.text for e in self.events if isinstance(e, Said)]

    @property
    def dials(self) -> list[Dialed]:
        """Every <Dial> outcome, in order."""
        return self.of(Dialed)

    @property
    def requests(self) -> list[Requested]:
        """Every webhook request made, in order."""
        return self.of(Requested)

    @property
    def end_reason(self) -> str | None:
        """Why the call ended."""
        return self.state.end_reason


# --------------------------------------------------------------------------
# The executor
# --------------------------------------------------------------------------


def outbound_call_params(
    *,
    account_sid: str,
    to: str,
    from_: str,
    call_sid: str | None = None,
    geo: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The parameters Twilio sends on every webhook of an outbound-api call."""
    geo = dict(geo or {})
    params = {
        "AccountSid": account_sid,
        "ApiVersion": API_VERSION,
        "CallSid": call_sid or new_sid("CA"),
        "CallStatus": "in-progress",
        "Direction": "outbound-api",
        "From": from_,
        "To": to,
        "Caller": from_,
        "Called": to,
    }
    # Twilio adds geographic lookups for both ends; Caller*/Called* mirror From*/To*.
    for side, alias in (("From", "Caller"), ("To", "Called")):
        for part in ("City", "State", "Zip", "Country"):
            value = geo.get(side + part, "")
            params[side + part] = value
            params[alias + part] = value
    return params


class CallSimulator:
    """Executes TwiML like Twilio for one account: start a call, feed input, get transcript."""

    def __init__(
        self,
        transport: Transport,
        auth_token: str,
        *,
        dial_scenario: DialScenario | None = None,
        limits: Limits = Limits(),
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
    ) -> ExecutionStep:
        """Answer an outbound-api call: fetch ``url`` and run until input is needed or the call ends.

        ``answered_by`` (human, machine_start, fax, unknown, ...) is sent as
        AnsweredBy on this first request, as Twilio does when the call was
        created with MachineDetection.
        """
        if answered_by is not None and answered_by not in ANSWERED_BY_VALUES:
            raise ValueError(f"AnsweredBy {answered_by!r} is not a Twilio value")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"call Url must be absolute http(s): {url!r}")
        params = outbound_call_params(
            account_sid=account_sid, to=to, from_=from_, call_sid=call_sid, geo=geo
        )
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
        state.document = self._document_from(result, target)
        state.document_url = target
        state.index = 0

    def _document_from(self, result: HttpResult, url: str) -> str:
        if not 200 <= result.status < 300:
            raise TwiMLError(
                f"HTTP retrieval failure: status {result.status}", code=11200, url=url, body=result.body[:500]
            )
        media = result.media_type
        if len(result.body) > MAX_RESPONSE_BYTES:
            raise TwiMLError(
                f"response body is {len(result.body)} bytes, larger than 64 kB", code=11750, url=url
            )
        if not media:
            raise TwiMLError("response has no Content-Type", code=12300, url=url)
        if media in ("text/xml", "application/xml"):
            pass
        elif media == "text/html":
            if self.strict:
                raise TwiMLError(
                    "response is text/html; Twilio would parse it as TwiML, but our webhooks must "
                    "declare text/xml (strict mode)",
                    code=12300,
                    url=url,
                )
        elif media == "text/plain" and not self.strict:
            # Twilio reads a plain-text response aloud, then hangs up.
            root = ET.Element("Response")
            ET.SubElement(root, "Say").text = result.body.decode("utf-8", "replace")
            return ET.tostring(root, encoding="unicode")
        elif media.startswith("audio/") and not self.strict:
            # Twilio plays an audio response, then hangs up.
            root = ET.Element("Response")
            ET.SubElement(root, "Play").text = url
            return ET.tostring(root, encoding="unicode")
        else:
            raise TwiMLError(f"Content-Type {media!r} is not TwiML", code=12300, url=url, body=result.body[:200])
        root = parse_twiml(result.body, url, strict=self.strict)
        return ET.tostring(root, encoding="unicode")

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

    def _finish_gather(self, state: SimCallState, events: list[Event], verb: ET.Element, user_input: CallerInput) -> None:
        action = urljoin(state.document_url, verb.get("action", "").strip() or state.document_url)
        if user_input is HANGUP:
            self._end(state, events, "caller-hangup", "caller hung up during <Gather>")
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
            if noun.tag in _OTHER_DIAL_NOUNS:
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


# --------------------------------------------------------------------------
# Status callbacks
# --------------------------------------------------------------------------

STATUS_CALLBACK_EVENTS = ("initiated", "ringing", "answered", "completed")
FINAL_STATUSES = ("completed", "busy", "no-answer", "failed", "canceled")


def status_callback_requests(
    *,
    call_params: Mapping[str, str],
    url: str,
    events: Sequence[str] = ("completed",),
    final_status: str = "completed",
    duration: int = 0,
    answered_by: str | None = None,
    started_at: datetime | None = None,
    method: str = "POST",
) -> list[WebhookRequest]:
    """The status-callback requests Twilio sends over a call's life, in order.

    ``events`` is the call's StatusCallbackEvent list (Twilio's default is
    completed only). "answered" is only sent when the call was answered
    (final_status completed). SequenceNumber counts callbacks actually sent.
    """
    unknown = set(events) - set(STATUS_CALLBACK_EVENTS)
    if unknown:
        raise ValueError(f"unknown StatusCallbackEvent values {sorted(unknown)}")
    if final_status not in FINAL_STATUSES:
        raise ValueError(f"unknown final status {final_status!r}")
    if answered_by is not None and answered_by not in ANSWERED_BY_VALUES:
        raise ValueError(f"AnsweredBy {answered_by!r} is not a Twilio value")
    answered = final_status == "completed"
    start = started_at or datetime.now(timezone.utc)
    # Offsets in seconds from call creation at which each event happens.
    timeline = {"initiated": 0, "ringing": 1, "answered": 5, "completed": 5 + duration if answered else 30}
    statuses = {"initiated": "initiated", "ringing": "ringing", "answered": "in-progress", "completed": final_status}
    out: list[WebhookRequest] = []
    for name in STATUS_CALLBACK_EVENTS:
        if name not in events:
            continue
        if name == "answered" and not answered:
            continue
        if name == "ringing" and final_status == "failed":
            continue  # a call that fails never rings
        params = dict(call_params)
        params.update(
            {
                "CallStatus": statuses[name],
                "CallbackSource": "call-progress-events",
                "SequenceNumber": str(len(out)),
                "Timestamp": rfc2822(start + timedelta(seconds=timeline[name])),
            }
        )
        params.pop("AnsweredBy", None)
        if answered_by and name in ("answered", "completed") and answered:
            params["AnsweredBy"] = answered_by
        if name == "completed":
            params["CallDuration"] = str(duration if answered else 0)
        out.append(WebhookRequest(url=url, method=method.upper(), params=params))
    return out


def deliver_webhooks(
    transport: Transport,
    auth_token: str,
    webhooks: Sequence[WebhookRequest],
    *,
    order: Sequence[int] | None = None,
    duplicate: Iterable[int] = (),
) -> list[tuple[WebhookRequest, HttpResult]]:
    """Send signed webhooks, optionally out of order and with some delivered twice.

    ``order`` is a permutation of indices into ``webhooks``; each index in
    ``duplicate`` is sent again right after its first delivery (Twilio retries
    and at-least-once delivery make both happen in real life).
    """
    indices = list(order) if order is not None else list(range(len(webhooks)))
    if sorted(indices) != list(range(len(webhooks))):
        raise ValueError("order must be a permutation of the request indices")
    dupes = set(duplicate)
    results: list[tuple[WebhookRequest, HttpResult]] = []
    for i in indices:
        for _ in range(2 if i in dupes else 1):
            req = webhooks[i]
            results.append((req, send_webhook(transport, auth_token, req)))
    return results
