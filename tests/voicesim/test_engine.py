"""The TwiML simulator behaves like Twilio: signing, parameters, verbs, errors, state."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from typing import Callable, Iterator, Union

import pytest
from flask import Flask, Response, request
from twilio.request_validator import RequestValidator
from werkzeug.serving import make_server

from voicesim import (
    HANGUP,
    CallLimitExceeded,
    CallSimulator,
    DialOutcome,
    DialTarget,
    Ended,
    Gathered,
    Limits,
    NotSimulatedError,
    Paused,
    Played,
    Redirected,
    Requested,
    RequestsTransport,
    Said,
    ScriptError,
    SimCallState,
    TwiMLError,
    WebhookRequest,
    WSGITransport,
    deliver_webhooks,
    describe_wait,
    event_from_dict,
    event_to_dict,
    parse_twiml,
    status_callback_requests,
)

TOKEN = "test-auth-token-0123"
ACCOUNT = "AC" + "a" * 32
PUBLIC = "https://calls.example.org"
SUPPORTER = "+14155550100"
OUR_NUMBER = "+15005550006"
REP = "+12025550111"
SEN = "+12025550122"
SID_RE = re.compile(r"^CA[0-9a-f]{32}$")

OUTBOUND_KEYS = {
    "AccountSid", "ApiVersion", "CallSid", "CallStatus", "Direction", "From", "To", "Caller", "Called",
    "FromCity", "FromState", "FromZip", "FromCountry", "ToCity", "ToState", "ToZip", "ToCountry",
    "CallerCity", "CallerState", "CallerZip", "CallerCountry",
    "CalledCity", "CalledState", "CalledZip", "CalledCountry",
}  # fmt: skip


@dataclass
class Hit:
    """One webhook request as our throwaway app saw it."""

    path: str
    method: str
    url: str
    form: dict[str, str]
    args: dict[str, str]
    signature_ok: bool
    cookie: str | None


Page = Union[str, Callable[[], Response]]


class TwimlApp:
    """A throwaway Flask app serving hand-written TwiML per path and recording hits."""

    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.hits: list[Hit] = []
        self.app = Flask("twiml_test_app")
        validator = RequestValidator(TOKEN)

        @self.app.route("/<path:path>", methods=["GET", "POST"])
        def serve(path: str) -> Response:
            signature = request.headers.get("X-Twilio-Signature", "")
            params = request.form if request.method == "POST" else {}
            self.hits.append(
                Hit(
                    path="/" + path,
                    method=request.method,
                    url=request.url,
                    form=request.form.to_dict(),
                    args=request.args.to_dict(),
                    signature_ok=validator.validate(request.url, params, signature),
                    cookie=request.headers.get("Cookie"),
                )
            )
            page = self.pages["/" + path]
            if callable(page):
                return page()
            return Response(page, mimetype="text/xml")

    def hits_for(self, path: str) -> list[Hit]:
        """Hits on one path."""
        return [h for h in self.hits if h.path == path]


@pytest.fixture
def app() -> TwimlApp:
    return TwimlApp()


def simulator(app: TwimlApp, **kwargs: object) -> CallSimulator:
    return CallSimulator(WSGITransport(app.app), TOKEN, **kwargs)  # type: ignore[arg-type]


def run(app: TwimlApp, inputs: list[object] | None = None, path: str = "/voice", **kwargs: object):
    sim_kwargs = {k: kwargs.pop(k) for k in ("dial_scenario", "limits", "strict") if k in kwargs}
    return simulator(app, **sim_kwargs).run(  # type: ignore[arg-type]
        PUBLIC + path, inputs or [], to=SUPPORTER, from_=OUR_NUMBER, account_sid=ACCOUNT, **kwargs
    )


def twiml(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><Response>{body}</Response>'


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


def test_answered_by_is_sent_on_the_first_request_only(app: TwimlApp) -> None:
    app.pages["/voice"] = twiml('<Gather action="/menu"><Say>Press 1</Say></Gather>')
    app.pages["/menu"] = twiml("<Hangup/>")
    run(app, ["1"], answered_by="machine_start")

    assert app.hits[0].form["AnsweredBy"] == "machine_start"
    assert "AnsweredBy" not in app.hits[1].form


def test_answered_by_must_be_a_twilio_value(app: TwimlApp) -> None:
    with pytest.raises(ValueError, match="AnsweredBy"):
        run(app, answered_by="robot")


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
    assert [(h.path, h.method, h.signature_ok) for h in app.hits] == [("/voice", "POST", True), ("/voice2", "POST", True)]
    assert app.hits[1].form["CallSid"] == app.hits[0].form["CallSid"]
    assert record.said == ["Moved"]


# --- Say / Play / Pause / Hangup -------------------------------------------------


def test_transcript_of_say_play_pause_hangup(app: TwimlApp) -> None:
    app.pages["/voice"] = twiml(
        '<Say voice="Polly.Joanna" language="en-US">Thanks for calling</Say>'
        "<Play>/audio/intro.mp3</Play><Pause length=\"2\"/><Hangup/><Say>never</Say>"
    )
    record = run(app)
    assert [e for e in record.events if not isinstance(e, Requested)] == [
        Said(text="Thanks for calling", voice="Polly.Joanna", language="en-US"),
        Played(url=PUBLIC + "/audio/intro.mp3"),
        Paused(length=2),
        Ended(reason="hangup"),
    ]
    assert record.state.elapsed == 2


def test_say_text_with_ssml_is_flattened(app: TwimlApp) -> None:
    app.pages["/voice"] = twiml('<Say>Call <emphasis>now</emphasis><break time="1s"/> please</Say>')
    assert run(app).said == ["Call now please"]


# --- Gather ------------------------------------------------------------------------


GATHER = twiml(
    '<Gather action="/menu" numDigits="1" timeout="7"><Say>Press 1 to start</Say></Gather>'
    "<Say>We did not get your choice</Say>"
)


def test_gather_digits_post_to_action_with_digits(app: TwimlApp) -> None:
    app.pages["/voice"] = GATHER
    app.pages["/menu"] = twiml("<Say>Starting</Say>")
    record = run(app, ["1"])

    assert app.hits[1].path == "/menu"
    assert app.hits[1].form["Digits"] == "1"
    assert set(app.hits[1].form) == OUTBOUND_KEYS | {"Digits"}
    assert record.said == ["Press 1 to start", "Starting"]
    assert record.of(Gathered) == [
        Gathered(keys="1", digits="1", submitted=True, action=PUBLIC + "/menu", timed_out=False)
    ]
    assert record.of(Said)[0].in_gather is True


def test_gather_timeout_falls_through_to_next_verb(app: TwimlApp) -> None:
    app.pages["/voice"] = GATHER
    record = run(app, [None])

    assert [h.path for h in app.hits] == ["/voice"]
    assert record.said == ["Press 1 to start", "We did not get your choice"]
    assert record.of(Gathered) == [
        Gathered(keys=None, digits="", submitted=False, action=PUBLIC + "/menu", timed_out=True)
    ]
    assert record.state.elapsed == 7


def test_gather_timeout_with_action_on_empty_result_posts_empty_digits(app: TwimlApp) -> None:
    app.pages["/voice"] = twiml(
        '<Gather action="/menu" actionOnEmptyResult="true"><Say>Press</Say></Gather><Say>unreached</Say>'
    )
    app.pages["/menu"] = twiml("<Say>Empty handled</Say>")
    record = run(app, [None])

    assert app.hits[1].path == "/menu"
    assert app.hits[1].form["Digits"] == ""
    assert record.said == ["Press", "Empty handled"]


@pytest.mark.parametrize(
    ("attrs", "keys", "digits"),
    [
        ("", "123#", "123"),  # default finishOnKey is #, not included in Digits
        ('numDigits="2"', "345", "34"),  # stops at numDigits
        ('finishOnKey="*"', "12*9", "12"),
        ('finishOnKey=""', "5#", "5#"),  # empty finishOnKey: # is an ordinary key
        ("", "42", "42"),  # timeout after some digits still submits them
    ],
)
def test_gather_digit_rules(app: TwimlApp, attrs: str, keys: str, digits: str) -> None:
    app.pages["/voice"] = twiml(f'<Gather action="/menu" {attrs}><Say>Go</Say></Gather>')
    app.pages["/menu"] = twiml("<Hangup/>")
    run(app, [keys])
    assert app.hits[1].form["Digits"] == digits


def test_gather_finish_key_alone_is_like_no_input(app: TwimlApp) -> None:
    app.pages["/voice"] = GATHER.replace('numDigits="1" ', "")
    record = run(app, ["#"])
    assert [h.path for h in app.hits] == ["/voice"]
    assert record.of(Gathered)[0].timed_out is False
    assert record.said[-1] == "We did not get your choice"


def test_gather_without_action_posts_to_current_document(app: TwimlApp) -> None:
    calls = iter([twiml("<Gather><Say>Again</Say></Gather>"), twiml("<Hangup/>")])
    app.pages["/voice"] = lambda: Response(next(calls), mimetype="text/xml")
    run(app, ["7"], path="/voice?x=1")
    assert [(h.url, h.form.get("Digits")) for h in app.hits] == [
        (PUBLIC + "/voice?x=1", None),
        (PUBLIC + "/voice?x=1", "7"),
    ]


def test_caller_hangs_up_during_gather(app: TwimlApp) -> None:
    app.pages["/voice"] = GATHER
    record = run(app, [HANGUP])
    assert record.events[-1] == Ended(reason="caller-hangup", detail="caller hung up during <Gather>")
    assert len(app.hits) == 1


def test_endless_prompt_with_silence_means_the_caller_hangs_up(app: TwimlApp) -> None:
    app.pages["/voice"] = twiml('<Gather action="/menu"><Say loop="0">Press 1</Say></Gather><Say>unreached</Say>')
    record = run(app, [None])
    assert record.said == ["Press 1"]
    assert record.events[-1] == Ended(reason="caller-hangup", detail="silence during an endless <Gather> prompt")


def test_gather_input_must_be_dtmf_keys(app: TwimlApp) -> None:
    app.pages["/voice"] = GATHER
    with pytest.raises(ScriptError, match="0-9"):
        run(app, ["1a"])


# --- Dial ----------------------------------------------------------------------------


DIAL = twiml(
    '<Say>Connecting</Say><Dial action="/dialed" callerId="+15005550006" timeout="20">'
    f'<Number sendDigits="wwww1">{REP}</Number></Dial><Say>unreached</Say>'
)


def test_dial_answered_posts_dial_params_to_action(app: TwimlApp) -> None:
    app.pages["/voice"] = DIAL
    app.pages["/dialed"] = twiml("<Say>Thank you</Say>")
    record = run(app, dial_scenario={REP: DialOutcome.answered(42)})

    form = app.hits[1].form
    assert form["DialCallStatus"] == "completed"
    assert form["DialCallDuration"] == "42"
    assert form["DialBridged"] == "true"
    assert SID_RE.match(form["DialCallSid"])
    assert form["DialCallSid"] != form["CallSid"]
    assert set(form) == OUTBOUND_KEYS | {"DialCallStatus", "DialCallDuration", "DialCallSid", "DialBridged"}
    [dialed] = record.dials
    assert dialed.targets == (DialTarget(kind="number", value=REP, send_digits="wwww1"),)
    assert (dialed.connected, dialed.caller_id, dialed.action) == (REP, OUR_NUMBER, PUBLIC + "/dialed")
    assert record.said == ["Connecting", "Thank you"]


@pytest.mark.parametrize("outcome", [DialOutcome.busy(), DialOutcome.no_answer(), DialOutcome.failed()])
def test_dial_not_answered_reports_status_without_duration(app: TwimlApp, outcome: DialOutcome) -> None:
    app.pages["/voice"] = DIAL
    app.pages["/dialed"] = twiml("<Hangup/>")
    record = run(app, dial_scenario={REP: outcome})

    form = app.hits[1].form
    assert form["DialCallStatus"] == outcome.status
    assert form["DialBridged"] == "false"
    assert "DialCallDuration" not in form
    assert record.dials[0].connected is None
    # no-answer rings for the Dial timeout (20 s); busy/failed end at once.
    assert record.state.elapsed == (20 if outcome.status == "no-answer" else 0)


def test_dial_without_action_continues_with_next_verb(app: TwimlApp) -> None:
    app.pages["/voice"] = twiml(f"<Dial>{REP}</Dial><Say>Next office</Say><Dial>{SEN}</Dial>")
    record = run(app, dial_scenario={REP: DialOutcome.busy(), SEN: DialOutcome.answered(3)})
    assert len(app.hits) == 1
    assert [(d.targets[0].value, d.status) for d in record.dials] == [(REP, "busy"), (SEN, "completed")]
    assert record.said == ["Next office"]
    assert record.end_reason == "end-of-document"


def test_hangup_on_star_ends_only_the_dialed_leg(app: TwimlApp) -> None:
    app.pages["/voice"] = twiml(f'<Dial action="/dialed" hangupOnStar="true"><Number>{REP}</Number></Dial>')
    app.pages["/dialed"] = twiml("<Say>Next</Say>")
    record = run(app, dial_scenario={REP: DialOutcome.pressed_star(after=7)})

    assert app.hits[1].form["DialCallStatus"] == "completed"
    assert app.hits[1].form["DialCallDuration"] == "7"
    assert record.dials[0].hung_up_on_star is True
    assert record.said == ["Next"]


def test_star_is_ignored_without_hangup_on_star(app: TwimlApp) -> None:
    app.pages["/voice"] = twiml(f'<Dial action="/dialed"><Number>{REP}</Number></Dial>')
    app.pages["/dialed"] = twiml("<Hangup/>")
    record = run(app, dial_scenario={REP: DialOutcome.pressed_star(after=7, talk_seconds=90)})
    assert app.hits[1].form["DialCallDuration"] == "90"
    assert record.dials[0].hung_up_on_star is False


def test_time_limit_caps_the_bridged_call(app: TwimlApp) -> None:
    app.pages["/voice"] = twiml(f'<Dial action="/dialed" timeLimit="60">{REP}</Dial>')
    app.pages["/dialed"] = twiml("<Hangup/>")
    run(app, dial_scenario={REP: DialOutcome.answered(300)})
    assert app.hits[1].form["DialCallDuration"] == "60"


def test_caller_hanging_up_during_dial_still_posts_action_then_ends(app: TwimlApp) -> None:
    app.pages["/voice"] = DIAL
    app.pages["/dialed"] = twiml("<Say>ignored, caller is gone</Say>")
    record = run(app, dial_scenario={REP: DialOutcome.caller_hangup(after=12)})

    form = app.hits[1].form
    assert (form["CallStatus"], form["DialCallStatus"], form["DialCallDuration"]) == ("completed", "completed", "12")
    assert record.said == ["Connecting"]
    assert record.end_reason == "caller-hangup"


def test_simultaneous_numbers_first_answering_party_wins(app: TwimlApp) -> None:
    app.pages["/voice"] = twiml(f"<Dial><Number>{REP}</Number><Number>{SEN}</Number></Dial>")
    record = run(app, dial_scenario={REP: DialOutcome.no_answer(), SEN: DialOutcome.answered(5)})
    assert record.dials[0].connected == SEN
    assert record.dials[0].status == "completed"


def test_unscripted_dial_waits_for_an_outcome(app: TwimlApp) -> None:
    app.pages["/voice"] = DIAL
    app.pages["/dialed"] = twiml("<Say>Done</Say>")
    sim = simulator(app)
    step = sim.start(PUBLIC + "/voice", to=SUPPORTER, from_=OUR_NUMBER, account_sid=ACCOUNT)
    assert step.waiting_for == "dial"
    assert describe_wait(step.state) == {
        "verb": "Dial",
        "attributes": {"action": "/dialed", "callerId": OUR_NUMBER, "timeout": "20"},
        "targets": [REP],
    }
    with pytest.raises(ScriptError, match="dial outcome"):
        sim.resume(step.state, "1")
    done = sim.resume(step.state, DialOutcome.answered(8))
    assert done.finished is True
    assert app.hits[1].form["DialCallDuration"] == "8"
    assert [e.text for e in done.events if isinstance(e, Said)] == ["Done"]


def test_scripted_dial_outcome_missing_raises(app: TwimlApp) -> None:
    app.pages["/voice"] = DIAL
    with pytest.raises(ScriptError, match="dial"):
        run(app, dial_scenario={})


# --- Redirect and limits ---------------------------------------------------------------


def test_redirect_fetches_the_new_document(app: TwimlApp) -> None:
    app.pages["/voice"] = twiml('<Redirect method="POST">/step2</Redirect><Say>unreached</Say>')
    app.pages["/step2"] = twiml("<Say>Step two</Say>")
    record = run(app)
    assert record.of(Redirected) == [Redirected(url=PUBLIC + "/step2", method="POST")]
    assert record.said == ["Step two"]
    assert app.hits[1].signature_ok is True


def test_redirect_loop_is_bounded(app: TwimlApp) -> None:
    app.pages["/voice"] = twiml("<Redirect>/voice</Redirect>")
    with pytest.raises(CallLimitExceeded, match="more than 10 requests") as info:
        run(app, limits=Limits(max_requests=10))
    assert len(app.hits) == 10
    assert len([e for e in info.value.events if isinstance(e, Redirected)]) == 10


def test_gather_loop_on_silence_is_bounded_by_script(app: TwimlApp) -> None:
    app.pages["/voice"] = twiml('<Gather action="/voice"><Say>Press</Say></Gather><Redirect>/voice</Redirect>')
    with pytest.raises(CallLimitExceeded):
        run(app, [None] * 20, limits=Limits(max_requests=5))


def test_inputs_running_out_is_an_error(app: TwimlApp) -> None:
    app.pages["/voice"] = GATHER
    with pytest.raises(ScriptError, match="ran out") as info:
        run(app, [])
    assert [e.text for e in info.value.events if isinstance(e, Said)] == ["Press 1 to start"]


def test_unused_inputs_are_an_error(app: TwimlApp) -> None:
    app.pages["/voice"] = twiml("<Hangup/>")
    with pytest.raises(ScriptError, match="unused"):
        run(app, ["1"])


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
        ('<Response><Dial>+12025550111<Number>+12025550122</Number></Dial></Response>', 12200, "mixes"),
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


# --- state -----------------------------------------------------------------------------------


def test_state_round_trips_through_json_and_resumes_identically(app: TwimlApp) -> None:
    app.pages["/voice"] = twiml(
        '<Say>Hi</Say><Gather action="/menu" numDigits="1"><Say>Press 1</Say></Gather><Say>Bye</Say>'
    )
    app.pages["/menu"] = twiml(f'<Dial action="/dialed">{REP}</Dial>')
    app.pages["/dialed"] = twiml("<Say>Thanks</Say><Hangup/>")
    sim = simulator(app, dial_scenario={REP: DialOutcome.answered(30)})

    step = sim.start(PUBLIC + "/voice", to=SUPPORTER, from_=OUR_NUMBER, account_sid=ACCOUNT)
    assert step.waiting_for == "gather"
    assert [e.text for e in step.events if isinstance(e, Said)] == ["Hi", "Press 1"]
    saved = json.loads(json.dumps(step.state.to_dict()))
    assert saved["index"] == 1 and saved["waiting_for"] == "gather" and saved["requests"] == 1

    restored = SimCallState.from_dict(saved)
    assert restored == step.state
    done = sim.resume(restored, "1")
    assert done.finished is True
    assert [e.text for e in done.events if isinstance(e, Said)] == ["Thanks"]
    assert done.state.requests == 3
    assert done.state.elapsed == 35  # 5 s ringing + 30 s bridged
    # resume() leaves the saved state untouched, so a browser can retry a step.
    assert restored.waiting_for == "gather" and restored.requests == 1


def test_state_from_foreign_dict_is_rejected() -> None:
    with pytest.raises(ValueError):
        SimCallState.from_dict({"v": 1, "document": "<Response/>"})


def test_events_round_trip_through_json(app: TwimlApp) -> None:
    app.pages["/voice"] = DIAL
    app.pages["/dialed"] = twiml("<Say>ok</Say>")
    record = run(app, dial_scenario={REP: DialOutcome.answered(3)})
    dumped = json.loads(json.dumps([event_to_dict(e) for e in record.events]))
    assert [event_from_dict(d) for d in dumped] == record.events
    assert {d["kind"] for d in dumped} == {"Requested", "Said", "Dialed", "Ended"}


def test_resuming_a_finished_call_raises(app: TwimlApp) -> None:
    app.pages["/voice"] = twiml("<Hangup/>")
    record = run(app)
    with pytest.raises(ScriptError, match="ended"):
        simulator(app).resume(record.state, "1")


# --- status callbacks ----------------------------------------------------------------------------


def test_status_callbacks_for_an_answered_call(app: TwimlApp) -> None:
    app.pages["/status"] = twiml("")
    base = {"AccountSid": ACCOUNT, "CallSid": "CA" + "c" * 32, "Direction": "outbound-api", "To": SUPPORTER}
    reqs = status_callback_requests(
        call_params=base,
        url=PUBLIC + "/status",
        events=["initiated", "ringing", "answered", "completed"],
        duration=95,
        answered_by="human",
    )
    results = deliver_webhooks(WSGITransport(app.app), TOKEN, reqs)

    assert [r.status for _, r in results] == [200, 200, 200, 200]
    assert [(h.form["CallStatus"], h.form["SequenceNumber"]) for h in app.hits] == [
        ("initiated", "0"),
        ("ringing", "1"),
        ("in-progress", "2"),
        ("completed", "3"),
    ]
    assert all(h.signature_ok for h in app.hits)
    assert {h.form["CallbackSource"] for h in app.hits} == {"call-progress-events"}
    assert app.hits[3].form["CallDuration"] == "95"
    assert "CallDuration" not in app.hits[0].form
    assert app.hits[2].form["AnsweredBy"] == "human"
    assert "AnsweredBy" not in app.hits[0].form
    assert re.match(r"^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$", app.hits[0].form["Timestamp"])


def test_status_callbacks_default_to_completed_only_and_skip_answered_when_busy() -> None:
    base = {"CallSid": "CA" + "d" * 32}
    assert [r.params["CallStatus"] for r in status_callback_requests(call_params=base, url=PUBLIC)] == ["completed"]
    busy = status_callback_requests(
        call_params=base, url=PUBLIC, events=STATUS_ALL, final_status="busy"
    )
    assert [(r.params["CallStatus"], r.params["SequenceNumber"]) for r in busy] == [
        ("initiated", "0"),
        ("ringing", "1"),
        ("busy", "2"),
    ]
    assert busy[-1].params["CallDuration"] == "0"


STATUS_ALL = ("initiated", "ringing", "answered", "completed")


def test_status_callbacks_duplicated_and_out_of_order(app: TwimlApp) -> None:
    app.pages["/status"] = twiml("")
    reqs = status_callback_requests(call_params={"CallSid": "CA" + "e" * 32}, url=PUBLIC + "/status", events=STATUS_ALL)
    deliver_webhooks(WSGITransport(app.app), TOKEN, reqs, order=[3, 0, 2, 1], duplicate=[3])
    assert [h.form["SequenceNumber"] for h in app.hits] == ["3", "3", "0", "2", "1"]
    with pytest.raises(ValueError, match="permutation"):
        deliver_webhooks(WSGITransport(app.app), TOKEN, reqs, order=[0, 0, 1, 2])


def test_status_callback_get_method_signs_query(app: TwimlApp) -> None:
    app.pages["/status"] = twiml("")
    req = WebhookRequest(url=PUBLIC + "/status", method="GET", params={"CallSid": "CA1", "CallStatus": "completed"})
    deliver_webhooks(WSGITransport(app.app), TOKEN, [req])
    assert app.hits[0].args == {"CallSid": "CA1", "CallStatus": "completed"}
    assert app.hits[0].signature_ok is True


@pytest.fixture(autouse=True)
def _no_thread_leaks() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    leaked = [t for t in threading.enumerate() if t not in before and t.is_alive() and not t.daemon]
    assert leaked == []
