"""POST /api/v1/campaigns/{slug}/calls: a partner's form asks for a call through the page's own path, with its
number rules, limits and blocklist, and hears back in problem details with stable codes."""

from __future__ import annotations

import csv
import io
import logging

import pytest
from sqlalchemy import select

from extensions import db
from models import BlockKind, Call, CallSource, CampaignStatus, Role, WebhookEvent
from security.blocklist import add_block
from tests.support.api import bearer, make_token, post_call
from tests.support.console import signed_in_client
from tests.support.factories import make_call, make_campaign, vault
from tests.support.pages import GOOD_E164, GOOD_PHONE, count, nothing_stored, seed_geography
from tests.support.webhooks import make_endpoint
from webhooks.payloads import event_body

pytestmark = pytest.mark.usefixtures("app")


@pytest.fixture
def world(app):
    """The made-up geography, a live campaign and a token that may read and create for it."""
    seed_geography()
    campaign = make_campaign()
    return campaign, make_token([campaign])


def test_a_partner_form_call_is_planned_and_its_status_url_given_back(app, client, world, caplog):
    campaign, token = world
    caplog.set_level(logging.DEBUG)
    response = post_call(client, campaign.slug, token, {"phone": GOOD_PHONE, "location": "01003", "name": "Ana"})
    assert response.status_code == 201
    body = response.json
    call = db.session.scalars(select(Call)).one()
    assert body["id"] == call.public_id and body["status"] == "queued"
    assert body["status_url"] == f"https://patchthrough.example.org/calls/{call.public_id}/status"
    assert response.headers["Location"] == body["status_url"]
    assert [(t["title"], t["name"]) for t in body["targets"]] == [
        ("State Senator", "Ada Adams"),
        ("State Representative", "Cy Cole"),
    ]
    # Planned exactly as the page plans it: the number kept encrypted, the supporter's words for the script.
    assert call.phone_encrypted is not None and vault(app).decrypt(call.phone_encrypted) == GOOD_E164
    assert call.supporter_name == "Ana"
    status = client.get(body["status_url"].removeprefix("https://patchthrough.example.org"))
    assert status.status_code == 200 and status.json["state"]
    # The number is never said back, nor logged.
    for text in (response.get_data(as_text=True), caplog.text):
        assert "555-0123" not in text and "5550123" not in text


@pytest.mark.parametrize(
    "phone",
    ["12", "(800) 555-0199", "+44 20 7946 0958", "call me maybe"],
)
def test_a_number_the_form_refuses_is_an_invalid_phone_problem_and_stores_nothing(client, world, phone):
    campaign, token = world
    response = post_call(client, campaign.slug, token, {"phone": phone, "location": "01003"})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    problem = response.json
    assert problem["code"] == "invalid_phone" and problem["type"].endswith("/invalid_phone")
    assert problem["status"] == 422 and problem["detail"]
    assert problem["errors"][0]["field"] == "phone"
    assert nothing_stored()


def test_a_split_zip_asks_which_district_with_the_candidates_and_an_answer_plans_the_call(client, world):
    campaign, token = world
    asked = post_call(client, campaign.slug, token, {"phone": GOOD_PHONE, "location": "01001"})
    assert asked.status_code == 422
    problem = asked.json
    assert problem["code"] == "ambiguous_location"
    assert [
        (q["choose"], q["label"], [(c["value"], c["label"], c["targets"]) for c in q["candidates"]])
        for q in problem["questions"]
    ] == [("lower", "House", [("25001", "1st Alpha", ["Cy Cole"]), ("25002", "2nd Alpha", ["Di Diaz"])])]
    assert nothing_stored()

    forged = post_call(
        client, campaign.slug, token, {"phone": GOOD_PHONE, "location": "01001", "districts": {"lower": "25003"}}
    )
    assert forged.json["code"] == "ambiguous_location"
    assert [e["field"] for e in forged.json["errors"]] == ["districts.lower"]
    assert nothing_stored()

    answered = post_call(
        client, campaign.slug, token, {"phone": GOOD_PHONE, "location": "01001", "districts": {"lower": "25002"}}
    )
    assert answered.status_code == 201
    assert [t["name"] for t in answered.json["targets"]] == ["Ada Adams", "Di Diaz"]


