"""A campaign's endpoints and their recent events, as the console manages and shows them. No Flask."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from languages import N_
from models import Campaign, DbSession, WebhookEndpoint, WebhookEvent
from webhooks.addresses import AddressRefused, resolve
from webhooks.signing import ROLL_GRACE, SecretBox, hint, new_secret

MAX_ENDPOINTS = 5


@dataclass(frozen=True)
class Added:
    """A new endpoint and its secret (shown this once), or why none was added."""

    endpoint: WebhookEndpoint | None = None
    secret: str | None = None
    problem: str | None = None


def _keep(box: SecretBox, endpoint: WebhookEndpoint, secret: str) -> None:
    endpoint.secret_encrypted = box.seal(secret)
    endpoint.secret_hint = hint(secret)


def add_endpoint(session: DbSession, box: SecretBox, campaign: Campaign, url: str, allow_private: bool) -> Added:
    """Check the URL (its addresses included) and add an endpoint with a new secret; the caller commits."""
    url = url.strip()
    try:
        resolve(url, allow_private)
    except AddressRefused as refused:
        return Added(problem=refused.args[0])
    if len(endpoints(session, campaign)) >= MAX_ENDPOINTS:
        return Added(problem=N_("A campaign has at most %(count)s endpoints; remove one first.", count=MAX_ENDPOINTS))
    endpoint, secret = WebhookEndpoint(campaign_id=campaign.id, url=url), new_secret()
    _keep(box, endpoint, secret)
    session.add(endpoint)
    session.flush()
    return Added(endpoint=endpoint, secret=secret)


def roll_secret(box: SecretBox, endpoint: WebhookEndpoint, now: datetime) -> str:
    """Give the endpoint a new secret (returned, to show once); the one it replaces goes on signing beside it for
    ROLL_GRACE, so the receiving system can switch over. The caller commits."""
    secret = new_secret()
    # Rolled again within the grace: the secret being replaced is the one receivers may have switched to.
    endpoint.previous_secret_encrypted = endpoint.secret_encrypted
    endpoint.previous_secret_expires_at = now + ROLL_GRACE
    _keep(box, endpoint, secret)
    return secret


def endpoints(session: DbSession, campaign: Campaign) -> list[WebhookEndpoint]:
    """The campaign's endpoints, oldest first."""
    return list(
        session.scalars(
            select(WebhookEndpoint).where(WebhookEndpoint.campaign_id == campaign.id).order_by(WebhookEndpoint.id)
        )
    )


def find_endpoint(session: DbSession, campaign: Campaign, endpoint_id: int) -> WebhookEndpoint | None:
    """One of the campaign's endpoints, or None."""
    return session.scalars(
        select(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id, WebhookEndpoint.campaign_id == campaign.id)
    ).one_or_none()


def find_event(session: DbSession, campaign: Campaign, event_id: int) -> WebhookEvent | None:
    """One of the campaign's events, or None."""
    return session.scalars(
        select(WebhookEvent)
        .join(WebhookEndpoint)
        .where(WebhookEvent.id == event_id, WebhookEndpoint.campaign_id == campaign.id)
    ).one_or_none()


def recent_events(session: DbSession, campaign: Campaign, limit: int = 50) -> list[WebhookEvent]:
    """The campaign's newest events with their attempts, newest first."""
    return list(
        session.scalars(
            select(WebhookEvent)
            .join(WebhookEndpoint)
            .where(WebhookEndpoint.campaign_id == campaign.id)
            .options(selectinload(WebhookEvent.deliveries), selectinload(WebhookEvent.endpoint))
            .order_by(WebhookEvent.id.desc())
            .limit(limit)
        )
    )
