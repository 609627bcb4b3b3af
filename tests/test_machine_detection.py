"""Asynchronous answering-machine detection: the greeting starts at once; a machine gets the short message."""

from __future__ import annotations

import pytest

import dialer
from callflow.prompts import message
from callflow.vocabulary import Step
from extensions import db
from models import Call
from tests.support.factories import make_call, make_campaign, make_district, make_target
from tests.support.settings import TWILIO_SID, TWILIO_TOKEN
from tests.support.signing import signed_post
from voicesim import (
    CallRecord,
    CallSimulator,
    DialOutcome,
    ExecutionStep,
    WSGITransport,
    deliver_webhooks,
    machine_detection_request,
)

SUPPORTER = "+16175550123"
SENATOR_PHONE = "+16177220001"
REP_PHONE = "+16177220002"


@pytest.fixture
def placed(twilio_app, rest):
    """A call the dialer has asked Twilio for, and what it asked."""
    campaign = make_campaign()
    senator = make_target("Jane Doe", "State Senator", SENATOR_PHONE, make_district("upper", "First Middlesex"))
    rep = make_target("John Roe", "State Representative", REP_PHONE, make_district("lower", "2nd Suffolk"))
    call = make_call(twilio_app, campaign, [senator, rep], phone=SUPPORTER)
    assert dialer.run_due(twilio_app) == 1
    [created] = rest.created()
    return call, created


def simulator(app) -> CallSimulator:
    return CallSimulator(
        WSGITransport(app),
        TWILIO_TOKEN,
        dial_scenario={SENATOR_PHONE: DialOutcome.answered(30), REP_PHONE: DialOutcome.busy()},
    )


def answer(app, created, url=None):
    """Twilio answers the call: it fetches the call's Url at once (asynchronous detection sends no AnsweredBy)."""
    return simulator(app).start(
        url or created.params["Url"],
        to=created.params["To"],
        from_=created.params["From"],
        account_sid=TWILIO_SID,
        call_sid=created.sid,
    )


def verdict(app, created, step, answered_by):
    """Twilio's AsyncAmdStatusCallback with its verdict, signed as Twilio signs it."""
    request = machine_detection_request(
        call_params=step.state.call_params, url=created.params["AsyncAmdStatusCallback"], answered_by=answered_by
    )
    [(_, result)] = deliver_webhooks(WSGITransport(app), TWILIO_TOKEN, [request])
    assert result.status == 200
    return result


def heard(step: ExecutionStep) -> CallRecord:
    """What happened in one step of the simulated call."""
    return CallRecord(step.state, step.events)


def machine_message(call: Call) -> str:
    """The short message a machine hears."""
    return message("machine", title=stored(call.id).campaign.title)


def stored(call_id) -> Call:
    db.session.expire_all()
    return db.session.get_one(Call, call_id)


def test_the_greeting_starts_the_moment_the_call_is_answered(twilio_app, placed):
    call, created = placed
    step = answer(twilio_app, created)
    # No AnsweredBy to wait for: the first webhook already speaks.
    assert "AnsweredBy" not in heard(step).requests[0].params
    assert heard(step).said[0] == stored(call.id).campaign.greeting
    assert stored(call.id).step == Step.SCRIPT


def test_a_machine_gets_the_short_message_through_the_dialers_redirect(twilio_app, rest, placed):
    call, created = placed
    step = answer(twilio_app, created)
    verdict(twilio_app, created, step, "machine_end_beep")
    after = stored(call.id)
    assert (after.step, after.answered_by) == (Step.MACHINE, "machine_end_beep")
    assert created.updates == []  # the webhook itself never calls Twilio

    assert dialer.sweep(twilio_app) == 1
    [update] = created.updates
    assert update == {
        "Url": f"https://patchthrough.example.org/twilio/calls/{call.public_id}/voicemail",
        "Method": "POST",
    }
    # Twilio fetches the new Url for the live call.
    redirected = answer(twilio_app, created, url=update["Url"])
    assert heard(redirected).said == [machine_message(call)]
    assert heard(redirected).end_reason == "hangup"
    assert stored(call.id).step == Step.DONE

    dialer.sweep(twilio_app)
    verdict(twilio_app, created, step, "machine_end_beep")  # Twilio retries: nothing more happens
    assert len(created.updates) == 1


