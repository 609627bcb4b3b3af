"""Whole calls to the campaign's number, through the voice stand-in: the call-in line finds where the caller
lives, then the same flow as a call-back patches them through, recorded as a call-in."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

import dialer
from extensions import db
from models import (
    Block,
    BlockKind,
    Call,
    CallSource,
    CallStatus,
    CampaignStatus,
    LegislativeChamber,
    LegStatus,
    TextMessage,
    ZipDistrict,
)
from tests.support.factories import make_campaign, make_district, make_target, vault
from tests.support.lookup import Answer, FakeCensus, census_area, census_reply, fake_census
from tests.support.settings import CAMPAIGN_NUMBER, PUBLIC_BASE_URL, TWILIO_SID, TWILIO_TOKEN
from voicesim import CallSimulator, DialOutcome, Speech, WSGITransport, deliver_webhooks, status_callback_requests

SUPPORTER = "+16175550123"
SENATOR_PHONE = "+16177220001"
REP_PHONE = "+16177220002"
OTHER_REP_PHONE = "+16177220003"
INBOUND = f"{PUBLIC_BASE_URL}/twilio/inbound"
SINGLE_ZIP, SPLIT_ZIP = "01001", "02138"
ANSWERED = {
    SENATOR_PHONE: DialOutcome.answered(60),
    REP_PHONE: DialOutcome.answered(45),
    OTHER_REP_PHONE: DialOutcome.answered(30),
}


HOUSE_GEOID, OTHER_HOUSE_GEOID = "25L02", "25L25"
SPOKEN = "twelve Main Street"


@pytest.fixture
def census() -> Iterator[FakeCensus]:
    """The Census geocoder stand-in: 12 Main St is in ZIP 02138 and the 25th Middlesex district."""
    with fake_census() as fake:
        fake.answers[f"{SPOKEN} {SPLIT_ZIP}"] = Answer.json(
            census_reply(
                SPOKEN,
                matched="12 MAIN ST, CAMBRIDGE, MA, 02138",
                zip_code=SPLIT_ZIP,
                areas=[census_area("lower", OTHER_HOUSE_GEOID, "25th Middlesex District")],
            )
        )
        fake.answers[f"9 Elm Street {SPLIT_ZIP}"] = Answer.json(
            census_reply("9 Elm Street", matched="9 ELM ST, SOMERVILLE, MA, 02144", zip_code="02144")
        )
        yield fake


@pytest.fixture(autouse=True)
def no_geocoder(twilio_app):
    """Without a geocoder (and never the real Census), unless a test asks for listening_app."""
    twilio_app.config["CENSUS_GEOCODER_URL"] = ""


@pytest.fixture
def listening_app(twilio_app, census):
    """The app with its geocoder: a split ZIP asks for the street address."""
    twilio_app.config["CENSUS_GEOCODER_URL"] = census.base_url
    twilio_app.config["CENSUS_GEOCODER_TIMEOUT"] = 2.0
    return twilio_app


@pytest.fixture
def legislators(twilio_app):
    """A campaign on the campaign number; ZIP 01001 has one senator and one representative, 02138 two reps."""
    campaign = make_campaign(title="Protect families")
    db.session.add(LegislativeChamber(state="MA", chamber="lower", name="House", member_title="State Representative"))
    senate = make_district("upper", "First Middlesex")
    house = make_district("lower", "2nd Suffolk", geoid=HOUSE_GEOID)
    other_house = make_district("lower", "25th Middlesex", geoid=OTHER_HOUSE_GEOID)
    senator = make_target("Jane Doe", "State Senator", SENATOR_PHONE, senate)
    rep = make_target("John Roe", "State Representative", REP_PHONE, house)
    other_rep = make_target("Jay Livingstone", "State Representative", OTHER_REP_PHONE, other_house)
    for zcta, district, rank in [
        (SINGLE_ZIP, senate, 1),
        (SINGLE_ZIP, house, 1),
        (SPLIT_ZIP, senate, 1),
        (SPLIT_ZIP, house, 1),
        (SPLIT_ZIP, other_house, 2),
    ]:
        db.session.add(ZipDistrict(zcta=zcta, district_id=district.id, rank=rank))
    db.session.commit()
    return campaign, senator, rep, other_rep


def call_in(app, inputs, from_=SUPPORTER, scenario=ANSWERED, final_status="completed"):
    """Dial the campaign's number from ``from_``, press ``inputs``, then deliver the number's status callback."""
    sim = CallSimulator(WSGITransport(app), TWILIO_TOKEN, dial_scenario=scenario)
    record = sim.run(INBOUND, inputs, to=CAMPAIGN_NUMBER, from_=from_, account_sid=TWILIO_SID, direction="inbound")
    callbacks = status_callback_requests(
        call_params=record.state.call_params,
        url=f"{INBOUND}/status",
        duration=int(record.state.elapsed),
        final_status=final_status,
    )
    assert all(result.status == 200 for _, result in deliver_webhooks(WSGITransport(app), TWILIO_TOKEN, callbacks))
    return record


def only_call() -> Call:
    db.session.expire_all()
    calls = db.session.query(Call).all()
    assert len(calls) == 1
    return calls[0]


def test_a_single_district_zip_goes_straight_on_to_the_same_flow_as_a_call_back(twilio_app, legislators):
    record = call_in(twilio_app, [SINGLE_ZIP, "1", "1"])

    assert [d.targets[0].value for d in record.dials] == [SENATOR_PHONE, REP_PHONE]
    said = " ".join(record.said)
    assert "calling line for Protect families" in said and "Please enter your five-digit ZIP code." in said
    assert "Thanks for calling about families." in said  # the campaign's own greeting, as on a call-back
    call = only_call()
    assert call.source == CallSource.call_in and call.status == CallStatus.completed and call.step == "done"
    assert [(leg.status, leg.duration) for leg in call.legs] == [(LegStatus.completed, 60), (LegStatus.completed, 45)]
    assert call.phone_encrypted is None and call.callin_answers is None
    assert call.caller is not None and call.caller.phone_hash == vault(twilio_app).hash(SUPPORTER)


def test_the_zip_gather_takes_five_digits_and_reprompts_on_fewer(twilio_app, legislators):
    record = call_in(twilio_app, ["021", SINGLE_ZIP, "1", "1"])

    gathers = [e for e in record.events if type(e).__name__ == "Gathered"]
    assert gathers[0].digits == "021" and gathers[0].timed_out
    assert "A ZIP code has five digits." in " ".join(record.said)
    assert len(record.dials) == 2


def test_a_split_zip_reads_the_candidates_by_name_and_dials_the_one_picked(twilio_app, legislators):
    record = call_in(twilio_app, [SPLIT_ZIP, "2", "1", "1"])

    said = " ".join(record.said)
    assert "If your State Representative is John Roe, press 1." in said
    assert "If your State Representative is Jay Livingstone, press 2." in said
    assert "If you don't know, press 0." in said
    assert [d.targets[0].value for d in record.dials] == [SENATOR_PHONE, OTHER_REP_PHONE]
    assert [leg.target and leg.target.name for leg in only_call().legs] == ["Jane Doe", "Jay Livingstone"]


def test_dont_know_connects_only_the_certain_senator_and_says_why(twilio_app, legislators):
    record = call_in(twilio_app, [SPLIT_ZIP, "0", "1"])

    assert "we'll leave them out of this call" in " ".join(record.said)
    assert [d.targets[0].value for d in record.dials] == [SENATOR_PHONE]
    assert [leg.target and leg.target.name for leg in only_call().legs] == ["Jane Doe"]


def test_a_silent_caller_at_the_zip_prompt_is_told_goodbye_and_nobody_is_dialed(twilio_app, legislators):
    record = call_in(twilio_app, [None, None, None])

    assert record.dials == [] and record.end_reason == "hangup"
    assert "we couldn't get your ZIP code" in " ".join(record.said)
    call = only_call()
    assert call.legs == [] and call.status == CallStatus.completed


def test_a_returning_caller_can_call_the_same_legislators_again(twilio_app, legislators):
    call_in(twilio_app, [SPLIT_ZIP, "2", "1", "1"])
    record = call_in(twilio_app, ["1", "1", "1"])

    assert "To call State Senator Jane Doe and State Representative Jay Livingstone again, press 1." in " ".join(
        record.said
    )
    assert [d.targets[0].value for d in record.dials] == [SENATOR_PHONE, OTHER_REP_PHONE]
    db.session.expire_all()
    assert db.session.query(Call).count() == 2


def test_a_returning_caller_can_enter_a_new_zip(twilio_app, legislators):
    call_in(twilio_app, [SPLIT_ZIP, "2", "1", "1"])
    record = call_in(twilio_app, ["2", SINGLE_ZIP, "1", "1"])

    assert [d.targets[0].value for d in record.dials] == [SENATOR_PHONE, REP_PHONE]


def test_a_withheld_caller_id_is_served_but_not_recognised(twilio_app, legislators):
    call_in(twilio_app, [SINGLE_ZIP, "1", "1"], from_="anonymous")
    record = call_in(twilio_app, [SINGLE_ZIP, "1", "1"], from_="anonymous")

    assert "Welcome back" not in " ".join(record.said)
    assert len(record.dials) == 2
    db.session.expire_all()
    assert [c.caller_id for c in db.session.query(Call).all()] == [None, None]


def test_a_blocked_number_hears_a_polite_refusal_and_nothing_is_stored(twilio_app, legislators):
    db.session.add(Block(kind=BlockKind.phone, value=vault(twilio_app).hash(SUPPORTER)))
    db.session.commit()
    record = call_in(twilio_app, [])

    assert record.said == ["Sorry, we can't take your call right now. Goodbye."]
    assert db.session.query(Call).count() == 0


def test_a_paused_campaign_says_so_and_hangs_up(twilio_app, legislators):
    campaign = legislators[0]
    campaign.status = CampaignStatus.paused
    db.session.commit()
    record = call_in(twilio_app, [])

    assert record.said == [
        "Hello, you've reached the calling line for Protect families. It isn't taking calls right now. Goodbye."
    ]
    assert db.session.query(Call).count() == 0


# --- Saying the address -------------------------------------------------------------------------


def test_a_split_zip_resolved_by_speech_is_read_back_and_confirmed_before_dialing(listening_app, legislators, census):
    record = call_in(listening_app, [SPLIT_ZIP, Speech(SPOKEN, 0.92), "1", "1", "1"])

    said = " ".join(record.said)
    assert "please say your street number and street name" in said
    assert "We found 12 MAIN ST, CAMBRIDGE, MA, 02138." in said
    assert "So we'll connect you to State Representative Jay Livingstone." in said
    assert [d.targets[0].value for d in record.dials] == [SENATOR_PHONE, OTHER_REP_PHONE]
    gather = next(e for e in record.events if type(e).__name__ == "Gathered" and e.speech)
    assert gather.speech == SPOKEN
    call = only_call()
    assert [leg.target and leg.target.name for leg in call.legs] == ["Jane Doe", "Jay Livingstone"]
    assert call.callin_answers is None  # what was said is gone; the legs (districts) remain
    assert [q.params["address"][0] for q in census.queries] == [f"{SPOKEN} {SPLIT_ZIP}"]


def test_saying_no_to_the_address_read_back_goes_to_the_names(listening_app, legislators, census):
    record = call_in(listening_app, [SPLIT_ZIP, Speech(SPOKEN), Speech("No."), "1", "1", "1"])

    assert "If your State Representative is John Roe, press 1." in " ".join(record.said)
    assert [d.targets[0].value for d in record.dials] == [SENATOR_PHONE, REP_PHONE]


def test_speech_not_understood_twice_reads_the_candidates(listening_app, legislators, census):
    record = call_in(listening_app, [SPLIT_ZIP, Speech("mumble", 0.05), Speech("mumble again", 0.1), "2", "1", "1"])

    said = " ".join(record.said)
    assert said.count("Sorry, I didn't catch that.") == 2
    assert [d.targets[0].value for d in record.dials] == [SENATOR_PHONE, OTHER_REP_PHONE]
    assert census.queries == []  # nothing this unsure is sent to the geocoder


def test_an_address_outside_the_zip_is_not_used(listening_app, legislators, census):
    record = call_in(listening_app, [SPLIT_ZIP, Speech("9 Elm Street"), Speech("9 Elm Street"), "0", "1"])

    assert "Sorry, we couldn't find that address in your ZIP code." in " ".join(record.said)
    assert [d.targets[0].value for d in record.dials] == [SENATOR_PHONE]


def test_with_the_geocoder_down_the_names_are_read_at_once(listening_app, legislators, census):
    census.answers[f"{SPOKEN} {SPLIT_ZIP}"] = Answer(b"busy", status=503)
    record = call_in(listening_app, [SPLIT_ZIP, Speech(SPOKEN), "1", "1", "1"])

    said = " ".join(record.said)
    assert "Sorry, we can't look up addresses right now." in said
    assert "If your State Representative is John Roe, press 1." in said
    assert [d.targets[0].value for d in record.dials] == [SENATOR_PHONE, REP_PHONE]


def test_nothing_said_or_typed_reaches_the_logs(listening_app, legislators, census, caplog):
    caplog.set_level("DEBUG")
    call_in(listening_app, [SPLIT_ZIP, Speech(SPOKEN), "1", "1", "1"])

    logged = " ".join(r.getMessage() for r in caplog.records)
    assert SPOKEN not in logged and "MAIN ST" not in logged and SUPPORTER not in logged


def test_several_campaigns_on_one_number_offer_a_short_menu(twilio_app, legislators):
    schools = make_campaign(title="Fund our schools", greeting="Thanks for calling about schools.")
    db.session.commit()
    record = call_in(twilio_app, ["2", SINGLE_ZIP, "1", "1"])

    said = " ".join(record.said)
    assert "For Protect families, press 1. For Fund our schools, press 2." in said
    assert "calling line for Fund our schools" in said and "Thanks for calling about schools." in said
    assert len(record.dials) == 2
    assert only_call().campaign_id == schools.id


# --- A text with a link instead -----------------------------------------------------------------


def test_a_caller_who_does_not_know_can_get_a_text_with_the_campaign_link(twilio_app, rest, legislators):
    campaign = legislators[0]
    campaign.text_link = True
    db.session.commit()
    record = call_in(twilio_app, [SPLIT_ZIP, "*"])

    assert "We'll text you a link to the campaign's page." in " ".join(record.said) and record.dials == []
    assert dialer.sweep(twilio_app) == 1
    assert [(m["to"], m["from"], m["body"]) for m in rest.messages] == [
        (SUPPORTER, CAMPAIGN_NUMBER, f"Protect families: {PUBLIC_BASE_URL}/c/{campaign.slug}")
    ]
    db.session.expire_all()
    text = db.session.scalars(select(TextMessage)).one()
    assert text.phone_encrypted is None and text.sent_at is not None and text.message_sid == rest.messages[0]["sid"]
    assert only_call().phone_encrypted is None  # erased with the call's final status
    assert dialer.sweep(twilio_app) == 0  # sent once


def test_a_withheld_caller_is_offered_no_text(twilio_app, legislators):
    legislators[0].text_link = True
    db.session.commit()
    record = call_in(twilio_app, [SPLIT_ZIP, "1", "1", "1"], from_="anonymous")

    assert "text message" not in " ".join(record.said)
    assert only_call().phone_encrypted is None


def test_a_text_twilio_refuses_is_not_retried_and_its_number_is_erased(twilio_app, rest, legislators):
    legislators[0].text_link = True
    db.session.commit()
    call_in(twilio_app, [SPLIT_ZIP, "*"])
    rest.fail_next(1, status=500)

    assert dialer.sweep(twilio_app) == 0
    assert dialer.sweep(twilio_app) == 0
    db.session.expire_all()
    text = db.session.scalars(select(TextMessage)).one()
    assert (text.phone_encrypted, text.sent_at, text.attempts) == (None, None, 1)
    assert text.failure == "Twilio answered 500 (code 20500)"
    assert rest.messages == []


def test_a_call_in_is_not_offered_press_9_and_9_blocklists_nobody(twilio_app, legislators):
    record = call_in(twilio_app, [SINGLE_ZIP, "9", "1", "1"])

    said = " ".join(record.said)
    assert "If you did not ask for this call" not in said and "Sorry, I didn't get that." in said
    assert len(record.dials) == 2
    call = only_call()
    assert call.not_requested is not True
    assert db.session.query(Block).count() == 0


def test_a_call_in_whose_last_status_callback_was_lost_is_settled_by_reconciliation(twilio_app, rest, legislators):
    sid = rest.receive_call(SUPPORTER, CAMPAIGN_NUMBER)
    sim = CallSimulator(WSGITransport(twilio_app), TWILIO_TOKEN, dial_scenario=ANSWERED)
    sim.run(INBOUND, [SINGLE_ZIP, "1", "1"], to=CAMPAIGN_NUMBER, from_=SUPPORTER, account_sid=TWILIO_SID,
            direction="inbound", call_sid=sid)  # fmt: skip
    stuck = only_call()  # the number's status callback never arrives
    assert stuck.status == CallStatus.in_progress and stuck.dialed_at is None
    rest.set_status(sid, "completed", duration=95)

    assert dialer.sweep(twilio_app) == 0  # not before a call could plausibly have ended
    later = stuck.created_at + timedelta(seconds=twilio_app.config["DIALER_RECONCILE_AFTER"] + 1)
    assert dialer.sweep(twilio_app, now=later) == 1
    settled = only_call()
    assert settled.status == CallStatus.completed and settled.duration == 95 and settled.ended_at is not None
