"""Fixtures for the voicesim tests: a throwaway TwiML app, and no thread left running."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from tests.voicesim.twiml_app import TwimlApp


@pytest.fixture
def app() -> TwimlApp:
    return TwimlApp()


@pytest.fixture(autouse=True)
def _no_thread_leaks() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    leaked = [t for t in threading.enumerate() if t not in before and t.is_alive() and not t.daemon]
    assert leaked == []
