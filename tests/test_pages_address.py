"""Street addresses: the Census geocoder settles districts a ZIP cannot; when it fails, the ZIP does."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.checks import present
from tests.support.pages import DEMO, GOOD_PHONE, load_demo_campaign, nothing_stored, only_call, page, seed_geography

MATCH = {
    "result": {
        "addressMatches": [
            {
                "matchedAddress": "12 MAIN ST, SPRINGFIELD, MA, 01001",
                "addressComponents": {"zip": "01001", "state": "MA"},
                "geographies": {
                    "2024 State Legislative Districts - Upper": [{"GEOID": "25D01", "SLDU": "D01"}],
                    "2024 State Legislative Districts - Lower": [{"GEOID": "25002", "SLDL": "002"}],
                },
            }
        ]
    }
}


@pytest.fixture
def census() -> Iterator[tuple[str, list[str]]]:
    """A stand-in Census geocoder on 127.0.0.1: its base URL, and the addresses it was asked about."""
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            query = parse_qs(urlsplit(self.path).query)
            asked.append(query["address"][0])
            body = json.dumps(MATCH if "Main" in query["address"][0] else {"result": {"addressMatches": []}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/geocoder", asked
    server.shutdown()
    server.server_close()


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/geocoder"


@contextmanager
def submit(make_app, geocoder_url: str, location: str):
    """Post the form on a fresh app whose geocoder is at `geocoder_url`; yields (client, response)."""
    app = make_app(CENSUS_GEOCODER_URL=geocoder_url, CENSUS_GEOCODER_TIMEOUT=2.0)
    with app.app_context():
        load_demo_campaign(app.test_cli_runner())
        seed_geography()
        client = app.test_client()
        yield client, client.post(f"/c/{DEMO}", data={"phone": GOOD_PHONE, "location": location})


def test_an_address_settles_a_split_zip_without_asking(make_app, census):
    url, asked = census
    with submit(make_app, url, "12 Main St, Springfield 01001") as (_client, response):
        assert response.status_code == 303
        assert asked == ["12 Main St, Springfield 01001"]
        assert [present(leg.target).name for leg in only_call().legs] == ["Ada Adams", "Di Diaz"]


def test_an_address_the_census_cannot_find_falls_back_to_its_zip_and_says_so(make_app, census):
    url, _ = census
    with submit(make_app, url, "99 Nowhere Rd, Springfield 01003") as (client, response):
        assert response.status_code == 303
        assert [present(leg.target).name for leg in only_call().legs] == ["Ada Adams", "Cy Cole"]
        html = page(client.get(response.headers["Location"]))
        assert html.visible_text().count("We could not find that address, so we used ZIP 01003 instead.") == 1


def test_a_geocoder_that_cannot_be_reached_falls_back_to_the_zip(make_app):
    with submit(make_app, closed_port_url(), "12 Main St, Springfield 01003") as (client, response):
        assert response.status_code == 303
        text = page(client.get(response.headers["Location"])).visible_text()
        assert "We could not look up street addresses just now, so we used ZIP 01003 instead." in text


@pytest.mark.parametrize("geocoder", ["unreachable", "disabled"])
def test_an_address_without_a_zip_and_no_geocoder_asks_for_the_zip(make_app, geocoder):
    url = closed_port_url() if geocoder == "unreachable" else ""
    with submit(make_app, url, "12 Main St, Springfield") as (_client, response):
        assert response.status_code == 422 and nothing_stored()
        html = page(response)
        assert (
            html.text("location-error")
            == "Error: We could not look up street addresses just now. Please type your ZIP code."
        )
        assert html.element("input", id="location")["value"] == "12 Main St, Springfield"


def test_a_split_zip_after_a_failed_address_lookup_says_why_and_offers_ways_forward(make_app):
    with submit(make_app, closed_port_url(), "12 Main St, Springfield 01001") as (_client, response):
        assert response.status_code == 200 and nothing_stored()
        html = page(response)
        picker = html.text("picker")
        assert "We could not look up street addresses just now, so we used ZIP 01001 instead." in picker
        assert "ZIP 01001 is split between 2 House districts" in picker
        assert "Type your street address" not in picker  # they just did
        assert html.text("retry-address") == "Look up my address again"
        assert html.element("a", id="find-legislator")["href"] == "https://malegislature.gov/Search/FindMyLegislator"


# "Look up my address again" from the picker, with the question it leaves unanswered.
RETRY_ADDRESS = {
    "phone": GOOD_PHONE,
    "location": "12 Main St, Springfield 01001",
    "asked": "lower",
    "retry_address": "1",
}


def test_looking_the_address_up_again_places_the_call_when_the_geocoder_is_back(make_app, census):
    url, asked = census
    app = make_app(CENSUS_GEOCODER_URL=url, CENSUS_GEOCODER_TIMEOUT=2.0)
    with app.app_context():
        load_demo_campaign(app.test_cli_runner())
        seed_geography()
        again = app.test_client().post(f"/c/{DEMO}", data=RETRY_ADDRESS)
        assert again.status_code == 303 and asked == ["12 Main St, Springfield 01001"]
        assert [present(leg.target).name for leg in only_call().legs] == ["Ada Adams", "Di Diaz"]


def test_looking_the_address_up_again_while_it_still_fails_asks_again_without_scolding(make_app):
    with submit(make_app, closed_port_url(), "12 Main St, Springfield 01001") as (client, _first):
        again = client.post(f"/c/{DEMO}", data=RETRY_ADDRESS)
        assert again.status_code == 200 and nothing_stored()
        assert page(again).text("pick_lower-error") == ""


def test_the_script_names_the_town_of_the_address_when_the_supporter_leaves_it_blank(make_app, census):
    url, _ = census
    with submit(make_app, url, "12 Main St, Springfield 01001") as (client, response):
        assert only_call().supporter_town == "Springfield"
        assert "I live in Springfield." in page(client.get(response.headers["Location"])).visible_text()
