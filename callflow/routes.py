"""The Twilio-facing routes: verify the signature, hand over to the webhook handlers, return TwiML."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from flask import Blueprint, request

import dialer
from callflow import vocabulary
from callflow.responses import EMPTY_TWIML, apology, twiml
from callflow.signatures import twilio_signed
from callflow.urls import public_url
from callflow.webhooks import handle_machine, handle_status, handle_voice
from extensions import csrf, db, limiter, this_app
from webhooks.queue import wake as wake_webhooks

log = logging.getLogger(__name__)
bp = Blueprint("callflow", __name__, url_prefix="/twilio")
# Twilio cannot send a CSRF token or an Origin: its webhooks are protected by signatures instead.
csrf.exempt(bp)
# Nothing limits them today (there are no default limits); this keeps it so if defaults are added.
limiter.exempt(bp)
# And spares them the limiter's per-request work of finding that out (a tenth of a webhook's time).
limiter.request_filter(lambda: request.blueprint == bp.name)


@bp.post("/calls/<public_id>/<event>")
@twilio_signed
def voice(public_id: str, event: str):
    """One step of the call flow."""
    if event not in vocabulary.EVENTS:
        return twiml(apology())
    app = this_app()
    try:
        return twiml(
            handle_voice(
                db.session,
                public_id,
                event,
                _form_with_line(),
                lambda name: public_url(app, "callflow.voice", public_id=public_id, event=name),
                app.config["SAY_VOICES"],
                app.config["OFFICE_LINE_LIMIT"],
                office_hours=app.config.get("OFFICE_HOURS") != "always",
            )
        )
    except Exception:  # Twilio must hear TwiML, never an error page
        db.session.rollback()
        log.exception("voice webhook failed (event %s)", event)
        return twiml(apology())


def _form_with_line() -> Mapping[str, str]:
    """Twilio's parameters, plus the office line a <Dial action> URL names (it rides in the signed query string)."""
    line = request.args.get(vocabulary.DIAL_LINE_PARAM)
    return request.form if line is None else {**request.form.to_dict(), vocabulary.DIAL_LINE_PARAM: line}


@bp.post("/calls/<public_id>/amd")
@twilio_signed
def machine_detection(public_id: str):
    """Twilio's asynchronous answering-machine detection result (AsyncAmdStatusCallback)."""
    try:
        if handle_machine(db.session, public_id, request.form):
            # The dialer redirects the live call through Twilio's REST API; the webhook never does.
            dialer.wake()
    except Exception:  # as with voice webhooks, Twilio never gets an error page
        db.session.rollback()
        log.exception("machine detection result could not be stored")
    return twiml(EMPTY_TWIML)


@bp.post("/calls/<public_id>/status")
@twilio_signed
def status(public_id: str):
    """Twilio's status callback for the supporter's call."""
    try:
        if handle_status(db.session, public_id, request.form):
            wake_webhooks()  # the call ended: its call.completed events are written
    except Exception:  # as with voice webhooks, Twilio never gets an error page
        db.session.rollback()
        log.exception("status callback could not be stored")
    return twiml(EMPTY_TWIML)
