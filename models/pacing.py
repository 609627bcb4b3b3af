"""The dialer's shared pace: when the next call may be handed to Twilio, for every dialer process at once."""

from __future__ import annotations

from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class DialerPace(Base):
    """One schedule of call slots (a token bucket holding one token): the earliest time the next call may start."""

    __tablename__ = "dialer_pace"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    # Seconds since the epoch (UTC) of the next free slot; each reservation moves it on by 1 / TWILIO_CPS.
    next_slot: Mapped[float] = mapped_column(Float, default=0.0)
