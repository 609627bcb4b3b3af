"""Pacing: calls reach Twilio in the order supporters asked, no faster than TWILIO_CPS, across processes."""

from __future__ import annotations

from collections import Counter

import pytest

import dialer
from dialer.pacing import pacer_for
from extensions import db
from models import Call, CallStatus
from tests.support.dialers import dialer_env, run_dialers_once
from tests.support.factories import make_call, make_campaign, make_district, make_target
from tests.support.settings import CAMPAIGN_NUMBER, TWILIO_SID, TWILIO_TOKEN
from tests.support.twilio_standin import FakeTwilioRest

CPS = 4.0
PHONES = [f"+161755502{n:02d}" for n in range(10, 22)]


def largest_displacement(dialed: list[str], asked: list[str]) -> int:
    """How far any supporter was dialed from their place in line."""
    place = {phone: n for n, phone in enumerate(asked)}
    return max(abs(place[phone] - n) for n, phone in enumerate(dialed))


@pytest.mark.slow
@pytest.mark.parametrize("schedule", ["database", pytest.param("redis", marks=pytest.mark.redis)])
def test_two_dialers_together_keep_the_pace_and_the_order(make_app, database_url, schedule, request):
    with FakeTwilioRest(TWILIO_SID, TWILIO_TOKEN, owned_numbers=[CAMPAIGN_NUMBER], create_latency=0.1) as rest:
        app = make_app()
        with app.app_context():
            campaign = make_campaign()
            target = make_target("Jane Doe", district=make_district("upper"))
            for phone in PHONES:
                make_call(app, campaign, [target], phone=phone)
        env = {**dialer_env(database_url, rest.base_url), "TWILIO_CPS": str(CPS)}
        if schedule == "redis":
            env["REDIS_URL"] = request.getfixturevalue("redis_url")
        run_dialers_once(env)

        created = rest.created()
        assert Counter(c.params["To"] for c in created) == Counter(PHONES)
        # Twelve calls at 4 per second: eleven gaps of a quarter second, whichever process placed them
        # (unpaced, two dialers place them in about 0.6 s; the margin is for a busy machine's jitter).
        span = created[-1].created_at - created[0].created_at
        assert span >= 0.8 * (len(PHONES) - 1) / CPS
        assert largest_displacement([c.params["To"] for c in created], PHONES) <= 1


def test_twilios_too_many_requests_pushes_the_shared_schedule_back(twilio_app, rest):
    campaign = make_campaign()
    target = make_target("Jane Doe", district=make_district("upper"))
    call = make_call(twilio_app, campaign, [target])
    rest.fail_next(1, status=429)
    assert dialer.run_due(twilio_app) == 1
    db.session.expire_all()
    assert db.session.get_one(Call, call.id).status == CallStatus.queued
    # The next slot any dialer can take now lies seconds ahead, not 1 / TWILIO_CPS.
    assert pacer_for(twilio_app).reserve(0.0) >= 1.5
