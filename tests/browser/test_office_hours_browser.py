"""Outside the offices' hours, in Chromium: the page says they are closed, the supporter chooses a time
when they open, the call page shows the scheduled call, and Cancel ends it. Every state checked with axe."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from models import utcnow
from tests.support.axe import axe_violations
from tests.support.served_app import running_app

pytestmark = pytest.mark.browser

NEW_YORK = ZoneInfo("America/New_York")
PHONE = "(415) 555-0142"  # a San Francisco number: the supporter's time is Pacific, the offices' Eastern
PACIFIC = ZoneInfo("America/Los_Angeles")


@pytest.fixture(scope="module")
def closed_server(tmp_path_factory, ma_data_dir):
    """The app serving the real MA data, with the legislature's offices closed at this hour (a settings file)."""
    folder = tmp_path_factory.mktemp("closed")
    data = folder / "data" / "ma"
    shutil.copytree(ma_data_dir, data)
    hour = utcnow().astimezone(NEW_YORK).hour
    start = hour + 2 if hour <= 20 else 1
    (data / "settings.yml").write_text(f"office_hours: mon-sun {start:02d}:00-{start + 1:02d}:00\n")
    with running_app(folder, data, OFFICE_HOURS="data") as running:
        yield running


def test_call_me_when_they_open_then_the_scheduled_call_page_then_cancel(closed_server, open_page, artifacts):
    page = open_page(390)
    page.goto(closed_server["url"] + "/")
    closed = page.locator("[data-offices-closed]")
    assert closed.is_visible()
    assert "The offices are closed right now" in closed.inner_text()
    assert page.is_checked("#when-now")  # Call me now stays the default
    assert axe_violations(page) == []
    page.screenshot(path=str(artifacts / "offices-closed-390.png"), full_page=True)

    slot = page.locator("#when-1")
    chosen = datetime.strptime(slot.get_attribute("value") or "", "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)
    eastern, pacific = chosen.astimezone(NEW_YORK), chosen.astimezone(PACIFIC)
    assert f"at {eastern.strftime('%-I:%M %p')} ({eastern.strftime('%Z')})" in page.inner_text("label[for=when-1]")
    # Once the number is typed, the same times are offered in the supporter's own zone.
    page.fill("#phone", PHONE)
    page.press("#phone", "Tab")
    page.wait_for_function(
        "text => document.querySelector('label[for=when-1]').textContent.includes(text)",
        arg=f"at {pacific.strftime('%-I:%M %p')} ({pacific.strftime('%Z')})",
    )
    assert page.is_checked("#when-now")
    page.fill("#location", "01003")
    page.check("#when-1")
    with page.expect_navigation():
        page.click("button[type=submit]")

    schedule = page.locator("section.schedule")
    assert schedule.is_visible()
    assert "Your call is scheduled for when the offices are open." in page.inner_text("[data-status-text]")
    assert page.inner_text("#call-lede").startswith("As you asked, when the offices are open: your phone")
    when = f"{pacific.strftime('%-I:%M %p')} on {pacific.strftime('%A, %B')} {pacific.day}"
    assert f"{when} ({pacific.strftime('%Z')}, your time)" in schedule.inner_text()
    assert axe_violations(page) == []
    page.screenshot(path=str(artifacts / "offices-closed-scheduled-390.png"), full_page=True)

    with page.expect_navigation():
        schedule.get_by_role("button", name="Cancel my call").click()
    assert page.inner_text("#call-heading") == "Your call is canceled"
    assert "We won't call you" in page.inner_text("[data-status-text]")
    assert schedule.is_hidden()
    assert axe_violations(page) == []
