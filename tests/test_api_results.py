"""GET /api/v1 campaigns, results and legs: the console's figures, legs paged in a stable order, nothing personal."""

from __future__ import annotations

import dataclasses
import re

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from extensions import db
from models import CallLegAttempt, CallStatus, LegStatus, utcnow
from results.campaign import campaign_results
from tests.support.api import bearer, make_token
from tests.support.factories import make_call, make_campaign, make_district, make_target

PHONES = ("+16175550101", "+16175550102", "+16175550103")


@pytest.fixture
def world(app):
    """A campaign with three real calls of two legs each (one settled), a preview call, and a read token."""
    campaign = make_campaign(slug="families", title="Families")
    senator = make_target("Jane Doe", "State Senator", district=make_district("upper", "First Middlesex"))
    make_district("upper", "Second Middlesex")
    rep = make_target("John Roe", "State Representative", "+16177220002", make_district("lower", "2nd Suffolk"))
    calls = [
        make_call(app, campaign, [senator, rep], phone=phone, supporter_name="Ana Secret", supporter_town="Lowell")
        for phone in PHONES
    ]
    first = calls[0]
    first.status, first.step, first.answered_by = CallStatus.completed, "done", "human"
    first.legs[0].status, first.legs[0].duration, first.legs[0].feedback = LegStatus.completed, 75, "spoke"
    first.legs[1].status = LegStatus.busy
    first.legs[1].failovers = [CallLegAttempt(line=0, kind="capitol", status=LegStatus.no_answer)]
    preview = make_call(app, campaign, [senator, rep], phone="+16175550109")
    preview.preview = True
    db.session.commit()
    return campaign, make_token([campaign], read=True, create=False), (senator, rep)


def test_the_results_are_the_figures_the_console_computes(app, client, world):
    campaign, token, _ = world
    response = client.get("/api/v1/campaigns/families/results", headers=bearer(token))
    assert response.status_code == 200
    body = response.json
    figures = campaign_results(db.session, campaign, utcnow())
    assert body["headline"] == dataclasses.asdict(figures.headline)
    assert body["headline"]["requested"] == 3 and body["headline"]["connected"] == 1  # the preview never counts
    assert body["funnel"] == [dataclasses.asdict(step) for step in figures.funnel]
    assert body["targets"] == [dataclasses.asdict(t) for t in figures.targets]
    assert body["districts"] == [dataclasses.asdict(d) for d in figures.districts]
    assert body["districts_without_calls"] == [dataclasses.asdict(d) for d in figures.districts_without_calls]
    assert [b["count"] for b in body["daily"]] == [b.count for b in figures.daily]
    rep = next(t for t in body["targets"] if t["name"] == "State Representative John Roe")
    assert (rep["attempts"], rep["busy"], rep["no_answer"], rep["failovers"]) == (2, 1, 1, 1)


def test_the_campaign_list_and_a_campaign(client, world):
    _, token, _ = world
    listed = client.get("/api/v1/campaigns", headers=bearer(token)).json["campaigns"]
    assert listed == [
        {
            "slug": "families",
            "title": "Families",
            "status": "live",
            "state": "MA",
            "timezone": "America/New_York",
            "ends_at": None,
            "page_url": "https://patchthrough.example.org/c/families",
            "target_chambers": ["upper", "lower"],
        }
    ]
    assert client.get("/api/v1/campaigns/families", headers=bearer(token)).json == listed[0]
    missing = client.get("/api/v1/campaigns/nope", headers=bearer(token))
    assert (missing.status_code, missing.json["code"]) == (404, "not_found")


def _pages(client, token, limit):
    pages, cursor = [], None
    while True:
        query = f"limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(f"/api/v1/campaigns/families/legs?{query}", headers=bearer(token)).json
        pages.append(body["legs"])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages


