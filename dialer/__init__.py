"""The dialer: takes queued calls and asks Twilio's REST API to place them, exactly once.

- `dialer.placing`: claims, placing one call, retries and giving up (`run_due`, `dial_one`).
- `dialer.sweep`: the periodic pass every driver runs: due calls, redirecting calls a machine answered
  (`dialer.machines`), then reconciliation (`dialer.reconcile`).
- `dialer.thread`: the sweep loop, a thread in each web process (or beside the RQ worker).
- `dialer.queue`: the RQ driver (DIALER_MODE=rq) and its worker.
- `dialer.twilio_client`: the twilio REST `Client`, pointed at another origin when asked.
- `dialer.cli`: `flask dialer run` and `flask dialer worker`.

The web request only hands a committed call over (`dispatch_call`) and never waits on Twilio.
"""

from __future__ import annotations

import logging

from flask import Flask
from redis.exceptions import RedisError

from dialer import queue
from dialer.placing import CLAIM_LEASE, DialerSettings, claim, dial_one, run_due, twilio_configured
from dialer.sweep import sweep
from dialer.thread import DialerThread
from extensions import this_app

log = logging.getLogger(__name__)

__all__ = [
    "CLAIM_LEASE",
    "DialerSettings",
    "claim",
    "dial_one",
    "dispatch_call",
    "init_app",
    "run_due",
    "sweep",
    "twilio_configured",
    "wake",
]


def dispatch_call(call_id: int) -> None:
    """Hand a newly queued call to the dialer; returns at once (the web request never waits on Twilio)."""
    app = this_app()
    if not twilio_configured(app):
        return
    if app.config["DIALER_MODE"] == "rq":
        try:
            queue.enqueue_dial(app)
        except (RedisError, OSError):
            # The call is committed: the worker's sweep dials it within DIALER_INTERVAL seconds.
            log.warning("the dialer queue is unavailable; the sweep will place the call", exc_info=True)
    else:
        app.extensions["dialer"].wake()


def wake() -> None:
    """Ask this process's dialer thread for a sweep now (a call answered by a machine waits for its redirect).

    With DIALER_MODE=rq the sweep thread beside the worker finds it within DIALER_INTERVAL seconds;
    meanwhile the call's next webhook already leaves the short message.
    """
    app = this_app()
    if twilio_configured(app) and app.config["DIALER_MODE"] == "thread":
        app.extensions["dialer"].nudge()


def init_app(app: Flask) -> None:
    """Attach the in-process dialer; it starts with the first request, so CLI commands never start it."""
    dialer = DialerThread(app, interval=app.config["DIALER_INTERVAL"])
    app.extensions["dialer"] = dialer

    @app.before_request
    def _start_dialer() -> None:
        if app.config["DIALER_MODE"] == "thread" and twilio_configured(app) and not app.testing:
            dialer.ensure_started()
