"""A campaign's results, read from the database and computed by results.figures."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from languages import DEFAULT_LOCALE
from models import Campaign, DbSession
from results.figures import Results, results
from results.records import campaign_districts, iter_calls


def campaign_results(session: DbSession, campaign: Campaign, now: datetime, locale: str = DEFAULT_LOCALE) -> Results:
    """Every figure of the campaign's real calls (previews never counted), the charts labelled in `locale`."""
    calls = list(iter_calls(session, campaign))
    districts = campaign_districts(session, campaign)
    return results(calls, districts, now, ZoneInfo(campaign.timezone), campaign.created_at, locale)
