"""Every console URL refuses the anonymous (to sign-in) and the lesser roles (403), and opens for the right ones."""

from __future__ import annotations

import pytest

from console.routes import bp
from extensions import db
from models import Role
from tests.support.console import make_user, signed_in_client
from tests.support.factories import make_campaign

PUBLIC = {"console.sign_in", "console.sign_out"}


def _console_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith(f"{bp.name}.")]


def _url(rule, values) -> str:
    return rule.build({name: values[name] for name in rule.arguments})[1]


def _required_role(app, endpoint: str) -> Role:
    return app.view_functions[endpoint].required_role


@pytest.fixture
def world(app):
    campaign = make_campaign(slug="guarded")
    other = make_user(Role.viewer, "someone@example.org")
    db.session.commit()
    return {"slug": campaign.slug, "user_id": other.id}


def test_every_console_route_but_sign_in_and_out_declares_a_role(app):
    for rule in _console_rules(app):
        if rule.endpoint in PUBLIC:
            continue
        assert isinstance(_required_role(app, rule.endpoint), Role), rule.endpoint


def test_anonymous_visitors_are_sent_to_sign_in_from_every_console_url(app, world):
    client = app.test_client()
    guarded = [r for r in _console_rules(app) if r.endpoint not in PUBLIC]
    assert len(guarded) >= 5
    for rule in guarded:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(_url(rule, world), method=method)
            assert response.status_code == 302, (rule.rule, method)
            assert response.headers["Location"].startswith("/console/sign-in"), (rule.rule, method)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_opens_exactly_the_urls_its_role_allows(app, world, role):
    client = signed_in_client(app, role, f"{role.value}-walker@example.org")
    for rule in _console_rules(app):
        if rule.endpoint in PUBLIC:
            continue
        needed = _required_role(app, rule.endpoint)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(_url(rule, world), method=method)
            if role.allows(needed):
                assert response.status_code not in (302, 401, 403) or (
                    response.status_code == 302 and not response.headers["Location"].startswith("/console/sign-in")
                ), (rule.rule, method, response.status_code)
                assert response.status_code < 500, (rule.rule, method)
            else:
                assert response.status_code == 403, (rule.rule, method, role)


def test_a_get_sign_in_redirect_remembers_where_the_visitor_was_going(app, world):
    response = app.test_client().get("/console/users")
    assert response.headers["Location"] == "/console/sign-in?next=/console/users"
