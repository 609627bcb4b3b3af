"""People who run campaigns: their accounts, their roles, and the audit log of what they changed."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, str_enum, utcnow


class Role(str, enum.Enum):
    """What a console user may do; each role may do everything the ones before it may."""

    viewer = "viewer"
    organiser = "organiser"
    admin = "admin"

    def allows(self, needed: Role) -> bool:
        """True when this role may do what `needed` may."""
        order = list(Role)
        return order.index(self) >= order.index(needed)


class User(Base):
    """A console account, known by its e-mail address; the password is kept only as a memory-hard hash."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role, "user_role"), default=Role.viewer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped on every password change or disable: sessions signed for an older value are void.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"


class AuditEntry(Base):
    """One organiser action: who, when, on what, and which fields went from what to what (never supporters' data)."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_created", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Empty when the action came from the command line.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(200))
    # {"field": [old, new], ...}
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User | None] = relationship()
