"""Security headers, CSRF on every form, the origin check for state-changing requests, and cookie flags."""

from __future__ import annotations

import re

import pytest
from flask import Blueprint, request

from security.origins import json_endpoint
from tests.support.factories import make_call, make_campaign, make_district, make_target
from tests.support.settings import TWILIO_TOKEN
from tests.support.signing import signed_post
from voicesim import parse_twiml

BASE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def directives(csp: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in csp.split("; ")}


def test_html_pages_get_the_policy_and_frame_protection(app, client):
    make_campaign(slug="families")
    response = client.get("/c/families")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == BASE_CSP
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["Permissions-Policy"] == "camera=(), microphone=(), geolocation=(), payment=()"
    assert "Strict-Transport-Security" not in response.headers  # plain http: HSTS would mean nothing


def test_hsts_only_under_https_as_the_proxy_reports_it(app, client):
    make_campaign(slug="families")
    via_proxy = client.get("/c/families", headers={"X-Forwarded-Proto": "https"})
    assert via_proxy.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert (
        client.get("/healthz", base_url="https://localhost").headers["Strict-Transport-Security"] == "max-age=31536000"
    )


@pytest.mark.parametrize(
    "provider, script, frame",
    [
        ("turnstile", ["https://challenges.cloudflare.com"], ["https://challenges.cloudflare.com"]),
        (
            "hcaptcha",
            ["https://hcaptcha.com", "https://*.hcaptcha.com"],
            ["https://hcaptcha.com", "https://*.hcaptcha.com"],
        ),
    ],
)
def test_the_captcha_provider_is_allowed_only_when_its_keys_are_set(make_app, provider, script, frame):
    app = make_app(CAPTCHA_PROVIDER=provider, CAPTCHA_SITE_KEY="site", CAPTCHA_SECRET_KEY="secret")
    with app.app_context():
        make_campaign(slug="families")
        policy = directives(app.test_client().get("/c/families").headers["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'", *script]
    assert policy["frame-src"] == frame
    assert policy["default-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]


def test_twiml_answers_stay_plain_xml_with_only_the_generic_headers(make_app):
    app = make_app(TWILIO_AUTH_TOKEN=TWILIO_TOKEN)
    with app.app_context():
        call = make_call(app, make_campaign(), [make_target("Jane Doe", district=make_district("upper"))])
        params = {"CallSid": "CA" + "1" * 32, "CallStatus": "in-progress"}
        response = signed_post(app.test_client(), f"/twilio/calls/{call.public_id}/answered", params)
    assert response.status_code == 200 and response.mimetype == "text/xml"
    assert "Content-Security-Policy" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert parse_twiml(response.data, strict=True).tag == "Response"


def _inline_code(page: str) -> list[str]:
    """What a strict CSP would block: inline scripts, style blocks and attributes, event handlers, javascript: URLs."""
    found = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    found += re.findall(r"<style\b", page)
    found += re.findall(r"\sstyle\s*=", page)
    found += re.findall(r"\son[a-z]+\s*=", page)
    found += re.findall(r"javascript:", page, flags=re.I)
    return found


def test_every_page_satisfies_the_policy(app, client):
    from tests.support.factories import make_call as plan

    campaign = make_campaign(slug="families")
    call = plan(app, campaign, [make_target("Jane Doe", district=make_district("upper"))])
    paths = ["/", "/c/families", f"/calls/{call.public_id}/preview", "/no-such-page"]
    client.post(f"/calls/{call.public_id}/preview", data={"action": "start"})
    for path in paths:
        page = client.get(path).get_data(as_text=True)
        assert _inline_code(page) == [], path


def _token(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "the form carries no CSRF token"
    return match[1]


def test_with_csrf_on_the_preview_works_with_its_tokens_and_refuses_without(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        call = make_call(app, make_campaign(), [make_target("Jane Doe", district=make_district("upper"))])
        client = app.test_client()
        url = f"/calls/{call.public_id}/preview"
        forged = client.post(url, data={"action": "start"})
        assert forged.status_code == 400
        assert "This form has expired" in forged.get_data(as_text=True)
        page = client.get(url).get_data(as_text=True)
        assert client.post(url, data={"action": "start", "csrf_token": _token(page)}).status_code == 303
        page = client.get(url).get_data(as_text=True)
        # Every form on the page carries the token, the keypad included.
        assert page.count('name="csrf_token"') == page.count("<form")
        assert client.post(url, data={"action": "key", "value": "1", "csrf_token": _token(page)}).status_code == 303


def test_twilio_webhooks_need_no_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True, TWILIO_AUTH_TOKEN=TWILIO_TOKEN)
    with app.app_context():
        call = make_call(app, make_campaign(), [make_target("Jane Doe", district=make_district("upper"))])
        params = {"CallSid": "CA" + "1" * 32, "CallStatus": "ringing"}
        response = signed_post(app.test_client(), f"/twilio/calls/{call.public_id}/status", params)
        assert response.status_code == 200


json_bp = Blueprint("json_standin", __name__)


@json_bp.post("/standin/json")
@json_endpoint
def standin_json():
    """A state-changing JSON endpoint."""
    return {"got": request.get_json(silent=True)}


@pytest.fixture
def json_app(make_app):
    app = make_app(
        WTF_CSRF_ENABLED=True, ALLOWED_ORIGINS="https://partner.example.net, https://other.example.com:8443/"
    )
    app.register_blueprint(json_bp)
    with app.app_context():
        yield app


@pytest.mark.parametrize(
    "headers, status",
    [
        ({"Origin": "https://patchthrough.example.org"}, 200),  # PUBLIC_BASE_URL
        ({"Origin": "http://localhost"}, 200),  # the origin the request reached
        ({"Sec-Fetch-Site": "same-origin"}, 200),
        ({"Origin": "https://partner.example.net"}, 200),  # on the allow-list
        ({"Origin": "https://other.example.com:8443"}, 200),
        ({"Origin": "https://evil.example.com"}, 403),
        ({"Origin": "https://partner.example.net.evil.example.com"}, 403),
        ({"Origin": "null"}, 403),
        ({"Sec-Fetch-Site": "cross-site"}, 403),
        ({"Sec-Fetch-Site": "same-site"}, 403),
        ({}, 403),  # a JSON endpoint needs to know where the request comes from
    ],
)
def test_json_endpoints_accept_same_origin_or_allowed_origins_only(json_app, headers, status):
    response = json_app.test_client().post("/standin/json", json={"x": 1}, headers=headers)
    assert response.status_code == status
    if status == 200:
        assert response.get_json() == {"got": {"x": 1}}


def test_an_allowed_origin_gets_cors_headers_and_its_preflight_answered(json_app):
    client = json_app.test_client()
    response = client.post("/standin/json", json={}, headers={"Origin": "https://partner.example.net"})
    assert response.headers["Access-Control-Allow-Origin"] == "https://partner.example.net"
    preflight = client.options(
        "/standin/json", headers={"Origin": "https://partner.example.net", "Access-Control-Request-Method": "POST"}
    )
    assert preflight.headers["Access-Control-Allow-Methods"] == "POST"
    evil = client.post("/standin/json", json={}, headers={"Origin": "https://evil.example.com"})
    assert "Access-Control-Allow-Origin" not in evil.headers


def test_a_cross_site_form_post_is_refused_even_before_its_token_is_checked(app, client):
    call = make_call(app, make_campaign(), [make_target("Jane Doe", district=make_district("upper"))])
    response = client.post(
        f"/calls/{call.public_id}/preview",
        data={"action": "start"},
        headers={"Origin": "https://evil.example.com", "Sec-Fetch-Site": "cross-site"},
    )
    assert response.status_code == 403
    assert "must come from its own pages" in response.get_data(as_text=True)


def test_a_malformed_allowed_origin_stops_the_boot(make_app):
    with pytest.raises(ValueError, match="ALLOWED_ORIGINS takes scheme://host"):
        make_app(ALLOWED_ORIGINS="partner.example.net/path")


def test_session_cookies_are_secure_httponly_and_samesite_in_production(make_app):
    from config import load_config

    production = load_config(
        {
            "APP_ENV": "production",
            "DATABASE_URL": "postgres://h/db",
            "SECRET_KEY": "s" * 40,
            "PUBLIC_BASE_URL": "https://calls.example.org",
            "PHONE_HASH_KEY": "k" * 40,
            "PHONE_ENCRYPTION_KEY": "e" * 40,
        }
    )
    cookie_settings = {
        k: production[k] for k in ("SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE")
    }
    assert cookie_settings == {
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
    }
    app = make_app(WTF_CSRF_ENABLED=True, **cookie_settings)
    with app.app_context():
        call = make_call(app, make_campaign(), [make_target("Jane Doe", district=make_district("upper"))])
        # Rendering a form puts the CSRF secret in the session: the session cookie is set.
        response = app.test_client().get(f"/calls/{call.public_id}/preview", base_url="https://calls.example.org")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("session=")
    assert "; Secure" in cookie and "; HttpOnly" in cookie and "; SameSite=Lax" in cookie
