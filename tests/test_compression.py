"""HTML, CSS and JavaScript go out gzip-compressed to browsers that accept it, and plain to those that don't."""

from __future__ import annotations

import gzip

import pytest

from tests.support.pages import load_demo_campaign


@pytest.fixture
def pages(app, runner):
    load_demo_campaign(runner)
    return app.test_client()


@pytest.mark.parametrize(
    "path, mimetype", [("/", "text/html"), ("/static/app.css", "text/css"), ("/static/app.js", "text/javascript")]
)
def test_pages_styles_and_scripts_are_compressed_for_browsers_that_accept_gzip(pages, path, mimetype):
    with pages.get(path) as plain, pages.get(path, headers={"Accept-Encoding": "gzip, deflate, br"}) as packed:
        assert plain.mimetype == packed.mimetype == mimetype
        assert "Content-Encoding" not in plain.headers
        assert packed.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in packed.headers["Vary"] and "Accept-Encoding" in plain.headers["Vary"]
        body = gzip.decompress(packed.get_data())
        assert body == plain.get_data() and len(packed.get_data()) < len(body) / 2
        assert int(packed.headers["Content-Length"]) == len(packed.get_data())


def test_twilio_webhooks_and_small_answers_are_left_alone(pages):
    with pages.get("/healthz", headers={"Accept-Encoding": "gzip"}) as health:
        assert "Content-Encoding" not in health.headers
