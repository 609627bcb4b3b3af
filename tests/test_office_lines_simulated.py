"""Whole calls through the simulator when office lines fill up: the stand-in's offices answer busy once
their lines are in use, and OFFICE_LINE_LIMIT keeps supporters from ringing into that busy signal."""

from __future__ import annotations

from sqlalchemy import update

from extensions import db
from models import Call
from tests.support.factories import make_call, make_campaign, make_district, make_target
from tests.support.settings import PUBLIC_BASE_URL, TWILIO_SID, TWILIO_TOKEN
from voicesim import CallSimulator, OfficeCall, Offices, WSGITransport
from voicesim.events import Dialed

SENATOR, REP = "+16177220001", "+16177220002"


def three_supporters_at_once(app) -> list[OfficeCall]:
    campaign = make_campaign()
    senator = make_target("Jane Doe", "State Senator", SENATOR, make_district("upper", "First Middlesex"))
    rep = make_target("John Roe", "State Representative", REP, make_district("lower", "2nd Suffolk"))
    calls = [make_call(app, campaign, [senator, rep], phone=f"+161755503{n:02d}") for n in range(3)]
    db.session.execute(update(Call).where(Call.id.in_([c.id for c in calls])).values(status="in-progress"))
    db.session.commit()
    return [
        OfficeCall(
            start_at=n,  # a second apart: all three reach the senator while the first two still talk
            url=f"{PUBLIC_BASE_URL}/twilio/calls/{c.public_id}/answered",
            start={"to": f"+161755503{n:02d}", "from_": "+16175397340", "account_sid": TWILIO_SID},
            keys=["1", "1", "1", "1"],  # go on; then "connect me" at each offer (no feedback asked)
        )
        for n, c in enumerate(calls)
    ]


def dials(record) -> list[tuple[str, str]]:
    return [(d.targets[0].value, d.status) for d in record.events if isinstance(d, Dialed)]


def test_the_third_supporter_calls_the_representative_first_instead_of_a_busy_senator(twilio_app):
    twilio_app.config["OFFICE_LINE_LIMIT"] = 2
    offices = Offices(CallSimulator(WSGITransport(twilio_app), TWILIO_TOKEN), lines_per_number=2, talk_seconds=90)
    records = offices.run(three_supporters_at_once(twilio_app))
    assert [dials(r) for r in records] == [
        [(SENATOR, "completed"), (REP, "completed")],
        [(SENATOR, "completed"), (REP, "completed")],
        [(REP, "completed"), (SENATOR, "completed")],
    ]
    said = records[2].said
    senator = "State Senator Jane Doe, First Middlesex district"
    assert f"Every line for {senator} is busy right now. We'll come back to them." in said
    assert f"A line is free now for {senator}, whose lines were busy before." in said
    assert offices.most_live[SENATOR] == 2


def test_without_the_limit_the_third_supporter_rings_into_a_busy_signal(twilio_app):
    twilio_app.config["OFFICE_LINE_LIMIT"] = 0
    offices = Offices(CallSimulator(WSGITransport(twilio_app), TWILIO_TOKEN), lines_per_number=2, talk_seconds=90)
    records = offices.run(three_supporters_at_once(twilio_app))
    assert dials(records[2])[0] == (SENATOR, "busy")
    assert "Their line was busy." in records[2].said
