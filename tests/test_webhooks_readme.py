"""The README's verification snippet, run as a receiver would run it, against a real delivery."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extensions import db
from models import EventType
from tests.support.factories import make_call, make_campaign, make_district
from tests.support.webhook_receiver import WebhookReceiver
from tests.support.webhooks import FAST_DELIVERY, make_endpoint, secret_of
from webhooks.delivery import DeliverySettings, deliver_due
from webhooks.outbox import record_event
from webhooks.signing import SIGNATURE_HEADER, signature_header

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_verify():
    """The `verify` function from the README's Webhooks section, executed."""
    text = README.read_text()
    section = text[text.index("## Webhooks") : text.index("\n## ", text.index("## Webhooks") + 1)]
    [snippet] = re.findall(r"```python\n(.*?)```", section, re.S)
    names: dict = {}
    exec(compile(snippet, "README.md", "exec"), names)
    return names["verify"]


@pytest.fixture
def delivered(make_app):
    app = make_app(**FAST_DELIVERY)
    with app.app_context(), WebhookReceiver() as receiver:
        campaign = make_campaign()
        endpoint = make_endpoint(campaign, receiver.url)
        call = make_call(app, campaign, [make_district("upper")])
        record_event(db.session, EventType.call_requested, call, call.created_at)
        db.session.commit()
        deliver_due(db.session, DeliverySettings.from_config(app.config))
        [got] = receiver.received
        yield secret_of(endpoint), got.headers[SIGNATURE_HEADER], got.body


def test_the_readme_snippet_accepts_a_real_delivery(delivered):
    secret, header, body = delivered
    assert readme_verify()(secret, header, body)


def test_the_readme_snippet_refuses_a_changed_body_a_wrong_secret_and_an_old_signature(delivered):
    secret, header, body = delivered
    verify = readme_verify()
    assert not verify(secret, header, body.replace(b"call.requested", b"call.completed"))
    assert not verify("whsec_someone-elses", header, body)
    timestamp = int(header.split(",")[0].removeprefix("t="))
    # Rightly signed, but ten minutes ago: a replay.
    assert not verify(secret, signature_header(secret, timestamp - 600, body), body)
    assert verify(secret, signature_header(secret, timestamp - 60, body), body)
    assert not verify(secret, "v1=" + header.split("v1=")[1], body)  # no timestamp at all


def test_the_readme_snippet_accepts_either_secret_while_a_rolled_one_still_signs(delivered):
    secret, header, body = delivered
    timestamp = int(header.split(",")[0].removeprefix("t="))
    both = signature_header("whsec_the-new-one", timestamp, body, previous=secret)
    verify = readme_verify()
    assert verify(secret, both, body) and verify("whsec_the-new-one", both, body)
    assert not verify("whsec_someone-elses", both, body)
