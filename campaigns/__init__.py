"""Campaigns: the files they live in, and finding the one a page shows."""

from __future__ import annotations

from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import joinedload, with_expression

from extensions import db
from models import Campaign, CampaignStatus, CampaignTarget, Target, utcnow
from webhooks.outbox import hears_of

# What its pages and planning a call read beside the campaign's row, in the same SELECT (a few rows): its state's
# chambers (their offices' usual hours), its fixed targets with their districts and offices, and whether an active
# endpoint hears of its calls (none: the new call writes no outbox row, so that INSERT is not run).
_WITH_CALL_SETUP = (
    joinedload(Campaign.legislature),
    joinedload(Campaign.fixed_targets)
    .joinedload(CampaignTarget.target)
    .options(joinedload(Target.district), joinedload(Target.offices)),
    with_expression(Campaign.has_webhooks, exists().where(hears_of(Campaign.id))),
)


def campaign_by_slug(slug: str) -> Campaign | None:
    """A campaign by slug, whatever its status (drafts included): for the organiser's tools."""
    return db.session.scalars(select(Campaign).where(Campaign.slug == slug)).one_or_none()


# A campaign by slug with what planning its calls reads: built once, bound per request.
_BY_SLUG = select(Campaign).where(Campaign.slug == bindparam("slug")).options(*_WITH_CALL_SETUP)


def get_campaign(slug: str) -> Campaign | None:
    """A campaign by slug with what planning its calls reads (one SELECT), unless it is still a draft."""
    campaign = db.session.scalars(_BY_SLUG, {"slug": slug}).unique().one_or_none()
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
