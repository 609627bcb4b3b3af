"""The call-in line's table, with plain values: each step and key, what it says, asks and records."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from types import MappingProxyType

import pytest

from callflow.callin import TRANSITIONS, Line, respond, welcome
from callflow.flow import Outcome
from callflow.vocabulary import (
    CALLIN_STEPS,
    EVENT_GATHER,
    EVENT_SILENCE,
    KEY_MAP,
    MAX_REPROMPTS,
    Answered,
    Answers,
    AnswersGiven,
    CallFinished,
    CallPlanned,
    Campaign,
    CampaignChosen,
    Choice,
    FlowState,
    GatherResult,
    Places,
    Question,
    Silence,
    Step,
    TextRequested,
)
from tests.support.twiml import find

LINE_URL = "https://patchthrough.test/twilio/callin/7f3a9c/"
FLOW_URL = "https://patchthrough.test/twilio/calls/7f3a9c/"
CAMPAIGN = Campaign(title="Fund Our Schools", greeting="", talking_points="Vote yes.", thanks="")

SENATE_LEGS = ("senator",)
BOTH_LEGS = ("senator", "rep")
REPS = Question(
    "lower",
    "State Representative",
    (Choice("25001", "2nd Suffolk", "John Roe"), Choice("25002", "25th Middlesex", "")),
)


def places_for(answers: Answers) -> Places:
    """A small lookup: 01001 is one district per chamber, 02138 has two representatives, 99999 is not ours;
    "12 Main St" is in 02138's second district, "down" finds the geocoder down."""
    if answers.address is not None:
        if answers.address == "12 Main St":
            return Places(
                "heard",
                picks={"lower": "25002"},
                matched_address="12 MAIN ST, CAMBRIDGE, MA, 02138",
                names=("State Representative Jay Livingstone",),
            )
        return Places("ask", REPS, geocoder_down=answers.address == "down")
    if answers.heard:
        return Places("heard", picks=answers.heard, names=("State Representative Jay Livingstone",))
    if answers.zip == "01001":
        return Places("ready", legs=BOTH_LEGS)
    if answers.zip == "02138":
        pick = answers.picks.get("lower")
        if pick is None:
            return Places("ask", REPS)
        if pick == "":
            return Places("ready", legs=SENATE_LEGS, skipped=("State Representative",))
        return Places("ready", legs=("senator", pick))
    if answers.zip == "03000":
        return Places("nobody")
    return Places("unusable", reason="We don't know that ZIP code.")


NO_ANSWERS = Answers()


def line(
    answers: Answers = NO_ANSWERS, previous: tuple[str, ...] = (), listens: bool = False, can_text: bool = False
) -> Line:
    return Line(
        campaign=CAMPAIGN,
        answers=answers,
        resolve=places_for,
        url=lambda event: LINE_URL + event,
        flow_url=lambda event: FLOW_URL + event,
        previous_names=("State Senator Jane Doe", "State Representative John Roe") if previous else (),
        previous_legs=previous,
        listens=listens,
        can_text=can_text,
    )


def parsed(outcome: Outcome) -> ET.Element:
    return ET.fromstring(str(outcome.twiml))


def said(root: ET.Element) -> list[str]:
    return [say.text or "" for say in root.iter("Say")]


def keyed(digits: str) -> GatherResult:
    return GatherResult(digits)


# --- Welcome ------------------------------------------------------------------------------------


def test_a_new_caller_is_welcomed_and_asked_for_five_digits_with_silence_redirected():
    outcome = welcome(line())
    root = parsed(outcome)
    assert [child.tag for child in root] == ["Say", "Gather", "Redirect"]
    gather = find(root, "Gather")
    assert gather.attrib == {
        "action": LINE_URL + "gather",
        "method": "POST",
        "input": "dtmf",
        "numDigits": "5",
        "finishOnKey": "#",
        "timeout": "8",
    }
    assert said(root) == [
        "Hello, you've reached the calling line for Fund Our Schools. We'll connect you to your legislators.",
        "Please enter your five-digit ZIP code.",
    ]
    assert find(root, "Redirect").text == LINE_URL + "silence"
    assert outcome.state == FlowState(Step.ZIP, 0, 0) and outcome.effects == ()


def test_a_returning_caller_is_offered_the_same_legislators_with_one_key():
    outcome = welcome(line(previous=BOTH_LEGS))
    gather = find(parsed(outcome), "Gather")
    assert gather.get("numDigits") == "1" and gather.get("finishOnKey") == ""
    assert said(gather) == [
        "Welcome back. To call State Senator Jane Doe and State Representative John Roe again, press 1. "
        "To enter a ZIP code, press 2."
    ]
    assert outcome.state == FlowState(Step.RETURNING, 0, 0)


