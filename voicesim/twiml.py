"""TwiML as Twilio reads it: parse and validate a voice document, turn a webhook's reply into one.

Validation follows Twilio's TwiML reference pages and "Your Response". Where Twilio is lenient,
strict mode (the default) is deliberately stricter and says so in the error text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from voicesim.errors import TwiMLError
from voicesim.transport import HttpResult
from voicesim.vocabulary import DTMF_KEYS, MAX_RESPONSE_BYTES, STATUS_CALLBACK_EVENTS

_E_URL, _E_METHOD, _E_BOOL, _E_POS, _E_NONNEG, _E_STR = "url", "method", "bool", "pos", "nonneg", "str"
_E_DTMF, _E_FINISH, _E_EVENTS = "dtmf", "finish", "events"

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
UNSIMULATED_DIAL_NOUNS = frozenset({"Conference", "Queue", "Application", "WhatsApp"})
# SSML tags allowed inside <Say>.
_SSML = frozenset({"break", "emphasis", "lang", "p", "phoneme", "prosody", "s", "say-as", "sub", "w"})
# E.164, or the unformatted US styles Twilio also accepts: (415) 555-1212, 415-555-1212.
_PHONE_TEXT = re.compile(r"^\+?[\d\-\(\)\.\s]*\d[\d\-\(\)\.\s]*$")


def _is_blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _check_value(verb: str, attr: str, kind: str | tuple[str, ...], value: str, url: str | None) -> None:
    def bad(expected: str) -> TwiMLError:
        return TwiMLError(f"<{verb} {attr}={value!r}>: expected {expected}", code=12200, url=url)

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
        if not value.split() or any(ev not in STATUS_CALLBACK_EVENTS for ev in value.split()):
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
        if noun.tag in UNSIMULATED_DIAL_NOUNS:
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
        raise TwiMLError(f"response body is {len(raw)} bytes, larger than 64 kB", code=11750, url=url, body=raw[:200])
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        # TwiML never needs a DTD; refusing it also keeps entity expansion out.
        raise TwiMLError("document declares a DTD/entities", code=12100, url=url, body=raw[:200])
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise TwiMLError(f"document parse failure: {exc}", code=12100, url=url, body=raw[:200]) from exc
    validate_twiml(root, url, strict=strict)
    return root


def document_from_response(result: HttpResult, url: str, *, strict: bool = True) -> str:
    """The TwiML document Twilio would run for a webhook's reply (re-serialised); TwiMLError if none."""
    if not 200 <= result.status < 300:
        raise TwiMLError(f"HTTP retrieval failure: status {result.status}", code=11200, url=url, body=result.body[:500])
    media = result.media_type
    if len(result.body) > MAX_RESPONSE_BYTES:
        raise TwiMLError(f"response body is {len(result.body)} bytes, larger than 64 kB", code=11750, url=url)
    if not media:
        raise TwiMLError("response has no Content-Type", code=12300, url=url)
    if media in ("text/xml", "application/xml"):
        pass
    elif media == "text/html":
        if strict:
            raise TwiMLError(
                "response is text/html; Twilio would parse it as TwiML, but our webhooks must "
                "declare text/xml (strict mode)",
                code=12300,
                url=url,
            )
    elif media == "text/plain" and not strict:
        # Twilio reads a plain-text response aloud, then hangs up.
        root = ET.Element("Response")
        ET.SubElement(root, "Say").text = result.body.decode("utf-8", "replace")
        return ET.tostring(root, encoding="unicode")
    elif media.startswith("audio/") and not strict:
        # Twilio plays an audio response, then hangs up.
        root = ET.Element("Response")
        ET.SubElement(root, "Play").text = url
        return ET.tostring(root, encoding="unicode")
    else:
        raise TwiMLError(f"Content-Type {media!r} is not TwiML", code=12300, url=url, body=result.body[:200])
    root = parse_twiml(result.body, url, strict=strict)
    return ET.tostring(root, encoding="unicode")
