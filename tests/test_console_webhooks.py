"""The console's webhooks page: endpoints added with a secret shown once, private ones refused, each event's
attempts listed, and Redeliver sending a delivered event again."""

from __future__ import annotations

import re

from extensions import db
from models import AuditEntry, DeliveryStatus, EventType, Role, WebhookEndpoint
from tests.support.console import signed_in_client
from tests.support.factories import make_call, make_campaign, make_district
from tests.support.pages import count
from tests.support.webhook_receiver import WebhookReceiver
from tests.support.webhooks import FAST_DELIVERY, deliver_until_settled, events, make_endpoint, secret_of
from webhooks.delivery import DeliverySettings, deliver_due
from webhooks.outbox import record_event


def test_an_organiser_adds_an_endpoint_and_sees_its_secret_once(make_app):
    app = make_app(**FAST_DELIVERY)
    with app.app_context():
        campaign = make_campaign()
        client = signed_in_client(app, Role.organiser)
        added = client.post(f"/console/campaigns/{campaign.slug}/webhooks", data={"url": "http://127.0.0.1:9/hooks"})
        assert added.status_code == 200
        [endpoint] = db.session.query(WebhookEndpoint).all()
        secret = secret_of(endpoint)
        assert secret in added.get_data(as_text=True)
        assert added.headers["Cache-Control"] == "no-store"

        later = client.get(f"/console/campaigns/{campaign.slug}/webhooks").get_data(as_text=True)
        assert "http://127.0.0.1:9/hooks" in later
        assert secret not in later and f"<code>…{secret[-4:]}</code>" in later
        assert count(AuditEntry) == 1


def test_a_private_endpoint_is_refused_with_a_message(app):
    campaign = make_campaign()
    client = signed_in_client(app, Role.organiser)
    response = client.post(f"/console/campaigns/{campaign.slug}/webhooks", data={"url": "http://10.0.0.5/hooks"})
    assert response.status_code == 422
    assert "10.0.0.5, a private or reserved address" in response.get_data(as_text=True)
    assert count(WebhookEndpoint) == 0


def test_a_viewer_cannot_manage_webhooks(app):
    campaign = make_campaign()
    client = signed_in_client(app, Role.viewer)
    assert client.get(f"/console/campaigns/{campaign.slug}/webhooks").status_code == 403
    assert (
        client.post(f"/console/campaigns/{campaign.slug}/webhooks", data={"url": "https://x.org/"}).status_code == 403
    )


def test_each_attempt_is_shown_and_redeliver_sends_the_event_again(make_app):
    app = make_app(**FAST_DELIVERY)
    with app.app_context(), WebhookReceiver(script=[500], then=200) as receiver:
        campaign = make_campaign()
        make_endpoint(campaign, receiver.url)
        call = make_call(app, campaign, [make_district("upper")])
        record_event(db.session, EventType.call_requested, call, call.created_at)
        db.session.commit()
        deliver_until_settled(app)
        [event] = events()
        assert event.status is DeliveryStatus.delivered
        client = signed_in_client(app, Role.organiser)

        page = client.get(f"/console/campaigns/{campaign.slug}/webhooks").get_data(as_text=True)
        row = page[page.index(f'data-event="{event.public_id}"') :]
        assert re.search(r"500, \d+ ms, answered 500", row) and re.search(r"200, \d+ ms", row)

        again = client.post(f"/console/campaigns/{campaign.slug}/webhooks/events/{event.id}/redeliver")
        assert again.status_code == 303
        [event] = events()
        assert event.status is DeliveryStatus.pending
        deliver_due(db.session, DeliverySettings.from_config(app.config))

        assert [r.answered for r in receiver.received] == [500, 200, 200]
        [event] = events()
        assert event.status is DeliveryStatus.delivered and event.attempts == 3


def test_removing_an_endpoint_stops_its_events(app):
    campaign = make_campaign()
    endpoint = make_endpoint(campaign, "http://127.0.0.1:9/hooks")
    client = signed_in_client(app, Role.organiser)
    response = client.post(f"/console/campaigns/{campaign.slug}/webhooks/{endpoint.id}/remove")
    assert response.status_code == 303
    call = make_call(app, campaign, [make_district("upper")])
    record_event(db.session, EventType.call_requested, call, call.created_at)
    db.session.commit()
    assert count(WebhookEndpoint) == 0 and events() == []
