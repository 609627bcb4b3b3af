"""Calls dialed in to our number, and speech at a <Gather>: what the stand-in sends, as Twilio does."""

from __future__ import annotations

import pytest

from tests.voicesim.twiml_app import ACCOUNT, OUR_NUMBER, PUBLIC, SUPPORTER, TwimlApp, simulator, twiml
from voicesim import CallRecord, Gathered, Speech

SPEECH_GATHER = twiml(
    '<Gather input="speech dtmf" action="/heard" speechTimeout="auto" numDigits="1">'
    "<Say>Say your street address</Say></Gather><Say>Nothing heard</Say>"
)


def dial_in(app: TwimlApp, inputs: list) -> CallRecord:
    """The supporter dials our number: Twilio requests its Voice URL."""
    return simulator(app).run(
        PUBLIC + "/voice", inputs, to=OUR_NUMBER, from_=SUPPORTER, account_sid=ACCOUNT, direction="inbound"
    )


def test_an_inbound_call_rings_on_its_first_request_and_is_in_progress_after(app: TwimlApp) -> None:
    app.pages["/voice"] = twiml('<Gather action="/menu" numDigits="1"><Say>Hi</Say></Gather>')
    app.pages["/menu"] = twiml("<Hangup/>")
    dial_in(app, ["1"])

    first, second = app.hits[0].form, app.hits[1].form
    assert (first["Direction"], first["CallStatus"]) == ("inbound", "ringing")
    assert (first["From"], first["To"], first["Caller"], first["Called"]) == (
        SUPPORTER,
        OUR_NUMBER,
        SUPPORTER,
        OUR_NUMBER,
    )
    assert (second["Direction"], second["CallStatus"]) == ("inbound", "in-progress")


def test_speech_posts_speech_result_and_confidence_without_digits(app: TwimlApp) -> None:
    app.pages["/voice"] = SPEECH_GATHER
    app.pages["/heard"] = twiml("<Hangup/>")
    record = dial_in(app, [Speech("12 Main Street", 0.87)])

    form = app.hits[1].form
    assert (form["SpeechResult"], form["Confidence"]) == ("12 Main Street", "0.87000000")
    assert "Digits" not in form
    assert record.of(Gathered)[0].speech == "12 Main Street"


def test_speech_to_a_keypad_only_gather_is_silence(app: TwimlApp) -> None:
    app.pages["/voice"] = twiml('<Gather action="/heard" numDigits="1"><Say>Press 1</Say></Gather><Say>Bye</Say>')
    record = dial_in(app, [Speech("one")])

    assert [h.path for h in app.hits] == ["/voice"]
    assert record.said == ["Press 1", "Bye"]


def test_speech_confidence_is_twilios_range() -> None:
    with pytest.raises(ValueError, match="confidence"):
        Speech("hello", confidence=1.5)
