"""Outside the offices' hours, the campaign page knows before Call now: it says they are closed and offers
Call me now (the call says so and reaches voicemail) or a time when they open; the call page then shows the
scheduled call with Cancel. And whole calls through the simulator with a closed office."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

import dialer
from callflow.prompts import message
from extensions import db
from models import Call, CallStatus, Campaign, LegislativeChamber, utcnow
from tests.support.factories import make_call, make_campaign, make_district, make_target
from tests.support.pages import GOOD_PHONE, load_demo_campaign, nothing_stored, page, seed_geography
from tests.support.settings import TWILIO_SID, TWILIO_TOKEN
from voicesim import CallSimulator, DialOutcome, WSGITransport

NEW_YORK = ZoneInfo("America/New_York")
SENATOR_PHONE, REP_PHONE = "+16177220001", "+16177220002"
CLOSED_SENTENCE = message("office_closed")


def hours_excluding_now() -> str:
    """Every day, one hour that is not the present one in New York (so the offices are closed now)."""
    hour = utcnow().astimezone(NEW_YORK).hour
    start = hour + 2 if hour <= 20 else 1
    return f"mon-sun {start:02d}:00-{start + 1:02d}:00"


def hours_including_now() -> str:
    """Every day, from an hour ago to the end of the day, in New York (so the offices are open now)."""
    hour = utcnow().astimezone(NEW_YORK).hour
    return f"mon-sun {max(hour - 1, 0):02d}:00-23:59"


def set_legislature_hours(text: str) -> None:
    for chamber in db.session.scalars(select(LegislativeChamber)):
        chamber.office_hours, chamber.office_timezone = text, "America/New_York"
    db.session.commit()


@pytest.fixture
def hours_app(make_app):
    """The app with offices keeping their hours (the other tests treat every office as open)."""
    app = make_app(OFFICE_HOURS="data")
    with app.app_context():
        yield app


@pytest.fixture
def demo(hours_app) -> Campaign:
    runner = hours_app.test_cli_runner()
    campaign = load_demo_campaign(runner)
    seed_geography()
    db.session.commit()
    return campaign


def form(**values: str) -> dict[str, str]:
    return {"phone": GOOD_PHONE, "location": "01003", "name": "", "town": "", **values}


def slot_values(html: str) -> list[str]:
    return re.findall(r'name="when" value="(\d{4}-\d\d-\d\dT\d\d:\d\dZ)"', html)


# --- The page ---------------------------------------------------------------------------------


def test_outside_hours_the_page_says_the_offices_are_closed_and_offers_now_or_a_time(hours_app, demo):
    set_legislature_hours(hours_excluding_now())
    shown = page(hours_app.test_client().get(f"/c/{demo.slug}"))
    text = shown.visible_text()
    assert "The offices are closed right now" in text
    assert "You can still call now and leave a message: it counts just the same." in text
    assert re.search(r'<input type="radio" id="when-now" name="when" value="now" checked>', shown.html)  # default
    assert not re.search(r'id="when-\d" name="when" value="[^"]*" checked', shown.html)
    slots = slot_values(shown.html)
    assert len(slots) == 4 and slots == sorted(slots)
    first = datetime.strptime(slots[0], "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC).astimezone(NEW_YORK)
    # Before a number is typed, times read in the offices' zone.
    assert f"They open {first.strftime('%A, %B')} {first.day} at {first.strftime('%-I:%M %p')}" in text
    assert f"({first.strftime('%Z')})" in text
    assert re.search(r"<button[^>]*data-submit>Call me</button>", shown.html)


def test_inside_hours_the_page_is_the_usual_call_now(hours_app, demo):
    set_legislature_hours(hours_including_now())
    html = hours_app.test_client().get(f"/c/{demo.slug}").get_data(as_text=True)
    assert "data-offices-closed" not in html and 'name="when"' not in html
    assert re.search(r"<button[^>]*data-submit>Call now</button>", html)


def test_a_holiday_the_campaign_adds_closes_the_offices_all_day(hours_app, demo):
    set_legislature_hours(hours_including_now())
    demo.office_holidays = [utcnow().astimezone(NEW_YORK).date().isoformat()]
    db.session.commit()
    html = hours_app.test_client().get(f"/c/{demo.slug}").get_data(as_text=True)
    assert "data-offices-closed" in html
    today = utcnow().astimezone(NEW_YORK).date()
    assert all(
        datetime.strptime(s, "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC).astimezone(NEW_YORK).date() > today
        for s in slot_values(html)
    )


def test_when_the_deployment_ignores_office_hours_the_page_never_says_closed(app, runner):
    campaign = load_demo_campaign(runner)
    seed_geography()
    set_legislature_hours(hours_excluding_now())
    html = app.test_client().get(f"/c/{campaign.slug}").get_data(as_text=True)
    assert "data-offices-closed" not in html


def test_choosing_a_time_schedules_the_call_for_it_and_the_call_page_says_when_with_cancel(hours_app, demo):
    set_legislature_hours(hours_excluding_now())
    client = hours_app.test_client()
    [slot, *_] = slot_values(client.get(f"/c/{demo.slug}").get_data(as_text=True))
    response = client.post(f"/c/{demo.slug}", data=form(when=slot))
    assert response.status_code == 303
    call = db.session.scalars(select(Call)).one()
    chosen = datetime.strptime(slot, "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)
    assert (call.scheduled_for, call.chose_time, call.status) == (chosen, True, CallStatus.queued)

    shown = page(client.get(response.headers["Location"]))
    text = shown.visible_text()
    assert "Your call is scheduled for when the offices are open." in text
    assert "As you asked, when the offices are open: your phone (+1 617 ••• ••23) will ring" in text
    assert "night" not in text
    local = chosen.astimezone(NEW_YORK)  # a Boston number: the supporter's zone is the offices'
    when = f"{local.strftime('%-I:%M %p')} on {local.strftime('%A, %B')} {local.day}"
    assert f"Your phone will ring at {when} ({local.strftime('%Z')}, your time)" in text
    assert client.get(f"/calls/{call.public_id}/status").get_json()["state"] == "scheduled"

    assert client.post(f"/calls/{call.public_id}/cancel").status_code == 303
    db.session.expire_all()
    assert db.session.get_one(Call, call.id).status == CallStatus.canceled


def test_call_me_now_outside_hours_rings_at_once(hours_app, demo):
    set_legislature_hours(hours_excluding_now())
    response = hours_app.test_client().post(f"/c/{demo.slug}", data=form(when="now"))
    assert response.status_code == 303
    call = db.session.scalars(select(Call)).one()
    assert (call.scheduled_for, call.chose_time) == (None, False)


def test_a_supporter_in_another_zone_sees_the_times_in_theirs(hours_app, demo):
    set_legislature_hours(hours_excluding_now())
    # A San Francisco number and a location to fix: the form comes back with the times in Pacific time.
    response = hours_app.test_client().post(f"/c/{demo.slug}", data=form(phone="(415) 555-0123", location="x"))
    assert response.status_code == 422
    shown = page(response)
    slots = slot_values(shown.html)
    first = datetime.strptime(slots[0], "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)
    pacific = first.astimezone(ZoneInfo("America/Los_Angeles"))
    assert (
        f"{pacific.strftime('%A, %B')} {pacific.day} at {pacific.strftime('%-I:%M %p')} ({pacific.strftime('%Z')})"
        in (shown.visible_text())
    )


@pytest.mark.parametrize("when", ["2026-01-01T03:00Z", "tonight", "2099-01-05T15:00Z"])
def test_a_time_the_offices_are_not_open_is_refused_and_nothing_is_stored(hours_app, demo, when):
    set_legislature_hours(hours_excluding_now())
    response = hours_app.test_client().post(f"/c/{demo.slug}", data=form(when=when))
    assert response.status_code == 422
    text = page(response).visible_text()
    assert "Please choose Call me now, or one of the times the offices are open." in text
    assert nothing_stored()


# --- Whole calls through the simulator ------------------------------------------------------------


@pytest.fixture
def hours_twilio_app(twilio_app):
    twilio_app.config["OFFICE_HOURS"] = "data"
    return twilio_app


def whole_call(app, rest, hours: str, holidays: tuple[date, ...] = ()):
    """A call to a senator and a representative whose legislature keeps ``hours``, played to the end."""
    campaign = make_campaign(office_holidays=[d.isoformat() for d in holidays])
    db.session.add(
        LegislativeChamber(
            state="MA",
            chamber="upper",
            name="Senate",
            member_title="State Senator",
            office_hours=hours,
            office_timezone="America/New_York",
        )
    )
    senator = make_target("Jane Doe", "State Senator", SENATOR_PHONE, make_district("upper", "First Middlesex"))
    rep = make_target("John Roe", "State Representative", REP_PHONE, make_district("lower", "2nd Suffolk"))
    make_call(app, campaign, [senator, rep])
    assert dialer.run_due(app) == 1
    [created] = rest.created()
    sim = CallSimulator(
        WSGITransport(app),
        TWILIO_TOKEN,
        dial_scenario={SENATOR_PHONE: DialOutcome.answered(20), REP_PHONE: DialOutcome.answered(20)},
    )
    return sim.run(
        created.params["Url"],
        ["1", "1"],
        on_exhausted="silence",
        to=created.params["To"],
        from_=created.params["From"],
        account_sid=TWILIO_SID,
        call_sid=created.sid,
    )


def test_a_closed_office_is_announced_and_still_dialed_for_its_voicemail(hours_twilio_app, rest):
    record = whole_call(hours_twilio_app, rest, hours_excluding_now())
    assert [d.targets[0].value for d in record.dials] == [SENATOR_PHONE, REP_PHONE]
    said = record.said
    assert said.count(CLOSED_SENTENCE) == 2
    # Each time right after "Connecting you to …", before that office's Dial.
    for name in ("Jane Doe", "John Roe"):
        connecting = next(i for i, text in enumerate(said) if text.startswith("Connecting you to") and name in text)
        assert said[connecting + 1] == CLOSED_SENTENCE


def test_an_open_office_is_dialed_without_a_word_about_hours(hours_twilio_app, rest):
    record = whole_call(hours_twilio_app, rest, hours_including_now())
    assert [d.targets[0].value for d in record.dials] == [SENATOR_PHONE, REP_PHONE]
    assert CLOSED_SENTENCE not in record.said


def test_a_holiday_closes_an_office_that_would_be_open(hours_twilio_app, rest):
    today = utcnow().astimezone(NEW_YORK).date()
    record = whole_call(hours_twilio_app, rest, hours_including_now(), holidays=(today,))
    assert [d.targets[0].value for d in record.dials] == [SENATOR_PHONE, REP_PHONE]
    assert record.said.count(CLOSED_SENTENCE) == 2


def test_once_a_number_is_typed_the_times_are_offered_in_its_zone(hours_app, demo):
    set_legislature_hours(hours_excluding_now())
    client = hours_app.test_client()
    html = client.get(f"/c/{demo.slug}").get_data(as_text=True)
    assert f'data-times-url="/c/{demo.slug}/times"' in html
    [_, second, *_] = slot_values(html)
    response = client.post(f"/c/{demo.slug}/times", data={"phone": "(415) 555-0123", "when": second})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    fragment = page(response)
    pacific = (
        datetime.strptime(second, "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC).astimezone(ZoneInfo("America/Los_Angeles"))
    )
    assert f"at {pacific.strftime('%-I:%M %p')} ({pacific.strftime('%Z')})" in fragment.visible_text()
    assert re.search(rf'value="{second}" checked', fragment.html)  # the choice made so far is kept
    assert "555" not in fragment.html  # the number is never sent back
    # A number not yet readable: the offices' own zone.
    eastern = page(client.post(f"/c/{demo.slug}/times", data={"phone": "415"})).visible_text()
    assert re.search(r"\((EST|EDT)\)", eastern) and "PST" not in eastern and "PDT" not in eastern


def test_while_the_offices_are_open_there_are_no_times_to_offer(hours_app, demo):
    set_legislature_hours(hours_including_now())
    response = hours_app.test_client().post(f"/c/{demo.slug}/times", data={"phone": "(415) 555-0123"})
    assert response.status_code == 204


def test_the_times_are_offered_without_a_session_token_so_the_embedded_form_gets_them_too(make_app):
    # The embedded form's frame keeps no cookie, so no session CSRF token: asking for the times changes
    # nothing and must not need one (the form's own submission still does).
    app = make_app(OFFICE_HOURS="data", WTF_CSRF_ENABLED=True)
    with app.app_context():
        campaign = load_demo_campaign(app.test_cli_runner())
        seed_geography()
        db.session.commit()
        set_legislature_hours(hours_excluding_now())
        client = app.test_client(use_cookies=False)
        response = client.post(f"/c/{campaign.slug}/times", data={"phone": "(415) 555-0123"})
        assert response.status_code == 200
        assert re.search(r"\((PST|PDT)\)", page(response).visible_text())
        refused = client.post(f"/c/{campaign.slug}", data=form())
        assert refused.status_code == 400 and nothing_stored()
