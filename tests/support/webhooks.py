"""Helpers for the webhook tests: settings for fast retries, an endpoint, and the outbox's rows."""

from __future__ import annotations

import time

from flask import current_app
from sqlalchemy import select

from extensions import db
from models import Campaign, DeliveryStatus, WebhookEndpoint, WebhookEvent
from webhooks.delivery import DeliverySettings, deliver_due
from webhooks.signing import SecretBox, hint, new_secret

# Retries at once, a short timeout, and the receiver on 127.0.0.1 allowed.
FAST_DELIVERY = {
    "WEBHOOKS_ALLOW_PRIVATE": True,
    "WEBHOOK_TIMEOUT": 0.5,
    "WEBHOOK_BACKOFF_BASE": 0.01,
    "WEBHOOK_BACKOFF_MAX": 0.01,
}


def make_endpoint(campaign: Campaign, url: str) -> WebhookEndpoint:
    """A committed endpoint with a fresh secret (`secret_of` reads it back); its URL is not checked."""
    secret = new_secret()
    box = SecretBox.from_config(current_app.config)
    endpoint = WebhookEndpoint(
        campaign_id=campaign.id, url=url, secret_encrypted=box.seal(secret), secret_hint=hint(secret)
    )
    db.session.add(endpoint)
    db.session.commit()
    return endpoint


def secret_of(endpoint: WebhookEndpoint) -> str:
    """The endpoint's signing secret, opened with the app's key, as a receiver would have copied it."""
    secret = SecretBox.from_config(current_app.config).open(endpoint.secret_encrypted)
    assert secret is not None
    return secret


def events() -> list[WebhookEvent]:
    """Every outbox row, oldest first, read afresh."""
    db.session.expire_all()
    return list(db.session.scalars(select(WebhookEvent).order_by(WebhookEvent.id)))


def deliver_until_settled(app, passes: int = 40) -> None:
    """Sweep passes until no event is pending (each retry's short backoff let pass)."""
    for _ in range(passes):
        deliver_due(db.session, DeliverySettings.from_config(app.config))
        if all(e.status is not DeliveryStatus.pending for e in events()):
            return
        time.sleep(0.03)
    raise AssertionError("events still pending")
