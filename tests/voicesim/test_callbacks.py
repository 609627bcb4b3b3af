"""Status callbacks arrive like Twilio's: in order or not, duplicated, signed."""

from __future__ import annotations

import re

import pytest

from tests.voicesim.twiml_app import ACCOUNT, PUBLIC, SUPPORTER, TOKEN, TwimlApp, twiml
from voicesim import WebhookRequest, WSGITransport, deliver_webhooks, status_callback_requests

STATUS_ALL = ("initiated", "ringing", "answered", "completed")


# --- status callbacks ----------------------------------------------------------------------------


def test_status_callbacks_for_an_answered_call(app: TwimlApp) -> None:
    app.pages["/status"] = twiml("")
    base = {"AccountSid": ACCOUNT, "CallSid": "CA" + "c" * 32, "Direction": "outbound-api", "To": SUPPORTER}
    reqs = status_callback_requests(
        call_params=base,
        url=PUBLIC + "/status",
        events=["initiated", "ringing", "answered", "completed"],
        duration=95,
        answered_by="human",
    )
    results = deliver_webhooks(WSGITransport(app.app), TOKEN, reqs)

    assert [r.status for _, r in results] == [200, 200, 200, 200]
    assert [(h.form["CallStatus"], h.form["SequenceNumber"]) for h in app.hits] == [
        ("initiated", "0"),
        ("ringing", "1"),
        ("in-progress", "2"),
        ("completed", "3"),
    ]
    assert all(h.signature_ok for h in app.hits)
    assert {h.form["CallbackSource"] for h in app.hits} == {"call-progress-events"}
    assert app.hits[3].form["CallDuration"] == "95"
    assert "CallDuration" not in app.hits[0].form
    assert app.hits[2].form["AnsweredBy"] == "human"
    assert "AnsweredBy" not in app.hits[0].form
    assert re.match(r"^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$", app.hits[0].form["Timestamp"])


def test_status_callbacks_default_to_completed_only_and_skip_answered_when_busy() -> None:
    base = {"CallSid": "CA" + "d" * 32}
    assert [r.params["CallStatus"] for r in status_callback_requests(call_params=base, url=PUBLIC)] == ["completed"]
    busy = status_callback_requests(call_params=base, url=PUBLIC, events=STATUS_ALL, final_status="busy")
    assert [(r.params["CallStatus"], r.params["SequenceNumber"]) for r in busy] == [
        ("initiated", "0"),
        ("ringing", "1"),
        ("busy", "2"),
    ]
    assert busy[-1].params["CallDuration"] == "0"


def test_status_callbacks_duplicated_and_out_of_order(app: TwimlApp) -> None:
    app.pages["/status"] = twiml("")
    reqs = status_callback_requests(call_params={"CallSid": "CA" + "e" * 32}, url=PUBLIC + "/status", events=STATUS_ALL)
    deliver_webhooks(WSGITransport(app.app), TOKEN, reqs, order=[3, 0, 2, 1], duplicate=[3])
    assert [h.form["SequenceNumber"] for h in app.hits] == ["3", "3", "0", "2", "1"]
    with pytest.raises(ValueError, match="permutation"):
        deliver_webhooks(WSGITransport(app.app), TOKEN, reqs, order=[0, 0, 1, 2])


def test_status_callback_get_method_signs_query(app: TwimlApp) -> None:
    app.pages["/status"] = twiml("")
    req = WebhookRequest(url=PUBLIC + "/status", method="GET", params={"CallSid": "CA1", "CallStatus": "completed"})
    deliver_webhooks(WSGITransport(app.app), TOKEN, [req])
    assert app.hits[0].args == {"CallSid": "CA1", "CallStatus": "completed"}
    assert app.hits[0].signature_ok is True
