"""API tokens: made in the console and shown once, kept as a hash, scoped to campaigns and to read or create,
revocable, their last use recorded and shown."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from extensions import db
from languages import formats
from models import ApiToken, AuditEntry, Role, utcnow
from tests.support.api import bearer, make_token, post_call
from tests.support.console import signed_in_client
from tests.support.factories import make_campaign
from tests.support.pages import page, seed_geography

TOKEN = re.compile(r"pt_[A-Za-z0-9_-]{40,}")


def _make_in_console(client, **fields):
    data = {"name": "Coalition action page", "read": "1", **fields}
    return client.post("/console/api-tokens/", data=data)


def test_a_token_made_in_the_console_is_shown_once_and_kept_only_as_its_hash(app):
    campaign = make_campaign()
    db.session.commit()
    console = signed_in_client(app, Role.organiser)
    made = _make_in_console(console, create="1", campaigns=campaign.slug)
    assert made.status_code == 201
    assert made.headers["Cache-Control"] == "no-store"
    secret = page(made).element("input", id="new-token-value")["value"]
    assert secret is not None and TOKEN.fullmatch(secret)

    row = db.session.scalars(select(ApiToken)).one()
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {row.name, row.prefix, row.token_hash}
    assert secret.startswith(row.prefix) and len(row.prefix) < 12
    assert row.scopes == ("read", "create") and [c.slug for c in row.campaigns] == [campaign.slug]
    # Shown this once: neither the list page nor the session cookie carries it again.
    again = console.get("/console/api-tokens/")
    assert secret not in again.get_data(as_text=True)
    assert row.prefix in again.get_data(as_text=True)
    assert all(secret not in cookie for cookie in made.headers.getlist("Set-Cookie"))
    # And it works.
    assert console.get("/api/v1/campaigns", headers=bearer(secret)).status_code == 200
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "api_token.create")).one()
    assert secret not in str(entry.changes)


@pytest.mark.parametrize(
    ("fields", "sentence"),
    [
        ({"name": "", "campaigns": "x"}, "Give the token a name"),
        ({"read": "", "all_campaigns": "1"}, "Choose what the token may do"),
        ({}, "Choose the campaigns"),
    ],
)
def test_a_token_form_with_a_mistake_says_so_and_makes_nothing(app, fields, sentence):
    console = signed_in_client(app, Role.organiser)
    response = _make_in_console(console, **fields)
    assert response.status_code == 422
    assert sentence in page(response).text("token-error")
    assert db.session.scalars(select(ApiToken)).first() is None


def test_a_viewer_cannot_make_or_revoke_tokens(app):
    campaign = make_campaign()
    secret = make_token([campaign])
    viewer = signed_in_client(app, Role.viewer)
    assert viewer.get("/console/api-tokens/").status_code == 403
    assert _make_in_console(viewer, all_campaigns="1").status_code == 403
    token_id = db.session.scalars(select(ApiToken.id)).one()
    assert viewer.post(f"/console/api-tokens/{token_id}/revoke").status_code == 403
    assert app.test_client().get("/api/v1/campaigns", headers=bearer(secret)).status_code == 200


def test_a_read_token_cannot_create_calls_and_a_create_token_cannot_read(app, client):
    seed_geography()
    campaign = make_campaign()
    reader = make_token([campaign], read=True, create=False)
    creator = make_token([campaign], read=False, create=True)
    body = {"phone": "(617) 555-0123", "location": "01003"}

    refused = post_call(client, campaign.slug, reader, body)
    assert refused.status_code == 403
    assert refused.mimetype == "application/problem+json" and refused.json["code"] == "forbidden"
    for path in ("/api/v1/campaigns", f"/api/v1/campaigns/{campaign.slug}", f"/api/v1/campaigns/{campaign.slug}/legs"):
        assert client.get(path, headers=bearer(creator)).json["code"] == "forbidden"

    assert client.get(f"/api/v1/campaigns/{campaign.slug}/results", headers=bearer(reader)).status_code == 200
    assert post_call(client, campaign.slug, creator, body).status_code == 201


def test_a_token_sees_and_calls_for_its_own_campaigns_only(app, client):
    seed_geography()
    mine, other = make_campaign(), make_campaign()
    token = make_token([mine])
    every = make_token(all_campaigns=True)

    listed = client.get("/api/v1/campaigns", headers=bearer(token)).json["campaigns"]
    assert [c["slug"] for c in listed] == [mine.slug]
    assert {c["slug"] for c in client.get("/api/v1/campaigns", headers=bearer(every)).json["campaigns"]} == {
        mine.slug,
        other.slug,
    }
    for path in (f"/api/v1/campaigns/{other.slug}", f"/api/v1/campaigns/{other.slug}/results"):
        response = client.get(path, headers=bearer(token))
        assert (response.status_code, response.json["code"]) == (403, "forbidden")
        assert client.get(path, headers=bearer(every)).status_code == 200
    body = {"phone": "(617) 555-0123", "location": "01003"}
    assert post_call(client, other.slug, token, body).json["code"] == "forbidden"
    assert post_call(client, other.slug, every, body).status_code == 201


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer pt_not-a-token", "Basic dXNlcjpwYXNz", "Token {token}", "bearer  {token}x"],
)
def test_without_a_live_token_every_route_answers_unauthorized(app, client, authorization):
    campaign = make_campaign()
    token = make_token([campaign])
    headers = {} if authorization is None else {"Authorization": authorization.format(token=token)}
    for response in (
        client.get("/api/v1/campaigns", headers=headers),
        client.get(f"/api/v1/campaigns/{campaign.slug}/results", headers=headers),
        client.post(f"/api/v1/campaigns/{campaign.slug}/calls", json={}, headers=headers),
    ):
        assert response.status_code == 401
        assert response.mimetype == "application/problem+json"
        assert response.json["code"] == "unauthorized"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_refused_from_then_on(app, client):
    campaign = make_campaign()
    token = make_token([campaign])
    assert client.get("/api/v1/campaigns", headers=bearer(token)).status_code == 200
    console = signed_in_client(app, Role.organiser)
    token_id = db.session.scalars(select(ApiToken.id)).one()
    assert console.post(f"/console/api-tokens/{token_id}/revoke").status_code == 303

    response = client.get("/api/v1/campaigns", headers=bearer(token))
    assert (response.status_code, response.json["code"]) == (401, "unauthorized")
    listed = console.get("/console/api-tokens/").get_data(as_text=True)
    assert "revoked" in listed
    assert db.session.scalars(select(AuditEntry.action).where(AuditEntry.action == "api_token.revoke")).one()


def test_a_tokens_last_use_is_recorded_and_shown_in_the_console(app, client):
    campaign = make_campaign()
    token = make_token([campaign])
    console = signed_in_client(app, Role.organiser)
    assert page(console.get("/console/api-tokens/")).element("td", class_="last-used") is not None
    assert "never" in console.get("/console/api-tokens/").get_data(as_text=True)

    before = utcnow()
    client.get("/api/v1/campaigns", headers=bearer(token))
    db.session.expire_all()
    row = db.session.scalars(select(ApiToken)).one()
    assert row.last_used_at is not None and row.last_used_at >= before - timedelta(seconds=1)
    shown = console.get("/console/api-tokens/").get_data(as_text=True)
    assert f"{formats.moment(row.last_used_at, 'en')} UTC</time>" in shown and ">never<" not in shown

    # Within a minute a busy integration does not write on every request; after that, it is noted again.
    first = row.last_used_at
    client.get("/api/v1/campaigns", headers=bearer(token))
    db.session.expire_all()
    assert db.session.scalars(select(ApiToken.last_used_at)).one() == first
    row.last_used_at = first - timedelta(hours=2)
    db.session.commit()
    client.get("/api/v1/campaigns", headers=bearer(token))
    db.session.expire_all()
    noted_again = db.session.scalars(select(ApiToken.last_used_at)).one()
    assert noted_again is not None and noted_again >= first


def test_a_token_over_its_request_limit_is_told_when_to_come_back(make_app):
    app = make_app(RATE_LIMIT_API_PER_TOKEN="3 per minute")
    with app.app_context():
        campaign = make_campaign()
        token, other = make_token([campaign]), make_token([campaign])
        client = app.test_client()
        answers = [client.get("/api/v1/campaigns", headers=bearer(token)) for _ in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        assert answers[-1].json["code"] == "rate_limited"
        assert 1 <= int(answers[-1].headers["Retry-After"]) <= 60
        # Each token has its own count.
        assert client.get("/api/v1/campaigns", headers=bearer(other)).status_code == 200


def test_tokens_from_the_command_line_are_printed_once_listed_without_the_secret_and_revocable(app, runner):
    campaign = make_campaign()
    db.session.commit()
    made = runner.invoke(args=["api-tokens", "create", "CRM sync", "--campaign", campaign.slug, "--read"])
    assert made.exit_code == 0, made.output
    secret = made.output.strip()
    assert TOKEN.fullmatch(secret)
    client = app.test_client()
    assert client.get("/api/v1/campaigns", headers=bearer(secret)).status_code == 200

    listed = runner.invoke(args=["api-tokens", "list"]).output
    assert "CRM sync" in listed and "read" in listed and campaign.slug in listed and secret not in listed
    prefix = listed.split("\t")[0]
    assert secret.startswith(prefix.rstrip("…"))

    refused = runner.invoke(args=["api-tokens", "create", "x", "--campaign", "nope", "--read"])
    assert refused.exit_code != 0 and "no campaign nope" in refused.output
    assert runner.invoke(args=["api-tokens", "create", "x", "--all-campaigns"]).exit_code != 0
    assert len(db.session.scalars(select(ApiToken)).all()) == 1  # the refused ones made nothing

    revoked = runner.invoke(args=["api-tokens", "revoke", prefix])
    assert revoked.exit_code == 0, revoked.output
    assert client.get("/api/v1/campaigns", headers=bearer(secret)).status_code == 401
    assert "(revoked)" in runner.invoke(args=["api-tokens", "list"]).output