def test_legs_come_in_pages_in_a_stable_order_with_the_csv_columns_and_nothing_personal(app, client, world):
    _, token, _ = world
    pages = _pages(client, token, 4)
    assert [len(p) for p in pages] == [4, 2]
    legs = [leg for p in pages for leg in p]
    assert [(leg["call"], leg["leg"]) for leg in legs] == sorted((leg["call"], leg["leg"]) for leg in legs)
    assert len({leg["call"] for leg in legs}) == 3  # the preview call is left out
    assert legs[0] == {
        "call": legs[0]["call"],
        "requested_at": legs[0]["requested_at"],
        "call_status": "completed",
        "answered_by": "human",
        "leg": 1,
        "district": "First Middlesex (upper)",
        "target": "State Senator Jane Doe",
        "twilio_status": "completed",
        "supporter_answer": "spoke",
        "skip_reason": None,
        "started_at": None,
        "duration_seconds": 75,
        "failed_over_from": [],
        "source": "web",
    }
    assert legs[1]["twilio_status"] == "busy" and legs[1]["failed_over_from"] == ["no-answer"]
    text = client.get("/api/v1/campaigns/families/legs", headers=bearer(token)).get_data(as_text=True)
    for secret in ("Ana Secret", "Lowell", *PHONES, *(p[2:] for p in PHONES)):
        assert secret not in text
    # Nor in any written form of a number ("555-0101", "(617) 555…"); bare digits may be part of a time or cursor.
    assert not re.search(r"555\W?010\d", text)
    assert _pages(client, token, 500) == [legs]


def test_a_call_arriving_between_pages_is_neither_skipped_nor_repeated(app, client, world):
    campaign, token, (senator, rep) = world
    first = client.get("/api/v1/campaigns/families/legs?limit=3", headers=bearer(token)).json
    make_call(app, campaign, [senator, rep], phone="+16175550104")
    rest = _pages_from(client, token, first["next_cursor"])
    seen = [(leg["call"], leg["leg"]) for leg in first["legs"] + rest]
    assert len(seen) == 8 and len(set(seen)) == 8 and seen == sorted(seen)


def _pages_from(client, token, cursor):
    legs = []
    while cursor:
        body = client.get(f"/api/v1/campaigns/families/legs?limit=2&cursor={cursor}", headers=bearer(token)).json
        legs += body["legs"]
        cursor = body["next_cursor"]
    return legs


@pytest.mark.parametrize(
    ("query", "field"),
    [("limit=0", "limit"), ("limit=501", "limit"), ("limit=ten", "limit"), ("limit=%C2%B2", "limit"),
     ("cursor=bm9wZQ", "cursor"), ("cursor=%%%", "cursor"), ("cursor=MTotMTox", "cursor")],
)  # fmt: skip
def test_a_bad_limit_or_cursor_is_a_validation_error(client, world, query, field):
    _, token, _ = world
    response = client.get(f"/api/v1/campaigns/families/legs?{query}", headers=bearer(token))
    assert (response.status_code, response.json["code"]) == (422, "validation_error")
    assert [e["field"] for e in response.json["errors"]] == [field]


def test_unknown_addresses_and_methods_under_the_api_are_problems_not_pages(client, world):
    _, token, _ = world
    unknown = client.get("/api/v1/nothing/here", headers=bearer(token))
    assert (unknown.status_code, unknown.json["code"]) == (404, "not_found")
    assert unknown.mimetype == "application/problem+json"
    wrong = client.delete("/api/v1/campaigns/families/results", headers=bearer(token))
    assert (wrong.status_code, wrong.json["code"], wrong.headers["Allow"]) == (405, "method_not_allowed", "GET")
    post_only = client.get("/api/v1/campaigns/families/calls", headers=bearer(token))
    assert (post_only.status_code, post_only.headers["Allow"]) == (405, "POST")


def test_an_address_with_a_control_character_is_a_problem_too(client, world):
    _, token, _ = world
    # The app's guard refuses such paths before any route: under the API it still answers in problem details.
    response = client.get("/api/v1/campaigns/fam%0Ailies", headers=bearer(token))
    assert (response.status_code, response.mimetype) == (404, "application/problem+json")
    assert response.json["code"] == "not_found"


def test_a_database_that_stops_answering_is_an_unavailable_problem(app, client, world):
    _, token, _ = world

    def down(conn, cursor, statement, parameters, context, executemany):
        if "FROM campaigns" in statement:
            raise OperationalError(statement, parameters, ConnectionError("the database went away"))

    event.listen(db.engine, "before_cursor_execute", down)
    try:
        response = client.get("/api/v1/campaigns/families/results", headers=bearer(token))
    finally:
        event.remove(db.engine, "before_cursor_execute", down)
    assert (response.status_code, response.mimetype) == (503, "application/problem+json")
    assert response.json["code"] == "unavailable" and int(response.headers["Retry-After"]) > 0
