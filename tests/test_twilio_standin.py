"""The REST stand-in and make_client behave like Twilio and the twilio library expect."""

from __future__ import annotations

import re
import threading

import pytest
import requests
from flask import Flask, Response, request
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest.api.v2010.account.call import CallInstance

from dialer.twilio_client import OriginRewritingHttpClient, make_client
from tests.support.settings import CAMPAIGN_NUMBER, TWILIO_SID, TWILIO_TOKEN
from tests.support.twilio_standin import CreatedCall, FakeTwilioRest
from voicesim import (
    CallSimulator,
    DialOutcome,
    WSGITransport,
    deliver_webhooks,
    sign,
    status_callback_requests,
)

SUPPORTER = "+14155550100"
REP = "+12025550111"
PUBLIC = "https://calls.example.org"
SID_RE = re.compile(r"^CA[0-9a-f]{32}$")
RFC2822_RE = re.compile(r"^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$")


def create(client, **overrides):
    kwargs = {"to": SUPPORTER, "from_": CAMPAIGN_NUMBER, "url": PUBLIC + "/voice"}
    kwargs.update(overrides)
    return client.calls.create(**kwargs)


# --- signing ---------------------------------------------------------------------------


def test_signature_matches_twilio_published_test_vector() -> None:
    # Vector from twilio-python's tests/unit/test_request_validator.py.
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+14158675309",
        "Digits": "1234",
        "From": "+14158675309",
        "To": "+18005551212",
    }
    assert sign("12345", url, params) == "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    assert RequestValidator("12345").validate(url, params, "RSOYDt4T1cUTdK1PDd93/VVr8B8=") is True
    assert RequestValidator("54321").validate(url, params, sign("12345", url, params)) is False


# --- make_client -------------------------------------------------------------------------


def test_make_client_without_base_url_is_the_plain_library_client() -> None:
    client = make_client(TWILIO_SID, TWILIO_TOKEN, timeout=7.5)
    assert type(client.http_client) is TwilioHttpClient
    assert client.http_client.timeout == 7.5
    assert client.auth == (TWILIO_SID, TWILIO_TOKEN)


def test_origin_rewrite_keeps_path_query_and_prefix() -> None:
    http = OriginRewritingHttpClient("https://proxy.example.net:8443/twilio/", timeout=3)
    assert (
        http.rewrite("https://api.twilio.com/2010-04-01/Accounts/AC1/Calls.json?Page=2")
        == "https://proxy.example.net:8443/twilio/2010-04-01/Accounts/AC1/Calls.json?Page=2"
    )
    assert http.rewrite("https://lookups.twilio.com/v2/PhoneNumbers/+14155550100") == (
        "https://proxy.example.net:8443/twilio/v2/PhoneNumbers/+14155550100"
    )
    with pytest.raises(ValueError, match="must be an absolute http"):
        OriginRewritingHttpClient("api.example.net")


def test_client_creates_call_on_stand_in(rest: FakeTwilioRest) -> None:
    client = make_client(TWILIO_SID, TWILIO_TOKEN, api_base_url=rest.base_url)
    call = create(
        client,
        status_callback=PUBLIC + "/status",
        status_callback_event=["initiated", "ringing", "answered", "completed"],
        machine_detection="Enable",
    )

    assert isinstance(call, CallInstance)
    [created] = rest.created()
    assert call.sid == created.sid
    assert SID_RE.match(call.sid)
    assert (call.status, call.to, call._from, call.direction) == ("queued", SUPPORTER, CAMPAIGN_NUMBER, "outbound-api")
    assert call.account_sid == TWILIO_SID
    assert call.api_version == "2010-04-01"
    assert call.uri == f"/2010-04-01/Accounts/{TWILIO_SID}/Calls/{call.sid}.json"
    assert RFC2822_RE.match(created.resource["date_created"])
    assert call.date_created is not None and call.date_created.tzinfo is not None

    [req] = rest.requests
    assert (req.method, req.path, req.auth, req.status) == (
        "POST",
        f"/2010-04-01/Accounts/{TWILIO_SID}/Calls.json",
        (TWILIO_SID, TWILIO_TOKEN),
        201,
    )
    assert req.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert req.params["Url"] == PUBLIC + "/voice"
    assert req.params["MachineDetection"] == "Enable"
    assert req.all("StatusCallbackEvent") == ["initiated", "ringing", "answered", "completed"]

    fetched = client.calls(call.sid).fetch()
    assert (fetched.sid, fetched.status) == (call.sid, "queued")
    rest.set_status(call.sid, "completed", duration=61)
    assert client.calls(call.sid).fetch().duration == "61"


