"""Rate limits, the blocklist, the honeypot and the CAPTCHA, through a form route wired as the README says."""

from __future__ import annotations

import html
import re

import pytest
from redis import Redis
from sqlalchemy import func, select

from extensions import db
from models import Block, BlockKind, Call
from security.blocklist import is_blocked, normalise_network
from tests.support.factories import make_call, make_campaign, make_district, make_target, vault
from tests.support.pages import DEMO, load_demo_campaign, seed_geography
from tests.support.security import FakeSiteverify, form_bp
from tests.support.settings import TWILIO_TOKEN
from tests.support.signing import signed_post

LIMITED_SENTENCE = "each phone number and each connection can start only a few calls in a while"


@pytest.fixture
def form_app(make_app):
    """The app with the stand-in form route."""
    app = make_app()
    app.register_blueprint(form_bp)
    with app.app_context():
        yield app


def submit(app, slug, phone, ip="198.51.100.10", **fields):
    # PROXY_HOPS=1: the router's X-Forwarded-For is the client address.
    return app.test_client().post(
        f"/standin/c/{slug}", data={"phone": phone, **fields}, headers={"X-Forwarded-For": ip}
    )


def calls() -> int:
    db.session.expire_all()
    return db.session.scalars(select(func.count()).select_from(Call)).one()


def test_eleven_submissions_from_one_address_in_an_hour_the_eleventh_is_refused_kindly(form_app):
    campaign = make_campaign()
    statuses = [submit(form_app, campaign.slug, f"+1617555{n:04d}").status_code for n in range(10)]
    assert statuses == [201] * 10
    refused = submit(form_app, campaign.slug, "+16175559999")
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert LIMITED_SENTENCE in page and "Traceback" not in page
    assert int(refused.headers["Retry-After"]) > 0
    assert calls() == 10  # no call for the refused submission
    # Another address is not affected.
    assert submit(form_app, campaign.slug, "+16175559999", ip="198.51.100.11").status_code == 201


def test_the_per_ip_limit_is_configurable(make_app):
    app = make_app(RATE_LIMIT_PER_IP="2/minute")
    app.register_blueprint(form_bp)
    with app.app_context():
        campaign = make_campaign()
        assert [submit(app, campaign.slug, f"+1617555{n:04d}").status_code for n in range(3)] == [201, 201, 429]


def test_a_number_starts_three_calls_a_day_per_campaign(form_app):
    campaign, other = make_campaign(), make_campaign()
    statuses = [submit(form_app, campaign.slug, "+16175550123", ip=f"198.51.100.{n}").status_code for n in range(4)]
    assert statuses == [201, 201, 201, 429]
    assert calls() == 3
    # The same number may still call for another campaign, and another number for this one.
    assert submit(form_app, other.slug, "+16175550123", ip="198.51.100.50").status_code == 201
    assert submit(form_app, campaign.slug, "+16175550124", ip="198.51.100.51").status_code == 201


def test_blocked_numbers_and_networks_get_the_same_answer_as_anyone_limited(form_app):
    campaign = make_campaign()
    db.session.add_all(
        [
            Block(kind=BlockKind.phone, value=vault(form_app).hash("+16175550666"), reason="abuse"),
            Block(kind=BlockKind.ip, value="203.0.113.0/24", reason="bot farm"),
        ]
    )
    db.session.commit()
    blocked_number = submit(form_app, campaign.slug, "+16175550666")
    blocked_network = submit(form_app, campaign.slug, "+16175550123", ip="203.0.113.77")
    for _ in range(3):
        submit(form_app, campaign.slug, "+16175550777", ip="198.51.100.99")
    limited = submit(form_app, campaign.slug, "+16175550777", ip="198.51.100.98")
    assert blocked_number.status_code == blocked_network.status_code == limited.status_code == 429
    assert blocked_number.get_data() == blocked_network.get_data() == limited.get_data()
    assert calls() == 3


