"""Calls a machine answered: redirect the live call to the short voicemail message through Twilio's REST API.

Asynchronous machine detection lets the greeting start the moment the call is answered; its
verdict arrives later at a webhook, which only records it (the call moves to the flow's
``machine`` step). Here the dialer asks Twilio to fetch the call's ``voicemail`` URL instead of
waiting on the greeting's prompt. Each call is redirected once: a conditional UPDATE claims it
(``attempts`` counts redirects asked for in that step). If Twilio cannot be reached the claim is
released for the next sweep; meanwhile the call's next webhook leaves the message anyway.
"""

from __future__ import annotations

import logging

import requests
from flask import Flask
from sqlalchemy import select, update
from twilio.base.exceptions import TwilioException, TwilioRestException

from callflow import vocabulary
from callflow.urls import public_url
from dialer.twilio_client import client_from_config
from extensions import db
from models import Call, CallStatus, rows_changed

log = logging.getLogger(__name__)

# A call Twilio may still be running (the verdict can come before the "answered" status callback).
LIVE_STATUSES = (CallStatus.initiated, CallStatus.ringing, CallStatus.in_progress)
# Twilio's error for updating a call that is no longer in progress: nothing left to redirect.
CALL_NOT_IN_PROGRESS = 21220


def redirect_machines(app: Flask, limit: int = 50) -> int:
    """Redirect calls a machine answered to the short message; returns how many Twilio accepted."""
    waiting = db.session.execute(
        select(Call.id, Call.public_id, Call.twilio_sid)
        .where(
            Call.step == vocabulary.Step.MACHINE,
            Call.attempts == 0,
            Call.twilio_sid.is_not(None),
            Call.status.in_(LIVE_STATUSES),
        )
        .limit(limit)
    ).all()
    db.session.rollback()
    if not waiting:
        return 0
    client = client_from_config(app.config)
    redirected = 0
    for call_id, public_id, sid in waiting:
        if not _claim(call_id):
            continue
        try:
            client.calls(sid).update(
                url=public_url(app, "callflow.voice", public_id=public_id, event=vocabulary.EVENT_VOICEMAIL),
                method="POST",
            )
        except TwilioRestException as exc:
            if exc.code != CALL_NOT_IN_PROGRESS:
                log.warning(
                    "call %s: Twilio answered %s to the voicemail redirect; trying later", public_id, exc.status
                )
                _release(call_id)
            continue
        except (TwilioException, requests.RequestException, OSError) as exc:
            log.warning("voicemail redirects stopped: Twilio could not be reached (%s)", type(exc).__name__)
            _release(call_id)
            break
        log.info("call %s: a machine answered; redirected to the short message", public_id)
        redirected += 1
    return redirected


def _claim(call_id: int) -> bool:
    changed = rows_changed(
        db.session,
        update(Call)
        .where(Call.id == call_id, Call.step == vocabulary.Step.MACHINE, Call.attempts == 0)
        .values(attempts=1),
    )
    db.session.commit()
    return changed == 1


def _release(call_id: int) -> None:
    db.session.execute(update(Call).where(Call.id == call_id, Call.step == vocabulary.Step.MACHINE).values(attempts=0))
    db.session.commit()
