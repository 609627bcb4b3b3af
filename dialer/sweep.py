"""The periodic sweep every driver runs: dial what is due (resuming lapsed claims), redirect calls a
machine answered, settle what went quiet, send the texts the call-in line promised."""

from __future__ import annotations

from datetime import datetime

from flask import Flask

from dialer.machines import redirect_machines
from dialer.placing import run_due, twilio_configured
from dialer.reconcile import reconcile_stale
from dialer.texts import send_texts
from extensions import this_app


def sweep(app: Flask | None = None, now: datetime | None = None) -> int:
    """One pass: place due calls, redirect calls a machine answered, reconcile stale ones with Twilio, send the
    call-in line's texts; returns how many calls and texts were handled."""
    app = app or this_app()
    if not twilio_configured(app):
        return 0
    return run_due(app, now=now) + redirect_machines(app) + reconcile_stale(app, now=now) + send_texts(app, now=now)
