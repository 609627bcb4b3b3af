"""The app as `make run` serves it (gunicorn, migrated SQLite, real data), and Debian's Chromium."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.served_app import running_app
from tests.support.settings import TWILIO_TOKEN
from tests.support.twilio_standin import FakeTwilioRest
from voicesim import CallSimulator

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
# The Twilio account of the browser tests that place real calls through the REST stand-in.
TWILIO_SID = "AC" + "5" * 32
CALLER_ID = "+16175397340"


@pytest.fixture(scope="module")
def server(tmp_path_factory, ma_data_dir) -> Iterator[dict]:
    """The app without a Twilio account (the preview is offered); yields its URL, database and log."""
    with running_app(tmp_path_factory.mktemp("server"), ma_data_dir) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    """Chromium, started once for the module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser):
    """Open a fresh browser page at a given width; closed after the test."""
    contexts = []

    def opener(width: int = 390, height: int = 844):
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="en-US", timezone_id="America/Los_Angeles"
        )
        contexts.append(context)
        return context.new_page()

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (gitignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def twilio() -> Iterator[FakeTwilioRest]:
    """The REST stand-in, owning the campaign's number."""
    with FakeTwilioRest(TWILIO_SID, TWILIO_TOKEN, owned_numbers=[CALLER_ID]) as rest:
        yield rest


def twilio_settings(rest: FakeTwilioRest) -> dict[str, str]:
    """Settings for running_app: a Twilio account whose REST calls go to the stand-in, webhooks at the app's address."""
    return {
        "TWILIO_ACCOUNT_SID": TWILIO_SID,
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TWILIO_CALLER_ID": CALLER_ID,
        "TWILIO_API_BASE_URL": rest.base_url,
        "PUBLIC_BASE_URL": "{base}",
    }


def wait_for_created_call(rest: FakeTwilioRest, timeout: float = 15.0):
    """The call the dialer asked the stand-in to create, once it has."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if rest.created():
            return rest.created()[-1]
        time.sleep(0.05)
    raise AssertionError("the dialer never asked Twilio for the call")


def answer_created_call(transport, created):
    """The simulator's first step of a call the stand-in created, answered by a person: (simulator, step)."""
    sim = CallSimulator(transport, TWILIO_TOKEN)
    step = sim.start(
        created.params["Url"],
        to=created.params["To"],
        from_=CALLER_ID,
        account_sid=TWILIO_SID,
        call_sid=created.sid,
        answered_by="human",
    )
    return sim, step
