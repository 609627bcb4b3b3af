"""Nothing waits on luck: the sweep dials calls whose job was lost, and settles calls whose callback was lost."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from redis import Redis
from rq import Worker

import dialer
from app import create_app
from extensions import db
from models import Call, CallStatus
from tests.support.dialers import dialer_env, start_dialer, status_params
from tests.support.factories import make_call, make_campaign, make_district, make_target
from tests.support.pages import GOOD_PHONE, load_demo_campaign, seed_geography
from tests.support.settings import CAMPAIGN_NUMBER, TEST_CONFIG, TWILIO_SID, TWILIO_TOKEN
from tests.support.signing import signed_post

NOBODY_LISTENS = "redis://127.0.0.1:1/11"  # a stopped Redis: connections are refused


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


@pytest.mark.redis
@pytest.mark.slow
def test_with_redis_down_the_form_answers_with_the_call_page_and_the_workers_sweep_dials_it(
    make_app, database_url, redis_url, rest
):
    env = {**dialer_env(database_url, rest.base_url), "REDIS_URL": redis_url, "DIALER_MODE": "rq"}
    env["DIALER_INTERVAL"] = "0.3"
    app = make_app(
        TWILIO_ACCOUNT_SID=TWILIO_SID,
        TWILIO_AUTH_TOKEN=TWILIO_TOKEN,
        TWILIO_CALLER_ID=CAMPAIGN_NUMBER,
        TWILIO_API_BASE_URL=rest.base_url,
        DIALER_MODE="rq",
        REDIS_URL=NOBODY_LISTENS,
    )
    with app.app_context():
        load_demo_campaign(app.test_cli_runner())
        seed_geography()
        db.session.commit()
    worker = start_dialer(env, "worker", quiet=True)
    try:
        # The worker is up (registered with RQ), and any start-up pass is behind it.
        wait_for(lambda: Worker.all(connection=Redis.from_url(redis_url)), 20, "the RQ worker never started")
        form = {"phone": GOOD_PHONE, "location": "01003", "name": "", "town": ""}
        response = app.test_client().post("/c/protect-immigrant-families", data=form)
        assert response.status_code == 303 and "/calls/" in response.headers["Location"]
        # No job reached the queue: only the worker's periodic sweep can dial it.
        wait_for(lambda: rest.created(), 15, "the call was never dialed")
        assert [c.params["To"] for c in rest.created()] == ["+16175550123"]
    finally:
        worker.terminate()
        worker.wait(10)


def test_a_status_callback_lost_in_a_database_outage_is_repaired_by_reconciliation(twilio_app, rest):
    call = make_call(twilio_app, make_campaign(), [make_target("Jane Doe", district=make_district("upper"))])
    assert dialer.run_due(twilio_app) == 1
    sid = rest.created()[0].sid
    rest.set_status(sid, "completed", duration=42)

    # The final callback reaches a web process whose database is down: Twilio hears TwiML, the news is lost.
    down = dialer_app_on_dead_database(twilio_app)
    response = signed_post(
        down.test_client(), f"/twilio/calls/{call.public_id}/status", status_params(sid, "completed", 3)
    )
    assert response.status_code == 200 and response.mimetype == "text/xml"
    db.session.expire_all()
    stuck = db.session.get_one(Call, call.id)
    assert stuck.status == CallStatus.initiated and stuck.phone_encrypted is not None

    # Before the call's plausible life is over the sweep leaves it alone; after it, Twilio is asked.
    assert dialer.sweep(twilio_app) == 0
    assert stuck.dialed_at is not None
    later = stuck.dialed_at + timedelta(seconds=twilio_app.config["DIALER_RECONCILE_AFTER"] + 1)
    assert dialer.sweep(twilio_app, now=later) == 1
    db.session.expire_all()
    settled = db.session.get_one(Call, call.id)
    assert settled.status == CallStatus.completed and settled.duration == 42
    assert settled.phone_encrypted is None and settled.ended_at is not None
    fetches = [r for r in rest.requests if r.method == "GET" and r.path.endswith(f"/Calls/{sid}.json")]
    assert len(fetches) == 1


def test_reconciliation_leaves_a_call_twilio_says_is_still_going(twilio_app, rest):
    call = make_call(twilio_app, make_campaign(), [make_target("Jane Doe", district=make_district("upper"))])
    assert dialer.run_due(twilio_app) == 1
    rest.set_status(rest.created()[0].sid, "in-progress")
    db.session.expire_all()
    dialed_at = db.session.get_one(Call, call.id).dialed_at
    assert dialed_at is not None
    later = dialed_at + timedelta(hours=2)
    assert dialer.sweep(twilio_app, now=later) == 0
    db.session.expire_all()
    assert db.session.get_one(Call, call.id).status == CallStatus.initiated


def dialer_app_on_dead_database(app):
    """Another web process of the same deployment, whose database connection is refused."""
    return create_app(
        {
            **TEST_CONFIG,
            "TWILIO_ACCOUNT_SID": TWILIO_SID,
            "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
            "SQLALCHEMY_DATABASE_URI": "postgresql://postgres@127.0.0.1:1/gone",
        }
    )
