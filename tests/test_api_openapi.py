"""The OpenAPI document is kept true: every route is documented, every documented route exists, and schemathesis
finds no 5xx and no answer that breaks the document, against the app serving it."""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.problems import PROBLEMS
from models import CallSource
from tests.support.api import bearer, make_token
from tests.support.factories import make_campaign
from tests.support.pages import DEMO, seed_geography
from tests.support.served_app import run_flask, running_app

PREFIX = "/api/v1"
EXAMPLES = 20


def _document(client) -> dict:
    response = client.get(f"{PREFIX}/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.json


def _served_routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(PREFIX + "/") or rule.endpoint == "api.unknown":
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule.removeprefix(PREFIX))
        routes |= {(path, method.lower()) for method in rule.methods or () if method not in ("HEAD", "OPTIONS")}
    return routes


def test_every_route_is_documented_and_every_documented_route_is_served(app, client):
    document = _document(client)
    paths = document["paths"].items()
    documented = {(path, method) for path, item in paths for method in item if method != "parameters"}
    assert documented == _served_routes(app)
    assert len(documented) == 6


def test_the_document_names_every_call_source_the_results_count(client):
    schemas = _document(client)["components"]["schemas"]
    by_source = schemas["Results"]["properties"]["headline"]["properties"]["by_source"]
    sources = [source.value for source in CallSource]
    assert by_source["required"] == sources and set(by_source["properties"]) == set(sources)
    assert schemas["Leg"]["properties"]["source"]["enum"] == sources


def test_the_document_is_openapi_3_1_with_this_servers_address_and_every_problem_code(client):
    document = _document(client)
    assert document["openapi"].startswith("3.1.")
    assert document["servers"] == [{"url": f"https://patchthrough.example.org{PREFIX}"}]
    assert set(document["components"]["schemas"]["Problem"]["properties"]["code"]["enum"]) == set(PROBLEMS)
    # Every operation but the document itself needs the bearer token; every answer it may give is declared.
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            if path == "/openapi.json":
                assert operation["security"] == []
            else:
                assert "security" not in operation and {"401", "429"} <= set(operation["responses"])


@pytest.fixture
def api_world(app):
    """The app with the made-up geography, a live campaign and a token that may do everything."""
    seed_geography()
    campaign = make_campaign(slug="families")
    return {"token": make_token([campaign]), "slug": campaign.slug}


# A schema cannot say which numbers may be called, where a ZIP is, or which cursors were given out: such
# requests are schema-valid and still refused (422), by design (tests/test_api_calls.py covers each).
SEMANTIC_422 = {("POST", "/campaigns/{slug}/calls"), ("GET", "/campaigns/{slug}/legs")}


def _operations(schema) -> list:
    return [result.ok() for result in schema.get_all_operations()]


def _in_process(app):
    """The document as the app serves it, loaded by schemathesis to call the same app in-process (WSGI)."""
    return schemathesis.openapi.from_wsgi(f"{PREFIX}/openapi.json", app)


def _run(schema, token: str, slug: str | None) -> int:
    """Call every operation with generated requests (the real campaign's slug when given); returns how many."""
    operations = _operations(schema)
    calls = 0

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case) -> None:
            nonlocal calls
            if slug is not None and case.path_parameters and "slug" in case.path_parameters:
                case.path_parameters = {**case.path_parameters, "slug": slug}
            # No 5xx, a documented status, content type, headers and body, for valid and invalid requests alike.
            semantic = (case.operation.method.upper(), case.operation.path) in SEMANTIC_422
            case.call_and_validate(
                headers=bearer(token), excluded_checks=[positive_data_acceptance] if semantic else None
            )
            calls += 1

        check()
    return calls


def test_the_api_answers_as_documented_for_generated_requests(app, api_world):
    schema = _in_process(app)
    assert _run(schema, api_world["token"], None) >= len(_operations(schema))


def test_the_api_answers_as_documented_for_a_campaign_it_may_use(app, api_world):
    schema = _in_process(app)
    assert _run(schema, api_world["token"], api_world["slug"]) >= len(_operations(schema))


@pytest.mark.slow
def test_the_api_served_by_gunicorn_answers_as_documented(tmp_path, ma_data_dir):
    # As `make run` serves it: migrated SQLite, the real Massachusetts data and the demo campaign, a token
    # made on the command line, and schemathesis calling over HTTP.
    with running_app(tmp_path, ma_data_dir) as running:
        token = run_flask(running, "api-tokens", "create", "schemathesis", "--all-campaigns", "--read", "--create")
        schema = schemathesis.openapi.from_url(f"{running['url']}{PREFIX}/openapi.json")
        assert schema.raw_schema["servers"] == [{"url": f"{running['url']}{PREFIX}"}]
        assert _run(schema, token.strip(), DEMO) >= len(_operations(schema))
