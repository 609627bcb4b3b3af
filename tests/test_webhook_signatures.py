"""Every Twilio-facing route answers 403 unless the request carries Twilio's signature for its public URL."""

from __future__ import annotations

import pytest

from tests.support.factories import make_call, make_campaign, make_district, make_target
from tests.support.settings import TWILIO_TOKEN
from tests.support.signing import sign_webhook
from tests.support.twiml import find_text

OTHER_TOKEN = "another-token"


@pytest.fixture
def signed_app(make_app):
    """An app with a Twilio auth token, one proxy hop, and the public origin https://patchthrough.example.org."""
    app = make_app(TWILIO_ACCOUNT_SID="AC" + "1" * 32, TWILIO_AUTH_TOKEN=TWILIO_TOKEN, TWILIO_CALLER_ID="+16175397340")
    with app.app_context():
        yield app


@pytest.fixture
def call(signed_app):
    campaign = make_campaign()
    senator = make_target("Jane Doe", district=make_district("upper"))
    return make_call(signed_app, campaign, [senator])


PARAMS = {
    "CallSid": "CA" + "2" * 32,
    "AccountSid": "AC" + "1" * 32,
    "CallStatus": "in-progress",
    "From": "+16175397340",
    "To": "+16175550123",
    "Direction": "outbound-api",
}


def post(app, path: str, params: dict, signature: str | None, **environ):
    headers = {"X-Twilio-Signature": signature} if signature is not None else {}
    return app.test_client().post(path, data=params, headers=headers, **environ)


def answered(call) -> str:
    return f"/twilio/calls/{call.public_id}/answered"


def test_a_correctly_signed_request_gets_twiml(signed_app, call):
    url = "https://patchthrough.example.org" + answered(call)
    response = post(signed_app, answered(call), PARAMS, sign_webhook(TWILIO_TOKEN, url, PARAMS))
    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    assert b"<Say" in response.data


@pytest.mark.parametrize("case", ["missing", "empty", "wrong token", "another url", "other params", "another route"])
def test_bad_signatures_are_refused(signed_app, call, case):
    public = "https://patchthrough.example.org" + answered(call)
    status_path = f"/twilio/calls/{call.public_id}/status"
    signature, path, params = {
        "missing": (None, answered(call), PARAMS),
        "empty": ("", answered(call), PARAMS),
        "wrong token": (sign_webhook(OTHER_TOKEN, public, PARAMS), answered(call), PARAMS),
        "another url": (
            sign_webhook(TWILIO_TOKEN, "https://evil.example.org" + answered(call), PARAMS),
            answered(call),
            PARAMS,
        ),
        "other params": (sign_webhook(TWILIO_TOKEN, public, PARAMS), answered(call), {**PARAMS, "AnsweredBy": "human"}),
        # a valid signature for the answer webhook, replayed to the status callback
        "another route": (sign_webhook(TWILIO_TOKEN, public, PARAMS), status_path, PARAMS),
    }[case]
    response = post(signed_app, path, params, signature)
    assert response.status_code == 403


def test_https_behind_a_proxy_is_checked_against_the_public_url(make_app):
    """Without PUBLIC_BASE_URL, the URL the router saw (X-Forwarded-*) is the one Twilio signed."""
    app = make_app(TWILIO_AUTH_TOKEN=TWILIO_TOKEN, PUBLIC_BASE_URL="")
    with app.app_context():
        call = make_call(app, make_campaign(), [make_target("Jane Doe", district=make_district("upper"))])
        url = "https://calls.example.org" + answered(call)
        forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "calls.example.org"}
        ok = app.test_client().post(
            answered(call),
            data=PARAMS,
            base_url="http://10.1.2.3:8080",
            headers={"X-Twilio-Signature": sign_webhook(TWILIO_TOKEN, url, PARAMS), **forwarded},
        )
        assert ok.status_code == 200
        plain = app.test_client().post(
            answered(call),
            data=PARAMS,
            base_url="http://10.1.2.3:8080",
            headers={"X-Twilio-Signature": sign_webhook(TWILIO_TOKEN, url, PARAMS)},
        )
        assert plain.status_code == 403


@pytest.mark.parametrize(
    "signed_url",
    [
        "https://patchthrough.example.org:443{path}",
        "https://patchthrough.example.org{path}",
    ],
)
def test_signatures_with_or_without_the_default_port_are_accepted(signed_app, call, signed_url):
    url = signed_url.format(path=answered(call))
    assert post(signed_app, answered(call), PARAMS, sign_webhook(TWILIO_TOKEN, url, PARAMS)).status_code == 200


def test_an_explicit_port_in_the_public_origin_is_part_of_the_signed_url(make_app):
    app = make_app(TWILIO_AUTH_TOKEN=TWILIO_TOKEN, PUBLIC_BASE_URL="http://127.0.0.1:8123")
    with app.app_context():
        call = make_call(app, make_campaign(), [make_target("Jane Doe", district=make_district("upper"))])
        good = sign_webhook(TWILIO_TOKEN, "http://127.0.0.1:8123" + answered(call), PARAMS)
        assert post(app, answered(call), PARAMS, good).status_code == 200
        other_port = sign_webhook(TWILIO_TOKEN, "http://127.0.0.1:9999" + answered(call), PARAMS)
        assert post(app, answered(call), PARAMS, other_port).status_code == 403


def test_without_twilio_credentials_the_webhooks_stay_closed(make_app):
    """Preview mode signs with a key derived from SECRET_KEY; an empty token must not open the door."""
    app = make_app(TWILIO_AUTH_TOKEN="")
    with app.app_context():
        call = make_call(app, make_campaign(), [make_target("Jane Doe", district=make_district("upper"))])
        url = "https://patchthrough.example.org" + answered(call)
        assert post(app, answered(call), PARAMS, sign_webhook("", url, PARAMS)).status_code == 403


def test_a_call_to_the_campaign_number_is_answered_by_the_call_in_line(signed_app):
    make_campaign(title="Protect families", caller_id="+16175397340")
    url = "https://patchthrough.example.org/twilio/inbound"
    params = {**PARAMS, "Direction": "inbound", "From": "+16175550123", "To": "+16175397340"}
    response = post(signed_app, "/twilio/inbound", params, sign_webhook(TWILIO_TOKEN, url, params))
    assert response.status_code == 200 and response.mimetype == "text/xml"
    from voicesim import parse_twiml

    root = parse_twiml(response.data)
    assert [child.tag for child in root] == ["Say", "Gather", "Redirect"]
    assert "calling line for Protect families" in find_text(root, "Say")
    assert post(signed_app, "/twilio/inbound", params, None).status_code == 403
