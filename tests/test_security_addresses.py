"""Addresses that cannot be spoofed: X-Forwarded-For only as far as PROXY_HOPS says, IPv6 by its /64,
and a number limited across every campaign."""

from __future__ import annotations

import pytest

from config import load_config
from tests.support.factories import make_campaign
from tests.support.security import form_bp


@pytest.fixture
def form_app(make_app):
    """Build the stand-in form app with settings; an app context is entered for it."""
    made = []

    def build(**settings):
        app = make_app(**settings)
        app.register_blueprint(form_bp)
        context = app.app_context()
        context.push()
        made.append(context)
        return app

    yield build
    for context in reversed(made):
        context.pop()


def post(app, slug: str, phone: str, remote: str, forwarded: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    response = app.test_client().post(
        f"/standin/c/{slug}", data={"phone": phone}, headers=headers, environ_base={"REMOTE_ADDR": remote}
    )
    return response.status_code


def test_proxy_hops_default_to_zero_for_a_local_run():
    assert load_config({})["PROXY_HOPS"] == 0


def test_by_default_a_forged_x_forwarded_for_does_not_escape_the_per_ip_limit(form_app):
    # A local `make run` has no proxy: the default must trust no X-Forwarded-For at all.
    app = form_app(PROXY_HOPS=load_config({})["PROXY_HOPS"], RATE_LIMIT_PER_IP="5 per hour")
    slug = make_campaign().slug
    statuses = [
        post(app, slug, f"+1617555{n:04d}", remote="203.0.113.9", forwarded=f"198.51.100.{n}") for n in range(7)
    ]
    assert statuses == [201] * 5 + [429] * 2


def test_behind_one_proxy_only_the_address_the_proxy_saw_counts(form_app):
    app = form_app(PROXY_HOPS=1, RATE_LIMIT_PER_IP="5 per hour")
    slug = make_campaign().slug
    # The client prepends made-up addresses; the router appends the one it really saw.
    statuses = [
        post(app, slug, f"+1617555{n:04d}", remote="10.0.0.2", forwarded=f"198.51.100.{n}, 203.0.113.9")
        for n in range(7)
    ]
    assert statuses == [201] * 5 + [429] * 2
    assert post(app, slug, "+16175559999", remote="10.0.0.2", forwarded="203.0.113.10") == 201


def test_an_ipv6_client_rotating_through_its_64_is_one_client(form_app):
    app = form_app(PROXY_HOPS=0, RATE_LIMIT_PER_IP="5 per hour")
    slug = make_campaign().slug
    statuses = [post(app, slug, f"+1617555{n:04d}", remote=f"2001:db8:1:2::{n + 1:x}") for n in range(7)]
    assert statuses == [201] * 5 + [429] * 2
    assert post(app, slug, "+16175559999", remote="2001:db8:1:3::1") == 201  # another /64, another client


def test_a_number_is_limited_across_all_campaigns_together(form_app):
    app = form_app(RATE_LIMIT_PER_NUMBER="3 per day", RATE_LIMIT_PER_NUMBER_ALL="4 per day")
    slugs = [make_campaign().slug for _ in range(5)]
    statuses = [post(app, slug, "+16175550123", remote=f"198.51.100.{n}") for n, slug in enumerate(slugs)]
    assert statuses == [201, 201, 201, 201, 429]
    assert post(app, slugs[4], "+16175550124", remote="198.51.100.60") == 201
