"""Nobody rung at night, and press 9: the hours a supporter may be rung, and a stranger stopping a call themselves."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

import dialer
from config import ConfigError, load_config
from extensions import db
from models import Call, CallStatus, utcnow
from phones.hours import CallHours, next_ring_time, parse_call_hours, ring_time, zones_for_number
from security.blocklist import is_blocked
from tests.support.factories import make_call, make_campaign, make_district, make_target
from tests.support.pages import GOOD_E164, GOOD_PHONE, load_demo_campaign, page, seed_geography
from tests.support.settings import TWILIO_SID, TWILIO_TOKEN
from voicesim import CallSimulator, WSGITransport

NEW_YORK, LOS_ANGELES = ZoneInfo("America/New_York"), ZoneInfo("America/Los_Angeles")
DAYTIME = parse_call_hours("08:00-21:00")
BOSTON, SAN_FRANCISCO = "+16175550123", "+14155550123"


def at(zone: ZoneInfo, year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A local wall-clock time in `zone`, as UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=zone).astimezone(UTC)


# --- The hours, as plain values ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text, shown",
    [("08:00-21:00", "08:00-21:00"), (" 9:30 - 17:00 ", "09:30-17:00"), ("always", "always"), ("ALWAYS", "always")],
)
def test_call_hours_are_read_from_a_range_or_always(text, shown) -> None:
    assert str(parse_call_hours(text)) == shown


@pytest.mark.parametrize("text", ["", "8-21", "21:00-08:00", "08:00-08:00", "25:00-26:00", "08:60-21:00", "night"])
def test_call_hours_that_are_not_a_daytime_range_are_refused_with_a_sentence(text) -> None:
    with pytest.raises(ValueError, match="'always' or a daytime range"):
        parse_call_hours(text)


def test_a_bad_deployment_setting_stops_the_app_with_its_name() -> None:
    with pytest.raises(ConfigError, match="SUPPORTER_CALL_HOURS"):
        load_config({"SUPPORTER_CALL_HOURS": "all night"})


@pytest.mark.parametrize(
    "local, rings_now",
    [
        ((2026, 12, 2, 7, 59), False),
        ((2026, 12, 2, 8, 0), True),
        ((2026, 12, 2, 20, 59), True),
        ((2026, 12, 2, 21, 0), False),
    ],
)
def test_the_edges_of_the_day_in_the_supporters_zone(local, rings_now) -> None:
    now = at(NEW_YORK, *local)
    assert (next_ring_time(now, (NEW_YORK,), DAYTIME) is None) == rings_now


def test_a_request_at_night_waits_for_eight_the_next_morning() -> None:
    now = at(NEW_YORK, 2026, 12, 2, 23, 30)
    assert next_ring_time(now, (NEW_YORK,), DAYTIME) == at(NEW_YORK, 2026, 12, 3, 8, 0)


def test_a_request_before_dawn_waits_for_eight_the_same_morning() -> None:
    now = at(NEW_YORK, 2026, 12, 3, 5, 10)
    assert next_ring_time(now, (NEW_YORK,), DAYTIME) == at(NEW_YORK, 2026, 12, 3, 8, 0)


def test_the_supporters_own_zone_counts_not_the_campaigns() -> None:
    # 22:30 in Boston is 19:30 in San Francisco: the Californian is rung, the Bostonian waits.
    now = at(NEW_YORK, 2026, 12, 2, 22, 30)
    assert ring_time(SAN_FRANCISCO, now, "08:00-21:00", "America/New_York") is None
    assert ring_time(BOSTON, now, "08:00-21:00", "America/New_York") == at(NEW_YORK, 2026, 12, 3, 8, 0)
    # 06:30 in Boston is 03:30 in San Francisco: the Californian waits for their own eight o'clock.
    early = at(NEW_YORK, 2026, 12, 3, 6, 30)
    assert ring_time(SAN_FRANCISCO, early, "08:00-21:00", "America/New_York") == at(LOS_ANGELES, 2026, 12, 3, 8, 0)


def test_eight_in_the_morning_survives_the_clocks_changing() -> None:
    # US clocks go back on Sunday 1 November 2026 and forward on Sunday 14 March 2027.
    assert next_ring_time(at(NEW_YORK, 2026, 10, 31, 22, 0), (NEW_YORK,), DAYTIME) == at(NEW_YORK, 2026, 11, 1, 8, 0)
    assert next_ring_time(at(NEW_YORK, 2027, 3, 13, 22, 0), (NEW_YORK,), DAYTIME) == at(NEW_YORK, 2027, 3, 14, 8, 0)
    assert at(NEW_YORK, 2026, 11, 1, 8, 0).hour == 13 and at(NEW_YORK, 2027, 3, 14, 8, 0).hour == 12


def test_an_area_code_across_two_zones_waits_until_it_is_daytime_in_both() -> None:
    chicago, denver = ZoneInfo("America/Chicago"), ZoneInfo("America/Denver")
    now = at(chicago, 2026, 12, 2, 7, 30)  # 06:30 in Denver
    assert next_ring_time(now, (chicago, denver), DAYTIME) == at(denver, 2026, 12, 2, 8, 0)


def test_a_number_without_a_known_zone_is_judged_in_the_campaigns_zone() -> None:
    assert zones_for_number("+1800555012", "America/Chicago") == (ZoneInfo("America/Chicago"),)
    assert zones_for_number(BOSTON, "America/Chicago") == (NEW_YORK,)


def test_always_turns_the_rule_off() -> None:
    assert next_ring_time(at(NEW_YORK, 2026, 12, 2, 3, 0), (NEW_YORK,), CallHours(None, None)) is None


# --- The dialer -------------------------------------------------------------------------------


@pytest.fixture
def daytime_app(twilio_app):
    """The app placing calls through the Twilio stand-in, ringing supporters 08:00-21:00 their time."""
    twilio_app.config["SUPPORTER_CALL_HOURS"] = "08:00-21:00"
    return twilio_app


def test_the_dialer_holds_a_call_whose_turn_comes_at_night_and_places_it_in_the_morning(daytime_app, rest):
    app = daytime_app
    call = make_call(app, make_campaign(), [make_target("Jane Doe", district=make_district("upper"))], phone=BOSTON)
    night = at(NEW_YORK, 2026, 12, 2, 21, 5)
    assert dialer.run_due(app, now=night) == 1  # handled: put back until the morning
    assert rest.created() == []
    db.session.expire_all()
    held = db.session.get_one(Call, call.id)
    assert held.status == CallStatus.queued and held.dialing_since is None
    assert held.scheduled_for == at(NEW_YORK, 2026, 12, 3, 8, 0)

    assert dialer.run_due(app, now=at(NEW_YORK, 2026, 12, 3, 7, 59)) == 0  # not due yet
    assert dialer.run_due(app, now=at(NEW_YORK, 2026, 12, 3, 8, 0)) == 1
    assert [c.params["To"] for c in rest.created()] == [BOSTON]


def test_a_campaign_may_set_its_own_hours(daytime_app, rest):
    app = daytime_app
    campaign = make_campaign()
    campaign.supporter_call_hours = "always"
    make_call(app, campaign, [make_target("Jane Doe", district=make_district("upper"))], phone=BOSTON)
    assert dialer.run_due(app, now=at(NEW_YORK, 2026, 12, 2, 23, 0)) == 1
    assert [c.params["To"] for c in rest.created()] == [BOSTON]


# --- The page ---------------------------------------------------------------------------------


def hours_excluding_now(zone: ZoneInfo) -> tuple[str, datetime]:
    """A daytime range that does not contain the present hour in `zone`, and its next opening."""
    hour = utcnow().astimezone(zone).hour
    start = hour + 2 if hour <= 20 else 1
    now_local = utcnow().astimezone(zone)
    opening = now_local.replace(hour=start, minute=0, second=0, microsecond=0)
    if opening <= now_local:
        opening += timedelta(days=1)
    return f"{start:02d}:00-{start + 1:02d}:00", opening


def test_a_request_outside_the_hours_is_scheduled_and_the_page_says_when_in_the_supporters_time(app, runner):
    campaign = load_demo_campaign(runner)
    seed_geography()
    hours, opening = hours_excluding_now(NEW_YORK)
    campaign.supporter_call_hours = hours
    db.session.commit()
    client = app.test_client()

    response = client.post(
        f"/c/{campaign.slug}", data={"phone": GOOD_PHONE, "location": "01003", "name": "", "town": ""}
    )
    assert response.status_code == 303
    call = db.session.scalars(db.select(Call)).one()
    assert call.scheduled_for is not None
    assert call.scheduled_for.astimezone(NEW_YORK).replace(tzinfo=None) == opening.replace(tzinfo=None)

    shown = page(client.get(response.headers["Location"]))
    text = shown.visible_text()
    assert "Your call is scheduled: we don't ring phones at night." in text
    when = f"{opening.strftime('%-I:%M %p')} on {opening.strftime('%A, %B')} {opening.day}"
    assert f"Your phone will ring at {when} ({opening.strftime('%Z')}, your time)" in text
    assert re.search(r'<section class="card line" id="line"[^>]* hidden>', shown.html)  # not in the line yet
    assert re.search(r'<section class="card schedule"[^>]*data-show-when="scheduled">', shown.html)  # shown
    status = client.get(f"/calls/{call.public_id}/status").get_json()
    assert status["state"] == "scheduled" and status["line"] is None

    assert client.post(f"/calls/{call.public_id}/cancel").status_code in (302, 303)
    db.session.expire_all()
    assert db.session.get_one(Call, call.id).status == CallStatus.canceled


# --- Press 9 ----------------------------------------------------------------------------------


def test_a_stranger_who_presses_9_ends_the_call_and_the_number_is_never_called_again(twilio_app, rest):
    call = make_call(twilio_app, make_campaign(), [make_target("Jane Doe", district=make_district("upper"))])
    assert dialer.run_due(twilio_app) == 1
    created = rest.created()[0]
    record = CallSimulator(WSGITransport(twilio_app), TWILIO_TOKEN).run(
        created.params["Url"],
        ["9"],
        to=created.params["To"],
        from_=created.params["From"],
        account_sid=TWILIO_SID,
        call_sid=created.sid,
    )
    assert record.said[1] == "If you did not ask for this call, press 9."
    assert record.said[-1] == "We're sorry to have disturbed you. We won't call this number again. Goodbye."
    assert record.dials == [] and record.end_reason == "hangup"
    db.session.expire_all()
    stored = db.session.get_one(Call, call.id)
    assert stored.not_requested is True
    assert stored.caller is not None and is_blocked(db.session, stored.caller.phone_hash, None)
    assert created.params["To"] == GOOD_E164