@pytest.mark.parametrize(
    "ip, blocked",
    [
        ("203.0.113.7", True),
        ("203.0.113.8", False),
        ("198.51.100.200", True),
        ("::ffff:198.51.100.1", True),
        ("2001:db8::1", True),
        ("2001:db9::1", False),
        ("not an ip", False),
        (None, False),
    ],
)
def test_is_blocked_matches_addresses_inside_blocked_networks(app, ip, blocked):
    for value in ("203.0.113.7", "198.51.100.0/24", "2001:db8::/32"):
        db.session.add(Block(kind=BlockKind.ip, value=normalise_network(value)))
    db.session.commit()
    assert is_blocked(db.session, None, ip) is blocked
    assert is_blocked(db.session, "f" * 64, ip) is blocked


def test_twilio_webhooks_and_healthz_are_never_rate_limited(make_app):
    app = make_app(RATE_LIMIT_PER_IP="1/hour", RATE_LIMIT_PER_NUMBER="1/day", TWILIO_AUTH_TOKEN=TWILIO_TOKEN)
    with app.app_context():
        call = make_call(app, make_campaign(), [make_target("Jane Doe", district=make_district("upper"))])
        client = app.test_client()
        for n in range(25):
            params = {"CallSid": "CA" + "1" * 32, "CallStatus": "ringing", "SequenceNumber": str(n)}
            response = signed_post(client, f"/twilio/calls/{call.public_id}/status", params)
            assert response.status_code == 200
        assert all(client.get("/healthz").status_code == 200 for _ in range(25))


def test_the_honeypot_answers_like_success_and_places_no_call(form_app):
    campaign = make_campaign()
    response = submit(form_app, campaign.slug, "+16175550123", contact_me_by_fax_only="http://spam.example")
    assert response.status_code == 200
    assert "We have received your request." in response.get_data(as_text=True)
    assert calls() == 0
    assert submit(form_app, campaign.slug, "+16175550123", contact_me_by_fax_only="").status_code == 201


@pytest.fixture
def siteverify():
    with FakeSiteverify() as server:
        yield server


@pytest.mark.parametrize(
    "provider, field", [("turnstile", "cf-turnstile-response"), ("hcaptcha", "h-captcha-response")]
)
@pytest.mark.parametrize(
    "token, status, sentence",
    [
        ("good", 201, None),
        ("bad", 422, "We couldn't confirm that a person sent the form."),
        ("", 422, "We couldn't confirm that a person sent the form."),
        ("slow", 503, "isn't answering right now"),
        ("broken", 503, "isn't answering right now"),
        ("internal", 503, "isn't answering right now"),
    ],
)
def test_the_captcha_is_verified_with_the_provider(make_app, siteverify, provider, field, token, status, sentence):
    app = make_app(
        CAPTCHA_PROVIDER=provider,
        CAPTCHA_SITE_KEY="site-key",
        CAPTCHA_SECRET_KEY="test-secret",
        CAPTCHA_VERIFY_URL=siteverify.url,
        CAPTCHA_TIMEOUT=0.5,
    )
    app.register_blueprint(form_bp)
    with app.app_context():
        campaign = make_campaign()
        response = submit(app, campaign.slug, "+16175550123", **{field: token})
        assert response.status_code == status
        if sentence:
            assert sentence in html.unescape(response.get_data(as_text=True))
        assert calls() == (1 if status == 201 else 0)
        if token:
            assert siteverify.posts[-1] == {"secret": "test-secret", "response": token, "remoteip": "198.51.100.10"}
        else:
            assert siteverify.posts == []  # no token: nothing to ask


def test_without_captcha_keys_no_provider_is_asked(form_app, siteverify):
    campaign = make_campaign()
    assert submit(form_app, campaign.slug, "+16175550123").status_code == 201
    assert siteverify.posts == []


@pytest.mark.parametrize(
    "settings",
    [
        {"CAPTCHA_PROVIDER": "recaptcha", "CAPTCHA_SITE_KEY": "a", "CAPTCHA_SECRET_KEY": "b"},
        {"CAPTCHA_PROVIDER": "turnstile", "CAPTCHA_SITE_KEY": "a", "CAPTCHA_SECRET_KEY": ""},
        {"CAPTCHA_PROVIDER": "", "CAPTCHA_SITE_KEY": "a", "CAPTCHA_SECRET_KEY": "b"},
    ],
)
def test_half_a_captcha_configuration_stops_the_boot(make_app, settings):
    from security.captcha import CaptchaConfigError

    with pytest.raises(CaptchaConfigError):
        make_app(**settings)


