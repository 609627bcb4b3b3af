"""The Census geocoder client against a local server that answers like the real one."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterator

import pytest
import requests

from lookup import AddressMatch, CensusGeocoder, GeocoderError, LookupRequest, Status, resolve
from lookup.census import parse_response
from tests.support.lookup import Answer, FakeCensus, census_area, census_reply, fake_census, ma_directory

FENWAY = "900 Commonwealth Ave, Boston, MA 02215"
FENWAY_MATCH = census_reply(
    FENWAY,
    matched="900 COMMONWEALTH AVE, BOSTON, MA, 02215",
    zip_code="02215",
    areas=[
        census_area("upper", "25D28", "Suffolk and Middlesex District"),
        census_area("lower", "25130", "Eighth Suffolk District"),
    ],
)
AMHERST = "1 Main St, Amherst, MA 01003"


@pytest.fixture
def census() -> Iterator[FakeCensus]:
    with fake_census() as fake:
        yield fake


def test_the_client_sends_exactly_the_documented_query(census: FakeCensus) -> None:
    census.answers[FENWAY] = Answer.json(FENWAY_MATCH)

    CensusGeocoder(census.base_url, timeout=2).geocode(FENWAY)

    (query,) = census.queries
    assert query.path == "/geocoder/geographies/onelineaddress"
    assert query.params == {
        "address": [FENWAY],
        "benchmark": ["Public_AR_Current"],
        "vintage": ["Current_Current"],
        "layers": ["all"],
        "format": ["json"],
    }


def test_a_match_gives_both_chambers_the_address_and_its_zip(census: FakeCensus) -> None:
    census.answers[FENWAY] = Answer.json(FENWAY_MATCH)

    match = CensusGeocoder(census.base_url, timeout=2).geocode(FENWAY)

    assert match == AddressMatch(
        "900 COMMONWEALTH AVE, BOSTON, MA, 02215",
        "02215",
        "MA",
        {"upper": ("25D28",), "lower": ("25130",)},
    )


def test_an_injected_session_is_the_one_used(census: FakeCensus) -> None:
    census.answers[FENWAY] = Answer.json(FENWAY_MATCH)
    session = requests.Session()
    session.headers["User-Agent"] = "patchthrough-tests"

    CensusGeocoder(census.base_url, timeout=2, session=session).geocode(FENWAY)

    assert census.queries[0].headers["User-Agent"] == "patchthrough-tests"


def test_no_match_is_none(census: FakeCensus) -> None:
    assert CensusGeocoder(census.base_url, timeout=2).geocode("1 Nowhere Rd") is None
    assert census.queries[0].params["address"] == ["1 Nowhere Rd"]


@pytest.mark.parametrize(
    "answer, reason",
    [
        (Answer.json({"errors": ["Address cannot be empty"], "status": "400"}, status=400), "http_status"),
        (Answer(b"<html>Internal Server Error</html>", status=500, content_type="text/html"), "http_status"),
        (Answer(b'{"result": {"addressMatches": [', status=200), "malformed"),
        (Answer.json({"result": {"input": {}}}), "malformed"),
        (Answer.json({"result": {"addressMatches": [{"matchedAddress": "X", "geographies": []}]}}), "malformed"),
        (Answer.json(["not", "an", "object"]), "malformed"),
        (Answer.json(FENWAY_MATCH, delay=2.0), "timeout"),
    ],
    ids=[
        "http_400",
        "http_500",
        "truncated_json",
        "no_matches_list",
        "geographies_not_an_object",
        "json_array",
        "slow",
    ],
)
def test_failures_raise_a_geocoder_error_with_a_reason(census: FakeCensus, answer: Answer, reason: str) -> None:
    census.answers[FENWAY] = answer

    with pytest.raises(GeocoderError) as caught:
        CensusGeocoder(census.base_url, timeout=0.3).geocode(FENWAY)

    assert caught.value.reason == reason


def test_a_closed_port_is_a_connection_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nobody listens on `port` once the probe is closed.
    with pytest.raises(GeocoderError) as caught:
        CensusGeocoder(f"http://127.0.0.1:{port}/geocoder", timeout=1).geocode(FENWAY)
    assert caught.value.reason == "connection"
    # requests quotes the URL, which holds the supporter's address: keep it out of logs.
    assert "Commonwealth" not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_a_failing_geocoder_is_logged_without_the_address(census: FakeCensus, caplog: pytest.LogCaptureFixture) -> None:
    census.answers[FENWAY] = Answer.json(FENWAY_MATCH, delay=2.0)

    with caplog.at_level(logging.WARNING, logger="lookup"):
        resolve(LookupRequest("MA", FENWAY), ma_directory(), CensusGeocoder(census.base_url, timeout=0.2))

    assert [r.getMessage() for r in caplog.records] == ["geocoder failed (timeout); falling back to the ZIP"]


@pytest.mark.parametrize("year", [2022, 2024, 2032])
def test_layer_names_match_whatever_the_vintage_year(year: int) -> None:
    body = census_reply(
        FENWAY,
        matched="M",
        zip_code="02215",
        areas=[census_area("upper", "25D28", "S", year=year), census_area("lower", "25130", "L", year=year)],
    )

    match = parse_response(body)

    assert match is not None
    assert dict(match.districts) == {"upper": ("25D28",), "lower": ("25130",)}


def test_zzz_means_no_district_and_a_missing_layer_is_absent() -> None:
    body = census_reply(
        "Boston Harbor",
        matched="M",
        zip_code="02210",
        areas=[census_area("lower", "25ZZZ", "State House Districts not defined")],
    )

    match = parse_response(body)

    assert match is not None
    assert dict(match.districts) == {"lower": ()}


def test_congressional_and_other_layers_are_not_mistaken_for_legislative_ones() -> None:
    body = census_reply(FENWAY, matched="M", zip_code="02215")
    body["result"]["addressMatches"][0]["geographies"]["2024 State Legislative Districts - Upper Labels"] = [
        {"GEOID": "25D01"}
    ]

    match = parse_response(body)

    assert match is not None
    assert dict(match.districts) == {}


def test_several_matches_keep_every_district_they_fall_in() -> None:
    first = census_reply(
        "1 Main St, MA",
        matched="1 MAIN ST, A, MA, 01003",
        zip_code="01003",
        areas=[census_area("upper", "25D05", "S"), census_area("lower", "25058", "L")],
    )
    second = census_reply(
        "1 Main St, MA",
        matched="1 MAIN ST, B, MA, 01054",
        zip_code="01054",
        areas=[census_area("upper", "25D05", "S"), census_area("lower", "25042", "L")],
    )
    first["result"]["addressMatches"] += second["result"]["addressMatches"]

    match = parse_response(first)

    assert match is not None
    assert (match.zip, dict(match.districts)) == ("01003", {"upper": ("25D05",), "lower": ("25058", "25042")})


# --- through the resolver, on the real MA data --------------------------------------


def test_an_address_in_a_split_zip_is_settled_exactly_by_the_geocoder(census: FakeCensus) -> None:
    census.answers[FENWAY] = Answer.json(FENWAY_MATCH)

    result = resolve(LookupRequest("MA", FENWAY), ma_directory(), CensusGeocoder(census.base_url, timeout=2))

    assert result.status is Status.DONE
    assert [(t.chamber, t.target.name) for t in result.targets] == [
        ("upper", "Will Brownsberger"),
        ("lower", "Jay Livingstone"),
    ]
    assert (result.notes, result.zip, result.matched_address) == (
        (),
        "02215",
        "900 COMMONWEALTH AVE, BOSTON, MA, 02215",
    )


@pytest.mark.parametrize(
    "answer, note_code",
    [
        (Answer.json(census_reply(AMHERST)), "address_not_found"),
        (Answer(b"oops", status=500), "geocoder_unavailable"),
        (Answer(b"{not json", status=200), "geocoder_unavailable"),
        (Answer.json(census_reply(AMHERST), delay=2.0), "geocoder_unavailable"),
    ],
    ids=["no_match", "http_500", "malformed_json", "slow"],
)
def test_geocoder_trouble_falls_back_to_the_typed_zip_and_says_so(
    census: FakeCensus, answer: Answer, note_code: str
) -> None:
    census.answers[AMHERST] = answer
    started = time.monotonic()

    result = resolve(LookupRequest("MA", AMHERST), ma_directory(), CensusGeocoder(census.base_url, timeout=0.3))

    assert time.monotonic() - started < 1.5  # the supporter never waits for the slow answer
    assert result.status is Status.DONE
    assert [t.target.name for t in result.targets] == ["Jo Comerford", "Mindy Domb"]
    assert result.note_codes == (note_code,)
    assert result.zip == "01003"
    assert census.queries[0].params["address"] == [AMHERST]


def test_geocoder_down_in_a_split_zip_asks_instead_of_guessing(census: FakeCensus) -> None:
    census.answers[FENWAY] = Answer(b"", status=503)

    result = resolve(LookupRequest("MA", FENWAY), ma_directory(), CensusGeocoder(census.base_url, timeout=2))

    assert result.status is Status.ASK_DISTRICT
    assert result.note_codes == ("geocoder_unavailable",)
    assert [q.chamber for q in result.questions] == ["upper", "lower"]


def test_no_match_and_no_zip_asks_for_a_zip(census: FakeCensus) -> None:
    result = resolve(
        LookupRequest("MA", "1 Nowhere Rd, Boston"), ma_directory(), CensusGeocoder(census.base_url, timeout=2)
    )

    assert result.status is Status.ASK_ZIP
    assert result.reason is not None
    assert result.reason.text == "We could not find that address. Please type your ZIP code."


def test_an_address_matched_in_another_state_is_out_of_state(census: FakeCensus) -> None:
    concord = "107 N Main St, Concord, NH 03301"
    census.answers[concord] = Answer.json(
        census_reply(
            concord,
            matched="107 N MAIN ST, CONCORD, NH, 03301",
            zip_code="03301",
            state="NH",
            areas=[census_area("upper", "33015", "State Senate District 15")],
        )
    )

    result = resolve(LookupRequest("MA", concord), ma_directory(), CensusGeocoder(census.base_url, timeout=2))

    assert result.status is Status.OUT_OF_STATE
    assert result.reason is not None
    assert result.reason.text == "That address is in New Hampshire; this campaign is for Massachusetts legislators."
