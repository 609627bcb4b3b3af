"""A supporter's form submission: the SQL it runs (the issue's budget is five statements; see bench/README.md)."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import event, select

from extensions import db
from models import Call, CallLeg, CampaignTarget, District, Office, Target, WebhookEndpoint, WebhookEvent
from tests.support.pages import DEMO, GOOD_PHONE, load_demo_campaign, seed_geography
from tests.support.settings import TWILIO_SID, TWILIO_TOKEN

# Where the submission stands today, counted on the request's own thread, the same on SQLite and PostgreSQL: the
# campaign (with its chambers, fixed targets and their offices, and whether an endpoint hears of its calls), the
# ZIP's districts with their targets, the caller's upsert (reading the blocklist), the call, all its legs at once,
# and the outbox row when an endpoint hears of the call.
STATEMENTS_TODAY = {"preview": 5, "placed": 5, "placed, with a webhook endpoint": 6}


def _statements_of_one_submission(client, location: str = "01003") -> list[str]:
    """The SQL the request's own thread runs for one submission (a dialer thread's sweep is not the form's)."""
    seen: list[str] = []
    request_thread = threading.get_ident()

    def count(conn, cursor, statement, *rest) -> None:
        if threading.get_ident() == request_thread:
            seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.post(f"/c/{DEMO}", data={"phone": GOOD_PHONE, "location": location, "name": "", "town": ""})
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 303, response.get_data(as_text=True)
    [call] = db.session.scalars(select(Call)).all()
    assert response.headers["Location"].endswith(f"/calls/{call.public_id}")
    return seen


def test_a_preview_submission_never_reads_back_the_call_it_just_wrote(client, runner):
    load_demo_campaign(runner)
    seed_geography()
    db.session.commit()
    seen = _statements_of_one_submission(client)
    # Neither the new call's (empty) legs before adding them, nor the call itself after the commit.
    assert not [s for s in seen if re.match(r"SELECT .* FROM (calls|call_legs)\b", s)]
    assert len(seen) == STATEMENTS_TODAY["preview"], "\n".join(seen)


@pytest.fixture
def placing_app(make_app, redis_url):
    """As production serves the form: a Twilio account (real calls, the RQ dialer), office hours from the data."""
    app = make_app(
        TWILIO_ACCOUNT_SID=TWILIO_SID,
        TWILIO_AUTH_TOKEN=TWILIO_TOKEN,
        TWILIO_API_BASE_URL="http://127.0.0.1:9",  # never reached: no RQ worker runs here
        DIALER_MODE="rq",
        REDIS_URL=redis_url,
        OFFICE_HOURS="data",
    )
    with app.app_context():
        yield app


@pytest.mark.parametrize("endpoint", [False, True], ids=["no endpoint", "an endpoint"])
def test_a_placed_call_with_a_fixed_target(placing_app, endpoint):
    """The whole production path: the fixed target's offices, the outbox row when an endpoint hears of the call,
    and the legs (a vacant seat among them, planned by its district)."""
    campaign = load_demo_campaign(placing_app.test_cli_runner())
    targets = seed_geography()
    fixed = Target(source_id="test:governor", name="Gail Gov", title="Governor", state="MA", phone="+16177250000")
    fixed.offices = [Office(position=0, kind="capitol", phone="+16177250000", hours="mon-fri 10:00-16:00")]
    db.session.add(CampaignTarget(campaign=campaign, target=fixed, position=0))
    if endpoint:
        db.session.add(
            WebhookEndpoint(campaign=campaign, url="https://example.org/hook", secret_encrypted=b"x", secret_hint="x")
        )
    db.session.commit()
    seen = _statements_of_one_submission(placing_app.test_client(), location="01002")
    [call] = db.session.scalars(select(Call)).all()
    legs = db.session.scalars(select(CallLeg).where(CallLeg.call_id == call.id).order_by(CallLeg.position)).all()
    vacant = db.session.scalars(select(District).where(District.census_geoid == "25003")).one()
    assert [leg.target_id for leg in legs] == [targets["ada"].id, None, fixed.id]
    assert [leg.district_id for leg in legs] == [targets["ada"].district_id, vacant.id, None]
    assert not call.preview
    assert len(db.session.scalars(select(WebhookEvent)).all()) == (1 if endpoint else 0)
    assert len(seen) == STATEMENTS_TODAY["placed, with a webhook endpoint" if endpoint else "placed"], "\n".join(seen)
