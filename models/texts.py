"""Text messages the call-in line promised: a link to the campaign page, sent once by the dialer's sweep."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class TextMessage(Base):
    """One text to send: the number encrypted until it is sent (or given up on), then erased."""

    __tablename__ = "text_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    phone_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    from_number: Mapped[str] = mapped_column(String(20))  # the campaign's number (E.164)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set by the one sender that takes it, so no text is ever sent twice.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    message_sid: Mapped[str | None] = mapped_column(String(34))
    failure: Mapped[str | None] = mapped_column(String(300))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
