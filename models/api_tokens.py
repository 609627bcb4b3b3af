"""API tokens: what a partner's server presents as `Authorization: Bearer …`, kept only as a hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, String, Table, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, utcnow
from models.campaign import Campaign
from models.users import User

# The campaigns a token may see or call for (unless it is for every campaign).
api_token_campaigns = Table(
    "api_token_campaigns",
    Base.metadata,
    Column("token_id", ForeignKey("api_tokens.id", ondelete="CASCADE"), primary_key=True),
    Column("campaign_id", ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True),
)


class ApiToken(Base):
    """One API token: its SHA-256 (the token itself is shown once, never stored), scopes, campaigns and last use."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    # The token's first characters, so an organiser can tell tokens apart (not enough to use one).
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    can_read: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    can_create: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    all_campaigns: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    campaigns: Mapped[list[Campaign]] = relationship(secondary=api_token_campaigns, order_by=Campaign.slug)
    created_by: Mapped[User | None] = relationship()

    @property
    def scopes(self) -> tuple[str, ...]:
        """The scopes as the API and the console name them: read, create."""
        return tuple(name for name, on in (("read", self.can_read), ("create", self.can_create)) if on)

    def covers(self, campaign: Campaign) -> bool:
        """True when this token may act on this campaign."""
        return self.all_campaigns or any(c.id == campaign.id for c in self.campaigns)

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.prefix}…>"