# --- Each step and key --------------------------------------------------------------------------


def test_returning_1_plans_the_previous_legs_and_hands_over_to_the_call_flow():
    outcome = respond(FlowState(Step.RETURNING), keyed("1"), line(previous=BOTH_LEGS))
    root = parsed(outcome)
    assert outcome.effects == (CallPlanned(BOTH_LEGS),)
    assert outcome.state == FlowState(Step.START, 0, 0)
    assert said(root) == ["Thank you."]
    redirect = find(root, "Redirect")
    assert (redirect.text, redirect.get("method")) == (FLOW_URL + "answered", "POST")


def test_returning_2_asks_for_a_zip():
    outcome = respond(FlowState(Step.RETURNING), keyed("2"), line(previous=BOTH_LEGS))
    assert outcome.state == FlowState(Step.ZIP, 0, 0)
    assert find(parsed(outcome), "Gather").get("numDigits") == "5"


def test_a_silent_returning_caller_is_still_patched_through_to_the_same_legislators():
    outcome = respond(FlowState(Step.RETURNING, 0, MAX_REPROMPTS), Silence(), line(previous=BOTH_LEGS))
    assert outcome.effects == (CallPlanned(BOTH_LEGS),)


def test_a_single_district_zip_goes_straight_on():
    outcome = respond(FlowState(Step.ZIP), keyed("01001"), line())
    assert outcome.effects == (AnswersGiven(Answers("01001")), CallPlanned(BOTH_LEGS))
    assert outcome.state == FlowState(Step.START)
    assert find(parsed(outcome), "Redirect").text == FLOW_URL + "answered"


@pytest.mark.parametrize("digits", ["021", "0213", "02138#", "٠٢١٣٨"])
def test_anything_but_five_digits_asks_again_and_records_nothing(digits):
    outcome = respond(FlowState(Step.ZIP, 0, 0), keyed(digits), line())
    root = parsed(outcome)
    assert outcome.state == FlowState(Step.ZIP, 0, 1) and outcome.effects == ()
    assert said(find(root, "Gather")) == ["A ZIP code has five digits.", "Please enter your five-digit ZIP code."]


def test_the_third_bad_zip_says_goodbye_without_guessing():
    outcome = respond(FlowState(Step.ZIP, 0, MAX_REPROMPTS), keyed("12"), line())
    root = parsed(outcome)
    assert [child.tag for child in root] == ["Say", "Say", "Hangup"]
    assert outcome.effects == (CallFinished(),) and outcome.state.step == Step.DONE


def test_a_zip_we_cannot_use_is_asked_again():
    outcome = respond(FlowState(Step.ZIP), keyed("99999"), line())
    assert outcome.state == FlowState(Step.ZIP, 0, 1)
    assert said(find(parsed(outcome), "Gather"))[0] == (
        "Sorry, we can't find legislators in this campaign's state for that ZIP code."
    )


def test_a_zip_with_nobody_to_call_says_so_and_hangs_up():
    outcome = respond(FlowState(Step.ZIP), keyed("03000"), line())
    assert find(parsed(outcome), "Hangup") is not None
    assert outcome.effects == (AnswersGiven(Answers("03000")), CallFinished())


def test_a_split_zip_reads_each_candidate_by_name_and_a_vacant_seat_by_district():
    outcome = respond(FlowState(Step.ZIP), keyed("02138"), line())
    gather = find(parsed(outcome), "Gather")
    assert gather.get("numDigits") == "1" and gather.get("action") == LINE_URL + "gather"
    assert said(gather) == [
        "Your ZIP code has more than one State Representative.",
        "If your State Representative is John Roe, press 1.",
        "If you live in the 25th Middlesex district, where the seat is vacant, press 2.",
        "If you don't know, press 0.",
    ]
    assert outcome.state == FlowState(Step.PICK, 0, 0)
    assert outcome.effects == (AnswersGiven(Answers("02138")),)


def test_picking_a_candidate_plans_that_district():
    outcome = respond(FlowState(Step.PICK), keyed("2"), line(Answers("02138")))
    picked = Answers("02138", MappingProxyType({"lower": "25002"}))
    assert outcome.effects == (AnswersGiven(picked), CallPlanned(("senator", "25002")))


