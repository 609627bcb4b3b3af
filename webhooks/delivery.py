"""Delivering outbox rows: claim one atomically, sign and post it, log the attempt, retry with backoff. No Flask.

Exactly one worker holds an event at a time: a claim is a conditional UPDATE that only one of
several racing workers wins, and its lease outlasts the longest possible request (short
timeouts, a capped read), so an event is never sent by two workers at once nor, once one
delivery succeeded, sent again (unless an organiser presses Redeliver).
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import urllib3
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import joinedload

from models import (
    Call,
    CallLeg,
    DbSession,
    DeliveryStatus,
    Target,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    rows_changed,
    utcnow,
)
from webhooks.addresses import AddressRefused, Destination, resolve
from webhooks.payloads import encode, event_body
from webhooks.signing import SIGNATURE_HEADER, SecretBox, signature_header

log = logging.getLogger(__name__)

# What we read of an endpoint's answer at most: only its status code matters.
MAX_RESPONSE_BYTES = 4096
USER_AGENT = "Patchthrough-Webhooks/1"


@dataclass(frozen=True)
class DeliverySettings:
    """How deliveries behave, from the app's config."""

    allow_private: bool = False
    timeout: float = 5.0
    retry_for: timedelta = timedelta(hours=24)
    backoff_base: float = 30.0
    backoff_max: float = 3600.0
    # PHONE_ENCRYPTION_KEY, from which the key that opens the endpoints' secrets is derived.
    encryption_key: str = field(default="", repr=False)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> DeliverySettings:
        """Read the WEBHOOK_* settings."""
        return cls(
            allow_private=bool(config["WEBHOOKS_ALLOW_PRIVATE"]),
            timeout=float(config["WEBHOOK_TIMEOUT"]),
            retry_for=timedelta(hours=float(config["WEBHOOK_RETRY_HOURS"])),
            backoff_base=float(config["WEBHOOK_BACKOFF_BASE"]),
            backoff_max=float(config["WEBHOOK_BACKOFF_MAX"]),
            encryption_key=config["PHONE_ENCRYPTION_KEY"],
        )

    @property
    def lease(self) -> timedelta:
        """How long a claim holds: well past a request's connect and capped read, each within the timeout."""
        return timedelta(seconds=max(60.0, 6 * self.timeout))


@dataclass(frozen=True)
class Answer:
    """What one attempt came to."""

    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def succeeded(self) -> bool:
        """A 2xx answer."""
        return self.status_code is not None and 200 <= self.status_code < 300


def backoff(attempts: int, settings: DeliverySettings) -> timedelta:
    """The wait before the next try after ``attempts`` failed ones: doubling from the base, capped."""
    return timedelta(seconds=min(settings.backoff_max, settings.backoff_base * 2 ** max(0, attempts - 1)))


def due_event_ids(session: DbSession, now: datetime, limit: int = 50) -> list[int]:
    """Pending events whose next try has come and that no worker holds, oldest first."""
    return list(
        session.scalars(
            select(WebhookEvent.id)
            .where(
                WebhookEvent.status == DeliveryStatus.pending,
                WebhookEvent.next_attempt_at <= now,
                or_(WebhookEvent.claimed_until.is_(None), WebhookEvent.claimed_until < now),
            )
            .order_by(WebhookEvent.next_attempt_at, WebhookEvent.id)
            .limit(limit)
        )
    )


def claim(session: DbSession, event_id: int, now: datetime, lease: timedelta) -> str | None:
    """Take the event for one delivery attempt; the claim's token, or None when another worker holds it or it is
    not due. The caller commits."""
    token = secrets.token_hex(16)
    won = rows_changed(
        session,
        update(WebhookEvent)
        .where(
            WebhookEvent.id == event_id,
            WebhookEvent.status == DeliveryStatus.pending,
            WebhookEvent.next_attempt_at <= now,
            or_(WebhookEvent.claimed_until.is_(None), WebhookEvent.claimed_until < now),
        )
        .values(claimed_until=now + lease, claim_token=token)
        .execution_options(synchronize_session=False),
    )
    return token if won == 1 else None


def _load(session: DbSession, event_id: int) -> WebhookEvent:
    return (
        session.scalars(
            select(WebhookEvent)
            .where(WebhookEvent.id == event_id)
            .options(
                joinedload(WebhookEvent.endpoint),
                joinedload(WebhookEvent.call).joinedload(Call.campaign),
                joinedload(WebhookEvent.call)
                .joinedload(Call.legs)
                .joinedload(CallLeg.target)
                .joinedload(Target.district),
                joinedload(WebhookEvent.call).joinedload(Call.legs).joinedload(CallLeg.district),
                joinedload(WebhookEvent.call).joinedload(Call.legs).joinedload(CallLeg.failovers),
            )
        )
        .unique()
        .one()
    )


def signing_secrets(box: SecretBox, endpoint: WebhookEndpoint, now: datetime) -> tuple[str | None, str | None]:
    """The endpoint's secret (None when it cannot be opened), and the one it replaced while its grace lasts."""
    previous = None
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_secret_encrypted is not None and expires is not None and now < expires:
        previous = box.open(endpoint.previous_secret_encrypted)
    return box.open(endpoint.secret_encrypted), previous


