"""The campaign list's figures: each campaign with its real calls since the start of today (UTC)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from models import Call, Campaign, DbSession


@dataclass(frozen=True)
class CampaignRow:
    """One line of the campaign list."""

    campaign: Campaign
    calls_today: int


def campaign_rows(session: DbSession, now: datetime) -> list[CampaignRow]:
    """Every campaign, newest first, with its calls requested today (previews excluded)."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    today = dict(
        session.execute(
            select(Call.campaign_id, func.count())
            .where(Call.created_at >= midnight, Call.preview.is_(False))
            .group_by(Call.campaign_id)
        ).all()
    )
    campaigns = session.scalars(select(Campaign).order_by(Campaign.created_at.desc(), Campaign.id.desc()))
    return [CampaignRow(c, today.get(c.id, 0)) for c in campaigns]