def test_a_live_call_is_redirected_to_a_new_url_and_an_ended_one_is_refused(rest: FakeTwilioRest) -> None:
    client = make_client(TWILIO_SID, TWILIO_TOKEN, api_base_url=rest.base_url)
    call = create(client, machine_detection="Enable", async_amd="true", async_amd_status_callback=PUBLIC + "/amd")
    [created] = rest.created()
    assert (created.params["AsyncAmd"], created.params["AsyncAmdStatusCallback"]) == ("true", PUBLIC + "/amd")

    client.calls(call.sid).update(url=PUBLIC + "/voicemail", method="POST")
    assert created.updates == [{"Url": PUBLIC + "/voicemail", "Method": "POST"}]

    rest.set_status(call.sid, "completed")
    with pytest.raises(TwilioRestException) as info:
        client.calls(call.sid).update(url=PUBLIC + "/voicemail")
    assert (info.value.status, info.value.code) == (400, 21220)
    assert len(created.updates) == 1
    with pytest.raises(TwilioRestException) as missing:
        client.calls("CA" + "0" * 32).update(url=PUBLIC + "/voicemail")
    assert missing.value.code == 20404


def test_fetching_unknown_call_is_20404(rest: FakeTwilioRest) -> None:
    client = make_client(TWILIO_SID, TWILIO_TOKEN, api_base_url=rest.base_url)
    with pytest.raises(TwilioRestException) as info:
        client.calls("CA" + "0" * 32).fetch()
    assert (info.value.status, info.value.code) == (404, 20404)


def test_wrong_auth_token_is_401_with_code_20003(rest: FakeTwilioRest) -> None:
    client = make_client(TWILIO_SID, "wrong-token", api_base_url=rest.base_url)
    with pytest.raises(TwilioRestException) as info:
        create(client)
    assert (info.value.status, info.value.code) == (401, 20003)
    assert "Authenticate" in info.value.msg
    assert rest.created() == []
    raw = requests.post(f"{rest.base_url}/2010-04-01/Accounts/{TWILIO_SID}/Calls.json", data={}, timeout=5)
    assert raw.status_code == 401
    assert raw.headers["WWW-Authenticate"] == 'Basic realm="Twilio API"'
    assert raw.json() == {
        "code": 20003,
        "message": "Authenticate",
        "more_info": "https://www.twilio.com/docs/errors/20003",
        "status": 401,
    }


def test_other_account_in_path_is_rejected(rest: FakeTwilioRest) -> None:
    client = make_client(TWILIO_SID, TWILIO_TOKEN, api_base_url=rest.base_url)
    with pytest.raises(TwilioRestException) as info:
        client.api.v2010.accounts("AC" + "9" * 32).calls.create(to=SUPPORTER, from_=CAMPAIGN_NUMBER, url=PUBLIC)
    assert info.value.code == 20003


@pytest.mark.parametrize(
    ("overrides", "code", "message"),
    [
        ({"to": "4155550100"}, 21211, "Invalid 'To' Phone Number: 4155550100"),
        ({"to": "+1415555010a"}, 21211, "Invalid 'To' Phone Number"),
        ({"from_": "+15005550009"}, 21210, "is not yet verified for your account"),
        ({"from_": "our-number"}, 21212, "Invalid From Number"),
        ({"url": None}, 21205, "Url parameter is required."),
        ({"url": "/relative/voice"}, 21205, "Url is not a valid URL"),
        ({"status_callback_event": ["initiated", "hungup"]}, 21200, "Invalid StatusCallbackEvent"),
        ({"machine_detection": "Async"}, 21200, "Invalid MachineDetection"),
        ({"async_amd": "yes"}, 21200, "Invalid AsyncAmd"),
    ],
)
def test_invalid_create_parameters(rest: FakeTwilioRest, overrides: dict, code: int, message: str) -> None:
    client = make_client(TWILIO_SID, TWILIO_TOKEN, api_base_url=rest.base_url)
    with pytest.raises(TwilioRestException) as info:
        create(client, **overrides)
    assert (info.value.status, info.value.code) == (400, code)
    assert message in info.value.msg
    assert rest.created() == []


def test_twiml_instead_of_url_is_accepted(rest: FakeTwilioRest) -> None:
    client = make_client(TWILIO_SID, TWILIO_TOKEN, api_base_url=rest.base_url)
    call = create(client, url=None, twiml="<Response><Say>Hi</Say></Response>")
    assert rest.created()[0].params["Twiml"] == "<Response><Say>Hi</Say></Response>"
    assert SID_RE.match(call.sid)


# --- programmable faults -------------------------------------------------------------------