def test_a_person_never_hears_the_machine_message(twilio_app, rest, placed):
    call, created = placed
    step = answer(twilio_app, created)
    verdict(twilio_app, created, step, "human")
    assert (stored(call.id).step, stored(call.id).answered_by) == (Step.SCRIPT, "human")
    dialer.sweep(twilio_app)
    assert created.updates == []
    step = simulator(twilio_app).resume(step.state, "1")
    assert [d.targets[0].value for d in heard(step).dials] == [SENATOR_PHONE]
    assert machine_message(call) not in heard(step).said


def test_a_late_machine_verdict_leaves_a_call_that_moved_on_alone(twilio_app, rest, placed):
    call, created = placed
    step = answer(twilio_app, created)
    step = simulator(twilio_app).resume(step.state, "1")  # a person pressed 1: the senator was dialed
    before = stored(call.id)
    moved_on = (before.step, before.position, before.attempts)
    assert before.step != Step.SCRIPT
    verdict(twilio_app, created, step, "machine_start")
    after = stored(call.id)
    assert (after.step, after.position, after.attempts) == moved_on and after.answered_by is None
    dialer.sweep(twilio_app)
    assert created.updates == []


def test_a_webhook_arriving_before_the_redirect_leaves_the_message_too(twilio_app, rest, placed):
    call, created = placed
    step = answer(twilio_app, created)
    verdict(twilio_app, created, step, "machine_start")
    # The greeting's prompt timed out before the dialer's redirect reached Twilio.
    step = simulator(twilio_app).resume(step.state, None)
    assert heard(step).said[-1] == machine_message(call)
    assert step.finished and stored(call.id).step == Step.DONE
    dialer.sweep(twilio_app)
    assert created.updates == []  # nothing left to redirect


def test_an_unsigned_verdict_is_refused_and_changes_nothing(twilio_app, placed):
    call, created = placed
    answer(twilio_app, created)
    path = f"/twilio/calls/{call.public_id}/amd"
    params = {"AccountSid": TWILIO_SID, "CallSid": created.sid, "AnsweredBy": "machine_start"}
    response = twilio_app.test_client().post(path, data=params)
    assert response.status_code == 403
    response = signed_post(twilio_app.test_client(), path, params, token="not-the-token")
    assert response.status_code == 403
    assert (stored(call.id).step, stored(call.id).answered_by) == (Step.SCRIPT, None)


def test_a_verdict_for_another_call_sid_changes_nothing(twilio_app, placed):
    call, created = placed
    answer(twilio_app, created)
    params = {"AccountSid": TWILIO_SID, "CallSid": "CA" + "1" * 32, "AnsweredBy": "machine_start"}
    response = signed_post(twilio_app.test_client(), f"/twilio/calls/{call.public_id}/amd", params)
    assert response.status_code == 200
    assert (stored(call.id).step, stored(call.id).answered_by) == (Step.SCRIPT, None)


def test_a_status_callback_never_replaces_the_verdict(twilio_app, placed):
    call, created = placed
    step = answer(twilio_app, created)
    verdict(twilio_app, created, step, "human")
    params = {
        "AccountSid": TWILIO_SID,
        "CallSid": created.sid,
        "CallStatus": "completed",
        "AnsweredBy": "machine_start",
        "SequenceNumber": "3",
    }
    assert signed_post(twilio_app.test_client(), f"/twilio/calls/{call.public_id}/status", params).status_code == 200
    after = stored(call.id)
    assert (after.status.value, after.answered_by) == ("completed", "human")
