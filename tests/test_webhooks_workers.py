"""Several delivery workers at once, and the RQ path from the form to the receiver."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from extensions import db
from models import DeliveryStatus, EventType
from tests.support.factories import make_call, make_campaign, make_district
from tests.support.pages import DEMO, GOOD_PHONE, load_demo_campaign, seed_geography
from tests.support.settings import CAMPAIGN_NUMBER, PHONE_ENCRYPTION_KEY, PHONE_HASH_KEY, TWILIO_SID, TWILIO_TOKEN
from tests.support.webhook_receiver import WebhookReceiver
from tests.support.webhooks import FAST_DELIVERY, events, make_endpoint, secret_of
from webhooks.outbox import record_event
from webhooks.queue import queue_for, worker_for

ROOT = Path(__file__).resolve().parent.parent
EVENTS = 10


@pytest.mark.slow
def test_two_worker_processes_deliver_each_event_exactly_once(app, database_url):
    """Ten events, an endpoint failing the first requests: two processes sweep at once, each event
    lands exactly once, and every request made is in the log exactly once."""
    with WebhookReceiver(script=[500] * 8, then=200) as receiver:
        campaign = make_campaign()
        endpoint = make_endpoint(campaign, receiver.url)
        receiver.secret = secret_of(endpoint)
        for _ in range(EVENTS):
            call = make_call(app, campaign, [make_district("upper")])
            record_event(db.session, EventType.call_requested, call, call.created_at)
        db.session.commit()
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "PUBLIC_BASE_URL": "https://patchthrough.example.org",
            "PHONE_HASH_KEY": PHONE_HASH_KEY,
            "PHONE_ENCRYPTION_KEY": PHONE_ENCRYPTION_KEY,
            "WEBHOOKS_ALLOW_PRIVATE": "1",
            "WEBHOOK_TIMEOUT": "2",
            "WEBHOOK_BACKOFF_BASE": "0.01",
            "WEBHOOK_BACKOFF_MAX": "0.01",
        }
        workers = [
            subprocess.Popen(
                [sys.executable, "-m", "tests.support.webhook_worker"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [worker.communicate(timeout=60) for worker in workers]
        assert [worker.returncode for worker in workers] == [0, 0], outputs

        rows = events()
        assert [e.status for e in rows] == [DeliveryStatus.delivered] * EVENTS
        landed = Counter(r.headers["Patchthrough-Delivery"] for r in receiver.accepted())
        assert landed == Counter({e.public_id: 1 for e in rows})
        assert all(r.signature_ok for r in receiver.received)
        # One logged attempt per request made, one success per event, and the failures retried.
        assert sum(len(e.deliveries) for e in rows) == len(receiver.received) == EVENTS + 8
        assert [sum(a.succeeded for a in e.deliveries) for e in rows] == [1] * EVENTS
        assert sum(int(out.strip()) for out, _ in outputs) == EVENTS


@pytest.mark.redis
def test_a_form_submission_is_delivered_by_an_rq_worker(make_app, redis_url, rest):
    """DIALER_MODE=rq: the form's commit writes call.requested with the call, the request enqueues a job on
    the webhooks queue, and an RQ worker delivers it, signed."""
    app = make_app(
        **FAST_DELIVERY,
        TWILIO_ACCOUNT_SID=TWILIO_SID,
        TWILIO_AUTH_TOKEN=TWILIO_TOKEN,
        TWILIO_CALLER_ID=CAMPAIGN_NUMBER,
        TWILIO_API_BASE_URL=rest.base_url,
        REDIS_URL=redis_url,
        DIALER_MODE="rq",
    )
    with app.app_context(), WebhookReceiver() as receiver:
        campaign = load_demo_campaign(app.test_cli_runner())
        seed_geography()
        client = app.test_client()
        # Without an endpoint the call writes no event, and the request enqueues nothing to deliver.
        first = client.post(f"/c/{DEMO}", data={"phone": "(617) 555-0188", "location": "01003"})
        assert first.status_code == 303 and events() == [] and queue_for(app).count == 0
        endpoint = make_endpoint(campaign, receiver.url)
        receiver.secret = secret_of(endpoint)

        response = client.post(f"/c/{DEMO}", data={"phone": GOOD_PHONE, "location": "01003"})

        assert response.status_code == 303, response.get_data(as_text=True)
        [event] = events()
        assert event.type is EventType.call_requested and event.status is DeliveryStatus.pending
        assert queue_for(app).count == 1
        assert receiver.received == []  # the request did not wait on the endpoint

        worker_for(app).work(burst=True)

        [got] = receiver.received
        assert got.signature_ok and got.event["type"] == "call.requested"
        assert got.event["call"]["id"] == f"call_{event.call_id}"
        assert [leg["target"]["name"] for leg in got.event["call"]["legs"]] == ["Ada Adams", "Cy Cole"]
        assert [e.status for e in events()] == [DeliveryStatus.delivered]
