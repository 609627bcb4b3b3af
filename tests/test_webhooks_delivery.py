"""Outbound webhooks: the outbox written with the call's change, signed delivery to a real receiver on
127.0.0.1, retries through 500s, timeouts and redirects, and the window after which they stop."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from callflow.webhooks import handle_status
from extensions import db
from models import Call, CallStatus, DeliveryStatus, EventType, LegStatus
from tests.support.factories import make_call, make_campaign, make_district, make_target
from tests.support.settings import TWILIO_TOKEN
from tests.support.signing import signed_post
from tests.support.webhook_receiver import WebhookReceiver
from tests.support.webhooks import FAST_DELIVERY, deliver_until_settled, events, make_endpoint, secret_of
from webhooks.delivery import DeliverySettings, deliver_due
from webhooks.outbox import record_event

CALL_SID = "CA" + "7" * 32
SUPPORTER = "+16175550123"


@pytest.fixture
def hook_app(make_app):
    app = make_app(**FAST_DELIVERY)
    with app.app_context():
        yield app


def settings(app) -> DeliverySettings:
    return DeliverySettings.from_config(app.config)


def requested_call(app, url: str):
    campaign = make_campaign()
    endpoint = make_endpoint(campaign, url)
    senator = make_target("Jane Doe", "State Senator", "+16177220001", make_district("upper", "First Middlesex"))
    call = make_call(app, campaign, [senator], phone=SUPPORTER, supporter_name="Ana")
    record_event(db.session, EventType.call_requested, call, call.created_at)
    db.session.commit()
    return call, endpoint


def test_a_receiver_verifies_the_signature_of_each_event(hook_app):
    with WebhookReceiver() as receiver:
        call, endpoint = requested_call(hook_app, receiver.url)
        receiver.secret = secret_of(endpoint)

        assert deliver_due(db.session, settings(hook_app)) == 1

        [got] = receiver.received
        assert got.signature_ok
        assert got.headers["Patchthrough-Event"] == "call.requested"
        assert got.headers["Content-Type"] == "application/json"
        assert got.event["type"] == "call.requested"
        assert got.event["call"]["id"] == f"call_{call.id}"
        assert [leg["target"]["name"] for leg in got.event["call"]["legs"]] == ["Jane Doe"]
        assert got.event["call"]["legs"][0]["district"]["name"] == "First Middlesex"
        # Never the number, and no name: the form does not ask for consent to share it.
        assert b"5550123" not in got.body and b"Ana" not in got.body
        [event] = events()
        assert event.status is DeliveryStatus.delivered and got.headers["Patchthrough-Delivery"] == event.public_id


def test_a_wrong_secret_fails_the_receivers_check(hook_app):
    with WebhookReceiver() as receiver:
        requested_call(hook_app, receiver.url)
        receiver.secret = "whsec_not-the-endpoints-secret"
        deliver_due(db.session, settings(hook_app))
        [got] = receiver.received
        assert not got.signature_ok


def test_delivery_survives_500s_and_timeouts_then_succeeds(hook_app):
    with WebhookReceiver(script=[500, "slow", 503], then=200) as receiver:
        requested_call(hook_app, receiver.url)

        deliver_until_settled(hook_app)

        [event] = events()
        assert event.status is DeliveryStatus.delivered and event.attempts == 4
        log = [(a.status_code, a.error) for a in event.deliveries]
        assert log == [(500, "answered 500"), (None, "timed out"), (503, "answered 503"), (200, None)]
        # The timeout is short: the slow answer was given up on well before the receiver's 1.5 s.
        assert event.deliveries[1].duration_ms < 1400
        assert len(receiver.accepted()) == 1
        # Every retry sends the same event, byte for byte, under the same id.
        assert len({r.body for r in receiver.received}) == 1
        assert len({r.headers["Patchthrough-Delivery"] for r in receiver.received}) == 1


def test_retries_back_off_and_stop_after_the_window(make_app):
    app = make_app(
        # Wide enough that a loaded machine's slow first pass still lands well inside the window.
        **{**FAST_DELIVERY, "WEBHOOK_BACKOFF_BASE": 2, "WEBHOOK_BACKOFF_MAX": 60, "WEBHOOK_RETRY_HOURS": 5 / 3600}
    )
    with app.app_context(), WebhookReceiver(then=500) as receiver:
        requested_call(app, receiver.url)
        deliver_due(db.session, settings(app))
        [event] = events()
        # Not due again before its backoff: a pass now sends nothing.
        assert event.status is DeliveryStatus.pending and event.next_attempt_at > event.deliveries[0].attempted_at
        assert deliver_due(db.session, settings(app)) == 0 and len(receiver.received) == 1

        deliver_until_settled(app, passes=300)

        [event] = events()
        # 2 s, then 4 s more would end past the five-second window: given up after the second attempt.
        assert event.status is DeliveryStatus.failed and event.attempts == 2
        assert len(receiver.received) == 2


def test_a_redirect_is_never_followed(hook_app):
    with WebhookReceiver(script=["redirect"], then=200) as receiver:
        requested_call(hook_app, receiver.url)
        deliver_until_settled(hook_app)
        [event] = events()
        assert [(a.status_code, a.error) for a in event.deliveries] == [(302, "a redirect, not followed"), (200, None)]
        assert [r.path for r in receiver.received] == ["/hooks/patchthrough", "/hooks/patchthrough"]


def test_an_event_written_in_a_rolled_back_transaction_is_not_in_the_outbox(hook_app):
    call, _ = requested_call(hook_app, "http://127.0.0.1:9/never")
    assert len(events()) == 1  # the requested event, committed with nothing else

    call.status = CallStatus.completed
    record_event(db.session, EventType.call_completed, call, call.created_at)
    db.session.rollback()
    assert [e.type for e in events()] == [EventType.call_requested]
    assert db.session.get_one(Call, call.id).status is CallStatus.queued

    call.status = CallStatus.completed
    record_event(db.session, EventType.call_completed, call, call.created_at)
    db.session.commit()
    assert [e.type for e in events()] == [EventType.call_requested, EventType.call_completed]


def test_a_preview_call_writes_no_event(hook_app):
    campaign = make_campaign()
    make_endpoint(campaign, "http://127.0.0.1:9/never")
    call = make_call(hook_app, campaign, [make_district("upper")], preview=True)
    record_event(db.session, EventType.call_requested, call, call.created_at)
    db.session.commit()
    assert events() == []


def test_the_final_status_callback_writes_call_completed_with_each_legs_outcome(hook_app):
    with WebhookReceiver() as receiver:
        call, endpoint = requested_call(hook_app, receiver.url)
        receiver.secret = secret_of(endpoint)
        [leg] = call.legs
        leg.status, leg.duration, leg.feedback = LegStatus.completed, 42, "spoke"
        call.status, call.twilio_sid = CallStatus.in_progress, CALL_SID
        db.session.commit()

        assert handle_status(db.session, call.public_id, {"CallSid": CALL_SID, "CallStatus": "ringing"}) is False
        assert [e.type for e in events()] == [EventType.call_requested]  # not final: no event
        form = {"CallSid": CALL_SID, "CallStatus": "completed", "CallDuration": "75", "SequenceNumber": "3"}
        assert handle_status(db.session, call.public_id, form)
        assert handle_status(db.session, call.public_id, form) is False  # a duplicate writes nothing more
        assert [e.type for e in events()] == [EventType.call_requested, EventType.call_completed]

        deliver_until_settled(hook_app)

        completed = [r for r in receiver.received if r.event["type"] == "call.completed"]
        [got] = completed
        assert got.signature_ok
        body = got.event["call"]
        assert (body["status"], body["duration"]) == ("completed", 75)
        assert body["legs"] == [
            {
                "position": 0,
                "target": {"name": "Jane Doe", "title": "State Senator", "party": "Democratic"},
                "district": {
                    "name": "First Middlesex",
                    "chamber": "upper",
                    "geoid": body["legs"][0]["district"]["geoid"],
                },
                "status": "completed",
                "skip_reason": None,
                "answer": "spoke",
                "duration": 42,
                "attempts": 1,
            }
        ]
        assert b"5550123" not in got.body and b"7220001" not in got.body


def test_only_the_status_that_ends_the_call_wakes_the_delivery(make_app):
    """A call's progress (ringing, answered) writes no event: waking the delivery for it would cost every status
    callback a sweep of the outbox. The final status, which writes call.completed, wakes it."""
    app = make_app(**FAST_DELIVERY, TWILIO_AUTH_TOKEN=TWILIO_TOKEN)
    woken = app.extensions["webhooks"]._wake
    client = app.test_client()
    with app.app_context():
        call, _endpoint = requested_call(app, "https://hooks.example.org/in")
        call.status, call.twilio_sid = CallStatus.initiated, CALL_SID
        db.session.commit()
        path = f"/twilio/calls/{call.public_id}/status"

        for sequence, status in enumerate(["ringing", "in-progress"], start=1):
            form = {"CallSid": CALL_SID, "CallStatus": status, "SequenceNumber": str(sequence)}
            assert signed_post(client, path, form).status_code == 200
            assert not woken.is_set(), status
        db.session.expire_all()  # applied, and nothing woken:
        assert db.session.scalar(select(Call.status).where(Call.id == call.id)) == CallStatus.in_progress

        form = {"CallSid": CALL_SID, "CallStatus": "completed", "CallDuration": "30", "SequenceNumber": "3"}
        assert signed_post(client, path, form).status_code == 200
        assert woken.is_set()
        assert [e.type for e in events()] == [EventType.call_requested, EventType.call_completed]
