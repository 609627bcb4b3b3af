"""The stand-in sends what Twilio sends: signed webhooks, outbound-api parameters, cookies, redirects."""

from __future__ import annotations

import threading

from flask import Response
from werkzeug.serving import make_server

from tests.voicesim.twiml_app import (
    ACCOUNT,
    OUR_NUMBER,
    OUTBOUND_KEYS,
    PUBLIC,
    SUPPORTER,
    TOKEN,
    TwimlApp,
    run,
    twiml,
)
from voicesim import CallSimulator, RequestsTransport

# --- requests Twilio sends ---------------------------------------------------


def test_first_request_is_signed_for_the_public_url_with_outbound_api_params(app: TwimlApp) -> None:
    app.pages["/voice"] = twiml("<Say>Hello</Say>")
    record = run(app, path="/voice?campaign=7", call_sid="CA" + "b" * 32)

    [hit] = app.hits
    assert hit.url == PUBLIC + "/voice?campaign=7"
    assert hit.signature_ok is True
    assert hit.method == "POST"
    assert set(hit.form) == OUTBOUND_KEYS
    assert hit.form["Direction"] == "outbound-api"
    assert hit.form["CallStatus"] == "in-progress"
    assert hit.form["ApiVersion"] == "2010-04-01"
    assert (hit.form["From"], hit.form["Caller"]) == (OUR_NUMBER, OUR_NUMBER)
    assert (hit.form["To"], hit.form["Called"]) == (SUPPORTER, SUPPORTER)
    assert hit.form["CallSid"] == "CA" + "b" * 32
    assert hit.form["AccountSid"] == ACCOUNT
    assert record.said == ["Hello"]
    assert record.end_reason == "end-of-document"


def test_real_http_transport_signs_url_with_port(app: TwimlApp) -> None:
    app.pages["/voice"] = twiml('<Gather numDigits="1" action="/next"><Say>Pick</Say></Gather>')
    app.pages["/next"] = twiml("<Say>Thanks</Say>")
    server = make_server("127.0.0.1", 0, app.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    transport = RequestsTransport(timeout=5)
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        record = CallSimulator(transport, TOKEN).run(
            base + "/voice", ["2"], to=SUPPORTER, from_=OUR_NUMBER, account_sid=ACCOUNT
        )
    finally:
        transport.close()
        server.shutdown()
        thread.join(timeout=5)
    assert [h.url for h in app.hits] == [base + "/voice", base + "/next"]
    assert [h.signature_ok for h in app.hits] == [True, True]
    assert app.hits[1].form["Digits"] == "2"
    assert record.said == ["Pick", "Thanks"]


def test_get_action_puts_params_in_query_and_signs_full_url(app: TwimlApp) -> None:
    app.pages["/voice"] = twiml('<Gather action="/menu?step=2" method="GET"><Say>Go</Say></Gather>')
    app.pages["/menu"] = twiml("<Hangup/>")
    run(app, ["9"])

    hit = app.hits[1]
    assert hit.method == "GET"
    assert hit.form == {}
    assert hit.args["step"] == "2"
    assert hit.args["Digits"] == "9"
    assert hit.args["CallSid"] == app.hits[0].form["CallSid"]
    assert hit.signature_ok is True


def test_cookies_are_kept_for_the_life_of_the_call(app: TwimlApp) -> None:
    def voice() -> Response:
        resp = Response(twiml('<Gather action="/menu"><Say>Go</Say></Gather>'), mimetype="text/xml")
        resp.set_cookie("flow", "step1")
        return resp

    app.pages["/voice"] = voice
    app.pages["/menu"] = twiml("<Hangup/>")
    record = run(app, ["1"])
    assert app.hits[0].cookie is None
    assert app.hits[1].cookie == "flow=step1"
    assert record.state.cookies == {"flow": "step1"}


def test_http_redirect_307_is_followed_with_post(app: TwimlApp) -> None:
    app.pages["/voice"] = lambda: Response("", status=307, headers={"Location": "/voice2"})
    app.pages["/voice2"] = twiml("<Say>Moved</Say>")
    record = run(app)
    assert [(h.path, h.method, h.signature_ok) for h in app.hits] == [
        ("/voice", "POST", True),
        ("/voice2", "POST", True),
    ]
    assert app.hits[1].form["CallSid"] == app.hits[0].form["CallSid"]
    assert record.said == ["Moved"]
