"""DIALER_MODE=rq: the form's dispatch enqueues a job on real Redis, and an RQ worker places the call."""

from __future__ import annotations

import pytest

from app import create_app
from dialer import dispatch_call
from dialer.queue import queue_for, worker_for
from extensions import db
from models import Call, CallStatus
from tests.support.factories import make_call, make_campaign, make_district, make_target
from tests.support.settings import TWILIO_TOKEN
from tests.support.twilio_standin import FakeTwilioRest

SID = "AC" + "3" * 32


@pytest.mark.redis
def test_an_rq_worker_places_a_dispatched_call(make_app, database_url, redis_url, monkeypatch):
    with FakeTwilioRest(SID, TWILIO_TOKEN, owned_numbers=["+16175397340"]) as rest:
        settings = {
            "TWILIO_ACCOUNT_SID": SID,
            "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
            "TWILIO_CALLER_ID": "+16175397340",
            "TWILIO_API_BASE_URL": rest.base_url,
            "REDIS_URL": redis_url,
            "DIALER_MODE": "rq",
            "SUPPORTER_CALL_HOURS": "always",  # tests run at any hour
        }
        # The worker builds its own app from the environment once, as `flask dialer worker` does.
        env = {
            **settings,
            "DATABASE_URL": database_url,
            "PUBLIC_BASE_URL": "https://patchthrough.example.org",
            "PHONE_HASH_KEY": "test-phone-hash-key",
            "PHONE_ENCRYPTION_KEY": "test-phone-encryption-key",
        }
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        app = make_app(**settings)
        with app.app_context():
            call = make_call(app, make_campaign(), [make_target("Jane Doe", district=make_district("upper"))])
            dispatch_call(call.id)
            queue = queue_for(app)
            assert queue.count == 1
            assert rest.created() == []  # the web request did not dial

            worker_app = create_app()
            try:
                worker_for(worker_app).work(burst=True)
            finally:
                with worker_app.app_context():
                    db.engine.dispose()  # its pool's connections, closed now rather than collected at exit

            assert [c.params["To"] for c in rest.created()] == ["+16175550123"]
            db.session.expire_all()
            assert db.session.get_one(Call, call.id).status == CallStatus.initiated
