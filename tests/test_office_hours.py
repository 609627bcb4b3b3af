"""Office hours: when an office is open and when it next opens, with a controlled clock (the edges of the
day, a supporter in another zone, the weekends the clocks change, holidays); where the hours come from
(a state folder's settings, an office's own, a campaign's holidays); and the dialer keeping a chosen time."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

import dialer
from campaigns.files import campaign_yaml, parse_campaign_yaml
from campaigns.loader import apply_campaign
from campaigns.schema import CampaignInvalid, check_campaign
from datasets.errors import DataError
from datasets.settings import read_settings
from extensions import db
from models import Call, CallStatus, Campaign, CampaignTarget, LegislativeChamber, Office, Role, Target
from pages.office_times import chosen_time, closed_offices
from targets.hours import is_open, next_opening, opening_slots, parse_office_hours
from targets.schedules import campaign_offices_hours, legislature_hours
from tests.support.console import signed_in_client
from tests.support.factories import make_call, make_campaign, make_district, make_target

NEW_YORK, LOS_ANGELES = ZoneInfo("America/New_York"), ZoneInfo("America/Los_Angeles")
WEEKDAYS = parse_office_hours("mon-fri 09:00-17:00", "America/New_York")
LA_NUMBER = "+14155550123"


def at(zone: ZoneInfo, year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A local wall-clock time in `zone`, as UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=zone).astimezone(UTC)


# --- The hours, as plain values ---------------------------------------------------------------


@pytest.mark.parametrize(
    "local, open_",
    [
        ((2026, 12, 2, 8, 59), False),  # Wednesday, a minute before opening
        ((2026, 12, 2, 9, 0), True),
        ((2026, 12, 2, 16, 59), True),
        ((2026, 12, 2, 17, 0), False),
        ((2026, 12, 2, 21, 0), False),
        ((2026, 12, 5, 11, 0), False),  # Saturday
        ((2026, 12, 6, 11, 0), False),  # Sunday
    ],
)
def test_the_edges_of_the_office_day_in_the_offices_zone(local, open_) -> None:
    assert is_open(WEEKDAYS, at(NEW_YORK, *local)) is open_


def test_at_8_59_the_office_opens_a_minute_later() -> None:
    assert next_opening(WEEKDAYS, at(NEW_YORK, 2026, 12, 2, 8, 59)) == at(NEW_YORK, 2026, 12, 2, 9, 0)


def test_at_21_00_the_office_opens_the_next_morning() -> None:
    assert next_opening(WEEKDAYS, at(NEW_YORK, 2026, 12, 2, 21, 0)) == at(NEW_YORK, 2026, 12, 3, 9, 0)


def test_friday_evening_opens_on_monday() -> None:
    assert next_opening(WEEKDAYS, at(NEW_YORK, 2026, 12, 4, 17, 0)) == at(NEW_YORK, 2026, 12, 7, 9, 0)


def test_nine_in_the_morning_survives_the_weekend_the_clocks_go_back() -> None:
    # US clocks go back on Sunday 1 November 2026: Friday's 9:00 is 13:00 UTC, Monday's 14:00 UTC.
    friday_evening = at(NEW_YORK, 2026, 10, 30, 18, 0)
    monday = next_opening(WEEKDAYS, friday_evening)
    assert monday == datetime(2026, 11, 2, 14, 0, tzinfo=UTC)
    assert at(NEW_YORK, 2026, 10, 30, 9, 0) == datetime(2026, 10, 30, 13, 0, tzinfo=UTC)


def test_nine_in_the_morning_survives_the_weekend_the_clocks_go_forward() -> None:
    # And forward on Sunday 14 March 2027: Monday's 9:00 is 13:00 UTC again.
    assert next_opening(WEEKDAYS, at(NEW_YORK, 2027, 3, 12, 18, 0)) == datetime(2027, 3, 15, 13, 0, tzinfo=UTC)
    assert not is_open(WEEKDAYS, datetime(2027, 3, 15, 12, 30, tzinfo=UTC))  # 8:30 EDT
    assert is_open(WEEKDAYS, datetime(2027, 3, 15, 13, 0, tzinfo=UTC))


def test_a_holiday_keeps_the_office_closed_all_day_and_it_opens_the_day_after() -> None:
    thanksgiving = WEEKDAYS.with_holidays([date(2026, 11, 26), date(2026, 11, 27)])
    assert not is_open(thanksgiving, at(NEW_YORK, 2026, 11, 26, 11, 0))
    assert is_open(WEEKDAYS, at(NEW_YORK, 2026, 11, 26, 11, 0))
    assert next_opening(thanksgiving, at(NEW_YORK, 2026, 11, 25, 17, 0)) == at(NEW_YORK, 2026, 11, 30, 9, 0)


def test_several_clauses_a_short_friday() -> None:
    hours = parse_office_hours("mon-thu 09:00-17:00; fri 09:00-12:00", "America/New_York")
    assert is_open(hours, at(NEW_YORK, 2026, 12, 3, 16, 0))
    assert not is_open(hours, at(NEW_YORK, 2026, 12, 4, 12, 0))
    assert str(hours) == "mon-thu 09:00-17:00; fri 09:00-12:00"


@pytest.mark.parametrize(
    "text, zone",
    [
        ("weekdays 9-5", "America/New_York"),
        ("mon-fri 17:00-09:00", "America/New_York"),
        ("fri-mon 09:00-17:00", "America/New_York"),
        ("mon-fri 09:00-25:00", "America/New_York"),
        ("mon-fri 09:00-17:00", "America/Atlantis"),
        ("", "America/New_York"),
    ],
)
def test_hours_that_cannot_be_read_are_refused_with_a_sentence(text, zone) -> None:
    with pytest.raises(ValueError, match="such as 'mon-fri 09:00-17:00'"):
        parse_office_hours(text, zone)


def test_slots_are_times_every_office_is_open_on_the_next_open_days() -> None:
    slots = opening_slots([WEEKDAYS], at(NEW_YORK, 2026, 12, 4, 19, 0))  # Friday evening
    assert slots == [
        at(NEW_YORK, 2026, 12, 7, 9, 0),
        at(NEW_YORK, 2026, 12, 7, 12, 0),
        at(NEW_YORK, 2026, 12, 7, 15, 0),
        at(NEW_YORK, 2026, 12, 8, 9, 0),
    ]
    assert all(is_open(WEEKDAYS, s) for s in slots)


def test_slots_wait_until_the_later_office_opens() -> None:
    west = parse_office_hours("mon-fri 09:00-17:00", "America/Los_Angeles")  # opens at 12:00 in New York
    slots = opening_slots([WEEKDAYS, west], at(NEW_YORK, 2026, 12, 2, 20, 0))
    assert slots[0] == at(NEW_YORK, 2026, 12, 3, 12, 0)
    assert all(is_open(WEEKDAYS, s) and is_open(west, s) for s in slots)


def test_the_page_offers_slots_in_a_supporters_own_zone() -> None:
    closed = closed_offices([WEEKDAYS], at(NEW_YORK, 2026, 12, 2, 21, 0), "America/Los_Angeles")
    assert closed is not None
    assert closed.opens == datetime(2026, 12, 3, 6, 0, tzinfo=LOS_ANGELES)  # 9:00 in Boston
    assert [s.local.hour for s in closed.slots] == [6, 9, 12, 6]
    assert closed.slots[0].value == "2026-12-03T14:00Z"


def test_the_page_offers_nothing_while_an_office_is_open() -> None:
    assert closed_offices([WEEKDAYS], at(NEW_YORK, 2026, 12, 2, 9, 0), "America/New_York") is None


@pytest.mark.parametrize(
    "value, expected",
    [
        ("now", None),
        ("", None),
        ("2026-12-03T14:00Z", datetime(2026, 12, 3, 14, 0, tzinfo=UTC)),  # 9:00 Thursday in Boston
        ("2026-12-02T21:50Z", None),  # offered a moment ago (16:50), the page sat open: now
    ],
)
def test_a_chosen_time_is_a_time_the_offices_are_open(value, expected) -> None:
    assert chosen_time(value, [WEEKDAYS], at(NEW_YORK, 2026, 12, 2, 17, 0)) == expected


@pytest.mark.parametrize(
    "value",
    ["2026-12-03T03:00Z", "2026-12-05T15:00Z", "tomorrow", "2027-06-01T14:00Z", "2026-12-01T14:00Z"],
)
def test_a_time_the_offices_are_closed_or_long_past_is_refused(value) -> None:
    with pytest.raises(ValueError, match=value):
        chosen_time(value, [WEEKDAYS], at(NEW_YORK, 2026, 12, 2, 17, 0))


# --- Where the hours come from ------------------------------------------------------------------


def test_a_state_without_settings_keeps_weekdays_nine_to_five_in_its_capitals_zone(tmp_path) -> None:
    settings = read_settings(tmp_path, "America/Chicago")
    assert (settings.office_hours, settings.office_timezone) == ("mon-fri 09:00-17:00", "America/Chicago")


def test_a_state_folders_settings_set_the_hours_and_single_offices_out(tmp_path) -> None:
    (tmp_path / "settings.yml").write_text(
        "office_hours: mon-thu 08:30-16:30\n"
        "office_timezone: America/Denver\n"
        "office_hours_by_office:\n  ocd-person/abc:\n    district: tue 10:00-14:00\n"
    )
    settings = read_settings(tmp_path, "America/New_York")
    assert (settings.office_hours, settings.office_timezone) == ("mon-thu 08:30-16:30", "America/Denver")
    assert dict(settings.by_office) == {("ocd-person/abc", "district"): "tue 10:00-14:00"}


@pytest.mark.parametrize(
    "text, problem",
    [
        ("office_hours: all day\n", "such as 'mon-fri 09:00-17:00'"),
        ("office_timezone: Mars/Olympus\n", "known time zone"),
        ("opening: 9\n", "unknown setting"),
        ("- a list\n", "must be a mapping"),
    ],
)
def test_bad_settings_name_the_file_and_what_is_wrong(tmp_path, text, problem) -> None:
    (tmp_path / "settings.yml").write_text(text)
    with pytest.raises(DataError, match=problem) as raised:
        read_settings(tmp_path, "America/New_York")
    assert "settings.yml" in str(raised.value)


def test_an_offices_own_hours_override_its_legislatures(app) -> None:
    db.session.add(
        LegislativeChamber(
            state="MA",
            chamber="upper",
            name="Senate",
            member_title="State Senator",
            office_hours="mon-fri 10:00-16:00",
            office_timezone="America/New_York",
        )
    )
    campaign = make_campaign(office_holidays=["2026-12-24"], target_chambers=["upper"])
    db.session.flush()
    default = legislature_hours(campaign)
    assert str(default) == "mon-fri 10:00-16:00" and default.holidays == {date(2026, 12, 24)}
    governor = make_target("Pat Poe", "Governor", "+16177250001")
    governor.offices = [Office(position=0, kind="capitol", phone="+16177250001", hours="sat 10:00-12:00")]
    campaign.fixed_targets.append(CampaignTarget(target=governor, position=0))
    db.session.flush()
    legislature, fixed = campaign_offices_hours(db.session, campaign)
    assert legislature == default
    assert str(fixed) == "sat 10:00-12:00" and fixed.zone == "America/New_York"
    assert fixed.holidays == {date(2026, 12, 24)}  # the campaign's holidays close every office


def test_without_loaded_settings_the_campaigns_zone_and_nine_to_five_apply(app) -> None:
    campaign = make_campaign(timezone="America/Chicago")
    hours = legislature_hours(campaign)
    assert (str(hours), hours.zone) == ("mon-fri 09:00-17:00", "America/Chicago")


# --- Campaign files: holidays, and fixed targets with several offices ---------------------------

BASE = {
    "slug": "s",
    "title": "t",
    "state": "MA",
    "headline": "h",
    "greeting": "g",
    "talking_points": "p",
    "target_chambers": ["upper"],
}


def test_holidays_are_read_from_a_list_or_from_text() -> None:
    from_list = check_campaign({**BASE, "office_holidays": [date(2026, 12, 25), "2026-11-26"]})
    from_text = check_campaign({**BASE, "office_holidays": "2026-12-25, 2026-11-26"})
    assert from_list.values["office_holidays"] == from_text.values["office_holidays"] == ["2026-11-26", "2026-12-25"]


def test_a_holiday_that_is_not_a_date_is_named() -> None:
    with pytest.raises(CampaignInvalid) as raised:
        check_campaign({**BASE, "office_holidays": "2026-12-25, Christmas"})
    assert raised.value.errors == {"office_holidays": "office_holidays: 'Christmas' is not a date such as 2026-11-26"}


def test_a_fixed_target_lists_several_offices_with_kinds_and_hours() -> None:
    checked = check_campaign(
        {
            **BASE,
            "fixed_targets": [
                {
                    "key": "governor",
                    "name": "Pat Poe",
                    "title": "Governor",
                    "offices": [
                        {"phone": "(617) 725-4005", "kind": "capitol", "hours": "mon-fri 9:00-17:00"},
                        {"phone": "413-784-1200", "extension": "12", "kind": "district", "timezone": "America/Chicago"},
                    ],
                }
            ],
        }
    )
    [target] = checked.fixed_targets
    assert [(o.phone, o.extension, o.kind, o.hours, o.timezone) for o in target.offices] == [
        ("+16177254005", None, "capitol", "mon-fri 09:00-17:00", None),
        ("+14137841200", "12", "district", None, "America/Chicago"),
    ]
    assert (target.phone, target.extension) == ("+16177254005", None)


@pytest.mark.parametrize(
    "item, problem",
    [
        ({"phone": "+16177254005", "offices": [{"phone": "+16177254005"}]}, "not both"),
        ({"offices": []}, "offices must be a list"),
        ({"offices": [{"kind": "capitol"}]}, "office 1 needs a phone"),
        ({"offices": [{"phone": "+16177254005", "hours": "always"}]}, "office 1: office hours"),
        ({"offices": [{"phone": "+16177254005", "fax": "1"}]}, "unknown field"),
        ({"phone": "+16177254005", "kind": "Capitol!"}, "kind must be"),
    ],
)
def test_a_fixed_targets_offices_that_are_wrong_are_named(item, problem) -> None:
    data = {**BASE, "fixed_targets": [{"key": "gov", "name": "Pat Poe", "title": "Governor", **item}]}
    with pytest.raises(CampaignInvalid) as raised:
        check_campaign(data)
    assert problem in raised.value.errors["fixed_targets"]


# --- The dialer: a chosen time is kept, within a minute, quiet hours or not ----------------------


@pytest.fixture
def daytime_app(twilio_app):
    """Supporters rung 08:00-21:00 their time."""
    twilio_app.config["SUPPORTER_CALL_HOURS"] = "08:00-21:00"
    return twilio_app


def scheduled_call(app, slot: datetime, chose: bool) -> Call:
    call = make_call(app, make_campaign(), [make_target("Jane Doe", district=make_district("upper"))], phone=LA_NUMBER)
    call.scheduled_for, call.chose_time = slot, chose
    db.session.commit()
    return call


def test_a_time_the_supporter_chose_is_dialed_within_a_minute_even_before_their_morning(daytime_app, rest) -> None:
    # 9:00 in Boston is 6:00 in San Francisco: the supporter chose it, so their quiet hours do not hold it.
    slot = at(NEW_YORK, 2026, 12, 3, 9, 0)
    call = scheduled_call(daytime_app, slot, chose=True)
    assert dialer.run_due(daytime_app, now=slot - timedelta(seconds=1)) == 0
    assert dialer.run_due(daytime_app, now=slot + timedelta(seconds=30)) == 1
    assert [c.params["To"] for c in rest.created()] == [LA_NUMBER]
    db.session.expire_all()
    assert db.session.get_one(Call, call.id).status != CallStatus.queued


def test_a_time_the_supporter_did_not_choose_still_waits_for_their_morning(daytime_app, rest) -> None:
    slot = at(NEW_YORK, 2026, 12, 3, 9, 0)
    call = scheduled_call(daytime_app, slot, chose=False)
    assert dialer.run_due(daytime_app, now=slot + timedelta(seconds=30)) == 1  # handled: held back
    assert rest.created() == []
    db.session.expire_all()
    assert db.session.get_one(Call, call.id).scheduled_for == at(LOS_ANGELES, 2026, 12, 3, 8, 0)


# --- `flask data load` stores them ----------------------------------------------------------------

MOORE = "ocd-person/7b48bd48-8d27-4dd8-958d-703571efe150"  # a State House line and a district office


@pytest.mark.slow
def test_loading_massachusetts_keeps_weekdays_nine_to_five_in_boston_and_a_settings_file_changes_it(
    runner, ma_data_dir, tmp_path
):
    result = runner.invoke(args=["data", "load", "--from", str(ma_data_dir)])
    assert result.exit_code == 0, result.output
    rows = db.session.execute(select(LegislativeChamber.office_hours, LegislativeChamber.office_timezone)).all()
    assert set(rows) == {("mon-fri 09:00-17:00", "America/New_York")}

    folder = tmp_path / "ma"
    shutil.copytree(ma_data_dir, folder)
    (folder / "settings.yml").write_text(
        f"office_hours: mon-thu 10:00-16:00\noffice_hours_by_office:\n  {MOORE}:\n    district: fri 09:00-12:00\n"
    )
    result = runner.invoke(args=["data", "load", "--from", str(folder)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    rows = db.session.execute(select(LegislativeChamber.office_hours, LegislativeChamber.office_timezone)).all()
    assert set(rows) == {("mon-thu 10:00-16:00", "America/New_York")}
    moore = db.session.scalars(select(Target).where(Target.source_id == MOORE)).one()
    assert [(o.kind, o.hours) for o in moore.offices] == [("capitol", None), ("district", "fri 09:00-12:00")]


# --- The console's form and campaign files keep them -------------------------------------------

CONSOLE_FORM = {
    "title": "Fund the libraries",
    "slug": "libraries",
    "state": "MA",
    "target_chambers": "lower,upper",
    "headline": "Call about the libraries",
    "greeting": "Thanks for calling about libraries.",
    "talking_points": "Ask them to fund the libraries.",
    "timezone": "America/New_York",
    "language": "en-US",
}


def test_the_console_form_checks_and_keeps_the_holidays(app):
    client = signed_in_client(app, Role.organiser)
    bad = client.post("/console/campaigns/new", data={**CONSOLE_FORM, "office_holidays": "2026-11-26, Friday"})
    assert bad.status_code == 422 and "&#39;Friday&#39; is not a date such as 2026-11-26" in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == 0
    good = client.post("/console/campaigns/new", data={**CONSOLE_FORM, "office_holidays": "2026-12-25 2026-11-26"})
    assert good.status_code == 303
    db.session.expire_all()
    campaign = db.session.scalars(select(Campaign)).one()
    assert campaign.office_holidays == ["2026-11-26", "2026-12-25"]
    form = client.get("/console/campaigns/libraries/edit").get_data(as_text=True)
    assert 'value="2026-11-26, 2026-12-25"' in form


def test_a_campaign_file_with_holidays_and_an_office_list_reads_back_unchanged(app):
    text = (
        "slug: with-offices\ntitle: t\nstate: MA\nheadline: h\ngreeting: g\ntalking_points: p\n"
        "target_chambers: [upper]\noffice_holidays: [2026-11-26]\n"
        "fixed_targets:\n- key: governor\n  name: Pat Poe\n  title: Governor\n  offices:\n"
        "  - {phone: '+16177254005', kind: capitol, hours: 'mon-fri 10:00-16:00'}\n"
        "  - {phone: '+14137841200', extension: '12', kind: district}\n"
    )
    apply_campaign(db.session, parse_campaign_yaml(text, Path("with-offices.yml")))
    db.session.commit()
    campaign = db.session.scalars(select(Campaign)).one()
    governor = campaign.fixed_targets[0].target
    assert [(o.position, o.kind, o.phone, o.extension, o.hours) for o in governor.offices] == [
        (0, "capitol", "+16177254005", None, "mon-fri 10:00-16:00"),
        (1, "district", "+14137841200", "12", None),
    ]
    assert (governor.phone, campaign.office_holidays) == ("+16177254005", ["2026-11-26"])
    exported = campaign_yaml(campaign)
    again = parse_campaign_yaml(exported, Path("again.yml"))
    assert again.values["office_holidays"] == ["2026-11-26"]
    assert again.fixed_targets == parse_campaign_yaml(text, Path("with-offices.yml")).fixed_targets
