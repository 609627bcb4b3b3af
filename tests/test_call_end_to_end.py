"""Whole calls: the dialer asks the Twilio stand-in to call, the simulator plays Twilio against our webhooks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

import dialer
from dialer.twilio_client import make_client
from extensions import db
from models import Call, CallLeg, CallStatus, LegStatus, Office, utcnow
from tests.support.factories import make_call, make_campaign, make_district, make_target
from tests.support.settings import CAMPAIGN_NUMBER, TWILIO_SID, TWILIO_TOKEN
from tests.support.twilio_standin import CreatedCall
from voicesim import CallSimulator, DialOutcome, WSGITransport, deliver_webhooks, status_callback_requests

SID, CALLER_ID = TWILIO_SID, CAMPAIGN_NUMBER
SUPPORTER = "+16175550123"
SENATOR_PHONE = "+16177220001"
REP_PHONE = "+16177220002"


@pytest.fixture
def two_legislators(twilio_app):
    """A campaign and a supporter's senator and representative."""
    campaign = make_campaign()
    senator = make_target("Jane Doe", "State Senator", SENATOR_PHONE, make_district("upper", "First Middlesex"))
    rep = make_target("John Roe", "State Representative", REP_PHONE, make_district("lower", "2nd Suffolk"))
    return campaign, senator, rep


def place(app, rest) -> CreatedCall:
    """Run the dialer and return what it asked Twilio for."""
    assert dialer.run_due(app) == 1
    created = rest.created()
    assert len(created) == 1
    return created[0]


def play(app, created, inputs, scenario, answered_by=None, final_status="completed"):
    """Let the simulator be Twilio for the created call, then deliver the status callbacks."""
    sim = CallSimulator(WSGITransport(app), TWILIO_TOKEN, dial_scenario=scenario)
    record = sim.run(
        created.params["Url"],
        inputs,
        to=created.params["To"],
        from_=created.params["From"],
        account_sid=SID,
        call_sid=created.sid,
        answered_by=answered_by,
    )
    callbacks = status_callback_requests(
        call_params=record.state.call_params,
        url=created.params["StatusCallback"],
        events=created.all("StatusCallbackEvent"),
        duration=int(record.state.elapsed),
        answered_by=answered_by,
        final_status=final_status,
    )
    results = deliver_webhooks(WSGITransport(app), TWILIO_TOKEN, callbacks)
    assert all(result.status == 200 for _, result in results)
    return record


def stored(call_id) -> tuple[Call, list[CallLeg]]:
    db.session.expire_all()
    call = db.session.get_one(Call, call_id)
    return call, list(call.legs)


def test_the_dialer_asks_twilio_for_the_call_with_machine_detection_and_status_events(
    twilio_app, rest, two_legislators
):
    campaign, senator, rep = two_legislators
    call = make_call(twilio_app, campaign, [senator, rep], phone=SUPPORTER)
    created = place(twilio_app, rest)
    params = created.params
    assert params["To"] == SUPPORTER and params["From"] == CALLER_ID
    assert params["Url"] == f"https://patchthrough.example.org/twilio/calls/{call.public_id}/answered"
    assert params["StatusCallback"] == f"https://patchthrough.example.org/twilio/calls/{call.public_id}/status"
    assert created.all("StatusCallbackEvent") == ["initiated", "ringing", "answered", "completed"]
    # Asynchronous detection: the greeting is not held back while Twilio listens.
    assert (params["MachineDetection"], params["AsyncAmd"]) == ("Enable", "true")
    assert params["AsyncAmdStatusCallback"] == f"https://patchthrough.example.org/twilio/calls/{call.public_id}/amd"
    assert params["AsyncAmdStatusCallbackMethod"] == "POST"
    assert SUPPORTER not in params["Url"] and SUPPORTER not in params["StatusCallback"]
    call, _ = stored(call.id)
    assert call.status == CallStatus.initiated and call.twilio_sid == created.sid and call.dialing_since is None


def test_two_legislators_reached(twilio_app, rest, two_legislators):
    campaign, senator, rep = two_legislators
    call = make_call(twilio_app, campaign, [senator, rep], phone=SUPPORTER)
    created = place(twilio_app, rest)
    record = play(
        twilio_app, created, ["1", "1"], {SENATOR_PHONE: DialOutcome.answered(60), REP_PHONE: DialOutcome.answered(45)}
    )

    assert [d.targets[0].value for d in record.dials] == [SENATOR_PHONE, REP_PHONE]
    assert any("Jane Doe" in text for text in record.said)
    assert record.end_reason == "hangup"
    call, legs = stored(call.id)
    assert [(leg.status, leg.duration) for leg in legs] == [(LegStatus.completed, 60), (LegStatus.completed, 45)]
    assert [leg.dial_call_sid for leg in legs] == [d.dial_call_sid for d in record.dials]
    assert call.status == CallStatus.completed and call.step == "done"
    assert call.phone_encrypted is None  # erased once the call is over
    assert call.duration == int(record.state.elapsed)


