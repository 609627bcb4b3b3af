"""A stand-in for Twilio's voice platform: it calls our webhooks and executes their TwiML like Twilio.

Used by the in-browser preview and by the tests. It imports nothing of the app.

- ``vocabulary``: Twilio's fixed values (status-callback events, call and Dial statuses,
  AnsweredBy values, DTMF keys, API version) and formats (SIDs, dates)
- ``transport``: reaching the app (real HTTP or in-process WSGI) with Twilio-signed webhooks
- ``twiml``: parsing and validating TwiML as Twilio does
- ``events``: the transcript of a call
- ``script``: what the simulated caller and the dialed parties do
- ``state``: a call's JSON-able state, one step of it, the whole record
- ``params``: the parameters of every webhook of a call, outbound or inbound
- ``engine``: the executor, ``CallSimulator``
- ``callbacks``: status callbacks, the asynchronous machine-detection callback, and delivering webhooks
  out of order or twice
"""

from voicesim.callbacks import deliver_webhooks, machine_detection_request, status_callback_requests
from voicesim.engine import CallSimulator, describe_wait
from voicesim.errors import CallLimitExceeded, NotSimulatedError, ScriptError, SimulatorError, TwiMLError
from voicesim.events import (
    Dialed,
    DialTarget,
    Ended,
    Event,
    Gathered,
    Paused,
    Played,
    Redirected,
    Requested,
    Said,
    event_from_dict,
    event_to_dict,
)
from voicesim.offices import OfficeCall, Offices
from voicesim.params import CallDirection, call_params
from voicesim.script import HANGUP, CallerInput, DialOutcome, DialScenario, Speech
from voicesim.state import STATE_VERSION, CallRecord, ExecutionStep, Limits, SimCallState
from voicesim.transport import (
    USER_AGENT,
    HttpResult,
    RequestsTransport,
    Transport,
    WebhookRequest,
    WSGITransport,
    send_webhook,
    sign,
    webhook_headers,
)
from voicesim.twiml import document_from_response, parse_twiml, validate_twiml
from voicesim.vocabulary import (
    ANSWERED_BY_VALUES,
    API_VERSION,
    DIAL_STATUSES,
    DTMF_KEYS,
    FINAL_STATUSES,
    MACHINE_ANSWERED_BY,
    MAX_RESPONSE_BYTES,
    SIGNATURE_HEADER,
    STATUS_CALLBACK_EVENTS,
    DialStatus,
    new_sid,
    rfc2822,
)

__all__ = [
    "ANSWERED_BY_VALUES",
    "API_VERSION",
    "DIAL_STATUSES",
    "DTMF_KEYS",
    "FINAL_STATUSES",
    "HANGUP",
    "MACHINE_ANSWERED_BY",
    "MAX_RESPONSE_BYTES",
    "SIGNATURE_HEADER",
    "STATE_VERSION",
    "STATUS_CALLBACK_EVENTS",
    "USER_AGENT",
    "CallDirection",
    "CallLimitExceeded",
    "CallRecord",
    "CallSimulator",
    "CallerInput",
    "DialOutcome",
    "DialScenario",
    "DialStatus",
    "DialTarget",
    "Dialed",
    "Ended",
    "Event",
    "ExecutionStep",
    "Gathered",
    "HttpResult",
    "Limits",
    "NotSimulatedError",
    "OfficeCall",
    "Offices",
    "Paused",
    "Played",
    "Redirected",
    "Requested",
    "RequestsTransport",
    "Said",
    "ScriptError",
    "SimCallState",
    "SimulatorError",
    "Speech",
    "Transport",
    "TwiMLError",
    "WSGITransport",
    "WebhookRequest",
    "call_params",
    "deliver_webhooks",
    "describe_wait",
    "document_from_response",
    "event_from_dict",
    "event_to_dict",
    "machine_detection_request",
    "new_sid",
    "parse_twiml",
    "rfc2822",
    "send_webhook",
    "sign",
    "status_callback_requests",
    "validate_twiml",
    "webhook_headers",
]
