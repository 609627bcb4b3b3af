"""Campaigns: the files they live in, and finding the one a page shows."""

from __future__ import annotations

from sqlalchemy import select

from extensions import db
from models import Campaign, CampaignStatus, utcnow


def get_campaign(slug: str) -> Campaign | None:
    """A campaign by slug, unless it is still a draft."""
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    if campaign is None or campaign.status == CampaignStatus.draft:
        return None
    return campaign


def current_campaign() -> Campaign | None:
    """The campaign the home page shows: the live one closing soonest, else the latest one that ran."""
    now = utcnow()
    live = db.session.scalars(
        select(Campaign)
        .where(Campaign.status == CampaignStatus.live)
        .order_by(Campaign.ends_at.is_(None), Campaign.ends_at, Campaign.id)
    ).all()
    open_now = [c for c in live if c.ends_at is None or c.ends_at > now]
    if open_now:
        return open_now[0]
    return db.session.scalars(
        select(Campaign).where(Campaign.status != CampaignStatus.draft).order_by(Campaign.updated_at.desc()).limit(1)
    ).first()
