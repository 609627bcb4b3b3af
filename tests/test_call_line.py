"""The line on the call page: a waiting supporter's place and estimate, live in the status JSON, and leaving it."""

from __future__ import annotations

from datetime import timedelta

import pytest

import dialer
from dialer.line import estimate
from extensions import db
from models import Call, CallStatus, utcnow
from tests.support.factories import make_call, make_campaign, make_district, make_target
from tests.support.pages import page


@pytest.fixture
def line_app(twilio_app):
    """The app with a real phone line at Twilio's default pace: 1 call per second."""
    twilio_app.config["TWILIO_CPS"] = 1.0
    return twilio_app


def queue_of(app, size: int) -> list[Call]:
    campaign = make_campaign()
    target = make_target("Jane Doe", district=make_district("upper"))
    return [make_call(app, campaign, [target], phone=f"+1617555{1000 + n:04d}") for n in range(size)]


@pytest.mark.parametrize(
    "place, cps, seconds",
    [(1, 1.0, 1), (212, 1.0, 212), (212, 4.0, 53), (3000, 1.0, 3000), (7, 0.5, 14)],
)
def test_the_estimate_is_the_place_over_the_pace(place, cps, seconds):
    assert estimate(place, cps).wait_seconds == seconds


def test_a_supporter_deep_in_the_line_sees_their_place_and_an_honest_estimate(line_app):
    calls = queue_of(line_app, 150)
    client = line_app.test_client()
    html = page(client.get(f"/calls/{calls[-1].public_id}"))
    assert html.text("line").startswith(
        "Many people are calling right now You're number 150 in line — about 3 minutes."
    )
    assert "Cancel my call" in html.text("line")
    data = client.get(f"/calls/{calls[-1].public_id}/status").get_json()
    assert data["line"] == {
        "place": 150,
        "wait_seconds": 150,
        "message": "You're number 150 in line — about 3 minutes.",
    }
    assert client.get(f"/calls/{calls[0].public_id}/status").get_json()["line"]["message"] == (
        "You're next in line — less than a minute."
    )


def test_the_place_counts_down_as_the_line_moves(line_app, rest):
    calls = queue_of(line_app, 5)
    client = line_app.test_client()
    line_app.config["TWILIO_CPS"] = 1000.0  # dial the first three at once
    dialer.run_due(line_app, now=None, limit=3)
    line_app.config["TWILIO_CPS"] = 1.0
    assert client.get(f"/calls/{calls[-1].public_id}/status").get_json()["line"]["place"] == 2
    assert client.get(f"/calls/{calls[0].public_id}/status").get_json()["line"] is None


def test_cancel_my_call_takes_the_supporter_out_of_the_line_and_nothing_is_dialed(line_app, rest):
    calls = queue_of(line_app, 3)
    client = line_app.test_client()
    response = client.post(f"/calls/{calls[1].public_id}/cancel")
    assert response.status_code == 303
    html = page(client.get(response.headers["Location"]))
    assert html.text("call-heading") == "Your call is canceled"
    assert "hidden" in html.element("section", id="line")
    db.session.expire_all()
    canceled = db.session.get_one(Call, calls[1].id)
    assert canceled.status == CallStatus.canceled and canceled.phone_encrypted is None
    line_app.config["TWILIO_CPS"] = 1000.0
    assert dialer.run_due(line_app) == 2
    assert sorted(c.params["To"] for c in rest.created()) == ["+16175551000", "+16175551002"]
    assert client.get(f"/calls/{calls[2].public_id}/status").get_json()["line"] is None
    assert client.get(f"/calls/{calls[1].public_id}/status").get_json()["state"] == "canceled"


def test_too_late_to_cancel_once_a_dialer_holds_the_call(line_app, rest):
    (call,) = queue_of(line_app, 1)
    assert dialer.claim(call.id, utcnow()) == (True, False)
    client = line_app.test_client()
    response = client.post(f"/calls/{call.public_id}/cancel", follow_redirects=True)
    assert "too late to cancel" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get_one(Call, call.id).status == CallStatus.queued
    # A claim that lapsed long ago (its dialer died) no longer holds the call: it can be canceled.
    db.session.get_one(Call, call.id).dialing_since = utcnow() - dialer.CLAIM_LEASE - timedelta(seconds=1)
    db.session.commit()
    client.post(f"/calls/{call.public_id}/cancel")
    db.session.expire_all()
    assert db.session.get_one(Call, call.id).status == CallStatus.canceled


def test_without_a_phone_line_the_preview_page_shows_no_line(app):
    (call,) = queue_of(app, 1)
    client = app.test_client()
    assert client.get(f"/calls/{call.public_id}/status").get_json()["line"] is None
    assert "hidden" in page(client.get(f"/calls/{call.public_id}")).element("section", id="line")