def test_dont_know_plans_only_the_certain_legs_and_says_why_the_other_is_left_out():
    outcome = respond(FlowState(Step.PICK), keyed("0"), line(Answers("02138")))
    assert outcome.effects[-1] == CallPlanned(SENATE_LEGS)
    assert said(parsed(outcome)) == [
        "Thank you.",
        "As we can't be sure who your State Representative is, we'll leave them out of this call.",
    ]


@pytest.mark.parametrize("digits", ["3", "9", "*", "#", "12"])
def test_a_key_that_is_no_candidate_asks_again(digits):
    outcome = respond(FlowState(Step.PICK), keyed(digits), line(Answers("02138")))
    assert outcome.state == FlowState(Step.PICK, 0, 1) and outcome.effects == ()
    assert said(find(parsed(outcome), "Gather"))[0] == "Sorry, I didn't get that."


def test_a_silent_pick_counts_as_dont_know_after_two_reprompts():
    state = FlowState(Step.PICK, 0, 0)
    for attempt in range(1, MAX_REPROMPTS + 1):
        outcome = respond(state, Silence(), line(Answers("02138")))
        assert outcome.state == FlowState(Step.PICK, 0, attempt)
        state = outcome.state
    outcome = respond(state, Silence(), line(Answers("02138")))
    assert outcome.effects[-1] == CallPlanned(SENATE_LEGS)


# --- Saying the address -------------------------------------------------------------------------

HEARD = Answers("02138", heard=MappingProxyType({"lower": "25002"}))


def spoke(text: str, confidence: float | None = 0.9) -> GatherResult:
    return GatherResult("", speech=text, confidence=confidence)


def test_with_a_geocoder_a_split_zip_asks_for_the_street_address_by_speech_or_0():
    outcome = respond(FlowState(Step.ZIP), keyed("02138"), line(listens=True))
    gather = find(parsed(outcome), "Gather")
    assert gather.attrib == {
        "action": LINE_URL + "gather",
        "method": "POST",
        "input": "speech dtmf",
        "numDigits": "1",
        "finishOnKey": "",
        "timeout": "8",
        "speechTimeout": "auto",
        "hints": "street, avenue, road, drive, lane, court, place, boulevard, way, apartment",
    }
    assert said(gather) == [
        "Your ZIP code is split between districts. To find yours, please say your street number and street name. "
        "Or press 0 to hear the names instead."
    ]
    assert outcome.state == FlowState(Step.ADDRESS) and outcome.effects == (AnswersGiven(Answers("02138")),)


def test_an_address_placed_is_read_back_and_only_its_districts_are_kept():
    outcome = respond(FlowState(Step.ADDRESS), spoke("12 Main St"), line(Answers("02138"), listens=True))
    gather = find(parsed(outcome), "Gather")
    assert gather.get("input") == "speech dtmf" and gather.get("hints") == "yes, no"
    assert said(gather) == [
        "We found 12 MAIN ST, CAMBRIDGE, MA, 02138.",
        "So we'll connect you to State Representative Jay Livingstone. If that's right, press 1 or say yes. "
        "If not, press 2 or say no.",
    ]
    assert outcome.state == FlowState(Step.CONFIRM)
    assert outcome.effects == (AnswersGiven(HEARD),)
    assert "12 Main St" not in repr(outcome.effects)


@pytest.mark.parametrize("answer", [keyed("1"), spoke("Yes."), spoke("yeah")])
def test_yes_at_the_read_back_plans_the_heard_district(answer):
    outcome = respond(FlowState(Step.CONFIRM), answer, line(HEARD, listens=True))
    assert outcome.effects[-1] == CallPlanned(("senator", "25002"))


@pytest.mark.parametrize("answer", [keyed("2"), spoke("No!")])
def test_no_at_the_read_back_reads_the_names(answer):
    outcome = respond(FlowState(Step.CONFIRM), answer, line(HEARD, listens=True))
    assert outcome.state == FlowState(Step.PICK)
    assert outcome.effects == (AnswersGiven(Answers("02138")),)


def test_a_read_back_repeated_names_the_people_but_not_the_address():
    outcome = respond(FlowState(Step.CONFIRM), Silence(), line(HEARD, listens=True))
    assert said(find(parsed(outcome), "Gather"))[1].startswith("So we'll connect you to State Representative")
    assert outcome.state == FlowState(Step.CONFIRM, 0, 1)


def test_speech_not_understood_is_asked_again_once_then_the_names_are_read():
    first = respond(FlowState(Step.ADDRESS), spoke("mumble", 0.05), line(Answers("02138"), listens=True))
    assert first.state == FlowState(Step.ADDRESS, 0, 1) and first.effects == ()
    assert said(find(parsed(first), "Gather"))[0] == "Sorry, I didn't catch that."
    second = respond(first.state, spoke("12 Elm St"), line(Answers("02138"), listens=True))
    assert second.state == FlowState(Step.PICK)
    assert "Sorry, we couldn't find that address in your ZIP code." in said(parsed(second))