def test_busy_senator_then_no_answer_representative(twilio_app, rest, two_legislators):
    campaign, senator, rep = two_legislators
    call = make_call(twilio_app, campaign, [senator, rep])
    created = place(twilio_app, rest)
    record = play(
        twilio_app, created, ["1", "1"], {SENATOR_PHONE: DialOutcome.busy(), REP_PHONE: DialOutcome.no_answer()}
    )
    assert any("busy" in text.lower() for text in record.said)
    _, legs = stored(call.id)
    assert [leg.status for leg in legs] == [LegStatus.busy, LegStatus.no_answer]


def test_star_ends_a_conversation_and_moves_on(twilio_app, rest, two_legislators):
    campaign, senator, rep = two_legislators
    call = make_call(twilio_app, campaign, [senator, rep])
    created = place(twilio_app, rest)
    play(
        twilio_app,
        created,
        ["1", "1"],
        {SENATOR_PHONE: DialOutcome.pressed_star(after=20), REP_PHONE: DialOutcome.answered(30)},
    )
    _, legs = stored(call.id)
    assert [(leg.status, leg.duration) for leg in legs] == [(LegStatus.completed, 20), (LegStatus.completed, 30)]


def test_complete_silence_still_makes_a_finite_call(twilio_app, rest, two_legislators):
    campaign, senator, rep = two_legislators
    call = make_call(twilio_app, campaign, [senator, rep])
    created = place(twilio_app, rest)
    sim = CallSimulator(
        WSGITransport(twilio_app),
        TWILIO_TOKEN,
        dial_scenario={SENATOR_PHONE: DialOutcome.no_answer(), REP_PHONE: DialOutcome.no_answer()},
    )
    record = sim.run(
        created.params["Url"],
        [],
        on_exhausted="silence",
        to=SUPPORTER,
        from_=CALLER_ID,
        account_sid=SID,
        call_sid=created.sid,
    )
    assert record.end_reason == "hangup"
    assert len(record.requests) < 20
    _, legs = stored(call.id)
    assert [leg.status for leg in legs] == [LegStatus.no_answer, LegStatus.no_answer]


def test_voicemail_answering_the_supporter_ends_the_call(twilio_app, rest, two_legislators):
    campaign, senator, rep = two_legislators
    call = make_call(twilio_app, campaign, [senator, rep])
    created = place(twilio_app, rest)
    record = play(twilio_app, created, [], {}, answered_by="machine_start")
    assert record.dials == []
    call, legs = stored(call.id)
    assert call.answered_by == "machine_start"
    assert [leg.status for leg in legs] == [LegStatus.planned, LegStatus.planned]


def test_a_vacant_seat_is_skipped_and_the_senator_still_called(twilio_app, rest, two_legislators):
    campaign, senator, _ = two_legislators
    vacant = make_district("lower", "17th Middlesex")
    call = make_call(twilio_app, campaign, [senator, vacant])
    created = place(twilio_app, rest)
    record = play(twilio_app, created, ["1"], {SENATOR_PHONE: DialOutcome.answered(30)})
    assert any("17th Middlesex" in text and "vacant" in text for text in record.said)
    _, legs = stored(call.id)
    assert [(leg.status, leg.skip_reason) for leg in legs] == [
        (LegStatus.completed, None),
        (LegStatus.skipped, "vacant"),
    ]


def test_duplicate_and_out_of_order_status_callbacks_never_undo_a_final_status(twilio_app, rest, two_legislators):
    campaign, senator, rep = two_legislators
    call = make_call(twilio_app, campaign, [senator, rep])
    created = place(twilio_app, rest)
    params = {
        "CallSid": created.sid,
        "AccountSid": SID,
        "From": CALLER_ID,
        "To": SUPPORTER,
        "Direction": "outbound-api",
        "ApiVersion": "2010-04-01",
    }
    callbacks = status_callback_requests(
        call_params=params,
        url=created.params["StatusCallback"],
        events=["initiated", "ringing", "answered", "completed"],
        duration=42,
    )
    # completed first, then everything again in order, twice over
    deliver_webhooks(WSGITransport(twilio_app), TWILIO_TOKEN, callbacks, order=[3, 0, 1, 2], duplicate=[3, 1])
    call, _ = stored(call.id)
    assert call.status == CallStatus.completed and call.duration == 42 and call.status_sequence == 3


