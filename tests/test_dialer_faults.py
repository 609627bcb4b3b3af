"""The dialer under faults: a slow Twilio, numbers it must never dial, a dialer process killed mid-request."""

from __future__ import annotations

from datetime import timedelta

import pytest

import dialer
from extensions import db
from models import Call, CallStatus, utcnow
from tests.support.dialers import dialer_env
from tests.support.factories import make_call, make_campaign, make_district, make_target
from tests.support.settings import CAMPAIGN_NUMBER, TWILIO_SID, TWILIO_TOKEN

SID, CALLER_ID = TWILIO_SID, CAMPAIGN_NUMBER
SUPPORTER = "+16175550123"


def stored(call_id: int) -> Call:
    db.session.expire_all()
    return db.session.get_one(Call, call_id)


def queued_call(app, phone: str = SUPPORTER) -> Call:
    return make_call(app, make_campaign(), [make_target("Jane Doe", district=make_district("upper"))], phone=phone)


def test_a_slow_twilio_leaves_the_call_queued_and_the_retry_adopts_the_call_it_had_created(twilio_app, rest):
    call = queued_call(twilio_app)
    rest.delay_next(1, seconds=2.0)  # longer than TWILIO_TIMEOUT: the create times out, but Twilio made the call
    assert dialer.run_due(twilio_app) == 1
    call = stored(call.id)
    assert call.status == CallStatus.queued and call.twilio_sid is None
    assert call.failure_reason is not None
    assert "could not be reached" in call.failure_reason and "Timeout" in call.failure_reason
    assert len(rest.created()) == 1

    assert call.next_attempt_at is not None
    assert dialer.run_due(twilio_app, now=call.next_attempt_at + timedelta(seconds=1)) == 1
    call = stored(call.id)
    assert len(rest.created()) == 1, "the retry dialed the supporter a second time"
    assert call.status == CallStatus.initiated and call.twilio_sid == rest.created()[0].sid
    assert call.dial_attempts == 2


def test_a_timeout_before_twilio_created_anything_is_dialed_on_retry(twilio_app, rest):
    call = queued_call(twilio_app)
    rest.fail_next(1, status=503)
    assert dialer.run_due(twilio_app) == 1
    call = stored(call.id)
    assert call.status == CallStatus.queued and rest.created() == []
    assert call.next_attempt_at is not None
    assert dialer.run_due(twilio_app, now=call.next_attempt_at + timedelta(seconds=1)) == 1
    assert [c.params["To"] for c in rest.created()] == [SUPPORTER]
    assert stored(call.id).status == CallStatus.initiated


@pytest.mark.parametrize(
    "phone, reason",
    [
        ("+19005551234", "premium_rate"),
        ("+18005551234", "toll_free"),
        ("+14165550123", "foreign"),  # Toronto: outside ALLOWED_COUNTRIES=US
        ("+448712345678", "foreign"),
        ("617-555-0123", "invalid"),
    ],
)
def test_the_dialer_never_dials_a_number_the_rules_refuse(twilio_app, rest, phone, reason):
    call = queued_call(twilio_app, phone=phone)
    assert dialer.run_due(twilio_app) == 1
    call = stored(call.id)
    assert call.status == CallStatus.failed
    assert call.failure_reason == f"refused to dial the supporter's number: {reason}"
    assert call.phone_encrypted is None and call.ended_at is not None
    assert rest.requests == []  # Twilio was never asked
    assert phone not in call.failure_reason


def test_allowed_countries_widen_what_the_dialer_accepts(make_app, rest):
    app = make_app(
        TWILIO_ACCOUNT_SID=SID,
        TWILIO_AUTH_TOKEN=TWILIO_TOKEN,
        TWILIO_CALLER_ID=CALLER_ID,
        TWILIO_API_BASE_URL=rest.base_url,
        ALLOWED_COUNTRIES="US,CA",
    )
    with app.app_context():
        call = queued_call(app, phone="+14165550123")
        assert dialer.run_due(app) == 1
        assert stored(call.id).status == CallStatus.initiated
        assert [c.params["To"] for c in rest.created()] == ["+14165550123"]


def test_a_premium_rate_target_is_skipped_aloud_and_recorded_never_dialed(twilio_app, rest):
    from models import LegStatus
    from voicesim import CallSimulator, DialOutcome, WSGITransport

    campaign = make_campaign()
    premium = make_target("Pay Perminute", "State Senator", "+19005551234", make_district("upper"))
    rep = make_target("John Roe", "State Representative", "+16177220002", make_district("lower"))
    call = make_call(twilio_app, campaign, [premium, rep])
    assert dialer.run_due(twilio_app) == 1
    created = rest.created()[0]
    sim = CallSimulator(
        WSGITransport(twilio_app), TWILIO_TOKEN, dial_scenario={"+16177220002": DialOutcome.answered(30)}
    )
    record = sim.run(created.params["Url"], ["1"], to=SUPPORTER, from_=CALLER_ID, account_sid=SID, call_sid=created.sid)

    assert [d.targets[0].value for d in record.dials] == ["+16177220002"]
    assert any("We don't have a phone number for State Senator Pay Perminute" in text for text in record.said)
    legs = stored(call.id).legs
    assert [(leg.status, leg.skip_reason) for leg in legs] == [
        (LegStatus.skipped, "refused_number"),
        (LegStatus.completed, None),
    ]


def test_a_dialer_process_killed_while_twilio_answers_is_resumed_without_a_second_dial(make_app, database_url, rest):
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    app = make_app(
        TWILIO_ACCOUNT_SID=SID,
        TWILIO_AUTH_TOKEN=TWILIO_TOKEN,
        TWILIO_CALLER_ID=CALLER_ID,
        TWILIO_API_BASE_URL=rest.base_url,
    )
    with app.app_context():
        call_id = queued_call(app).id
    # Twilio creates the call at once but answers only after 30 s: the process dies while it waits.
    rest.delay_next(1, seconds=30)
    env = {
        **dialer_env(database_url, rest.base_url),
        "TWILIO_ACCOUNT_SID": SID,
        "TWILIO_CALLER_ID": CALLER_ID,
        "TWILIO_TIMEOUT": "60",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "dialer", "run", "--interval", "0.2"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while not rest.created():
            assert process.poll() is None, "the dialer exited"
            assert time.monotonic() < deadline, "the dialer never asked Twilio"
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    with app.app_context():
        call = stored(call_id)
        assert call.status == CallStatus.queued and call.dialing_since is not None and call.twilio_sid is None
        # A dialer within the claim's lease leaves it alone; one after it asks Twilio and adopts the call.
        assert dialer.run_due(app) == 0
        assert dialer.run_due(app, now=utcnow() + dialer.CLAIM_LEASE + timedelta(seconds=1)) == 1
        call = stored(call_id)
        assert len(rest.created()) == 1, "the supporter was dialed twice"
        assert call.status == CallStatus.initiated and call.twilio_sid == rest.created()[0].sid
        assert dialer.run_due(app, now=utcnow() + timedelta(minutes=10)) == 0
