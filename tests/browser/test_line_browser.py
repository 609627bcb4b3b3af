"""A supporter deep in the line: the call page shows their place, counts it down, and Cancel my call works."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from app import create_app
from calls.planning import plan_call
from extensions import db
from models import Call, CallStatus, Campaign
from privacy import PhoneVault
from tests.support.served_app import running_app
from tests.support.settings import CAMPAIGN_NUMBER, TWILIO_TOKEN
from tests.support.twilio_standin import FakeTwilioRest

pytestmark = pytest.mark.browser

SID = "AC" + "6" * 32
AHEAD = 30
PHONE = "(617) 555-0199"


@pytest.fixture(scope="module")
def twilio():
    with FakeTwilioRest(SID, TWILIO_TOKEN, owned_numbers=[CAMPAIGN_NUMBER], create_latency=0.2) as rest:
        yield rest


@pytest.fixture(scope="module")
def surge_server(tmp_path_factory, ma_data_dir, twilio):
    """The app with a phone line at 2 calls per second."""
    with running_app(
        tmp_path_factory.mktemp("line"),
        ma_data_dir,
        TWILIO_ACCOUNT_SID=SID,
        TWILIO_AUTH_TOKEN=TWILIO_TOKEN,
        TWILIO_CALLER_ID=CAMPAIGN_NUMBER,
        TWILIO_API_BASE_URL=twilio.base_url,
        PUBLIC_BASE_URL="{base}",
        TWILIO_CPS="2",
        DIALER_INTERVAL="0.5",
    ) as running:
        yield running


def queue_ahead(database, count: int) -> None:
    """Other supporters who asked first, straight into the served database."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "PHONE_HASH_KEY": "browser-test-hash",
            "PHONE_ENCRYPTION_KEY": "browser-test-encryption",
            "TWILIO_ACCOUNT_SID": "",
            "TESTING": True,
        }
    )
    with app.app_context():
        vault = PhoneVault.from_config(app.config)
        campaign = db.session.scalars(select(Campaign)).one()
        for n in range(count):
            plan_call(db.session, vault, campaign, f"+1617555{2000 + n:04d}", [])
        db.session.commit()
        db.engine.dispose()


def place_shown(page) -> int:
    text = page.inner_text("[data-line-text]")
    match = re.search(r"number (\d+) in line", text)
    assert match, text
    return int(match.group(1))


def test_a_supporter_deep_in_the_line_sees_their_place_count_down_and_can_cancel(
    surge_server, twilio, open_page, artifacts
):
    queue_ahead(surge_server["database"], AHEAD)
    page = open_page()
    page.goto(surge_server["url"] + "/")
    page.fill("#phone", PHONE)
    page.fill("#location", "01003")
    with page.expect_navigation():
        page.click("button[type=submit]")

    assert page.is_visible("#line")
    first = place_shown(page)
    assert 10 < first <= AHEAD + 1
    assert "minute" in page.inner_text("[data-line-text]")
    assert page.is_visible("#line >> text=Call the offices yourself now")
    page.screenshot(path=str(artifacts / "line-deep-390.png"), full_page=True)

    # The dialer works through the line at 2 a second; the page follows without a reload.
    deadline = time.monotonic() + 15
    while place_shown(page) >= first - 2:
        assert time.monotonic() < deadline, "the place in line never moved"
        page.wait_for_timeout(250)

    with page.expect_navigation():
        page.click("text=Cancel my call")
    assert page.inner_text("#call-heading") == "Your call is canceled"
    assert page.is_hidden("#line")
    assert "We won't call you" in page.inner_text("[data-status-text]")
    page.screenshot(path=str(artifacts / "line-canceled-390.png"), full_page=True)

    # Everyone ahead is dialed; the supporter who left the line is not.
    deadline = time.monotonic() + 40
    while len(twilio.created()) < AHEAD:
        assert time.monotonic() < deadline, "the line stopped moving"
        time.sleep(0.2)
    time.sleep(1.5)
    assert "+16175550199" not in [c.params["To"] for c in twilio.created()]
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{surge_server['database']}", "TESTING": True})
    with app.app_context():
        mine = db.session.scalars(select(Call).order_by(Call.id.desc()).limit(1)).one()
        assert mine.status == CallStatus.canceled and mine.phone_encrypted is None
        db.engine.dispose()