def test_a_zip_split_in_both_chambers_asks_two_questions(client, world):
    campaign, token = world
    problem = post_call(client, campaign.slug, token, {"phone": GOOD_PHONE, "location": "01004"}).json
    assert [q["choose"] for q in problem["questions"]] == ["upper", "lower"]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"location": "01003"}, ["phone"]),
        ({"phone": 6175550123, "location": "01003"}, ["phone"]),
        ({"phone": GOOD_PHONE}, ["location"]),
        ({"phone": GOOD_PHONE, "location": ""}, ["location"]),
        ({"phone": GOOD_PHONE, "location": "01003", "name": "x" * 81}, ["name"]),
        ({"phone": GOOD_PHONE, "location": "01003", "districts": {"senate": "25D01"}}, ["districts.senate"]),
        ({"phone": GOOD_PHONE, "location": "01003", "districts": ["25D01"]}, ["districts"]),
        ({"phone": GOOD_PHONE, "location": "01003", "districts": {"upper": 7}}, ["districts.upper"]),
        (["not", "an", "object"], ["body"]),
        ("a string", ["body"]),
    ],
)
def test_a_malformed_body_is_a_validation_error_naming_each_field_and_stores_nothing(client, world, body, fields):
    campaign, token = world
    response = post_call(client, campaign.slug, token, body)
    assert response.status_code == 422
    assert response.json["code"] == "validation_error"
    assert [e["field"] for e in response.json["errors"]] == fields
    assert nothing_stored()


def test_a_body_that_is_not_json_is_refused_as_such(client, world):
    campaign, token = world
    form = client.post(
        f"/api/v1/campaigns/{campaign.slug}/calls",
        data={"phone": GOOD_PHONE, "location": "01003"},
        headers=bearer(token),
    )
    assert (form.status_code, form.json["code"]) == (415, "unsupported_media_type")
    broken = client.post(
        f"/api/v1/campaigns/{campaign.slug}/calls",
        data="{not json",
        headers={**bearer(token), "Content-Type": "application/json"},
    )
    assert (broken.status_code, broken.json["code"]) == (422, "validation_error")
    assert nothing_stored()


@pytest.mark.parametrize("status", [CampaignStatus.paused, CampaignStatus.ended, CampaignStatus.draft])
def test_a_campaign_not_taking_calls_says_so(client, world, status):
    campaign, token = world
    campaign.status = status
    db.session.commit()
    response = post_call(client, campaign.slug, token, {"phone": GOOD_PHONE, "location": "01003"})
    assert (response.status_code, response.json["code"]) == (409, "campaign_closed")
    assert nothing_stored()


def test_an_unknown_campaign_is_not_found(client, world):
    _, token = world
    response = post_call(client, "no-such-campaign", token, {"phone": GOOD_PHONE, "location": "01003"})
    assert (response.status_code, response.json["code"]) == (404, "not_found")


def test_a_blocklisted_number_reads_exactly_as_a_limited_one(app, client, world):
    campaign, token = world
    add_block(db.session, BlockKind.phone, vault(app).hash(GOOD_E164))
    db.session.commit()
    blocked = post_call(client, campaign.slug, token, {"phone": GOOD_PHONE, "location": "01003"})
    assert blocked.status_code == 429 and blocked.json["code"] == "rate_limited"
    assert int(blocked.headers["Retry-After"]) > 0
    assert nothing_stored()

    for _ in range(3):
        assert (
            post_call(client, campaign.slug, token, {"phone": "(617) 555-0188", "location": "01003"}).status_code == 201
        )
    limited = post_call(client, campaign.slug, token, {"phone": "(617) 555-0188", "location": "01003"})
    assert limited.status_code == 429
    assert limited.json == blocked.json


def _form(client, slug: str, phone: str = GOOD_PHONE):
    # The campaign page's own form, from a supporter's browser.
    return client.post(
        f"/c/{slug}", data={"phone": phone, "location": "01003"}, headers={"X-Forwarded-For": "198.51.100.7"}
    )


def _limits_shared_with_the_form(app):
    seed_geography()
    campaign, other = make_campaign(), make_campaign()
    token = make_token([campaign, other])
    client = app.test_client()
    body = {"phone": GOOD_PHONE, "location": "01003"}
    # RATE_LIMIT_PER_NUMBER is 3 per day per campaign: two forms and one API request use it up, each counted once.
    assert _form(client, campaign.slug).status_code == 303
    assert post_call(client, campaign.slug, token, body).status_code == 201
    assert _form(client, campaign.slug).status_code == 303
    assert count(Call) == 3
    refused = post_call(client, campaign.slug, token, body)
    assert (refused.status_code, refused.json["code"]) == (429, "rate_limited")
    assert _form(client, campaign.slug).status_code == 429
    assert count(Call) == 3
    # Another campaign has its own per-number count, and another number is untouched.
    assert post_call(client, other.slug, token, body).status_code == 201
    assert post_call(client, campaign.slug, token, {**body, "phone": "(617) 555-0188"}).status_code == 201


def test_the_form_and_the_api_share_one_count_per_number(make_app):
    app = make_app()
    with app.app_context():
        _limits_shared_with_the_form(app)


@pytest.mark.redis
def test_the_form_and_the_api_share_one_count_per_number_in_redis(make_app, redis_url):
    app = make_app(RATELIMIT_STORAGE_URI=redis_url)
    with app.app_context():
        _limits_shared_with_the_form(app)