def test_the_geocoder_down_goes_to_the_names_at_once():
    outcome = respond(FlowState(Step.ADDRESS), spoke("down"), line(Answers("02138"), listens=True))
    assert outcome.state == FlowState(Step.PICK)
    assert said(parsed(outcome))[0] == "Sorry, we can't look up addresses right now."


def test_0_at_the_address_question_reads_the_names():
    outcome = respond(FlowState(Step.ADDRESS), keyed("0"), line(Answers("02138"), listens=True))
    assert outcome.state == FlowState(Step.PICK)


# --- Off the table ------------------------------------------------------------------------------


def test_an_off_table_event_asks_the_current_question_again_and_changes_nothing():
    outcome = respond(FlowState(Step.PICK, 0, 1), Answered(), line(Answers("02138")))
    assert outcome.state == FlowState(Step.PICK, 0, 1) and outcome.effects == ()
    assert said(find(parsed(outcome), "Gather"))[0] == "Your ZIP code has more than one State Representative."


def test_a_call_that_has_moved_on_is_sent_to_its_own_flow():
    outcome = respond(FlowState(Step.SCRIPT), keyed("1"), line())
    assert [child.tag for child in parsed(outcome)] == ["Redirect"]
    assert outcome.state == FlowState(Step.SCRIPT) and outcome.effects == ()


def test_a_pick_with_nothing_left_to_ask_goes_on_from_the_answers():
    answered = Answers("02138", MappingProxyType({"lower": "25001"}))
    outcome = respond(FlowState(Step.PICK), Silence(), line(answered))
    assert outcome.effects[-1] == CallPlanned(("senator", "25001"))


def test_every_question_has_a_key_map_and_both_events():
    asking = CALLIN_STEPS - {Step.WELCOME}
    assert set(KEY_MAP) >= asking
    assert set(TRANSITIONS) >= {(step, event) for step in asking for event in (EVENT_GATHER, EVENT_SILENCE)}


def test_several_campaigns_on_the_number_are_offered_by_title_and_the_choice_welcomes_next():
    shared = replace(line(), campaigns=("Fund Our Schools", "Protect Families"))
    outcome = welcome(shared)
    gather = find(parsed(outcome), "Gather")
    assert said(gather) == [
        "Hello, you've reached a calling line for several campaigns.",
        "For Fund Our Schools, press 1.",
        "For Protect Families, press 2.",
    ]
    assert outcome.state == FlowState(Step.CAMPAIGN)
    chosen = respond(FlowState(Step.CAMPAIGN), keyed("2"), shared)
    assert chosen.effects == (CampaignChosen(1),)
    assert (chosen.state, find(parsed(chosen), "Redirect").text) == (FlowState(Step.WELCOME), LINE_URL + "answered")
    welcomed = respond(FlowState(Step.WELCOME), Answered(), line())
    assert welcomed.state == FlowState(Step.ZIP)


def test_a_silent_caller_at_the_campaign_menu_gets_the_first_campaign():
    shared = replace(line(), campaigns=("Fund Our Schools", "Protect Families"))
    outcome = respond(FlowState(Step.CAMPAIGN, 0, MAX_REPROMPTS), Silence(), shared)
    assert outcome.effects == (CampaignChosen(0),)


# --- A text instead ----------------------------------------------------------------------------


def test_the_candidates_offer_a_text_when_the_campaign_sends_them_and_star_asks_for_it():
    offered = respond(FlowState(Step.ZIP), keyed("02138"), line(can_text=True))
    assert said(find(parsed(offered), "Gather"))[-1] == (
        "To get a text message with a link to the campaign's page instead, press star."
    )
    outcome = respond(FlowState(Step.PICK), keyed("*"), line(Answers("02138"), can_text=True))
    root = parsed(outcome)
    assert [child.tag for child in root] == ["Say", "Hangup"]
    assert outcome.effects == (TextRequested(), CallFinished())


def test_without_texts_star_is_no_answer_and_nothing_is_offered():
    assert "press star" not in " ".join(said(parsed(respond(FlowState(Step.ZIP), keyed("02138"), line()))))
    outcome = respond(FlowState(Step.PICK), keyed("*"), line(Answers("02138")))
    assert outcome.effects == () and outcome.state == FlowState(Step.PICK, 0, 1)
