"""Property-based, for the call-in line: whatever Twilio-signed parameters reach the campaign number's webhooks,
they answer well-formed TwiML, never a 5xx, store no digits or speech beyond the answers, and leave other calls be."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from extensions import db
from models import Call, CallLeg, CallSource, ZipDistrict
from tests.support.factories import make_call, make_campaign, make_district, make_target
from tests.support.settings import CAMPAIGN_NUMBER, TWILIO_TOKEN
from tests.test_webhook_properties import EVENTS, NASTY, PARAMS, PROPERTY_SETTINGS, TEXT, post
from voicesim import parse_twiml

pytestmark = pytest.mark.slow

DIGITS = st.one_of(st.sampled_from(NASTY), st.from_regex(r"[0-9*#]{0,12}", fullmatch=True), TEXT)


@pytest.fixture
def line_app(make_app):
    """A campaign on the campaign number with one ZIP, a web call, and a call-in waiting for its ZIP."""
    app = make_app(TWILIO_ACCOUNT_SID="AC" + "1" * 32, TWILIO_AUTH_TOKEN=TWILIO_TOKEN, TWILIO_CALLER_ID=CAMPAIGN_NUMBER)
    with app.app_context():
        campaign = make_campaign(caller_id=CAMPAIGN_NUMBER)
        senate, house = make_district("upper"), make_district("lower")
        senator = make_target("Jane Doe", "State Senator", "+16177220001", senate)
        make_target("John Roe", "State Representative", "+16177220002", house)
        db.session.add_all([ZipDistrict(zcta="01001", district_id=d.id, rank=1) for d in (senate, house)])
        web = make_call(app, campaign, [senator])
        answer = post(
            app, "/twilio/inbound", {"CallSid": "CA" + "b" * 32, "To": CAMPAIGN_NUMBER, "From": "+16175550199"}
        )
        assert answer.status_code == 200
        callin = db.session.scalars(select(Call).where(Call.source == CallSource.call_in)).one()
        app.config["_ids"] = (web.public_id, callin.public_id)
        yield app


def others(except_public_id: str) -> list[tuple]:
    """Every call but one, with its legs, as plain values."""
    db.session.expire_all()
    rows = []
    for call in db.session.scalars(select(Call).where(Call.public_id != except_public_id).order_by(Call.id)):
        legs = db.session.scalars(select(CallLeg).where(CallLeg.call_id == call.id).order_by(CallLeg.position))
        rows.append(
            (call.public_id, call.step, call.status, call.callin_answers, [(leg.target_id, leg.status) for leg in legs])
        )
    return rows


@PROPERTY_SETTINGS
@given(event=EVENTS, params=PARAMS, digits=DIGITS)
def test_call_in_steps_always_answer_twiml_and_change_only_their_call(line_app, event, params, digits):
    _web, callin = line_app.config["_ids"]
    before = others(callin)
    response = post(line_app, f"/twilio/callin/{callin}/{event}", {**params, "Digits": digits})
    assert response.status_code == 200 and response.mimetype == "text/xml"
    assert len(parse_twiml(response.data, strict=True)) > 0
    assert others(callin) == before
    call = db.session.scalars(select(Call).where(Call.public_id == callin)).one()
    answers = call.callin_answers or {}
    # Only a five-digit ZIP and districts (picked on the keypad, or found from a heard address) are ever kept,
    # never what else was typed or said.
    assert set(answers) <= {"zip", "picks", "heard"} and (answers.get("zip") is None or len(answers["zip"]) == 5)
    districts = [*(answers.get("picks") or {}).values(), *(answers.get("heard") or {}).values()]
    assert all(re.fullmatch(r"[0-9A-Z]{1,16}", geoid) for geoid in districts), districts


@PROPERTY_SETTINGS
@given(params=PARAMS)
def test_the_campaign_number_always_answers_twiml_and_adds_at_most_one_call_in(line_app, params):
    before = others("none")
    response = post(line_app, "/twilio/inbound", {**params, "To": CAMPAIGN_NUMBER})
    assert response.status_code == 200
    assert parse_twiml(response.data, strict=True).find("Say") is not None or response.data.count(b"Redirect")
    after = others("none")
    assert after[: len(before)] == before and len(after) - len(before) <= 1
