"""Endpoints' signing secrets: encrypted at rest with only a hint in the clear, opened to sign each delivery, and
rolled from the console with a day in which both the old and the new secret sign."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from extensions import db
from models import AuditEntry, DeliveryStatus, EventType, Role, WebhookEndpoint, utcnow
from tests.support.console import signed_in_client
from tests.support.factories import make_call, make_campaign, make_district
from tests.support.webhook_receiver import WebhookReceiver
from tests.support.webhooks import FAST_DELIVERY, events, make_endpoint
from webhooks.delivery import DeliverySettings, deliver_due
from webhooks.outbox import record_event
from webhooks.signing import SIGNATURE_HEADER, SecretBox, signature_header, verify


@pytest.fixture
def hook_app(make_app):
    app = make_app(**FAST_DELIVERY)
    with app.app_context():
        yield app


def shown_secret(page: str) -> str:
    """The secret the page shows once, in its data-secret element."""
    [secret] = re.findall(r'<code data-secret="\d+">(whsec_[^<]+)</code>', page)
    return secret


def add_through_console(client, slug: str, url: str) -> str:
    added = client.post(f"/console/campaigns/{slug}/webhooks", data={"url": url})
    assert added.status_code == 200
    return shown_secret(added.get_data(as_text=True))


def request_a_call(app, campaign) -> None:
    call = make_call(app, campaign, [make_district("upper")])
    record_event(db.session, EventType.call_requested, call, call.created_at)
    db.session.commit()


def signatures(header: str) -> list[str]:
    return [part.removeprefix("v1=") for part in header.split(",") if part.startswith("v1=")]


def test_the_endpoints_table_holds_no_plain_secret(hook_app):
    campaign = make_campaign()
    secret = add_through_console(signed_in_client(hook_app, Role.organiser), campaign.slug, "http://127.0.0.1:9/h")

    row = db.session.execute(text("SELECT * FROM webhook_endpoints")).mappings().one()
    assert "secret" not in row
    stored = {
        name: bytes(v).decode("latin-1") if isinstance(v, bytes | memoryview) else str(v) for name, v in row.items()
    }
    assert not [name for name, value in stored.items() if secret[6:] in value]
    assert row["secret_hint"] == "…" + secret[-4:]
    assert SecretBox.from_config(hook_app.config).open(row["secret_encrypted"]) == secret
    # Another deployment's key (or a copy of the database alone) does not open it.
    assert SecretBox("another-phone-encryption-key").open(row["secret_encrypted"]) is None


def test_a_delivery_verifies_with_the_secret_the_console_showed(hook_app):
    with WebhookReceiver() as receiver:
        campaign = make_campaign()
        receiver.secret = add_through_console(signed_in_client(hook_app, Role.organiser), campaign.slug, receiver.url)
        request_a_call(hook_app, campaign)

        assert deliver_due(db.session, DeliverySettings.from_config(hook_app.config)) == 1

        [got] = receiver.received
        assert got.signature_ok and len(signatures(got.headers[SIGNATURE_HEADER])) == 1


def test_a_rolled_secret_signs_beside_the_new_one_for_a_day_then_only_the_new_one_signs(hook_app):
    with WebhookReceiver() as receiver:
        campaign = make_campaign()
        client = signed_in_client(hook_app, Role.organiser)
        old = add_through_console(client, campaign.slug, receiver.url)
        [endpoint] = db.session.scalars(select(WebhookEndpoint))
        rolled_at = utcnow()

        rolled = client.post(f"/console/campaigns/{campaign.slug}/webhooks/{endpoint.id}/roll")

        assert rolled.status_code == 200 and rolled.headers["Cache-Control"] == "no-store"
        page = rolled.get_data(as_text=True)
        new = shown_secret(page)
        assert new != old and old not in page
        assert "also signs every delivery until" in page
        later = client.get(f"/console/campaigns/{campaign.slug}/webhooks").get_data(as_text=True)
        assert new not in later and f"<code>…{new[-4:]}</code>" in later

        settings = DeliverySettings.from_config(hook_app.config)
        request_a_call(hook_app, campaign)
        deliver_due(db.session, settings)
        [during] = receiver.received
        header = during.headers[SIGNATURE_HEADER]
        assert len(signatures(header)) == 2
        for secret in (old, new):  # a receiver holding either secret accepts it
            assert verify(secret, header, during.body, int(header.split(",")[0].removeprefix("t=")))

        request_a_call(hook_app, campaign)
        deliver_due(db.session, settings, now=rolled_at + timedelta(hours=24, minutes=1))
        after = receiver.received[1]
        header = after.headers[SIGNATURE_HEADER]
        timestamp = int(header.split(",")[0].removeprefix("t="))
        assert len(signatures(header)) == 1
        assert verify(new, header, after.body, timestamp) and not verify(old, header, after.body, timestamp)


def test_rolling_a_secret_is_audited_with_hints_only(hook_app):
    campaign = make_campaign()
    client = signed_in_client(hook_app, Role.organiser)
    old = add_through_console(client, campaign.slug, "http://127.0.0.1:9/h")
    [endpoint] = db.session.scalars(select(WebhookEndpoint))

    new = shown_secret(client.post(f"/console/campaigns/{campaign.slug}/webhooks/{endpoint.id}/roll").get_data(True))

    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry is not None and entry.action == "webhook.roll_secret" and entry.subject == campaign.slug
    assert entry.changes["secret"] == ["…" + old[-4:], "…" + new[-4:]]
    assert old[6:] not in str(entry.changes) and new[6:] not in str(entry.changes)


def test_a_viewer_cannot_roll_a_secret_nor_anyone_roll_another_campaigns(hook_app):
    campaign, other = make_campaign(), make_campaign(slug="other-campaign")
    endpoint = make_endpoint(other, "http://127.0.0.1:9/h")
    before = endpoint.secret_encrypted
    viewer = signed_in_client(hook_app, Role.viewer)
    assert viewer.post(f"/console/campaigns/{other.slug}/webhooks/{endpoint.id}/roll").status_code == 403
    organiser = signed_in_client(hook_app, Role.organiser, "organiser2@example.org")
    assert organiser.post(f"/console/campaigns/{campaign.slug}/webhooks/{endpoint.id}/roll").status_code == 404
    db.session.expire_all()
    assert db.session.get_one(WebhookEndpoint, endpoint.id).secret_encrypted == before


def test_a_secret_the_key_cannot_open_is_not_sent_unsigned_but_retried(hook_app):
    with WebhookReceiver() as receiver:
        campaign = make_campaign()
        make_endpoint(campaign, receiver.url)
        request_a_call(hook_app, campaign)
        wrong_key = dataclasses.replace(DeliverySettings.from_config(hook_app.config), encryption_key="rotated-away")

        assert deliver_due(db.session, wrong_key) == 0

        assert receiver.received == []
        [event] = events()
        assert event.status is DeliveryStatus.pending and event.attempts == 1
        assert "PHONE_ENCRYPTION_KEY" in (event.deliveries[0].error or "")


def test_the_header_carries_one_v1_per_secret_and_verify_accepts_either():
    body = b'{"id": "evt_1"}'
    header = signature_header("whsec_new", 1_700_000_000, body, previous="whsec_old")
    assert header.startswith("t=1700000000,v1=") and header.count(",v1=") == 2
    assert verify("whsec_new", header, body, 1_700_000_010)
    assert verify("whsec_old", header, body, 1_700_000_010)
    assert not verify("whsec_other", header, body, 1_700_000_010)
