"""The campaign number's own routes (the call-in line): verify the signature, hand over, return TwiML."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, request
from sqlalchemy import select

import lookup
from callflow import vocabulary
from callflow.inbound import Inbound, handle_callin, handle_inbound
from callflow.responses import EMPTY_TWIML, apology, twiml
from callflow.signatures import twilio_signed
from callflow.urls import public_url
from callflow.webhooks import handle_status
from extensions import csrf, db, limiter, this_app
from languages.web import with_lang
from models import Call, utcnow
from phones import parse_allowed_countries
from privacy import PhoneVault
from security.submissions import check_submission
from webhooks.queue import wake as wake_webhooks

log = logging.getLogger(__name__)
bp = Blueprint("callin", __name__, url_prefix="/twilio")
# As for the call's own webhooks: Twilio signs its requests instead of sending a CSRF token.
csrf.exempt(bp)
limiter.exempt(bp)
limiter.request_filter(lambda: request.blueprint == bp.name)


def _inbound() -> Inbound:
    app = this_app()

    def urls(public_id: str) -> tuple[vocabulary.UrlFor, vocabulary.UrlFor]:
        return (
            lambda event: public_url(app, "callin.step", public_id=public_id, event=event),
            lambda event: public_url(app, "callflow.voice", public_id=public_id, event=event),
        )

    return Inbound(
        vault=PhoneVault.from_config(current_app.config),
        default_number=current_app.config.get("TWILIO_CALLER_ID") or "",
        # The blocklist and the per-number limits, as for the form; Twilio's address says nothing of the caller.
        admit=lambda campaign, phone_hash: check_submission(db.session, campaign, phone_hash, ip=None),
        urls=urls,
        geocoder=lookup.census_geocoder(current_app.config),
        allowed_countries=parse_allowed_countries(current_app.config["ALLOWED_COUNTRIES"]),
        campaign_url=lambda campaign, locale: with_lang(public_url(app, "pages.campaign", slug=campaign.slug), locale),
        voices=current_app.config["SAY_VOICES"],
    )


@bp.post("/inbound")
@twilio_signed
def inbound():
    """Someone called a campaign's number (set as the number's Voice URL): the call-in line."""
    try:
        return twiml(handle_inbound(db.session, _inbound(), request.form, utcnow()))
    except Exception:  # Twilio must hear TwiML, never an error page
        db.session.rollback()
        log.exception("inbound call failed")
        return twiml(apology())


@bp.post("/callin/<public_id>/<event>")
@twilio_signed
def step(public_id: str, event: str):
    """One step of the call-in line, before the call has its legislators."""
    if event not in (vocabulary.EVENT_ANSWERED, vocabulary.EVENT_GATHER, vocabulary.EVENT_SILENCE):
        return twiml(apology())
    try:
        return twiml(handle_callin(db.session, _inbound(), public_id, event, request.form))
    except Exception:
        db.session.rollback()
        log.exception("call-in webhook failed (event %s)", event)
        return twiml(apology())


@bp.post("/inbound/status")
@twilio_signed
def status():
    """The number's status callback ("Call status changes"): closes a call-in, found by its CallSid."""
    try:
        sid = request.form.get("CallSid") or ""
        public_id = db.session.scalar(select(Call.public_id).where(Call.twilio_sid == sid)) if sid else None
        if public_id is not None and handle_status(db.session, public_id, request.form):
            wake_webhooks()  # the call-in ended: its call.completed events are written
    except Exception:
        db.session.rollback()
        log.exception("inbound status callback could not be stored")
    return twiml(EMPTY_TWIML)
