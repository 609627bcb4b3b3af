"""The app as `make run` serves it (gunicorn, migrated SQLite, real data), and Debian's Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.served_app import running_app

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"


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