@pytest.mark.parametrize(("status", "code"), [(429, 20429), (500, 20500), (503, 20503)])
def test_programmed_failures_then_recovery(rest: FakeTwilioRest, status: int, code: int) -> None:
    client = make_client(TWILIO_SID, TWILIO_TOKEN, api_base_url=rest.base_url)
    rest.fail_next(2, status=status)
    for _ in range(2):
        with pytest.raises(TwilioRestException) as info:
            create(client)
        assert (info.value.status, info.value.code) == (status, code)
    assert SID_RE.match(create(client).sid)
    assert [r.status for r in rest.requests] == [status, status, 201]
    assert len(rest.created()) == 1


def test_slow_reply_times_out_client_but_call_was_created(rest: FakeTwilioRest) -> None:
    client = make_client(TWILIO_SID, TWILIO_TOKEN, api_base_url=rest.base_url, timeout=0.2)
    rest.delay_next(1, seconds=2.0)
    with pytest.raises(requests.exceptions.ReadTimeout):
        create(client)
    # The ambiguous real-world case: the client gave up, Twilio placed the call.
    assert len(rest.created()) == 1
    assert rest.requests[0].status == 201


# --- end to end: REST stand-in places the call, simulator runs it -----------------------------


def test_on_call_created_hook_runs_the_call_against_the_app() -> None:
    hits: list[tuple[str, dict[str, str], bool]] = []
    validator = RequestValidator(TWILIO_TOKEN)
    app = Flask("e2e_app")

    @app.post("/<path:path>")
    def webhook(path: str) -> Response:
        ok = validator.validate(request.url, request.form, request.headers.get("X-Twilio-Signature", ""))
        hits.append((path, request.form.to_dict(), ok))
        pages = {
            "voice": '<Response><Gather action="/call" numDigits="1"><Say>Press 1</Say></Gather></Response>',
            "call": f'<Response><Dial action="/dialed"><Number>{REP}</Number></Dial></Response>',
            "dialed": "<Response><Say>Thank you</Say></Response>",
            "status": "<Response/>",
        }
        return Response(pages[path], mimetype="text/xml")

    done = threading.Event()
    records = []

    def place_call(call: CreatedCall) -> None:
        # What Twilio does after accepting the call: run it and report status.
        try:
            sim = CallSimulator(WSGITransport(app), TWILIO_TOKEN, dial_scenario={REP: DialOutcome.answered(20)})
            record = sim.run(
                call.params["Url"],
                ["1"],
                to=call.params["To"],
                from_=call.params["From"],
                account_sid=TWILIO_SID,
                call_sid=call.sid,
            )
            records.append(record)
            callbacks = status_callback_requests(
                call_params=record.state.call_params,
                url=call.params["StatusCallback"],
                events=call.all("StatusCallbackEvent"),
                duration=record.state.elapsed,
            )
            deliver_webhooks(WSGITransport(app), TWILIO_TOKEN, callbacks)
        finally:
            done.set()

    with FakeTwilioRest(TWILIO_SID, TWILIO_TOKEN, owned_numbers=[CAMPAIGN_NUMBER], on_call_created=place_call) as rest:
        client = make_client(TWILIO_SID, TWILIO_TOKEN, api_base_url=rest.base_url)
        sid = create(client, status_callback=PUBLIC + "/status", status_callback_event=["answered", "completed"]).sid
        assert done.wait(5)
    assert rest.hook_errors == []

    assert [p for p, _, _ in hits] == ["voice", "call", "dialed", "status", "status"]
    assert all(ok for _, _, ok in hits)
    assert {form["CallSid"] for _, form, _ in hits} == {sid}
    assert hits[2][1]["DialCallDuration"] == "20"
    assert [(f["CallStatus"], f["SequenceNumber"]) for _, f, _ in hits[3:]] == [
        ("in-progress", "0"),
        ("completed", "1"),
    ]
    assert hits[4][1]["CallDuration"] == str(records[0].state.elapsed)
    assert records[0].said == ["Press 1", "Thank you"]


def test_server_stops_cleanly_while_a_reply_is_delayed() -> None:
    server = FakeTwilioRest(TWILIO_SID, TWILIO_TOKEN, owned_numbers=[CAMPAIGN_NUMBER]).start()
    base = server.base_url
    server.delay_next(1, seconds=30)
    client = make_client(TWILIO_SID, TWILIO_TOKEN, api_base_url=base, timeout=0.2)
    with pytest.raises(requests.exceptions.ReadTimeout):
        create(client)
    server.stop()  # must not wait the 30 s
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(base + "/", timeout=1)
