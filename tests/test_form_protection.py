"""The real supporter form with its protections: CSRF, the per-IP and per-number limits, the blocklist,
honeypot, CAPTCHA."""

from __future__ import annotations

import html
import re

import pytest

from app import create_app
from extensions import db
from models import Block, BlockKind, Call
from tests.support.factories import vault
from tests.support.pages import DEMO, GOOD_PHONE, count, load_demo_campaign, nothing_stored, page, seed_geography
from tests.support.security import FakeSiteverify
from tests.support.settings import TEST_CONFIG

FORM_URL = f"/c/{DEMO}"
LIMITED = "each phone number and each connection can start only a few calls in a while"


@pytest.fixture
def targets(app, runner):
    load_demo_campaign(runner)
    return seed_geography()


def post(client, ip="198.51.100.7", **fields):
    data = {"phone": GOOD_PHONE, "location": "01003", "name": "", "town": ""} | fields
    return client.post(FORM_URL, data=data, headers={"X-Forwarded-For": ip})


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_the_form_carries_a_csrf_token_and_a_post_without_it_is_refused(make_app, runner):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        load_demo_campaign(app.test_cli_runner())
        seed_geography()
        client = app.test_client()
        forged = client.post(FORM_URL, data={"phone": GOOD_PHONE, "location": "01003"})
        assert forged.status_code == 400 and "This form has expired" in text(forged)
        assert nothing_stored()
        token = page(client.get(FORM_URL)).element("input", name="csrf_token")["value"]
        ok = client.post(FORM_URL, data={"phone": GOOD_PHONE, "location": "01003", "csrf_token": token})
        assert ok.status_code == 303 and count(Call) == 1


def test_the_honeypot_is_hidden_from_people_and_a_filled_one_gets_a_decoy(client, targets):
    form_page = page(client.get(FORM_URL))
    field = form_page.element("input", name="contact_me_by_fax_only")
    assert field["tabindex"] == "-1" and field["autocomplete"] == "off"
    assert re.search(r'<div hidden aria-hidden="true">\s*<label for="contact_me_by_fax_only">', form_page.html)
    response = post(client, contact_me_by_fax_only="https://cheap-pills.example")
    assert response.status_code == 200 and "We have received your request." in text(response)
    assert nothing_stored()


def test_the_eleventh_submission_from_one_address_is_refused_and_places_no_call(client, targets):
    for n in range(10):
        assert post(client, phone=f"(617) 555-{n:04d}").status_code == 303
    refused = post(client, phone="(617) 555-0999")
    assert refused.status_code == 429 and LIMITED in text(refused)
    assert count(Call) == 10


def test_a_number_gets_three_calls_a_day_and_answering_a_district_question_costs_nothing(client, targets):
    assert post(client, location="01001", ip="198.51.100.1").status_code == 200  # which House district?
    assert post(client, location="01001", asked="lower", ip="198.51.100.2").status_code == 422  # no choice made
    statuses = [post(client, ip=f"198.51.100.{10 + n}").status_code for n in range(4)]
    assert statuses == [303, 303, 303, 429]
    assert count(Call) == 3


def test_a_blocked_number_or_network_gets_exactly_the_limited_page(app, client, targets):
    db.session.add_all(
        [
            Block(kind=BlockKind.phone, value=vault(app).hash("+16175550666")),
            Block(kind=BlockKind.ip, value="203.0.113.0/24"),
        ]
    )
    db.session.commit()
    for _ in range(3):
        post(client, phone="(617) 555-0777", ip="198.51.100.99")
    limited = post(client, phone="(617) 555-0777", ip="198.51.100.98")
    by_number = post(client, phone="(617) 555-0666", ip="198.51.100.97")
    by_network = post(client, ip="203.0.113.9")
    assert limited.status_code == by_number.status_code == by_network.status_code == 429
    assert limited.get_data() == by_number.get_data() == by_network.get_data()
    assert count(Call) == 3


def test_the_captcha_widget_appears_with_its_keys_and_the_form_needs_a_good_token(make_app):
    with FakeSiteverify() as siteverify:
        app = make_app(
            CAPTCHA_PROVIDER="turnstile",
            CAPTCHA_SITE_KEY="site-key-123",
            CAPTCHA_SECRET_KEY="test-secret",
            CAPTCHA_VERIFY_URL=siteverify.url,
            CAPTCHA_TIMEOUT=0.5,
        )
        with app.app_context():
            load_demo_campaign(app.test_cli_runner())
            seed_geography()
            client = app.test_client()
            form_page = page(client.get(FORM_URL))
            assert form_page.element("div", class_="cf-turnstile captcha")["data-sitekey"] == "site-key-123"
            assert form_page.element("script", src="https://challenges.cloudflare.com/turnstile/v0/api.js")
            assert post(client).status_code == 422 and nothing_stored()
            assert post(client, **{"cf-turnstile-response": "bad"}).status_code == 422 and nothing_stored()
            assert post(client, **{"cf-turnstile-response": "good"}).status_code == 303 and count(Call) == 1


def test_without_captcha_keys_there_is_no_widget(client, targets):
    assert "captcha" not in client.get(FORM_URL).get_data(as_text=True)


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unreachable_database_gets_a_kind_503_from_the_form(method):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite:////nonexistent-folder/patchthrough.sqlite3"})
    client = app.test_client()
    response = getattr(client, method)(FORM_URL, data={"phone": GOOD_PHONE, "location": "01003"})
    assert response.status_code == 503
    assert "We're having trouble right now" in text(response) and "Nothing you sent was saved." in text(response)
    assert response.headers["Retry-After"] == "30"
    assert "Traceback" not in text(response) and "sqlite" not in text(response).lower()
