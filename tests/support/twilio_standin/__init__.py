"""Twilio stand-in for tests: a fake REST API plus re-exports of the voicesim TwiML simulator.

Typical end-to-end wiring::

    with FakeTwilioRest(SID, TOKEN, owned_numbers=[OUR_NUMBER]) as rest:
        client = make_client(SID, TOKEN, api_base_url=rest.base_url)
        ...app code creates a call with `client`...
        call = rest.created()[0]
        sim = CallSimulator(WSGITransport(app), TOKEN, dial_scenario={...})
        record = sim.run(call.params["Url"], ["1"], to=call.params["To"],
                         from_=call.params["From"], account_sid=SID, call_sid=call.sid)
"""

from dialer.twilio_client import make_client
from voicesim import (
    HANGUP,
    CallRecord,
    CallSimulator,
    DialOutcome,
    Limits,
    RequestsTransport,
    SimCallState,
    TwiMLError,
    WSGITransport,
    deliver_webhooks,
    status_callback_requests,
)

from .rest import CreatedCall, FakeTwilioRest, RecordedRequest, error_body

__all__ = [
    "HANGUP",
    "CallRecord",
    "CallSimulator",
    "CreatedCall",
    "DialOutcome",
    "FakeTwilioRest",
    "Limits",
    "RecordedRequest",
    "RequestsTransport",
    "SimCallState",
    "TwiMLError",
    "WSGITransport",
    "deliver_webhooks",
    "error_body",
    "make_client",
    "status_callback_requests",
]