def post(destination: Destination, body: bytes, headers: Mapping[str, str], timeout: float) -> Answer:
    """POST the body to the checked address (never resolving the name again), following no redirect and
    reading at most MAX_RESPONSE_BYTES of the answer."""
    started = time.monotonic()
    default_port = 443 if destination.scheme == "https" else 80
    host = destination.host if destination.port == default_port else f"{destination.host}:{destination.port}"
    settings = urllib3.Timeout(connect=timeout, read=timeout)
    pool: urllib3.HTTPConnectionPool
    if destination.scheme == "https":
        # Connect to the checked address, but check the certificate against the URL's name.
        pool = urllib3.HTTPSConnectionPool(
            destination.address,
            destination.port,
            timeout=settings,
            retries=False,
            maxsize=1,
            server_hostname=destination.host,
            assert_hostname=destination.host,
        )
    else:
        pool = urllib3.HTTPConnectionPool(destination.address, destination.port, timeout=settings, retries=False)
    try:
        response = pool.urlopen(
            "POST",
            destination.path,
            body=body,
            headers={**headers, "Host": host},
            redirect=False,
            retries=False,
            preload_content=False,
            assert_same_host=False,
        )
        response.read(MAX_RESPONSE_BYTES)
        response.release_conn()
        status, error = response.status, None
        if 300 <= status < 400:
            error = "a redirect, not followed"
        elif not 200 <= status < 300:
            error = f"answered {status}"
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        status, error = None, _reason(exc)
    finally:
        pool.close()
    return Answer(status, error, int((time.monotonic() - started) * 1000))


def _reason(exc: BaseException) -> str:
    if isinstance(exc, (urllib3.exceptions.TimeoutError, TimeoutError)):
        return "timed out"
    reason = getattr(exc, "reason", None) or exc
    return f"{type(reason).__name__}: {reason}"[:300]


def _attempt(
    url: str,
    body: bytes,
    headers: Mapping[str, str],
    signing: tuple[str | None, str | None],
    settings: DeliverySettings,
) -> Answer:
    secret, previous = signing
    if secret is None:
        # Retried like an endpoint that did not answer: the right PHONE_ENCRYPTION_KEY may yet come back.
        return Answer(None, "the endpoint's secret cannot be opened: was PHONE_ENCRYPTION_KEY changed?", 0)
    try:
        destination = resolve(url, settings.allow_private)
    except AddressRefused as refused:
        return Answer(None, f"refused: {refused}"[:300], 0)
    signed = {**headers, SIGNATURE_HEADER: signature_header(secret, int(time.time()), body, previous)}
    return post(destination, body, signed, settings.timeout)


def deliver_one(session: DbSession, settings: DeliverySettings, event_id: int, now: datetime | None = None) -> bool:
    """One attempt at one event, if this worker wins its claim; True when the endpoint took it.

    The claim and the body are committed before the request, so no transaction stays open while
    an endpoint answers; the outcome and the attempt's log are committed after it.
    """
    now = now or utcnow()
    token = claim(session, event_id, now, settings.lease)
    if token is None:
        session.rollback()
        return False
    event = _load(session, event_id)
    if event.body is None:
        event.body = encode(event_body(event))  # fixed now, so every retry sends the same bytes
    url, body = event.endpoint.url, event.body.encode()
    signing = signing_secrets(SecretBox(settings.encryption_key), event.endpoint, now)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Patchthrough-Event": event.type.value,
        "Patchthrough-Delivery": event.public_id,
    }
    attempts, retry_from = event.attempts + 1, event.retry_from
    session.commit()
    answer = _attempt(url, body, headers, signing, settings)
    finished = utcnow()
    values: dict[str, Any] = {"attempts": attempts, "claimed_until": None, "claim_token": None}
    if answer.succeeded:
        values.update(status=DeliveryStatus.delivered, delivered_at=finished)
    else:
        retry_at = finished + backoff(attempts, settings)
        forbidden = answer.error is not None and answer.error.startswith("refused:")
        if forbidden or retry_at - retry_from > settings.retry_for:
            values["status"] = DeliveryStatus.failed
        else:
            values["next_attempt_at"] = retry_at
    session.add(
        WebhookDelivery(
            event_id=event_id,
            attempted_at=now,
            status_code=answer.status_code,
            duration_ms=answer.duration_ms,
            error=answer.error,
        )
    )
    mine = WebhookEvent.id == event_id, WebhookEvent.claim_token == token
    if rows_changed(session, update(WebhookEvent).where(*mine).values(values)) != 1:
        log.warning("webhook event %s: the claim lapsed while its endpoint answered", event_id)
    session.commit()
    if not answer.succeeded:
        log.info("webhook event %s: attempt %s failed: %s", event_id, attempts, answer.error)
    return answer.succeeded


def deliver_due(session: DbSession, settings: DeliverySettings, now: datetime | None = None, limit: int = 50) -> int:
    """One pass over the due events: each one attempted once (by whichever worker claims it); how many landed."""
    now = now or utcnow()
    return sum(deliver_one(session, settings, event_id, now) for event_id in due_event_ids(session, now, limit))


def next_retry(session: DbSession) -> datetime | None:
    """When the earliest pending event is next due, if any."""
    return session.scalar(
        select(func.min(WebhookEvent.next_attempt_at)).where(WebhookEvent.status == DeliveryStatus.pending)
    )


def redeliver(session: DbSession, event: WebhookEvent, now: datetime) -> bool:
    """Send an event again now (with a fresh retry window), unless a worker holds it; the caller commits."""
    return (
        rows_changed(
            session,
            update(WebhookEvent)
            .where(
                WebhookEvent.id == event.id,
                or_(WebhookEvent.claimed_until.is_(None), WebhookEvent.claimed_until < now),
            )
            .values(status=DeliveryStatus.pending, next_attempt_at=now, retry_from=now, delivered_at=None)
            .execution_options(synchronize_session=False),
        )
        == 1
    )
