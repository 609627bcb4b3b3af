"""The campaign list's figures: each campaign with its real calls since midnight in the campaign's own time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from models import Call, CallStatus, Campaign, DbSession


@dataclass(frozen=True)
class CampaignRow:
    """One line of the campaign list."""

    campaign: Campaign
    calls_today: int

    @property
    def deadline(self) -> datetime | None:
        return self.campaign.deadline


def local_midnight(now: datetime, timezone: str) -> datetime:
    """The start of today in this time zone."""
    return now.astimezone(ZoneInfo(timezone)).replace(hour=0, minute=0, second=0, microsecond=0)


def campaign_rows(session: DbSession, now: datetime) -> list[CampaignRow]:
    """Every campaign, newest first, with its calls requested today (previews excluded); one COUNT per campaign."""
    campaigns = session.scalars(select(Campaign).order_by(Campaign.created_at.desc(), Campaign.id.desc())).all()
    rows = []
    for campaign in campaigns:
        today = session.scalar(
            select(func.count())
            .select_from(Call)
            .where(
                Call.campaign_id == campaign.id,
                Call.preview.is_(False),
                Call.created_at >= local_midnight(now, campaign.timezone),
            )
        )
        rows.append(CampaignRow(campaign, today or 0))
    return rows


def calls_made(session: DbSession, campaign: Campaign) -> int:
    """How many of the campaign's calls have been made (the supporter's phone answered and the call ended), for
    the campaign page's counter."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Call)
            .where(Call.campaign_id == campaign.id, Call.status == CallStatus.completed)
        )
        or 0
    )
