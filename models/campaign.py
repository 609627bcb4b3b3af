"""Campaigns: what supporters are asked to do, and whom they call."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    inspect,
    select,
)
from sqlalchemy.orm import Mapped, joinedload, mapped_column, query_expression, relationship

from models.base import Base, DbSession, UTCDateTime, str_enum, utcnow
from models.geography import Target

if TYPE_CHECKING:
    from models.geography import LegislativeChamber


class CampaignStatus(str, enum.Enum):
    """Where a campaign is in its life; only a live one takes calls."""

    draft = "draft"
    live = "live"
    paused = "paused"
    ended = "ended"


class Campaign(Base):
    """One campaign: its page copy, its spoken script and which targets supporters call."""

    __tablename__ = "campaigns"
    __table_args__ = (CheckConstraint("length(slug) > 0", name="slug_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[CampaignStatus] = mapped_column(
        str_enum(CampaignStatus, "campaign_status"),
        default=CampaignStatus.draft,
        index=True,
    )
    # Which state's legislature supporters are matched to (two-letter USPS code).
    state: Mapped[str] = mapped_column(String(2))
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The campaign's own time zone, for wording such as "midnight Tuesday".
    timezone: Mapped[str] = mapped_column(String(64), default="America/New_York")
    # When supporters' phones may ring, in their own time zone ("08:00-21:00", "always"); None: SUPPORTER_CALL_HOURS.
    supporter_call_hours: Mapped[str | None] = mapped_column(String(16))
    # Days the offices are closed (state holidays), ISO dates: "2026-11-27". The offices' hours skip them.
    office_holidays: Mapped[list[str]] = mapped_column(JSON, default=list)

    # Page copy.
    headline: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    call_explainer: Mapped[str] = mapped_column(Text, default="")
    # What the supporter reads aloud; {name} and {town} are filled in from the form.
    script_template: Mapped[str] = mapped_column(Text, default="")
    thank_you: Mapped[str] = mapped_column(Text, default="")
    learn_more_url: Mapped[str | None] = mapped_column(String(500))
    learn_more_label: Mapped[str | None] = mapped_column(String(200))
    share_text: Mapped[str] = mapped_column(Text, default="")

    # Reasons to trust the page: who runs it, who pays, how to reach them, and their privacy page
    # (None: the service's own, generated from what it stores).
    organisation: Mapped[str | None] = mapped_column(String(200))
    paid_for_by: Mapped[str | None] = mapped_column(String(300))
    contact: Mapped[str | None] = mapped_column(String(300))  # an e-mail address or an http(s) URL
    privacy_url: Mapped[str | None] = mapped_column(String(500))

    # Spoken on the phone.
    greeting: Mapped[str] = mapped_column(Text, default="")
    talking_points: Mapped[str] = mapped_column(Text, default="")
    goodbye: Mapped[str] = mapped_column(Text, default="")
    ask_feedback: Mapped[bool] = mapped_column(Boolean, default=False)
    voice: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(16), default="en-US")
    # The page's and the call's texts in other languages: {"es": {"headline": "…", "greeting": "…"}, "pt_BR": {…}}.
    # A text a language lacks is shown in the campaign's own language (campaigns/translations.py).
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict, server_default="{}")

    # Calls come from this number (E.164); the deployment's TWILIO_CALLER_ID when empty.
    caller_id: Mapped[str | None] = mapped_column(String(20))
    # The call-in line may offer a caller it cannot place a text message with a link to the campaign page.
    text_link: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Chambers whose members each supporter calls, in calling order, e.g. ["upper", "lower"].
    target_chambers: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The origins (scheme://host[:port]) whose pages may embed the call form; empty: nobody else's.
    embed_origins: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    fixed_targets: Mapped[list[CampaignTarget]] = relationship(
        back_populates="campaign", order_by="CampaignTarget.position", cascade="all, delete-orphan"
    )
    # The chambers of the campaign's state as loaded (their offices' usual hours): read-only, by state.
    legislature: Mapped[list[LegislativeChamber]] = relationship(
        primaryjoin="Campaign.state == foreign(LegislativeChamber.state)",
        order_by="LegislativeChamber.chamber.desc()",
        viewonly=True,
    )
    # Whether an active webhook endpoint hears of its calls, when read with the campaign (campaigns.get_campaign);
    # None where it was not read.
    has_webhooks: Mapped[bool | None] = query_expression()

    @property
    def deadline(self) -> datetime | None:
        """The deadline in the campaign's own time zone, as its page says it."""
        return self.ends_at.astimezone(ZoneInfo(self.timezone)) if self.ends_at else None

    def __repr__(self) -> str:
        return f"<Campaign {self.slug} {self.status.value}>"


class CampaignTarget(Base):
    """A target every supporter of a campaign calls, whatever their district, at a fixed place in the order."""

    __tablename__ = "campaign_targets"
    __table_args__ = (
        UniqueConstraint("campaign_id", "position", name="uq_campaign_targets_position"),
        UniqueConstraint("campaign_id", "target_id", name="uq_campaign_targets_target"),
        CheckConstraint("position >= 0", name="position_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)

    campaign: Mapped[Campaign] = relationship(back_populates="fixed_targets")
    target: Mapped[Target] = relationship()


def fixed_targets_of(session: DbSession, campaign: Campaign) -> list[Target]:
    """The campaign's fixed targets in its order, with their districts and offices: as read with the campaign
    (campaigns.get_campaign reads them in its SELECT), else in one SELECT."""
    if "fixed_targets" not in inspect(campaign).unloaded:
        return [fixed.target for fixed in campaign.fixed_targets]
    query = (
        select(Target)
        .join(CampaignTarget, CampaignTarget.target_id == Target.id)
        .where(CampaignTarget.campaign_id == campaign.id)
        .options(joinedload(Target.district), joinedload(Target.offices))
        .order_by(CampaignTarget.position)
    )
    return list(session.scalars(query).unique())
