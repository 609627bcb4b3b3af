"""The campaign list counts today's real calls from midnight in each campaign's own time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from extensions import db
from results.overview import campaign_rows
from tests.support.factories import make_call, make_campaign, make_district, make_target

# 03:30 UTC on Dec 1: still Nov 30 (22:30) in Boston, already Dec 1 (04:30) in Berlin.
NOW = datetime(2026, 12, 1, 3, 30, tzinfo=UTC)


def test_todays_calls_start_at_each_campaigns_own_midnight_and_leave_previews_out(app):
    boston = make_campaign(slug="boston", timezone="America/New_York")
    berlin = make_campaign(slug="berlin", timezone="Europe/Berlin")
    senator = make_target("Jane Doe", district=make_district("upper"))
    for campaign in (boston, berlin):
        earlier = make_call(app, campaign, [senator], phone="+16175550111")
        earlier.created_at = NOW - timedelta(hours=5)  # 22:30 UTC Nov 30: today in Boston, yesterday in Berlin
        recent = make_call(app, campaign, [senator], phone="+16175550112")
        recent.created_at = NOW - timedelta(minutes=5)
        preview = make_call(app, campaign, [senator], phone="+16175550113")
        preview.created_at, preview.preview = NOW, True
    db.session.commit()
    counts = {row.campaign.slug: row.calls_today for row in campaign_rows(db.session, NOW)}
    assert counts == {"boston": 2, "berlin": 1}
