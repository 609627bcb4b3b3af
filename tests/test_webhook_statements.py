"""Each webhook's SQL: one read and one write per voice webhook, one write per status callback.

On PostgreSQL a webhook that also changes legs writes them in the same statement as the call's
state (a data-modifying CTE); SQLite has no such statement, so there the legs take a second one.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, select, update

import dialer
from callflow.vocabulary import Step
from extensions import db
from models import Call, CallLeg, CallLegAttempt, LegStatus, Office
from tests.support.factories import make_call, make_campaign, make_district, make_target
from tests.support.settings import TWILIO_SID, TWILIO_TOKEN
from tests.support.signing import signed_post
from tests.support.statements import CountingTransport, Webhook
from tests.support.twiml import find
from voicesim import CallSimulator, DialOutcome, deliver_webhooks, machine_detection_request, status_callback_requests

SENATOR_PHONE = "+16177220001"
REP_PHONE = "+16177220002"
REP_DISTRICT_PHONE = "+15087570323"
CALL_SID = "CA" + "5" * 32
# The voice webhook's write: an UPDATE of calls, or (PostgreSQL) the CTE that starts with one.
_WRITES_CALLS = re.compile(r"\s*(WITH moved AS\s*\(\s*)?UPDATE calls\b", re.IGNORECASE)
# Its first write when it dials an office: the office line it takes (OFFICE_LINE_LIMIT).
_TAKES_A_LINE = re.compile(r"\s*INSERT INTO line_leases\b", re.IGNORECASE)


@pytest.fixture
def webhooks(twilio_app, rest) -> list[Webhook]:
    """A whole call (talking points again, senator answered with feedback, representative busy at the State
    House and at the district office), every webhook counted: the voice webhooks, a person's
    machine-detection verdict, then the status callbacks."""
    campaign = make_campaign(ask_feedback=True)
    senator = make_target("Jane Doe", "State Senator", SENATOR_PHONE, make_district("upper", "First Middlesex"))
    rep = make_target("John Roe", "State Representative", REP_PHONE, make_district("lower", "2nd Suffolk"))
    rep.offices = [
        Office(position=0, kind="capitol", phone=REP_PHONE),
        Office(position=1, kind="district", phone=REP_DISTRICT_PHONE),
    ]
    make_call(twilio_app, campaign, [senator, rep])
    assert dialer.run_due(twilio_app) == 1
    [created] = rest.created()
    transport = CountingTransport(twilio_app)
    sim = CallSimulator(
        transport,
        TWILIO_TOKEN,
        dial_scenario={
            SENATOR_PHONE: DialOutcome.answered(5),
            REP_PHONE: DialOutcome.busy(),
            REP_DISTRICT_PHONE: DialOutcome.busy(),
        },
    )
    record = sim.run(
        created.params["Url"],
        ["2", "1", "1", "1"],
        on_exhausted="silence",
        to=created.params["To"],
        from_=created.params["From"],
        account_sid=TWILIO_SID,
        call_sid=created.sid,
    )
    assert record.end_reason == "hangup"
    amd = machine_detection_request(
        call_params=record.state.call_params, url=created.params["AsyncAmdStatusCallback"], answered_by="human"
    )
    callbacks = status_callback_requests(
        call_params=record.state.call_params,
        url=created.params["StatusCallback"],
        events=["initiated", "ringing", "answered", "completed"],
        duration=30,
    )
    deliver_webhooks(transport, TWILIO_TOKEN, [amd, *callbacks])
    return transport.webhooks


def legs_write_statements() -> int:
    return 1 if db.engine.dialect.name == "postgresql" else 2


def test_every_voice_webhook_reads_once_and_writes_once(webhooks):
    voice = [w for w in webhooks if w.name in ("answered", "gather", "silence", "dial")]
    assert {w.name for w in voice} == {"answered", "gather", "dial"}
    for hook in voice:
        # The office lines in use (OFFICE_LINE_LIMIT) cost one more read when the next target or line is
        # chosen, and a line taken (or the last one given back first) or given back when a Dial ends.
        assert hook.reads - hook.line_reads == 1, (hook.name, hook.statements)
        assert hook.line_reads <= 1 and hook.line_writes <= 2, (hook.name, hook.statements)
        assert hook.writes - hook.line_writes <= legs_write_statements(), (hook.name, hook.statements)
    # The first webhook changes only the call's own row: one write on every database; a repeat of
    # the talking points changes nothing, so it writes nothing and reads no office lines.
    assert [(w.name, w.reads, w.writes) for w in voice[:2]] == [("answered", 1, 1), ("gather", 1, 0)]
    # Lines are read only where a target or line is chosen: the senator, the representative (offered, then
    # dialed), the district office, the end of the call.
    assert [w.name for w in voice if w.line_reads] == ["gather", "gather", "gather", "dial", "dial"]
    assert sum(w.writes for w in voice) >= len(voice) - 1
    # The representative's busy State House line is stored as an attempt in the same budget, and the
    # district office's busy line as the leg's outcome.
    assert [w.name for w in voice].count("dial") == 3
    # The senator's Dial ends, the representative is offered: the line given back rides with the write (one
    # statement on PostgreSQL, the legs and the line one more each on SQLite).
    first_dial = next(w for w in voice if w.name == "dial")
    assert (first_dial.reads, first_dial.writes) == (
        1,
        legs_write_statements() + (0 if legs_write_statements() == 1 else 1),
    )
    assert [(a.line, a.status) for a in db.session.scalars(select(CallLegAttempt))] == [(0, LegStatus.busy)]


def test_every_status_callback_is_one_conditional_update(webhooks):
    status = [w for w in webhooks if w.name == "status"]
    assert len(status) == 4
    for hook in status[:-1]:
        assert (hook.reads, hook.writes) == (0, 1), hook.statements
    # The final one also cancels a leg left dialing, writes the call.completed outbox rows and gives back any office
    # line the call still held: on PostgreSQL in the same statement, on SQLite one more for each.
    postgresql = db.engine.dialect.name == "postgresql"
    assert (status[-1].reads, status[-1].writes) == (0, 1 if postgresql else 4), status[-1].statements
    assert status[-1].line_writes == (0 if postgresql else 1), status[-1].statements


def test_the_machine_detection_verdict_reads_once_and_writes_once(webhooks):
    [amd] = [w for w in webhooks if w.name == "amd"]
    assert (amd.reads, amd.writes) == (1, 1), amd.statements


def test_a_webhook_after_the_first_reads_only_the_calls_row(webhooks):
    # The plan and the campaign come from the process's cache: no join to the legs or targets.
    later = [w for w in webhooks if w.name in ("gather", "dial")]
    for hook in later:
        [read] = [s for s in hook.statements if s.lstrip().upper().startswith("SELECT") and "line_leases" not in s]
        assert "JOIN call_legs" not in read and "targets" not in read and "districts" not in read, read


def test_two_racing_webhooks_cannot_both_apply(twilio_app, rest):
    """The same key press delivered twice at once: the second's write is refused, and it answers
    from where the first left the call instead of dialing the office a second time."""
    campaign = make_campaign()
    senator = make_target("Jane Doe", "State Senator", SENATOR_PHONE, make_district("upper", "First Middlesex"))
    call = make_call(twilio_app, campaign, [senator])
    public_id = call.public_id
    db.session.execute(update(Call).where(Call.id == call.id).values(step=Step.SCRIPT))
    db.session.commit()
    path = f"/twilio/calls/{public_id}/gather"
    won_at = datetime(2026, 1, 1, tzinfo=UTC)
    raced: list[str] = []

    def the_other_delivery_wins(conn, cursor, statement, *args):
        # Between this webhook's read and its write, the other delivery applies the same step.
        if raced or not (_WRITES_CALLS.match(statement) or _TAKES_A_LINE.match(statement)):
            return
        raced.append(statement)
        with db.engine.connect() as other:
            other.execute(update(Call).where(Call.id == call.id).values(step=Step.DIALING, position=0, attempts=0))
            other.execute(
                update(CallLeg).where(CallLeg.call_id == call.id).values(status=LegStatus.dialing, started_at=won_at)
            )
            other.commit()

    event.listen(db.engine, "before_cursor_execute", the_other_delivery_wins)
    try:
        response = signed_post(twilio_app.test_client(), path, {"CallSid": CALL_SID, "Digits": "1"})
    finally:
        event.remove(db.engine, "before_cursor_execute", the_other_delivery_wins)
    assert raced and response.status_code == 200
    # It answers with the Dial the call is at now (what Twilio is already executing), recording nothing.
    assert find(ET.fromstring(response.data), "./Dial/Number").text == SENATOR_PHONE
    db.session.expire_all()
    stored = db.session.scalars(select(Call).where(Call.public_id == public_id)).one()
    [leg] = stored.legs
    assert (stored.step, stored.position, stored.attempts) == (Step.DIALING, 0, 0)
    assert (leg.status, leg.started_at) == (LegStatus.dialing, won_at)
