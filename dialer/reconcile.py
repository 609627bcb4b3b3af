"""Reconciliation: calls left in a non-final state longer than a call can last are settled by asking Twilio.

A status callback can be lost (the database was down when it came, the process died). Twilio's
REST API still knows how the call ended, so the sweep fetches `Calls/{Sid}.json` for each such
call and applies its final status exactly as the callback would have — which also erases the
supporter's number. Twilio's own answer for a call it no longer knows (404) fails the call.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import requests
from flask import Flask
from sqlalchemy import func, select
from twilio.base.exceptions import TwilioException, TwilioRestException

from callflow.webhooks import handle_status
from dialer.twilio_client import client_from_config
from extensions import db
from models import FINAL_CALL_STATUSES, Call, CallStatus, utcnow

log = logging.getLogger(__name__)

# Statuses Twilio will still move on from; a call stuck in one of them may have lost its callback.
PENDING_STATUSES = (CallStatus.initiated, CallStatus.ringing, CallStatus.in_progress)
FINAL_VALUES = frozenset(s.value for s in FINAL_CALL_STATUSES)


def stale_call_ids(now: datetime, after: timedelta, limit: int = 20) -> list[int]:
    """Calls that began with Twilio longer ago than `after` (placed by the dialer, or dialed in to the campaign's
    number) and still wait for their final status."""
    began = func.coalesce(Call.dialed_at, Call.created_at)
    return list(
        db.session.scalars(
            select(Call.id)
            .where(Call.status.in_(PENDING_STATUSES), Call.twilio_sid.is_not(None), began <= now - after)
            .order_by(began)
            .limit(limit)
        )
    )


def reconcile_stale(app: Flask, now: datetime | None = None) -> int:
    """Ask Twilio how each stale call ended and apply it; returns how many calls were settled."""
    now = now or utcnow()
    after = timedelta(seconds=app.config["DIALER_RECONCILE_AFTER"])
    ids = stale_call_ids(now, after)
    if not ids:
        return 0
    client = client_from_config(app.config)
    settled = 0
    for call_id in ids:
        call = db.session.get_one(Call, call_id)
        sid = call.twilio_sid or ""
        try:
            fetched = client.calls(sid).fetch()
            status, duration = str(getattr(fetched.status, "value", fetched.status)), fetched.duration
        except TwilioRestException as exc:
            if exc.status != 404:
                log.warning("call %s: Twilio answered %s while reconciling; trying later", call.public_id, exc.status)
                continue
            status, duration = CallStatus.failed.value, None
            call.failure_reason = "Twilio no longer knows this call"
        except (TwilioException, requests.RequestException, OSError) as exc:
            log.warning("reconciling stopped: Twilio could not be reached (%s)", type(exc).__name__)
            break
        form = {"CallSid": sid, "CallStatus": str(status)}
        if duration is not None:
            form["CallDuration"] = str(duration)
        if status in FINAL_VALUES and handle_status(db.session, call.public_id, form):
            log.info("call %s: reconciled with Twilio as %s", call.public_id, status)
            settled += 1
        else:
            db.session.rollback()
    return settled
