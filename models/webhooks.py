"""Outbound webhooks: a campaign's endpoints, the outbox of events for them, and each delivery attempt."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from models.calls import Call
    from models.campaign import Campaign


class EventType(str, enum.Enum):
    """What happened to a call that an endpoint hears about."""

    call_requested = "call.requested"
    call_completed = "call.completed"


class DeliveryStatus(str, enum.Enum):
    """Where one event stands for one endpoint."""

    pending = "pending"
    delivered = "delivered"
    # Retried for the whole window (or refused outright: a forbidden address) without a 2xx.
    failed = "failed"


class WebhookEndpoint(Base):
    """A URL a campaign's events are posted to, with the secret that signs them."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    # Encrypted (webhooks.signing.SecretBox), not hashed: every delivery is signed with it. The console shows it
    # whole only once, when it is made; after that only its hint.
    secret_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    secret_hint: Mapped[str] = mapped_column(String(16))
    # After a roll: the secret it replaced, which signs beside the new one until it expires (a grace period).
    previous_secret_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    previous_secret_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    campaign: Mapped[Campaign] = relationship()


class WebhookEvent(Base):
    """One event for one endpoint: the outbox row, written in the transaction that changed the call."""

    __tablename__ = "webhook_events"
    __table_args__ = (
        # The sweep's question: pending events whose next try has come.
        Index("ix_webhook_events_status_next_attempt", "status", "next_attempt_at"),
        Index("ix_webhook_events_endpoint_created", "endpoint_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoints.id", ondelete="CASCADE"))
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    type: Mapped[EventType] = mapped_column(str_enum(EventType, "webhook_event_type"))
    status: Mapped[DeliveryStatus] = mapped_column(
        str_enum(DeliveryStatus, "webhook_delivery_status"), default=DeliveryStatus.pending
    )
    # The JSON body, fixed at the first attempt so every retry sends the same bytes.
    body: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Retries go on for WEBHOOK_RETRY_HOURS from here: the event's creation, or a Redeliver.
    retry_from: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set while one worker delivers it (with its token), so no other worker sends it at the same time.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claim_token: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    endpoint: Mapped[WebhookEndpoint] = relationship()
    call: Mapped[Call] = relationship()
    deliveries: Mapped[list[WebhookDelivery]] = relationship(
        back_populates="event", order_by="WebhookDelivery.id", cascade="all, delete-orphan"
    )

    @property
    def public_id(self) -> str:
        """The id receivers see (and use to drop a repeat): the same on every attempt."""
        return f"evt_{self.id}"


class WebhookDelivery(Base):
    """One attempt to deliver an event: what the endpoint answered, how long it took, or what went wrong."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("webhook_events.id", ondelete="CASCADE"), index=True)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status_code: Mapped[int | None] = mapped_column(Integer)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(300))

    event: Mapped[WebhookEvent] = relationship(back_populates="deliveries")

    @property
    def succeeded(self) -> bool:
        """True when the endpoint answered 2xx."""
        return self.status_code is not None and 200 <= self.status_code < 300
