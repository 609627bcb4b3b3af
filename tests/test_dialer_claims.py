"""Claims that cannot be stolen: dialers racing on the same queue dial each supporter exactly once."""

from __future__ import annotations

from collections import Counter

import pytest

from extensions import db
from models import Call, CallStatus
from tests.support.dialers import dialer_env, run_dialers_once, status_params
from tests.support.factories import make_call, make_campaign, make_district, make_target
from tests.support.settings import CAMPAIGN_NUMBER, TWILIO_SID, TWILIO_TOKEN
from tests.support.twilio_standin import FakeTwilioRest

PHONES = [f"+161755501{n:02d}" for n in range(10, 22)]


@pytest.mark.slow
def test_two_dialers_racing_on_a_slow_twilio_dial_every_supporter_exactly_once(make_app, database_url):
    # Twilio's calls.create takes 0.4 s, as the real one does: while one dialer waits for it, the
    # other walks its own (by then stale) list of due calls.
    with FakeTwilioRest(TWILIO_SID, TWILIO_TOKEN, owned_numbers=[CAMPAIGN_NUMBER], create_latency=0.4) as rest:
        app = make_app()
        with app.app_context():
            campaign = make_campaign()
            target = make_target("Jane Doe", district=make_district("upper"))
            ids = [make_call(app, campaign, [target], phone=phone).id for phone in PHONES]
        run_dialers_once(dialer_env(database_url, rest.base_url))

        dialed = Counter(c.params["To"] for c in rest.created())
        assert {phone: n for phone, n in dialed.items() if n > 1} == {}, "supporters dialed twice"
        assert sorted(dialed) == sorted(PHONES)
        with app.app_context():
            calls = db.session.query(Call).filter(Call.id.in_(ids)).all()
            assert {c.status for c in calls} == {CallStatus.initiated}
            assert {c.twilio_sid for c in calls} == {c.sid for c in rest.created()}


STRAY_SID = "CA" + "e" * 32


def test_a_stray_call_sid_changes_nothing_and_the_calls_own_sid_still_applies(twilio_app, rest):
    import dialer
    from tests.support.signing import signed_post

    call = make_call(twilio_app, make_campaign(), [make_target("Jane Doe", district=make_district("upper"))])
    assert dialer.run_due(twilio_app) == 1
    own = rest.created()[0].sid
    client = twilio_app.test_client()
    path = f"/twilio/calls/{call.public_id}/status"

    # A duplicate's callbacks (another CallSid) arrive first and claim the call is over.
    assert signed_post(client, path, status_params(STRAY_SID, "in-progress", 2)).status_code == 200
    assert signed_post(client, path, status_params(STRAY_SID, "completed", 3, CallDuration="9")).status_code == 200
    db.session.expire_all()
    stored = db.session.get_one(Call, call.id)
    assert stored.status == CallStatus.initiated and stored.phone_encrypted is not None
    assert stored.twilio_sid == own

    assert signed_post(client, path, status_params(own, "ringing", 1)).status_code == 200
    db.session.expire_all()
    assert db.session.get_one(Call, call.id).status == CallStatus.ringing


def test_the_first_call_sid_recorded_is_the_calls_own(twilio_app):
    from tests.support.signing import signed_post

    app = twilio_app
    call = make_call(app, make_campaign(), [make_target("Jane Doe", district=make_district("upper"))])
    call.status = CallStatus.initiated
    db.session.commit()
    client = app.test_client()
    path = f"/twilio/calls/{call.public_id}/status"
    first = "CA" + "1" * 32
    assert signed_post(client, path, status_params(first, "ringing", 1)).status_code == 200
    assert signed_post(client, path, status_params(STRAY_SID, "busy", 2)).status_code == 200
    db.session.expire_all()
    stored = db.session.get_one(Call, call.id)
    assert (stored.twilio_sid, stored.status) == (first, CallStatus.ringing)


def test_a_stray_call_answered_hears_goodbye_and_leaves_the_call_alone(twilio_app, rest):
    import dialer
    from tests.support.signing import signed_post

    call = make_call(twilio_app, make_campaign(), [make_target("Jane Doe", district=make_district("upper"))])
    assert dialer.run_due(twilio_app) == 1
    client = twilio_app.test_client()
    params = {"CallSid": STRAY_SID, "AccountSid": TWILIO_SID, "CallStatus": "in-progress", "AnsweredBy": "human"}
    response = signed_post(client, f"/twilio/calls/{call.public_id}/answered", params)
    assert response.status_code == 200
    assert b"could not find this call" in response.data and b"<Hangup" in response.data
    db.session.expire_all()
    assert db.session.get_one(Call, call.id).step == "start"
