"""Office lines: which calls hold an office number's lines right now, and what organisers decided about a number."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime


class LineLease(Base):
    """One of an office number's lines, held by one call while it dials or talks to that office.

    The primary key (phone, slot) is what makes the limit hold across processes: a call takes a line
    by inserting a free slot (or taking over one whose lease expired), and two calls can never hold
    the same slot. A lease ends when the call's Dial ends, when the call ends, or at `expires_at`
    (after the longest a Dial can last), so a lost callback frees the line too.
    """

    __tablename__ = "line_leases"
    __table_args__ = (CheckConstraint("slot >= 0", name="slot_not_negative"),)

    phone: Mapped[str] = mapped_column(String(20), primary_key=True)
    slot: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0 .. OFFICE_LINE_LIMIT - 1
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class OfficeNumber(Base):
    """What an organiser decided about one office number that number health flagged."""

    __tablename__ = "office_numbers"
    __table_args__ = (
        CheckConstraint("phone LIKE '+%'", name="phone_e164"),
        Index("ix_office_numbers_out_of_rotation", "out_of_rotation"),
    )

    phone: Mapped[str] = mapped_column(String(20), primary_key=True)
    # Marked checked: only dials after this moment count as evidence against the number.
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Taken out of rotation: calls never dial it, and failover goes to the target's next line.
    out_of_rotation: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Replaced: the number the offices that had this one were given instead.
    replaced_by: Mapped[str | None] = mapped_column(String(20))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
