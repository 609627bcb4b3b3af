"""OFFICE_LINE_LIMIT through the real webhooks and tables: lines taken, passed over, given back, expired."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from callflow.office_lines import in_use, take_line
from callflow.vocabulary import Step
from config import ConfigError, load_config
from extensions import db
from models import Call, CallLeg, LegStatus, LineLease, utcnow
from tests.support.factories import make_call, make_campaign, make_district, make_target
from tests.support.signing import signed_post

SENATOR_PHONE = "+16177220001"
REP_PHONE = "+16177220002"


@pytest.fixture
def one_line_app(twilio_app):
    """The app with one line per office number, so two calls are enough to fill one."""
    twilio_app.config["OFFICE_LINE_LIMIT"] = 1
    return twilio_app


def senator_and_rep():
    senator = make_target("Jane Doe", "State Senator", SENATOR_PHONE, make_district("upper", "First Middlesex"))
    rep = make_target("John Roe", "State Representative", REP_PHONE, make_district("lower", "2nd Suffolk"))
    return senator, rep


def at_script(app, campaign, targets, phone: str) -> Call:
    call = make_call(app, campaign, targets, phone=phone)
    db.session.execute(update(Call).where(Call.id == call.id).values(step=Step.SCRIPT))
    db.session.commit()
    return call


def post(app, call: Call, event: str, **form: str) -> ET.Element:
    response = signed_post(app.test_client(), f"/twilio/calls/{call.public_id}/{event}", form)
    assert response.status_code == 200
    return ET.fromstring(response.data)


def dialed(root: ET.Element) -> str | None:
    number = root.find("./Dial/Number")
    return number.text if number is not None else None


def test_a_full_senator_is_passed_over_for_the_representative_and_come_back_to(one_line_app):
    senator, rep = senator_and_rep()
    campaign = make_campaign()
    first = at_script(one_line_app, campaign, [senator], "+16175550101")
    second = at_script(one_line_app, campaign, [senator, rep], "+16175550102")
    assert dialed(post(one_line_app, first, "gather", Digits="1")) == SENATOR_PHONE
    assert in_use(db.session, SENATOR_PHONE, utcnow()) == 1
    # The senator's only line is the first call's: the second supporter goes to the representative first.
    root = post(one_line_app, second, "gather", Digits="1")
    assert dialed(root) == REP_PHONE
    assert "Every line for State Senator Jane Doe, First Middlesex district is busy right now" in ET.tostring(
        root, encoding="unicode"
    )
    # The first call's conversation ends: its line is given back.
    post(one_line_app, first, "dial", DialCallStatus="completed", DialCallDuration="60", DialBridged="true")
    assert in_use(db.session, SENATOR_PHONE, utcnow()) == 0
    # After the representative, the second call comes back to the senator.
    root = post(one_line_app, second, "dial", DialCallStatus="completed", DialCallDuration="60", DialBridged="true")
    assert "A line is free now for State Senator Jane Doe" in ET.tostring(root, encoding="unicode")
    root = post(one_line_app, second, "gather", Digits="1")
    assert dialed(root) == SENATOR_PHONE
    assert "Connecting you to State Senator Jane Doe" in ET.tostring(root, encoding="unicode")
    db.session.expire_all()
    assert [leg.status for leg in db.session.scalars(select(CallLeg).where(CallLeg.call_id == second.id))] == [
        LegStatus.dialing,
        LegStatus.completed,
    ]


def test_no_free_line_anywhere_offers_to_wait_and_dials_once_one_is_free(one_line_app):
    senator, _ = senator_and_rep()
    campaign = make_campaign()
    first = at_script(one_line_app, campaign, [senator], "+16175550101")
    second = at_script(one_line_app, campaign, [senator], "+16175550102")
    post(one_line_app, first, "gather", Digits="1")
    root = post(one_line_app, second, "gather", Digits="1")
    assert dialed(root) is None and root.find("./Gather/Pause") is not None
    db.session.expire_all()
    assert db.session.get_one(Call, second.id).step == Step.WAITING
    # Still full 20 s later: another short sentence.
    root = post(one_line_app, second, "silence")
    assert "Still waiting for a free line" in ET.tostring(root, encoding="unicode")
    post(one_line_app, first, "dial", DialCallStatus="completed", DialCallDuration="60", DialBridged="true")
    assert dialed(post(one_line_app, second, "silence")) == SENATOR_PHONE


def test_a_supporter_hanging_up_mid_conversation_gives_the_line_back(one_line_app):
    senator, _ = senator_and_rep()
    call = at_script(one_line_app, make_campaign(), [senator], "+16175550101")
    post(one_line_app, call, "gather", Digits="1")
    assert in_use(db.session, SENATOR_PHONE, utcnow()) == 1
    post(one_line_app, call, "status", CallStatus="completed", CallDuration="90")
    assert in_use(db.session, SENATOR_PHONE, utcnow()) == 0


def test_a_lost_dial_result_frees_the_line_when_its_lease_expires(one_line_app):
    senator, _ = senator_and_rep()
    campaign = make_campaign()
    first = at_script(one_line_app, campaign, [senator], "+16175550101")
    second = at_script(one_line_app, campaign, [senator], "+16175550102")
    post(one_line_app, first, "gather", Digits="1")
    [lease] = db.session.scalars(select(LineLease))
    # Held no longer than a Dial can last: the ring, twenty minutes of conversation, a minute's margin.
    assert timedelta(minutes=21) < lease.expires_at - utcnow() < timedelta(minutes=22, seconds=1)
    # Neither its Dial result nor its status callback ever comes; the lease runs out.
    db.session.execute(update(LineLease).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert dialed(post(one_line_app, second, "gather", Digits="1")) == SENATOR_PHONE
    assert [lease.call_id for lease in db.session.scalars(select(LineLease))] == [second.id]


def test_a_number_takes_as_many_conversations_as_the_limit(app):
    campaign = make_campaign()
    senator, _ = senator_and_rep()
    calls = [make_call(app, campaign, [senator], phone=f"+1617555020{n}") for n in range(3)]
    now = utcnow()
    until = now + timedelta(minutes=5)
    taken = [take_line(db.session, c.id, SENATOR_PHONE, 2, until, now, held=False) for c in calls]
    assert taken == [True, True, False]
    assert in_use(db.session, SENATOR_PHONE, now) == 2


def test_without_a_limit_no_line_is_ever_recorded(twilio_app):
    twilio_app.config["OFFICE_LINE_LIMIT"] = 0
    senator, _ = senator_and_rep()
    campaign = make_campaign()
    calls = [at_script(twilio_app, campaign, [senator], f"+1617555010{n}") for n in range(3)]
    assert [dialed(post(twilio_app, c, "gather", Digits="1")) for c in calls] == [SENATOR_PHONE] * 3
    assert db.session.scalars(select(LineLease)).all() == []


@pytest.mark.parametrize("setting", ["-1", "two", "1.5"])
def test_a_line_limit_that_is_not_a_whole_number_refuses_to_start(setting):
    with pytest.raises(ConfigError, match="OFFICE_LINE_LIMIT"):
        load_config({"OFFICE_LINE_LIMIT": setting})


def test_the_line_limit_is_two_unless_set():
    assert load_config({})["OFFICE_LINE_LIMIT"] == 2
    assert load_config({"OFFICE_LINE_LIMIT": "0"})["OFFICE_LINE_LIMIT"] == 0