def test_an_earlier_status_arriving_late_is_ignored(twilio_app, rest, two_legislators):
    campaign, senator, rep = two_legislators
    call = make_call(twilio_app, campaign, [senator, rep])
    created = place(twilio_app, rest)
    params = {"CallSid": created.sid, "AccountSid": SID}
    callbacks = status_callback_requests(
        call_params=params,
        url=created.params["StatusCallback"],
        events=["initiated", "ringing", "answered"],
        duration=0,
    )
    deliver_webhooks(WSGITransport(twilio_app), TWILIO_TOKEN, callbacks, order=[2, 1, 0])
    call, _ = stored(call.id)
    assert call.status == CallStatus.in_progress and call.answered_at is not None


def test_rest_429_is_retried_with_backoff_then_succeeds(twilio_app, rest, two_legislators):
    campaign, senator, rep = two_legislators
    call = make_call(twilio_app, campaign, [senator, rep])
    rest.fail_next(1, status=429)
    assert dialer.run_due(twilio_app) == 1
    call, _ = stored(call.id)
    assert call.status == CallStatus.queued and call.next_attempt_at is not None
    assert call.failure_reason is not None and "429" in call.failure_reason
    assert rest.created() == []
    # Not due yet: nothing happens; once due it is placed.
    assert dialer.run_due(twilio_app, now=call.next_attempt_at - timedelta(seconds=5)) == 0
    assert dialer.run_due(twilio_app, now=call.next_attempt_at + timedelta(seconds=1)) == 1
    call, _ = stored(call.id)
    assert call.status == CallStatus.initiated and call.dial_attempts == 2 and len(rest.created()) == 1


def test_rest_rejecting_the_number_fails_the_call_with_the_reason(twilio_app, rest, two_legislators):
    campaign, senator, rep = two_legislators
    call = make_call(twilio_app, campaign, [senator, rep])
    rest.fail_next(1, status=400, code=21211, message="Invalid 'To' Phone Number")
    assert dialer.run_due(twilio_app) == 1
    call, _ = stored(call.id)
    assert call.status == CallStatus.failed
    assert call.failure_reason is not None and "21211" in call.failure_reason
    assert call.phone_encrypted is None
    assert dialer.run_due(twilio_app) == 0  # never retried


def test_a_restarted_dialer_picks_up_queued_calls_and_dials_each_once(twilio_app, rest, two_legislators):
    campaign, senator, rep = two_legislators
    calls = [make_call(twilio_app, campaign, [senator, rep], phone=f"+1617555{n:04d}") for n in range(3)]
    assert dialer.run_due(twilio_app) == 3
    assert dialer.run_due(twilio_app) == 0
    assert sorted(c.params["To"] for c in rest.created()) == ["+16175550000", "+16175550001", "+16175550002"]
    assert all(stored(c.id)[0].status == CallStatus.initiated for c in calls)


def test_a_dialer_that_died_after_twilio_accepted_does_not_dial_again(twilio_app, rest, two_legislators):
    campaign, senator, rep = two_legislators
    call = make_call(twilio_app, campaign, [senator, rep], phone=SUPPORTER)
    # The first dialer asked Twilio and died before recording the answer.
    claimed, lapsed = dialer.claim(call.id, utcnow() - timedelta(minutes=5))
    assert claimed and not lapsed
    first = make_client(SID, TWILIO_TOKEN, rest.base_url).calls.create(
        to=SUPPORTER, from_=CALLER_ID, url="https://x.example/a"
    )
    assert dialer.run_due(twilio_app) == 1
    assert len(rest.created()) == 1
    call, _ = stored(call.id)
    assert call.twilio_sid == first.sid and call.status == CallStatus.initiated


def test_a_lapsed_claim_with_no_twilio_call_is_dialed(twilio_app, rest, two_legislators):
    campaign, senator, rep = two_legislators
    call = make_call(twilio_app, campaign, [senator, rep], phone=SUPPORTER)
    dialer.claim(call.id, utcnow() - timedelta(minutes=5))
    assert dialer.run_due(twilio_app) == 1
    assert len(rest.created()) == 1 and stored(call.id)[0].dial_attempts == 2


def test_a_live_claim_keeps_other_dialers_away(twilio_app, rest, two_legislators):
    campaign, senator, rep = two_legislators
    call = make_call(twilio_app, campaign, [senator, rep])
    dialer.claim(call.id, utcnow())
    assert dialer.run_due(twilio_app) == 0 and rest.created() == []


