"""Responses Twilio would reject are rejected: invalid TwiML, HTTP failures, content types, size."""

from __future__ import annotations

import re

import pytest
from flask import Response

from tests.voicesim.twiml_app import PUBLIC, TwimlApp, run, twiml
from voicesim import NotSimulatedError, TwiMLError, parse_twiml

# --- invalid responses --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        ("<Response><Speak>Hi</Speak></Response>", 12100, "<Speak> is not a TwiML verb"),
        ("<Response><Gather><Gather/></Gather></Response>", 12200, "cannot be nested"),
        ("<Response><Gather><Dial>+12025550111</Dial></Gather></Response>", 12200, "only contain"),
        ("<Response><Number>+12025550111</Number></Response>", 12100, "only valid inside <Dial>"),
        ("<Response><Say>Hi</Response>", 12100, "parse failure"),
        ("<response><Say>Hi</Say></response>", 12102, "root element"),
        ('<Response><Gather numDigits="one"/></Response>', 12200, "positive integer"),
        ('<Response><Gather actionOnEmptyResult="yes"/></Response>', 12200, "true or false"),
        ('<Response><Gather method="PUT"/></Response>', 12200, "GET or POST"),
        ('<Response><Gather action="ftp://x/y"/></Response>', 12200, "http"),
        ('<Response><Gather numdigits="1"/></Response>', 12200, "unknown attribute 'numdigits'"),
        ("<Response><Dial>+12025550111<Number>+12025550122</Number></Dial></Response>", 12200, "mixes"),
        ('<Response><Dial><Number sendDigits="12x">+12025550111</Number></Dial></Response>', 12200, "digits"),
        ("<Response><Dial><Say>x</Say></Dial></Response>", 12200, "cannot contain <Say>"),
        ("<Response><Say></Say></Response>", 13520, "no text"),
        ("<Response><Redirect/></Response>", 12200, "needs a URL"),
        ("<Response>loose text<Hangup/></Response>", 12200, "stray text"),
    ],
)
def test_invalid_twiml_raises(app: TwimlApp, body: str, code: int, message: str) -> None:
    app.pages["/voice"] = body
    with pytest.raises(TwiMLError, match=re.escape(message)) as info:
        run(app)
    assert info.value.code == code
    assert info.value.url == PUBLIC + "/voice"


def test_unknown_attribute_is_accepted_when_not_strict(app: TwimlApp) -> None:
    app.pages["/voice"] = twiml('<Say voise="alice">Hi</Say>')
    assert run(app, strict=False).said == ["Hi"]


def test_server_error_raises_http_retrieval_failure(app: TwimlApp) -> None:
    app.pages["/voice"] = lambda: Response("boom", status=500)
    with pytest.raises(TwiMLError, match="status 500") as info:
        run(app)
    assert info.value.code == 11200


def test_non_xml_content_types(app: TwimlApp) -> None:
    app.pages["/voice"] = lambda: Response('{"say": "hi"}', mimetype="application/json")
    with pytest.raises(TwiMLError, match="application/json") as info:
        run(app)
    assert info.value.code == 12300


def test_text_html_rejected_in_strict_mode_but_parsed_like_twilio_otherwise(app: TwimlApp) -> None:
    app.pages["/voice"] = lambda: Response(twiml("<Say>Hi</Say>"), mimetype="text/html")
    with pytest.raises(TwiMLError, match="text/html"):
        run(app)
    assert run(app, strict=False).said == ["Hi"]


def test_text_plain_is_read_aloud_when_not_strict(app: TwimlApp) -> None:
    app.pages["/voice"] = lambda: Response("Sorry, we are closed", mimetype="text/plain")
    record = run(app, strict=False)
    assert record.said == ["Sorry, we are closed"]
    assert record.end_reason == "end-of-document"


def test_response_over_64kb_is_rejected(app: TwimlApp) -> None:
    app.pages["/voice"] = twiml("<Say>" + "a" * (64 * 1024) + "</Say>")
    with pytest.raises(TwiMLError, match="64 kB") as info:
        run(app)
    assert info.value.code == 11750


def test_valid_but_unsimulated_verb(app: TwimlApp) -> None:
    app.pages["/voice"] = twiml('<Record maxLength="30"/>')
    with pytest.raises(NotSimulatedError, match="Record"):
        run(app)


def test_parse_twiml_accepts_all_documented_nesting() -> None:
    root = parse_twiml(
        twiml(
            '<Gather input="dtmf" numDigits="1" finishOnKey="" timeout="3" actionOnEmptyResult="false">'
            '<Say loop="2">a</Say><Play digits="1w2"/><Pause length="1"/></Gather>'
            '<Dial hangupOnStar="true" timeLimit="600" answerOnBridge="true" record="record-from-answer">'
            '<Number sendDigits="ww123#" statusCallbackEvent="initiated completed" '
            'statusCallback="/cb" statusCallbackMethod="POST">(202) 555-0111</Number>'
            "<Client>alice</Client><Sip>sip:bob@example.org</Sip></Dial>"
            '<Reject reason="busy"/>'
        )
    )
    assert [el.tag for el in root] == ["Gather", "Dial", "Reject"]