@pytest.mark.redis
def test_with_redis_the_counts_live_in_redis_keyed_by_hash_never_by_number(make_app, redis_url):
    app = make_app(RATELIMIT_STORAGE_URI=redis_url)
    app.register_blueprint(form_bp)
    with app.app_context():
        campaign = make_campaign()
        assert [submit(app, campaign.slug, "+16175550123").status_code for _ in range(4)] == [201, 201, 201, 429]
        # redis-py types keys as bytes | str (it depends on decode_responses); without it they are bytes.
        keys = [k.decode() if isinstance(k, bytes) else k for k in Redis.from_url(redis_url).keys("*")]
        assert any(vault(app).hash("+16175550123") in k for k in keys)
        assert any("198.51.100.10" in k for k in keys)
        assert not any("6175550123" in k.replace(vault(app).hash("+16175550123"), "") for k in keys)


def test_the_per_ip_limit_counts_calls_placed_not_forms_shown(make_app):
    # A rally on one Wi-Fi: typos and district questions must not use up the address's calls.
    app = make_app(RATE_LIMIT_PER_IP="2/minute")
    with app.app_context():
        load_demo_campaign(app.test_cli_runner())
        seed_geography()
        client = app.test_client()

        def post(phone: str, location: str) -> int:
            data = {"phone": phone, "location": location}
            return client.post(f"/c/{DEMO}", data=data, headers={"X-Forwarded-For": "198.51.100.60"}).status_code

        shown = [post("617 555", "01003"), post("+16175550180", "0100"), post("+16175550180", "01001")]
        assert shown == [422, 422, 200]  # two mistakes and a district question
        assert [post(f"+1617555018{n}", "01003") for n in range(3)] == [303, 303, 429]


def test_the_refusal_page_sits_in_the_sites_layout_and_says_how_long_to_wait(form_app):
    campaign = make_campaign()
    for n in range(10):
        submit(form_app, campaign.slug, f"+1617555{n:04d}")
    refused = submit(form_app, campaign.slug, "+16175559999")
    wait_minutes = -(-int(refused.headers["Retry-After"]) // 60)
    body = html.unescape(refused.get_data(as_text=True))
    assert 'class="wrap narrow page-message notice"' in body
    assert f"You can try again in about {wait_minutes} minute" in body


def test_forms_sent_from_one_address_have_their_own_looser_limit(make_app):
    app = make_app(RATE_LIMIT_FORMS_PER_IP="3/minute")
    with app.app_context():
        load_demo_campaign(app.test_cli_runner())
        client = app.test_client()
        statuses = [
            client.post(f"/c/{DEMO}", data={"phone": "617 555", "location": "01003"}).status_code for _ in range(4)
        ]
        assert statuses == [422, 422, 422, 429]


def test_a_number_over_its_limit_is_told_whom_to_call_themselves_and_a_blocked_one_sees_the_same_page(app, runner):
    campaign = load_demo_campaign(runner)
    seed_geography()
    client = app.test_client()
    form = {"phone": "(617) 555-0123", "location": "01003", "name": "", "town": ""}

    def send(ip: str, phone: str = "(617) 555-0123"):
        return client.post(f"/c/{campaign.slug}", data={**form, "phone": phone}, headers={"X-Forwarded-For": ip})

    assert [send(f"198.51.100.{n}").status_code for n in range(3)] == [303, 303, 303]

    def visible(response) -> str:
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())

    limited = send("198.51.100.9")
    assert limited.status_code == 429
    text = visible(limited)
    assert "You can still call them yourself now" in text
    assert "State Senator Ada Adams: (617) 555-0101" in text
    assert "State Representative Cy Cole: (617) 555-0111 ext. 204" in text
    assert 'href="tel:+16175550101"' in limited.get_data(as_text=True)

    db.session.add(Block(kind=BlockKind.phone, value=vault(app).hash("+16175550177")))
    db.session.commit()
    blocked = send("198.51.100.20", phone="(617) 555-0177")
    assert blocked.status_code == 429
    assert "State Senator Ada Adams: (617) 555-0101" in visible(blocked)
