"""Endpoints may not reach into private networks: refused when added and again at each delivery."""

from __future__ import annotations

import pytest

from extensions import db
from models import DeliveryStatus, EventType, WebhookEndpoint
from tests.support.factories import make_call, make_campaign, make_district
from tests.support.pages import count
from tests.support.webhook_receiver import WebhookReceiver
from tests.support.webhooks import FAST_DELIVERY, events, make_endpoint
from webhooks.addresses import AddressRefused, resolve
from webhooks.delivery import DeliverySettings, deliver_due
from webhooks.endpoints import add_endpoint
from webhooks.outbox import record_event
from webhooks.signing import SecretBox

FORBIDDEN = [
    "http://127.0.0.1:8080/hooks",
    "http://localhost/hooks",
    "http://10.1.2.3/hooks",
    "http://172.16.0.9/hooks",
    "http://192.168.1.1/hooks",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/hooks",
    "http://0.0.0.0/hooks",
    "http://[::1]/hooks",
    "http://[fe80::1]/hooks",
    "http://[fd00::1]/hooks",
    "http://[::ffff:127.0.0.1]/hooks",
    "http://2130706433/hooks",  # 127.0.0.1 spelled as one number
]
MALFORMED = ["ftp://example.org/hooks", "https:///hooks", "not a url", "https://user:pw@example.org/hooks"]


@pytest.mark.parametrize("url", FORBIDDEN)
def test_a_private_loopback_or_link_local_address_is_refused(url):
    with pytest.raises(AddressRefused, match="private or reserved"):
        resolve(url, allow_private=False)


@pytest.mark.parametrize("url", MALFORMED)
def test_a_url_that_is_not_plain_http_is_refused(url):
    with pytest.raises(AddressRefused):
        resolve(url, allow_private=False)


def test_a_public_address_is_accepted_and_the_setting_allows_a_private_one():
    assert resolve("https://93.184.215.14/hooks?x=1", allow_private=False).path == "/hooks?x=1"
    assert resolve("http://127.0.0.1:8080/hooks", allow_private=True).address == "127.0.0.1"


def test_the_console_refuses_a_private_endpoint_and_stores_nothing(app):
    campaign = make_campaign()
    box = SecretBox.from_config(app.config)
    added = add_endpoint(db.session, box, campaign, "http://169.254.169.254/latest/meta-data/", allow_private=False)
    assert added.endpoint is None and added.problem is not None and "169.254.169.254" in added.problem
    db.session.rollback()
    assert count(WebhookEndpoint) == 0


def test_delivery_checks_the_address_again_and_sends_nothing_to_a_private_one(make_app):
    """An endpoint saved while private addresses were allowed (or a name that now resolves elsewhere) is
    refused at delivery: nothing reaches it, the attempt says why, and it is not retried."""
    app = make_app(**{**FAST_DELIVERY, "WEBHOOKS_ALLOW_PRIVATE": False})
    with app.app_context(), WebhookReceiver() as receiver:
        campaign = make_campaign()
        make_endpoint(campaign, receiver.url.replace("127.0.0.1", "localhost"))
        call = make_call(app, campaign, [make_district("upper")])
        record_event(db.session, EventType.call_requested, call, call.created_at)
        db.session.commit()

        assert deliver_due(db.session, DeliverySettings.from_config(app.config)) == 0

        assert receiver.received == []
        [event] = events()
        assert event.status is DeliveryStatus.failed
        [attempt] = event.deliveries
        assert attempt.status_code is None and attempt.error is not None
        assert attempt.error.startswith("refused: localhost resolves to")
