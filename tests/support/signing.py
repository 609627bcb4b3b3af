"""Sign requests as Twilio signs its webhooks, so tests can post to the Twilio-facing routes."""

from __future__ import annotations

from collections.abc import Mapping

from twilio.request_validator import RequestValidator

from tests.support.settings import PUBLIC_BASE_URL, TWILIO_TOKEN


def sign_webhook(token: str, url: str, params: Mapping[str, str]) -> str:
    """The X-Twilio-Signature Twilio sends with form `params` POSTed to the full public `url`."""
    return RequestValidator(token).compute_signature(url, dict(params))


def signed_post(
    client, path: str, params: Mapping[str, str], token: str = TWILIO_TOKEN, origin: str = PUBLIC_BASE_URL, **kwargs
):
    """POST `params` to `path` with the test client, signed for `origin + path` as Twilio would sign it."""
    headers = {"X-Twilio-Signature": sign_webhook(token, origin + path, params), **kwargs.pop("headers", {})}
    return client.post(path, data=params, headers=headers, **kwargs)