def test_a_partners_server_is_not_held_to_one_supporters_per_address_limit(client, world):
    campaign, token = world
    # RATE_LIMIT_PER_IP is 10 per hour for browsers; eleven supporters through one partner's server all get calls.
    for n in range(11):
        response = post_call(client, campaign.slug, token, {"phone": f"(617) 555-01{n:02d}", "location": "01003"})
        assert response.status_code == 201, response.json
    assert count(Call) == 11


def test_token_routes_need_no_csrf_token_and_send_no_cors_headers(make_app):
    app = make_app(WTF_CSRF_ENABLED=True, ALLOWED_ORIGINS="https://partner.example")
    with app.app_context():
        seed_geography()
        campaign = make_campaign()
        token = make_token([campaign])
        client = app.test_client()
        body = {"phone": GOOD_PHONE, "location": "01003"}
        origins: tuple[dict[str, str], ...] = (
            {},
            {"Origin": "https://partner.example"},
            {"Origin": "https://elsewhere.example"},
        )
        for n, origin in enumerate(origins):
            response = post_call(client, campaign.slug, token, {**body, "phone": f"(617) 555-014{n}"}, **origin)
            assert response.status_code == 201, response.get_data(as_text=True)
            assert "Access-Control-Allow-Origin" not in response.headers
        # The page's own form still needs its CSRF token.
        assert client.post(f"/c/{campaign.slug}", data=body).status_code == 400


SPANISH = {"es": {"title": "Protejamos a las familias", "greeting": "Gracias por llamar.", "talking_points": "Pídeles.",
                  "goodbye": "Adiós."}}  # fmt: skip


@pytest.mark.parametrize(
    ("language", "spoken"),
    [("es-MX", "es"), ("es", "es"), (None, "en"), ("fr", "en"), ("pt-BR", "en")],  # no Portuguese translation here
)
def test_a_call_speaks_the_language_asked_for_where_the_campaign_is_translated(client, language, spoken):
    seed_geography()
    campaign = make_campaign(translations=SPANISH)
    token = make_token([campaign])
    body = {"phone": GOOD_PHONE, "location": "01003", **({"language": language} if language else {})}
    response = post_call(client, campaign.slug, token, body)
    assert response.status_code == 201 and response.json["language"] == spoken
    assert db.session.scalars(select(Call.locale)).one() == spoken


def test_problems_are_written_in_the_language_asked_for(client, world):
    campaign, token = world
    english = post_call(client, campaign.slug, token, {"phone": "12", "location": "01003"}).json
    spanish = post_call(client, campaign.slug, token, {"phone": "12", "location": "01003", "language": "es"}).json
    assert english["code"] == spanish["code"] == "invalid_phone"
    assert english["detail"].startswith("That number is too short")
    assert spanish["detail"] != english["detail"] and "número" in spanish["detail"]
    # Without `language`, the request's Accept-Language, as the page reads it.
    asked = {"Accept-Language": "es-MX"}
    header = post_call(client, campaign.slug, token, {"phone": "12", "location": "01003"}, **asked)
    assert header.json["detail"] == spanish["detail"]


def test_a_call_asked_for_through_the_api_is_counted_as_api_wherever_results_tell_sources_apart(twilio_app):
    seed_geography()
    campaign = make_campaign(slug="families", title="Families")
    token = make_token([campaign])
    make_endpoint(campaign, "https://crm.example.org/hooks")
    db.session.commit()
    client = twilio_app.test_client()
    assert post_call(client, "families", token, {"phone": GOOD_PHONE, "location": "01003"}).status_code == 201
    make_call(twilio_app, campaign, [], phone="+16175550109")  # one from the campaign page
    db.session.commit()
    assert [c.source for c in db.session.scalars(select(Call).order_by(Call.id))] == [CallSource.api, CallSource.web]
    # The call.requested event says so too, written with the call.
    assert [event_body(e)["call"]["source"] for e in db.session.scalars(select(WebhookEvent))] == ["api"]
    results = client.get("/api/v1/campaigns/families/results", headers=bearer(token)).json
    assert results["headline"]["by_source"] == {"web": 1, "call-in": 0, "api": 1}
    legs = client.get("/api/v1/campaigns/families/legs", headers=bearer(token)).json
    assert {leg["source"] for leg in legs["legs"]} == {"api"}  # the page's call has no legs
    console = signed_in_client(twilio_app, Role.viewer)
    page = console.get("/console/campaigns/families").get_data(as_text=True)
    assert '<span data-source="api">API 1</span>' in page and '<span data-source="web">campaign page 1</span>' in page
    rows = list(
        csv.DictReader(io.StringIO(console.get("/console/campaigns/families/calls.csv").get_data(as_text=True)))
    )
    assert sorted(r["source"] for r in rows) == ["api", "api", "web"]  # the API call's two legs, the page's call
    stats = twilio_app.test_cli_runner().invoke(args=["campaign", "stats", "families"])
    assert "  by source: web 1, call-in 0, api 1" in stats.output.splitlines()