def test_the_database_failing_mid_call_gets_an_apology_not_an_error(twilio_app, rest, two_legislators):
    campaign, senator, rep = two_legislators
    make_call(twilio_app, campaign, [senator, rep])
    created = place(twilio_app, rest)

    def fail(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("UPDATE"):
            raise RuntimeError("database went away")

    event.listen(db.engine, "before_cursor_execute", fail)
    try:
        record = play(twilio_app, created, [], {})
    finally:
        event.remove(db.engine, "before_cursor_execute", fail)
    assert record.said[-1].startswith("We're sorry, something went wrong")
    assert record.end_reason == "hangup"


def test_the_in_process_dialer_thread_places_a_dispatched_call(twilio_app, rest, two_legislators):
    import time

    campaign, senator, rep = two_legislators
    call = make_call(twilio_app, campaign, [senator, rep])
    dialer.dispatch_call(call.id)  # returns at once; the thread dials
    thread = twilio_app.extensions["dialer"]
    try:
        deadline = time.monotonic() + 10
        while not rest.created() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        thread.stop()
    assert [c.params["To"] for c in rest.created()] == [SUPPORTER]


def test_a_lapsed_claim_never_adopts_the_same_supporters_other_call(twilio_app, rest, two_legislators):
    campaign, senator, rep = two_legislators
    first = make_call(twilio_app, campaign, [senator, rep], phone=SUPPORTER)
    assert dialer.run_due(twilio_app) == 1  # the first request is placed and recorded
    second = make_call(twilio_app, campaign, [senator, rep], phone=SUPPORTER)
    dialer.claim(second.id, utcnow() - timedelta(minutes=5))  # its dialer died before recording
    assert dialer.run_due(twilio_app) == 1
    first, _ = stored(first.id)
    second, _ = stored(second.id)
    assert len(rest.created()) == 2  # the second request got its own call
    assert second.twilio_sid == rest.created()[1].sid != first.twilio_sid


DISTRICT_OFFICE_PHONE = "+15087570323"


def with_district_office(target) -> None:
    """Give a target its State House line (the one in target.phone) and a district office line."""
    target.offices = [
        Office(position=0, kind="capitol", phone=target.phone),
        Office(position=1, kind="district", phone=DISTRICT_OFFICE_PHONE, extension="13"),
    ]
    db.session.flush()


def play_failover(app, rest, legislators, state_house: DialOutcome, district_office: DialOutcome):
    """A whole call to a senator with a district office line, then the representative (who answers)."""
    campaign, senator, rep = legislators
    with_district_office(senator)
    call = make_call(app, campaign, [senator, rep])
    scenario = {SENATOR_PHONE: state_house, DISTRICT_OFFICE_PHONE: district_office, REP_PHONE: DialOutcome.answered(25)}
    record = play(app, place(app, rest), ["1", "1"], scenario)
    assert [d.targets[0].value for d in record.dials] == [SENATOR_PHONE, DISTRICT_OFFICE_PHONE, REP_PHONE]
    return call, record


def test_a_busy_state_house_line_fails_over_to_the_district_office(twilio_app, rest, two_legislators):
    call, record = play_failover(twilio_app, rest, two_legislators, DialOutcome.busy(), DialOutcome.answered(40))
    assert "Their State House line was busy. Trying their district office." in " ".join(record.said)
    call, legs = stored(call.id)
    # The leg is decided by the line that answered; the busy line is kept as its own attempt.
    senator_leg, rep_leg = legs
    assert (senator_leg.status, senator_leg.duration, senator_leg.line, senator_leg.line_kind) == (
        LegStatus.completed,
        40,
        1,
        "district",
    )
    assert senator_leg.dial_call_sid == record.dials[1].dial_call_sid
    [busy] = senator_leg.failovers
    assert (busy.line, busy.kind, busy.status, busy.dial_call_sid) == (
        0,
        "capitol",
        LegStatus.busy,
        record.dials[0].dial_call_sid,
    )
    assert busy.started_at == senator_leg.started_at and busy.ended_at is not None
    assert senator_leg.attempts == 2 and rep_leg.attempts == 1 and not rep_leg.failovers
    assert (rep_leg.status, rep_leg.line) == (LegStatus.completed, 0)
    assert call.status == CallStatus.completed and call.step == "done"


def test_every_office_line_busy_moves_on_to_the_next_target(twilio_app, rest, two_legislators):
    call, record = play_failover(twilio_app, rest, two_legislators, DialOutcome.no_answer(), DialOutcome.busy())
    said = " ".join(record.said)
    assert "Nobody answered on their State House line. Trying their district office." in said
    assert "Their line was busy." in said  # the last line: said as before, then the next target
    _, legs = stored(call.id)
    assert [(leg.status, leg.line, leg.attempts) for leg in legs] == [
        (LegStatus.busy, 1, 2),
        (LegStatus.completed, 0, 1),
    ]
    assert [a.status for a in legs[0].failovers] == [LegStatus.no_answer]
