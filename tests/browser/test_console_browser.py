"""The organiser's console in Chromium: sign in, create a campaign, test its call, go live, watch a real call arrive.

The served app has a Twilio account whose REST calls go to the stand-in; the supporter's call is
played by the voice simulator. Every console page is checked with axe-core and photographed at a
phone's and a desktop's width.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.browser.conftest import (
    CALLER_ID,
    ROOT,
    TWILIO_SID,
    answer_created_call,
    twilio_settings,
    wait_for_created_call,
)
from tests.support.served_app import run_flask, running_app
from tests.support.settings import TWILIO_TOKEN
from voicesim import DialOutcome, RequestsTransport, deliver_webhooks, status_callback_requests

pytestmark = pytest.mark.browser

EMAIL = "organiser@example.org"
PASSWORD = "a long organiser password"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
REFRESH_SECONDS = 1.0


@pytest.fixture(scope="module")
def console_server(tmp_path_factory, ma_data_dir, twilio):
    """The app placing real calls through the stand-in, with one organiser account made by `flask users create`."""
    settings = {**twilio_settings(twilio), "CONSOLE_REFRESH_SECONDS": str(REFRESH_SECONDS)}
    with running_app(tmp_path_factory.mktemp("console"), ma_data_dir, **settings) as running:
        run_flask(running, "users", "create", EMAIL, "--role", "organiser", "--password-stdin", stdin=PASSWORD + "\n")
        yield running


def no_axe_violations(page) -> None:
    """Run axe-core on the page (injected over the DevTools protocol, so the page's CSP is untouched)."""
    page.evaluate(Path(AXE).read_text())
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
    )
    assert found == [], f"{page.url}: {found}"


def snap(page, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"console-{name}.png"), full_page=True)


def test_an_organiser_creates_tests_launches_and_watches_a_campaign(console_server, twilio, open_page, artifacts):
    base = console_server["url"]
    page = open_page(1280, 900)
    csp_errors: list[str] = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)

    # Signing in: the console sends the anonymous visitor to the sign-in page, then back.
    page.goto(base + "/console/")
    assert "/console/sign-in" in page.url
    no_axe_violations(page)
    snap(page, artifacts, "sign-in-1280")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert page.url.endswith("/console/")
    no_axe_violations(page)

    # A new campaign: first with a mistake, named next to its field, then right.
    page.click("text=New campaign")
    page.fill("#title", "Fund the libraries")
    page.fill("#slug", "libraries")
    page.fill("#headline", "Call about the libraries")
    page.fill("#greeting", "Thanks for calling about libraries.")
    page.fill("#talking_points", "Ask them to fund the libraries.")
    page.fill("#caller_id", "12")
    with page.expect_navigation():
        page.click("button:has-text('Save')")
    assert "caller_id is not a valid phone number" in page.inner_text("#caller_id-error")
    no_axe_violations(page)
    snap(page, artifacts, "campaign-errors-1280")
    page.fill("#caller_id", CALLER_ID)
    with page.expect_navigation():
        page.click("button:has-text('Save')")
    assert "saved as a draft" in page.inner_text(".flashes")

    # Its test call, played in the browser: no phone rings.
    page.click("text=Edit")
    no_axe_violations(page)
    page.fill("#test-zip", "01003")
    with page.expect_navigation():
        page.click("button:has-text('Start a test call')")
    with page.expect_navigation():
        page.click("button:has-text('Start the preview')")
    assert "Thanks for calling about libraries." in page.inner_text("main")
    assert twilio.created() == []

    # Live, after a confirmation.
    page.goto(base + "/console/campaigns/libraries/status?status=live")
    no_axe_violations(page)
    with page.expect_navigation():
        page.click("button:has-text('Yes, go live')")
    page.goto(base + "/console/campaigns/libraries")
    assert page.inner_text("[data-figure='requested']") == "0"

    # A supporter calls, through the stand-in and the simulator.
    supporter = open_page()
    supporter.goto(base + "/c/libraries")
    supporter.fill("#phone", "(617) 555-0177")
    supporter.fill("#location", "01003")
    with supporter.expect_navigation():
        supporter.click("button[type=submit]")
    created = wait_for_created_call(twilio)
    _play_a_call_that_reaches_the_senator(created)

    # The open results page shows it within one refresh.
    started = time.monotonic()
    page.wait_for_selector("[data-figure='requested']:text-is('1')", timeout=(REFRESH_SECONDS * 2 + 3) * 1000)
    page.wait_for_selector("[data-figure='completed']:text-is('1')", timeout=(REFRESH_SECONDS * 2 + 3) * 1000)
    assert page.inner_text("[data-figure='connected']") == "1"
    assert time.monotonic() - started < REFRESH_SECONDS * 2 + 3
    offices = page.inner_text("[data-table='targets']")
    assert "State Senator" in offices and "State Representative" in offices
    no_axe_violations(page)
    snap(page, artifacts, "results-1280")
    phone = open_page(390, 844)
    phone.context.add_cookies(page.context.cookies())
    phone.goto(base + "/console/campaigns/libraries")
    no_axe_violations(phone)
    snap(phone, artifacts, "results-390")
    phone.goto(base + "/console/campaigns/libraries/edit")
    no_axe_violations(phone)
    snap(phone, artifacts, "campaign-form-390")
    phone.screenshot(path=str(artifacts / "console-campaign-form-390-top.png"))
    phone.goto(base + "/console/campaigns/libraries#districts-title")
    phone.screenshot(path=str(artifacts / "console-results-390-tables.png"))

    assert csp_errors == []
    log = console_server["log"].read_text()
    assert "5550177" not in log and PASSWORD not in log


def _play_a_call_that_reaches_the_senator(created) -> None:
    transport = RequestsTransport()
    callbacks = status_callback_requests(
        call_params={"CallSid": created.sid, "AccountSid": TWILIO_SID, "From": CALLER_ID, "To": created.params["To"]},
        url=created.params["StatusCallback"],
        events=created.all("StatusCallbackEvent"),
        duration=95,
    )
    deliver_webhooks(transport, TWILIO_TOKEN, callbacks[:3])  # initiated, ringing, answered
    sim, step = answer_created_call(transport, created)
    step = sim.resume(step.state, "1")  # go on to the senator
    step = sim.resume(step.state, DialOutcome.answered(40))
    while not step.finished:  # silence at every prompt; the representative's line is busy
        step = sim.resume(step.state, DialOutcome.busy() if step.waiting_for == "dial" else None)
    deliver_webhooks(transport, TWILIO_TOKEN, callbacks[3:])  # completed
