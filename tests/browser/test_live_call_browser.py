"""The call page follows a real call: gunicorn's dialer asks the Twilio stand-in, which plays Twilio's part."""

from __future__ import annotations

import pytest

from tests.browser.conftest import CALLER_ID, TWILIO_SID, answer_created_call, twilio_settings, wait_for_created_call
from tests.support.served_app import running_app
from tests.support.settings import TWILIO_TOKEN
from voicesim import (
    DialOutcome,
    RequestsTransport,
    deliver_webhooks,
    status_callback_requests,
)

pytestmark = pytest.mark.browser

PHONE = "(617) 555-0188"


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, ma_data_dir, twilio):
    """The app with a Twilio account whose REST calls go to the stand-in; webhooks at its own address."""
    with running_app(tmp_path_factory.mktemp("live"), ma_data_dir, **twilio_settings(twilio)) as running:
        yield running


def test_the_call_page_moves_through_the_states_of_a_real_call(live_server, twilio, open_page, artifacts):
    page = open_page()
    page.goto(live_server["url"] + "/")
    page.fill("#phone", PHONE)
    page.fill("#location", "01003")
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert page.get_attribute("#call-status", "data-state") in ("queued", "ringing")
    assert "preview" not in page.inner_text("main").lower()

    created = wait_for_created_call(twilio)
    assert created.params["To"] == "+16175550188"
    assert created.params["Url"].startswith(live_server["url"] + "/twilio/calls/")

    transport = RequestsTransport()
    callbacks = status_callback_requests(
        call_params={"CallSid": created.sid, "AccountSid": TWILIO_SID, "From": CALLER_ID, "To": "+16175550188"},
        url=created.params["StatusCallback"],
        events=created.all("StatusCallbackEvent"),
        duration=95,
    )
    deliver_webhooks(transport, TWILIO_TOKEN, callbacks[:2])  # initiated, ringing
    page.wait_for_selector("#call-status[data-state='ringing']", timeout=10000)

    deliver_webhooks(transport, TWILIO_TOKEN, callbacks[2:3])  # answered
    sim, step = answer_created_call(transport, created)
    assert step.waiting_for == "gather"
    page.wait_for_selector("#call-status[data-state='talking_points']", timeout=10000)

    step = sim.resume(step.state, "1")  # go on: the senator is dialed, and the call waits on them
    assert step.waiting_for == "dial"
    page.wait_for_selector("#call-status[data-state='connected']", timeout=10000)
    assert page.get_attribute(".target[data-position='0']", "data-leg-state") == "current"
    senator = page.inner_text(".target[data-position='0'] h3, .target[data-position='0'] .target-name")
    assert senator.split()[-1] in page.inner_text("[data-status-text]")

    step = sim.resume(step.state, DialOutcome.answered(40))
    step = sim.resume(step.state, "1")  # feedback: I spoke with someone
    page.wait_for_selector(".target[data-position='0'][data-leg-state='reached']", timeout=10000)
    step = sim.resume(step.state, "1")  # connect the representative
    step = sim.resume(step.state, DialOutcome.busy())
    # Their State House line is busy: the call says so and tries their district office, busy too.
    assert step.waiting_for == "dial" and any(
        getattr(e, "text", "") == "Trying their district office." for e in step.events
    )
    step = sim.resume(step.state, DialOutcome.busy())
    assert step.finished or step.waiting_for == "gather"
    while not step.finished:
        step = sim.resume(step.state, None)  # silence: the call thanks them and ends by itself
    deliver_webhooks(transport, TWILIO_TOKEN, callbacks[3:])  # completed

    page.wait_for_selector("#call-status[data-state='done']", timeout=10000)
    assert page.get_attribute(".target[data-position='1']", "data-leg-state") == "missed"
    assert page.is_visible("section.thanks")
    page.screenshot(path=str(artifacts / "live-call-done-390.png"), full_page=True)
    assert len(twilio.created()) == 1  # dialed once
    log = live_server["log"].read_text()
    assert "5550188" not in log and "555-0188" not in log
