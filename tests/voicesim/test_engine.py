"""The executor runs TwiML like Twilio: AnsweredBy, Say/Play/Pause, Gather, Dial, Redirect and limits."""

from __future__ import annotations

import pytest
from flask import Response

from tests.voicesim.twiml_app import (
    ACCOUNT,
    DIAL,
    OUR_NUMBER,
    OUTBOUND_KEYS,
    PUBLIC,
    REP,
    SEN,
    SID_RE,
    SUPPORTER,
    TwimlApp,
    run,
    simulator,
    twiml,
)
from voicesim import (
    HANGUP,
    CallLimitExceeded,
    DialOutcome,
    DialTarget,
    Ended,
    Gathered,
    Limits,
    Paused,
    Played,
    Redirected,
    Requested,
    Said,
    ScriptError,
    describe_wait,
)

# --- AnsweredBy ----------------------------------------------------------------------


def test_answered_by_is_sent_on_the_first_request_only(app: TwimlApp) -> None:
    app.pages["/voice"] = twiml('<Gather action="/menu"><Say>Press 1</Say></Gather>')
    app.pages["/menu"] = twiml("<Hangup/>")
    run(app, ["1"], answered_by="machine_start")

    assert app.hits[0].form["AnsweredBy"] == "machine_start"
    assert "AnsweredBy" not in app.hits[1].form


def test_answered_by_must_be_a_twilio_value(app: TwimlApp) -> None:
    with pytest.raises(ValueError, match="AnsweredBy"):
        run(app, answered_by="robot")


# --- Say / Play / Pause / Hangup -------------------------------------------------


def test_transcript_of_say_play_pause_hangup(app: TwimlApp) -> None:
    app.pages["/voice"] = twiml(
        '<Say voice="Polly.Joanna" language="en-US">Thanks for calling</Say>'
        '<Play>/audio/intro.mp3</Play><Pause length="2"/><Hangup/><Say>never</Say>'
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
