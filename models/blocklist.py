"""The blocklist: supporter numbers (by keyed hash only) and client IP addresses or networks the form refuses."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, str_enum, utcnow


class BlockKind(str, enum.Enum):
    """What a block matches: a phone number's keyed hash, or an IP address / CIDR network."""

    phone = "phone"
    ip = "ip"


class Block(Base):
    """One blocked number or network; the number itself is never stored, only its keyed hash."""

    __tablename__ = "blocks"
    __table_args__ = (UniqueConstraint("kind", "value", name="uq_blocks_kind_value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[BlockKind] = mapped_column(str_enum(BlockKind, "block_kind"))
    # The phone hash (64 hex digits), or a network in CIDR form ("203.0.113.7/32", "2001:db8::/32").
    value: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<Block {self.kind.value} {self.id}>"
