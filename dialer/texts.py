"""Sending the texts the call-in line promised (a link to the campaign page), each at most once.

The webhook only records the text (webhooks make no network calls); the dialer's sweep sends it through
the same Twilio client as the calls, then erases the number whether Twilio took the text or refused it.
"""

from __future__ import annotations

import logging
from datetime import datetime

import requests
from flask import Flask
from sqlalchemy import select, update
from twilio.base.exceptions import TwilioException, TwilioRestException

from dialer.twilio_client import client_from_config
from extensions import db
from models import TextMessage, rows_changed, utcnow
from privacy import PhoneVault

log = logging.getLogger(__name__)

BATCH = 20  # texts per sweep


def send_texts(app: Flask, now: datetime | None = None) -> int:
    """Send the pending texts; returns how many Twilio accepted."""
    now = now or utcnow()
    ids = list(
        db.session.scalars(
            select(TextMessage.id)
            .where(TextMessage.claimed_at.is_(None), TextMessage.phone_encrypted.is_not(None))
            .order_by(TextMessage.id)
            .limit(BATCH)
        )
    )
    if not ids:
        return 0
    client = client_from_config(app.config)
    vault = PhoneVault.from_config(app.config)
    sent = 0
    for text_id in ids:
        # Claim it: of several sweeps racing for one text, exactly one sends it.
        claimed = rows_changed(
            db.session,
            update(TextMessage)
            .where(TextMessage.id == text_id, TextMessage.claimed_at.is_(None))
            .values(claimed_at=now, attempts=TextMessage.attempts + 1),
        )
        db.session.commit()
        if not claimed:
            continue
        text = db.session.get_one(TextMessage, text_id)
        number = vault.decrypt(text.phone_encrypted) if text.phone_encrypted else None
        try:
            if number is None:
                raise ValueError("the number cannot be read")
            message = client.messages.create(to=number, from_=text.from_number, body=text.body)
            text.message_sid, text.sent_at = message.sid, utcnow()
            sent += 1
        except TwilioRestException as exc:
            text.failure = f"Twilio answered {exc.status} (code {exc.code})"
            log.warning("text %s not sent: Twilio answered %s (code %s)", text.id, exc.status, exc.code)
        except (TwilioException, requests.RequestException, OSError, ValueError) as exc:
            # Not retried: a text that might have gone out must never go twice.
            text.failure = type(exc).__name__
            log.warning("text %s not sent: %s", text.id, type(exc).__name__)
        text.phone_encrypted = None
        db.session.commit()
    return sent
