"""The call flow, table by table: every defined (state, event), the off-table ones, whole calls."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import pytest

from callflow.flow import TRANSITIONS, Outcome, machine_verdict, respond
from callflow.parameters import parse_event
from callflow.prompts import PROMPTS, message
from callflow.say import split_for_say
from callflow.vocabulary import (
    EVENT_DIAL,
    EVENT_GATHER,
    EVENT_SILENCE,
    EVENTS,
    FEEDBACK_KEYS,
    INITIAL_STATE,
    KEY_MAP,
    MAX_REPROMPTS,
    MAX_SAY_CHARS,
    MAX_SHORT_TEXT_CHARS,
    MAX_TALKING_POINTS_CHARS,
    STEPS,
    WAIT_ROUNDS,
    Answered,
    AnsweredByMachine,
    CallFinished,
    Campaign,
    DialFinished,
    Event,
    FlowState,
    GatherResult,
    Leg,
    LegDialing,
    LegFeedback,
    LegFinished,
    LegSkipped,
    Line,
    NotRequested,
    Silence,
    Step,
    Voicemail,
)
from tests.support.twiml import find

# --- Fixtures as plain values -----------------------------------------------------------------

BASE = "https://patchthrough.test/calls/7f3a9c/"


def url(event: str) -> str:
    """Stand-in for the route layer's url_for(..., _external=True)."""
    return BASE + event


CAMPAIGN = Campaign(
    title="Fund Our Schools",
    greeting="Hi, this is Fund Our Schools, calling about Thursday's budget vote.",
    talking_points="Please vote yes on the school funding bill. Our classrooms need it.",
    thanks="Thank you for speaking up!",
)
FEEDBACK_CAMPAIGN = replace(CAMPAIGN, ask_feedback=True)

SENATOR = Leg("Senator Jane Doe", "First Middlesex", "+16175550100")
REP = Leg("Representative John Roe", "17th Middlesex", "+16175550101", extension="204")
GOVERNOR = Leg("Governor Pat Poe", None, "+16175550102")
VACANT = Leg("", "17th Middlesex", None, vacant=True)
NO_PHONE = Leg("Senator Sam Soe", "Second Essex", None)
TWO = (SENATOR, REP)
# A senator with a State House line and a district office line, then the representative.
DISTRICT_OFFICE = Line("+16175550200", "12", "district")
WITH_OFFICES = (replace(SENATOR, kind="capitol", more_lines=(DISTRICT_OFFICE,)), REP)
THREE = (SENATOR, REP, GOVERNOR)

# --- Reading TwiML back -----------------------------------------------------------------------


def shape(element: ET.Element) -> list[tuple[Any, ...]]:
    """The verbs of a TwiML element in order, with what matters about each."""
    out: list[tuple[Any, ...]] = []
    for child in element:
        if child.tag == "Say":
            out.append(("Say", child.text))
        elif child.tag == "Gather":
            out.append(("Gather", tuple(shape(child))))
        elif child.tag == "Dial":
            (number,) = child.findall("./Number")
            out.append(("Dial", number.text, number.get("sendDigits")))
        elif child.tag == "Redirect":
            out.append(("Redirect", child.text))
        elif child.tag == "Pause":
            out.append(("Pause", child.get("length")))
        else:
            out.append((child.tag,))
    return out


def run(
    state: FlowState,
    event: Event,
    legs: Sequence[Leg] = TWO,
    campaign: Campaign = CAMPAIGN,
) -> tuple[ET.Element, Outcome]:
    outcome = respond(state, event, campaign, legs, url)
    return ET.fromstring(str(outcome.twiml)), outcome


def said(text: str) -> tuple[str, str]:
    return ("Say", text)


def says(key: str, **fields: str) -> tuple[str, str]:
    return ("Say", message(key, **fields))


def gather(*inner: tuple[Any, ...]) -> tuple[str, tuple[tuple[Any, ...], ...]]:
    return ("Gather", tuple(inner))


def target(leg: Leg) -> str:
    return f"{leg.name}, {leg.district} district" if leg.district else leg.name


def dial(leg: Leg) -> list[tuple[Any, ...]]:
    ext = f"wwww{leg.extension}" if leg.extension else None
    return [says("connecting", target=target(leg)), ("Dial", leg.phone, ext)]


def offer(leg: Leg) -> tuple[str, str]:
    return says("offer_instructions", target=target(leg))


SILENCE_REDIRECT = ("Redirect", url(EVENT_SILENCE))
HANGUP = ("Hangup",)
TALKING_POINTS = said(CAMPAIGN.talking_points)
SCRIPT_MENU = says("script_instructions")
# The first menu follows the offer to press 9, so it does not repeat it.
FIRST_SCRIPT_MENU = says("script_instructions_call_in")
FEEDBACK_MENU = says("feedback_instructions")
GREETED = [
    ("Pause", "1"),
    said(CAMPAIGN.greeting),
    gather(says("not_requested_offer"), TALKING_POINTS, FIRST_SCRIPT_MENU),
    SILENCE_REDIRECT,
]
THANKS = [said(CAMPAIGN.thanks), says("share"), says("goodbye"), HANGUP]


def S(step: str, position: int = 0, attempts: int = 0) -> FlowState:
    return FlowState(step, position, attempts)


def dialed(status: str, duration: int = 95, bridged: bool | None = True) -> DialFinished:
    return DialFinished(status, duration, "CA0123", bridged)


def finished(position: int, status: str, duration: int = 95, bridged: bool | None = True) -> LegFinished:
    return LegFinished(position, status, duration, "CA0123", bridged)


DONE_AFTER_TWO = S(Step.DONE, 2)

# --- The table: (state, event, legs, campaign) -> (verbs, next state, effects) ---------------

C = pytest.param
CASES = [
    # start: the call is answered
    C(
        INITIAL_STATE,
        Answered("human"),
        TWO,
        CAMPAIGN,
        GREETED,
        S(Step.SCRIPT),
        (),
        id="human_answer_greets_and_reads_talking_points",
    ),
    C(
        INITIAL_STATE,
        Answered("unknown"),
        TWO,
        CAMPAIGN,
        GREETED,
        S(Step.SCRIPT),
        (),
        id="undecided_machine_detection_gets_the_normal_call",
    ),
    C(
        INITIAL_STATE,
        Answered(None),
        TWO,
        CAMPAIGN,
        GREETED,
        S(Step.SCRIPT),
        (),
        id="answer_without_machine_detection_gets_the_normal_call",
    ),
    *[
        C(
            INITIAL_STATE,
            Answered(machine),
            TWO,
            CAMPAIGN,
            [says("machine", title=CAMPAIGN.title), HANGUP],
            S(Step.DONE),
            (AnsweredByMachine(machine), CallFinished()),
            id=f"{machine}_gets_a_short_message_and_a_hangup",
        )
        for machine in ("machine_start", "machine_end_beep", "machine_end_silence", "machine_end_other", "fax")
    ],
    C(
        INITIAL_STATE,
        Voicemail(),
        TWO,
        CAMPAIGN,
        GREETED,
        S(Step.SCRIPT),
        (),
        id="a_voicemail_redirect_before_any_verdict_begins_the_normal_call",
    ),
    *[
        C(
            S(Step.MACHINE),
            event,
            TWO,
            CAMPAIGN,
            [says("machine", title=CAMPAIGN.title), HANGUP],
            S(Step.DONE),
            (CallFinished(),),
            id=f"{event.kind}_after_a_machine_verdict_leaves_the_short_message_and_hangs_up",
        )
        for event in (Voicemail(), Answered(None), GatherResult("1"), Silence(), dialed("completed"))
    ],
    *[
        C(
            INITIAL_STATE,
            event,
            TWO,
            CAMPAIGN,
            GREETED,
            S(Step.SCRIPT),
            (),
            id=f"stray_{event.kind}_as_first_webhook_still_begins_the_call",
        )
        for event in (GatherResult("1"), Silence(), dialed("completed"))
    ],
    # script: talking points menu
    C(
        S(Step.SCRIPT),
        GatherResult("1"),
        TWO,
        CAMPAIGN,
        dial(SENATOR),
        S(Step.DIALING, 0),
        (LegDialing(0),),
        id="go_on_after_talking_points_dials_the_senator",
    ),
    C(
        S(Step.SCRIPT, 0, 2),
        GatherResult("1"),
        TWO,
        CAMPAIGN,
        dial(SENATOR),
        S(Step.DIALING, 0),
        (LegDialing(0),),
        id="go_on_after_reprompts_resets_attempts",
    ),
    C(
        S(Step.SCRIPT, 0, 1),
        GatherResult("2"),
        TWO,
        CAMPAIGN,
        [gather(TALKING_POINTS, SCRIPT_MENU), SILENCE_REDIRECT],
        S(Step.SCRIPT),
        (),
        id="repeat_key_reads_talking_points_again",
    ),
    C(
        S(Step.SCRIPT, 0, 1),
        GatherResult("9"),
        TWO,
        CAMPAIGN,
        [says("not_requested_goodbye"), HANGUP],
        S(Step.DONE),
        (NotRequested(), CallFinished()),
        id="nine_at_the_script_ends_the_call_for_a_stranger_who_did_not_ask_for_it",
    ),
    C(
        S(Step.SCRIPT),
        GatherResult("7"),
        TWO,
        CAMPAIGN,
        [gather(says("invalid"), SCRIPT_MENU), SILENCE_REDIRECT],
        S(Step.SCRIPT, 0, 1),
        (),
        id="unknown_key_at_script_says_sorry_and_counts_an_attempt",
    ),
    C(
        S(Step.SCRIPT),
        GatherResult("#"),
        TWO,
        CAMPAIGN,
        [gather(says("invalid"), SCRIPT_MENU), SILENCE_REDIRECT],
        S(Step.SCRIPT, 0, 1),
        (),
        id="pound_is_an_unknown_key_not_a_submit",
    ),
    C(
        S(Step.SCRIPT),
        GatherResult("3"),
        TWO,
        CAMPAIGN,
        [gather(says("invalid"), SCRIPT_MENU), SILENCE_REDIRECT],
        S(Step.SCRIPT, 0, 1),
        (),
        id="skip_key_is_not_offered_at_script",
    ),
    C(
        S(Step.SCRIPT),
        GatherResult(""),
        TWO,
        CAMPAIGN,
        [gather(says("silence"), SCRIPT_MENU), SILENCE_REDIRECT],
        S(Step.SCRIPT, 0, 1),
        (),
        id="empty_gather_result_counts_as_silence",
    ),
    C(
        S(Step.SCRIPT),
        Silence(),
        TWO,
        CAMPAIGN,
        [gather(says("silence"), SCRIPT_MENU), SILENCE_REDIRECT],
        S(Step.SCRIPT, 0, 1),
        (),
        id="first_silence_at_script_reprompts",
    ),
    C(
        S(Step.SCRIPT, 0, 1),
        Silence(),
        TWO,
        CAMPAIGN,
        [gather(says("silence"), SCRIPT_MENU), SILENCE_REDIRECT],
        S(Step.SCRIPT, 0, 2),
        (),
        id="second_silence_at_script_reprompts",
    ),
    C(
        S(Step.SCRIPT, 0, MAX_REPROMPTS),
        Silence(),
        TWO,
        CAMPAIGN,
        [says("silence"), *dial(SENATOR)],
        S(Step.DIALING, 0),
        (LegDialing(0),),
        id="third_silence_at_script_goes_on_to_the_senator",
    ),
    C(
        S(Step.SCRIPT, 0, MAX_REPROMPTS),
        GatherResult("8"),
        TWO,
        CAMPAIGN,
        [says("invalid"), *dial(SENATOR)],
        S(Step.DIALING, 0),
        (LegDialing(0),),
        id="third_wrong_key_at_script_goes_on_to_the_senator",
    ),
    C(
        S(Step.SCRIPT),
        GatherResult("1"),
        (VACANT, REP),
        CAMPAIGN,
        [says("vacant", district="the 17th Middlesex district"), *dial(REP)],
        S(Step.DIALING, 1),
        (LegSkipped(0, "vacant"), LegDialing(1)),
        id="vacant_first_seat_is_skipped_aloud",
    ),
    C(
        S(Step.SCRIPT),
        GatherResult("1"),
        (),
        CAMPAIGN,
        THANKS,
        S(Step.DONE, 0),
        (CallFinished(),),
        id="no_legs_at_all_goes_straight_to_thanks",
    ),
    C(
        S(Step.SCRIPT),
        GatherResult("1"),
        (VACANT, NO_PHONE),
        CAMPAIGN,
        [says("vacant", district="the 17th Middlesex district"), says("no_phone", target=target(NO_PHONE)), *THANKS],
        DONE_AFTER_TWO,
        (LegSkipped(0, "vacant"), LegSkipped(1, "no_phone"), CallFinished()),
        id="no_dialable_legs_skips_each_aloud_then_thanks",
    ),
    C(
        S(Step.SCRIPT),
        GatherResult("1"),
        (replace(SENATOR, phone="617-555-0100"), REP),
        CAMPAIGN,
        [says("no_phone", target=target(SENATOR)), *dial(REP)],
        S(Step.DIALING, 1),
        (LegSkipped(0, "no_phone"), LegDialing(1)),
        id="malformed_phone_is_skipped_not_dialed",
    ),
    C(
        S(Step.SCRIPT),
        GatherResult("1"),
        (Leg("", None, None, vacant=True), REP),
        CAMPAIGN,
        [says("vacant_no_district"), *dial(REP)],
        S(Step.DIALING, 1),
        (LegSkipped(0, "vacant"), LegDialing(1)),
        id="vacant_fixed_seat_without_district",
    ),
    # dialing: the dial ended
    C(
        S(Step.DIALING, 0),
        dialed("completed"),
        TWO,
        CAMPAIGN,
        [says("dial_completed"), gather(offer(REP)), SILENCE_REDIRECT],
        S(Step.OFFER, 1),
        (finished(0, "completed"),),
        id="completed_senator_call_offers_the_representative",
    ),
    C(
        S(Step.DIALING, 0),
        dialed("answered"),
        TWO,
        CAMPAIGN,
        [says("dial_completed"), gather(offer(REP)), SILENCE_REDIRECT],
        S(Step.OFFER, 1),
        (finished(0, "answered"),),
        id="answered_status_counts_as_a_conversation",
    ),
    *[
        C(
            S(Step.DIALING, 0),
            dialed(status, 0, False),
            TWO,
            CAMPAIGN,
            [says(prompt), gather(offer(REP)), SILENCE_REDIRECT],
            S(Step.OFFER, 1),
            (finished(0, status, 0, False),),
            id=f"{status}_senator_is_said_plainly_then_moves_on",
        )
        for status, prompt in (
            ("busy", "dial_busy"),
            ("no-answer", "dial_no_answer"),
            ("failed", "dial_failed"),
            ("canceled", "dial_canceled"),
        )
    ],
    C(
        S(Step.DIALING, 0),
        dialed("completed", 0, False),
        TWO,
        CAMPAIGN,
        [gather(offer(REP)), SILENCE_REDIRECT],
        S(Step.OFFER, 1),
        (finished(0, "completed", 0, False),),
        id="unbridged_completed_dial_gets_no_thanks",
    ),
    C(
        S(Step.DIALING, 0),
        DialFinished("", None, None, None),
        TWO,
        CAMPAIGN,
        [gather(offer(REP)), SILENCE_REDIRECT],
        S(Step.OFFER, 1),
        (LegFinished(0, "", None, None, None),),
        id="unknown_dial_status_is_recorded_not_spoken",
    ),
    C(
        S(Step.DIALING, 1),
        dialed("completed"),
        TWO,
        CAMPAIGN,
        [says("dial_completed"), *THANKS],
        DONE_AFTER_TWO,
        (finished(1, "completed"), CallFinished()),
        id="last_leg_leads_to_thanks",
    ),
    C(
        S(Step.DIALING, 1),
        dialed("busy", 0, False),
        TWO,
        CAMPAIGN,
        [says("dial_busy"), *THANKS],
        DONE_AFTER_TWO,
        (finished(1, "busy", 0, False), CallFinished()),
        id="busy_last_leg_still_thanks",
    ),
    C(
        S(Step.DIALING, 0),
        dialed("completed"),
        TWO,
        FEEDBACK_CAMPAIGN,
        [gather(says("dial_completed"), FEEDBACK_MENU), SILENCE_REDIRECT],
        S(Step.FEEDBACK, 0),
        (finished(0, "completed"),),
        id="conversation_asks_feedback_when_enabled",
    ),
    C(
        S(Step.DIALING, 0),
        dialed("busy", 0, False),
        TWO,
        FEEDBACK_CAMPAIGN,
        [says("dial_busy"), gather(offer(REP)), SILENCE_REDIRECT],
        S(Step.OFFER, 1),
        (finished(0, "busy", 0, False),),
        id="no_feedback_question_when_nobody_answered",
    ),
    C(
        S(Step.DIALING, 0),
        dialed("completed", 0, False),
        TWO,
        FEEDBACK_CAMPAIGN,
        [gather(offer(REP)), SILENCE_REDIRECT],
        S(Step.OFFER, 1),
        (finished(0, "completed", 0, False),),
        id="no_feedback_question_when_never_bridged",
    ),
    C(
        S(Step.DIALING, 0),
        dialed("no-answer", 0, False),
        (SENATOR, VACANT, NO_PHONE, REP),
        CAMPAIGN,
        [
            says("dial_no_answer"),
            says("vacant", district="the 17th Middlesex district"),
            says("no_phone", target=target(NO_PHONE)),
            gather(offer(REP)),
            SILENCE_REDIRECT,
        ],
        S(Step.OFFER, 3),
        (finished(0, "no-answer", 0, False), LegSkipped(1, "vacant"), LegSkipped(2, "no_phone")),
        id="consecutive_unreachable_seats_are_skipped_before_the_next_offer",
    ),
    # feedback
    *[
        C(
            S(Step.FEEDBACK, 0),
            GatherResult(key),
            TWO,
            FEEDBACK_CAMPAIGN,
            [says("feedback_thanks"), gather(offer(REP)), SILENCE_REDIRECT],
            S(Step.OFFER, 1),
            (LegFeedback(0, outcome),),
            id=f"feedback_key_{key}_records_{outcome}",
        )
        for key, outcome in FEEDBACK_KEYS.items()
    ],
    C(
        S(Step.FEEDBACK, 1),
        GatherResult("2"),
        TWO,
        FEEDBACK_CAMPAIGN,
        [says("feedback_thanks"), *THANKS],
        DONE_AFTER_TWO,
        (LegFeedback(1, "voicemail"), CallFinished()),
        id="feedback_on_last_leg_then_thanks",
    ),
    C(
        S(Step.FEEDBACK, 0),
        GatherResult("7"),
        TWO,
        FEEDBACK_CAMPAIGN,
        [gather(says("invalid"), FEEDBACK_MENU), SILENCE_REDIRECT],
        S(Step.FEEDBACK, 0, 1),
        (),
        id="unknown_feedback_key_reprompts",
    ),
    C(
        S(Step.FEEDBACK, 0, 1),
        Silence(),
        TWO,
        FEEDBACK_CAMPAIGN,
        [gather(says("silence"), FEEDBACK_MENU), SILENCE_REDIRECT],
        S(Step.FEEDBACK, 0, 2),
        (),
        id="silent_feedback_reprompts",
    ),
    C(
        S(Step.FEEDBACK, 0, MAX_REPROMPTS),
        Silence(),
        TWO,
        FEEDBACK_CAMPAIGN,
        [says("silence"), gather(offer(REP)), SILENCE_REDIRECT],
        S(Step.OFFER, 1),
        (),
        id="silent_feedback_gives_up_without_recording_any",
    ),
    # offer: the next target
    C(
        S(Step.OFFER, 1),
        GatherResult("1"),
        TWO,
        CAMPAIGN,
        dial(REP),
        S(Step.DIALING, 1),
        (LegDialing(1),),
        id="go_on_dials_the_offered_representative_with_extension",
    ),
    C(
        S(Step.OFFER, 1, 2),
        GatherResult("2"),
        TWO,
        CAMPAIGN,
        [gather(TALKING_POINTS, offer(REP)), SILENCE_REDIRECT],
        S(Step.OFFER, 1),
        (),
        id="repeat_key_at_offer_rereads_talking_points",
    ),
    C(
        S(Step.OFFER, 1),
        GatherResult("3"),
        TWO,
        CAMPAIGN,
        [says("skipped", target=target(REP)), *THANKS],
        DONE_AFTER_TWO,
        (LegSkipped(1, "supporter"), CallFinished()),
        id="skipping_the_last_target_thanks",
    ),
    C(
        S(Step.OFFER, 1),
        GatherResult("3"),
        THREE,
        CAMPAIGN,
        [says("skipped", target=target(REP)), gather(offer(GOVERNOR)), SILENCE_REDIRECT],
        S(Step.OFFER, 2),
        (LegSkipped(1, "supporter"),),
        id="skipping_a_target_offers_the_one_after",
    ),
    C(
        S(Step.OFFER, 1),
        GatherResult("5"),
        TWO,
        CAMPAIGN,
        [gather(says("invalid"), offer(REP)), SILENCE_REDIRECT],
        S(Step.OFFER, 1, 1),
        (),
        id="unknown_key_at_offer_reprompts",
    ),
    C(
        S(Step.OFFER, 1),
        Silence(),
        TWO,
        CAMPAIGN,
        [gather(says("silence"), offer(REP)), SILENCE_REDIRECT],
        S(Step.OFFER, 1, 1),
        (),
        id="silent_offer_reprompts",
    ),
    C(
        S(Step.OFFER, 1, MAX_REPROMPTS),
        Silence(),
        TWO,
        CAMPAIGN,
        [says("silence"), *dial(REP)],
        S(Step.DIALING, 1),
        (LegDialing(1),),
        id="silent_offer_defaults_to_connecting",
    ),
    C(
        S(Step.OFFER, 2),
        GatherResult("1"),
        THREE,
        CAMPAIGN,
        dial(GOVERNOR),
        S(Step.DIALING, 2),
        (LegDialing(2),),
        id="fixed_target_without_district_is_named_alone",
    ),
    # waiting for a free office line (the lines full: tests/test_flow_lines.py)
    *[
        C(
            S(Step.WAITING, 1, 3),
            event,
            TWO,
            CAMPAIGN,
            dial(REP),
            S(Step.DIALING, 1),
            (LegDialing(1),),
            id=f"{name}_while_waiting_dials_the_target_once_a_line_is_free",
        )
        for name, event in (
            ("silence", Silence()),
            ("pressing_1", GatherResult("1")),
            ("unknown_key", GatherResult("7")),
        )
    ],
    C(
        S(Step.WAITING, 1, 0),
        GatherResult("3"),
        TWO,
        CAMPAIGN,
        [says("skipped", target=target(REP)), *THANKS],
        DONE_AFTER_TWO,
        (LegSkipped(1, "supporter"), CallFinished()),
        id="pressing_3_while_waiting_skips_the_target",
    ),
]

WAIT_STILL_FOR_REP = [gather(says("wait_still", target=target(REP)), ("Pause", "15")), SILENCE_REDIRECT]

# Failover within a leg: the target's next office line before the next target.
DISTRICT_DIAL = ("Dial", DISTRICT_OFFICE.phone, "wwww12")
FAILOVER_CASES = [
    *[
        C(
            S(Step.DIALING, 0, 0),
            dialed(status, 0, bridged),
            WITH_OFFICES,
            CAMPAIGN,
            [
                says(sentence, line=message("line_capitol")),
                says("trying_next_line", office=message("office_district")),
                DISTRICT_DIAL,
            ],
            S(Step.DIALING, 0, 1),
            (
                LegFinished(0, status, 0, "CA0123", bridged, 0, "capitol", failing_over=True),
                LegDialing(0, 1, failover=True),
            ),
            id=f"{status}_state_house_line_tries_the_district_office",
        )
        for status, bridged, sentence in (
            ("busy", False, "line_busy"),
            ("no-answer", False, "line_no_answer"),
            ("failed", False, "line_failed"),
            ("completed", False, "line_no_answer"),  # never bridged: nobody was on the line
        )
    ],
    C(
        S(Step.DIALING, 0, 1),
        DialFinished("busy", 0, "CA0123", False, line=1),
        WITH_OFFICES,
        CAMPAIGN,
        [says("dial_busy"), gather(offer(REP)), SILENCE_REDIRECT],
        S(Step.OFFER, 1),
        (LegFinished(0, "busy", 0, "CA0123", False, 1, "district"),),
        id="busy_last_office_line_moves_on_to_the_next_target",
    ),
    C(
        S(Step.DIALING, 0, 1),
        DialFinished("completed", 95, "CA0456", True, line=1),
        WITH_OFFICES,
        FEEDBACK_CAMPAIGN,
        [gather(says("dial_completed"), FEEDBACK_MENU), SILENCE_REDIRECT],
        S(Step.FEEDBACK, 0),
        (LegFinished(0, "completed", 95, "CA0456", True, 1, "district"),),
        id="district_office_answers_and_the_supporter_is_asked_how_it_went",
    ),
    # The line ended by the supporter pressing * while it rang, or answered: no other line is rung.
    *[
        C(
            S(Step.DIALING, 0, 0),
            dialed(status, duration, bridged),
            WITH_OFFICES,
            CAMPAIGN,
            [says(sentence), gather(offer(REP)), SILENCE_REDIRECT],
            S(Step.OFFER, 1),
            (LegFinished(0, status, duration, "CA0123", bridged, 0, "capitol"),),
            id=name,
        )
        for status, duration, bridged, sentence, name in (
            ("canceled", 0, False, "dial_canceled", "supporter_ending_the_ring_moves_on_without_failover"),
            ("completed", 95, True, "dial_completed", "state_house_line_answers_and_the_district_office_is_not_rung"),
        )
    ],
]

# Off the table: stale or duplicate webhooks. Same state, no effects, current step again.
SCRIPT_AGAIN = [gather(TALKING_POINTS, SCRIPT_MENU), SILENCE_REDIRECT]
OFF_TABLE = [
    *[
        C(
            S(Step.DIALING, 0, 1),
            event,
            WITH_OFFICES,
            CAMPAIGN,
            [DISTRICT_DIAL],
            S(Step.DIALING, 0, 1),
            (),
            id=f"{name}_while_the_district_office_rings_changes_nothing",
        )
        for name, event in (
            ("repeated_state_house_result", dialed("busy", 0, False)),
            ("silence", Silence()),
        )
    ],
    C(
        S(Step.DIALING, 0, 0),
        DialFinished("busy", 0, "CA0789", False, line=1),
        WITH_OFFICES,
        CAMPAIGN,
        dial(SENATOR),
        S(Step.DIALING, 0, 0),
        (),
        id="result_of_a_line_not_yet_dialed_changes_nothing",
    ),
    *[
        C(
            S(Step.SCRIPT, 0, 1),
            event,
            TWO,
            CAMPAIGN,
            SCRIPT_AGAIN,
            S(Step.SCRIPT, 0, 1),
            (),
            id=f"stale_{event.kind}_at_script_repeats_the_script_prompt",
        )
        for event in (Answered("human"), dialed("completed"), Voicemail())
    ],
    *[
        C(
            S(Step.DIALING, 1),
            event,
            TWO,
            CAMPAIGN,
            dial(REP),
            S(Step.DIALING, 1),
            (),
            id=f"stale_{event.kind}_while_dialing_reissues_the_same_dial_without_recording",
        )
        for event in (Answered("human"), GatherResult("1"), Silence(), Voicemail())
    ],
    *[
        C(
            S(Step.FEEDBACK, 0, 1),
            event,
            TWO,
            FEEDBACK_CAMPAIGN,
            [gather(FEEDBACK_MENU), SILENCE_REDIRECT],
            S(Step.FEEDBACK, 0, 1),
            (),
            id=f"stale_{event.kind}_at_feedback_repeats_the_question",
        )
        for event in (Answered("human"), dialed("completed"), Voicemail())
    ],
    *[
        C(
            S(Step.OFFER, 1),
            event,
            TWO,
            CAMPAIGN,
            [gather(offer(REP)), SILENCE_REDIRECT],
            S(Step.OFFER, 1),
            (),
            id=f"stale_{event.kind}_at_offer_repeats_the_offer_and_records_nothing",
        )
        for event in (Answered("human"), dialed("completed"), Voicemail())
    ],
    *[
        C(
            DONE_AFTER_TWO,
            event,
            TWO,
            CAMPAIGN,
            [HANGUP],
            DONE_AFTER_TWO,
            (),
            id=f"{event.kind}_after_the_end_just_hangs_up",
        )
        for event in (Answered("human"), GatherResult("1"), Silence(), dialed("completed"), Voicemail())
    ],
    *[
        C(
            S(Step.WAITING, 1, 2),
            event,
            TWO,
            CAMPAIGN,
            WAIT_STILL_FOR_REP,
            S(Step.WAITING, 1, 2),
            (),
            id=f"stale_{event.kind}_while_waiting_repeats_the_wait",
        )
        for event in (Answered("human"), dialed("completed"), Voicemail())
    ],
    # States the flow cannot interpret end politely instead of guessing.
    C(
        S("renamed-step"),
        GatherResult("1"),
        TWO,
        CAMPAIGN,
        THANKS,
        DONE_AFTER_TWO,
        (CallFinished(),),
        id="unknown_step_ends_politely",
    ),
    C(
        S(Step.OFFER, 2),
        GatherResult("1"),
        TWO,
        CAMPAIGN,
        THANKS,
        DONE_AFTER_TWO,
        (CallFinished(),),
        id="leg_index_past_the_plan_ends_politely",
    ),
    C(
        S(Step.DIALING, -1),
        dialed("completed"),
        TWO,
        CAMPAIGN,
        THANKS,
        DONE_AFTER_TWO,
        (CallFinished(),),
        id="negative_leg_index_ends_politely",
    ),
]


@pytest.mark.parametrize(
    ("state", "event", "legs", "campaign", "verbs", "next_state", "effects"), CASES + FAILOVER_CASES + OFF_TABLE
)
def test_transition(
    state: FlowState,
    event: Event,
    legs: Sequence[Leg],
    campaign: Campaign,
    verbs: list[tuple[Any, ...]],
    next_state: FlowState,
    effects: tuple[Any, ...],
) -> None:
    root, outcome = run(state, event, legs, campaign)
    assert shape(root) == verbs
    assert outcome.state == next_state
    assert outcome.effects == effects


ON_TABLE = {
    *((Step.START, kind) for kind in EVENTS),
    *((step, kind) for step in (Step.SCRIPT, Step.FEEDBACK, Step.OFFER) for kind in (EVENT_GATHER, EVENT_SILENCE)),
    (Step.DIALING, EVENT_DIAL),
    (Step.WAITING, EVENT_GATHER),
    (Step.WAITING, EVENT_SILENCE),
    *((Step.MACHINE, kind) for kind in EVENTS),
}


def test_transition_table_has_exactly_the_documented_pairs() -> None:
    assert set(TRANSITIONS) == ON_TABLE


def test_every_step_event_pair_is_covered_by_a_case() -> None:
    pairs = [(p.values[0], p.values[1]) for p in CASES + OFF_TABLE]
    covered = {
        (state.step, event.kind)
        for state, event in pairs
        if isinstance(state, FlowState) and state.step in STEPS and hasattr(event, "kind")
    }
    assert covered == {(step, kind) for step in STEPS for kind in EVENTS}


# --- Invariants over every response above -----------------------------------------------------

ALLOWED_URLS = {url(event) for event in EVENTS}


@pytest.mark.parametrize(
    ("state", "event", "legs", "campaign"),
    [pytest.param(*case.values[:4], id=case.id) for case in CASES + FAILOVER_CASES + OFF_TABLE],
)
def test_response_invariants(state: FlowState, event: Event, legs: Sequence[Leg], campaign: Campaign) -> None:
    root, outcome = run(state, event, legs, campaign)
    top = list(root)
    assert top, "an empty response would hang up silently"
    # Twilio hangs up when it runs off the end, so every response must end in a definite verb.
    assert top[-1].tag in {"Redirect", "Dial", "Hangup"}
    for i, verb in enumerate(top):
        if verb.tag == "Gather":
            assert verb.get("action") == url(EVENT_GATHER)
            assert verb.get("method") == "POST"
            assert verb.get("numDigits") == "1"
            # Waiting for a free line: the sentence and a pause are the wait, the timeout only a short grace.
            assert verb.get("timeout") == ("2" if outcome.state.step == Step.WAITING else "8")
            assert verb.get("finishOnKey") == ""
            assert verb.get("actionOnEmptyResult") is None  # silence must reach the Redirect
            follower = top[i + 1]
            assert follower.tag == "Redirect" and follower.text == url(EVENT_SILENCE)
            assert follower.get("method") == "POST"
            assert i + 2 == len(top), "nothing may follow the silence Redirect"
        if verb.tag == "Dial":
            line = outcome.state.attempts
            assert verb.get("action") == url(EVENT_DIAL) + (f"?line={line}" if line else "")
            assert verb.get("method") == "POST"
            assert verb.get("hangupOnStar") == "true"
            assert verb.get("timeout") == str(campaign.ring_timeout)
            assert verb.get("timeLimit") == "1200"  # twenty minutes, not Twilio's four hours
            assert verb.get("callerId") is None
            assert i + 1 == len(top)
    urls = [el.get("action") for el in root.iter() if el.get("action") and el.tag != "Dial"]
    urls += [el.text for el in root.iter("Redirect")]
    assert set(urls) <= ALLOWED_URLS, "only fixed event names may reach a URL"
    assert len(str(outcome.twiml).encode()) < 64 * 1024
    assert outcome.state.step in STEPS and len(outcome.state.step) <= 32
    if outcome.state.step == Step.DIALING:  # the office line being tried
        assert 0 <= outcome.state.attempts < len(legs[outcome.state.position].lines)
    elif outcome.state.step == Step.WAITING:  # the rounds waited
        assert 0 <= outcome.state.attempts < WAIT_ROUNDS
    else:
        assert 0 <= outcome.state.attempts <= MAX_REPROMPTS


# --- Keys -------------------------------------------------------------------------------------

PROMPT_STATES = {
    Step.SCRIPT: (S(Step.SCRIPT), CAMPAIGN),
    Step.FEEDBACK: (S(Step.FEEDBACK, 0), FEEDBACK_CAMPAIGN),
    Step.OFFER: (S(Step.OFFER, 1), CAMPAIGN),
}
KEYPAD = "0123456789*#"


@pytest.mark.parametrize("step", sorted(PROMPT_STATES))
@pytest.mark.parametrize("key", KEYPAD)
def test_key_map_matches_what_each_prompt_accepts(step: str, key: str) -> None:
    state, campaign = PROMPT_STATES[step]
    root, outcome = run(state, GatherResult(key), TWO, campaign)
    rejected = outcome.state == replace(state, attempts=1) and message("invalid") in [s.text for s in root.iter("Say")]
    assert rejected == (key not in KEY_MAP[step])


@pytest.mark.parametrize("step", sorted(PROMPT_STATES))
def test_every_prompt_announces_its_keys(step: str) -> None:
    state, campaign = PROMPT_STATES[step]
    root, _ = run(state, Silence(), TWO, campaign)
    spoken = " ".join(s.text or "" for s in find(root, "./Gather").iter("Say"))
    for key in KEY_MAP[step]:
        assert f"press {key}" in spoken.lower()


def test_press_9_is_offered_once_before_the_first_menu() -> None:
    root, _ = run(INITIAL_STATE, Answered("human"))
    spoken = " ".join(s.text or "" for s in find(root, "./Gather").iter("Say"))
    assert spoken.lower().count("press 9") == 1
    assert spoken.startswith(message("not_requested_offer"))


def test_star_is_announced_before_every_dial() -> None:
    root, _ = run(S(Step.SCRIPT), GatherResult("1"))
    assert [el.tag for el in root] == ["Say", "Dial"]
    assert "press star" in (find(root, "./Say").text or "")
    assert set(KEY_MAP[Step.DIALING]) == {"*"}


# --- Dial details -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extension", "send_digits"),
    [
        ("204", "wwww204"),
        ("x 204", "wwww204"),  # office directories write "x 204"; only DTMF characters are sent
        ("12#", "wwww12#"),
        ("", None),
        ("ext.", None),
        (None, None),
    ],
)
def test_extension_is_sent_after_a_two_second_wait(extension: str | None, send_digits: str | None) -> None:
    legs = (replace(SENATOR, extension=extension),)
    root, _ = run(S(Step.SCRIPT), GatherResult("1"), legs)
    number = find(root, "./Dial/Number")
    assert number.text == SENATOR.phone
    assert number.get("sendDigits") == send_digits


def test_ring_timeout_comes_from_the_campaign() -> None:
    root, _ = run(S(Step.SCRIPT), GatherResult("1"), TWO, replace(CAMPAIGN, ring_timeout=45))
    assert find(root, "./Dial").get("timeout") == "45"


def test_voice_and_language_apply_to_every_say() -> None:
    campaign = replace(CAMPAIGN, voice="Polly.Joanna", language="en-US")
    root, _ = run(INITIAL_STATE, Answered("human"), TWO, campaign)
    says_ = list(root.iter("Say"))
    assert len(says_) == 4  # greeting, "if you did not ask for this call", talking points, menu
    assert {(s.get("voice"), s.get("language")) for s in says_} == {("Polly.Joanna", "en-US")}


def test_without_voice_say_has_no_voice_attributes() -> None:
    root, _ = run(INITIAL_STATE, Answered("human"))
    assert all(s.get("voice") is None and s.get("language") is None for s in root.iter("Say"))


def test_empty_greeting_and_thanks_fall_back_to_defaults() -> None:
    campaign = replace(CAMPAIGN, greeting="", thanks="")
    root, _ = run(INITIAL_STATE, Answered("human"), TWO, campaign)
    assert find(root, "./Say").text == message("greeting_default", title=CAMPAIGN.title)
    root, _ = run(S(Step.OFFER, 1), GatherResult("3"), TWO, campaign)
    assert [s.text for s in root.findall("./Say")][1] == message("thanks_default")


# --- Long text --------------------------------------------------------------------------------


def test_long_talking_points_are_split_into_several_says() -> None:
    sentence = "Our schools have waited eleven years for the funding formula to be fixed. "
    talking_points = (sentence * (MAX_TALKING_POINTS_CHARS // len(sentence))).strip()
    campaign = replace(CAMPAIGN, talking_points=talking_points)
    root, _ = run(INITIAL_STATE, Answered("human"), TWO, campaign)
    chunks = [s.text or "" for s in find(root, "./Gather").findall("./Say")][1:-1]
    assert len(chunks) > 1
    assert all(len(chunk) <= MAX_SAY_CHARS for chunk in chunks)
    assert " ".join(chunks) == talking_points
    assert all(chunk.endswith(".") for chunk in chunks), "chunks break at sentence ends"


def test_worst_case_response_stays_under_64_kb() -> None:
    # "&" becomes "&amp;": five bytes per character is the worst XML escaping can do.
    campaign = Campaign(
        title="&" * MAX_SHORT_TEXT_CHARS,
        greeting="&" * MAX_SHORT_TEXT_CHARS,
        talking_points="&" * MAX_TALKING_POINTS_CHARS,
        thanks="&" * MAX_SHORT_TEXT_CHARS,
    )
    cases: list[tuple[FlowState, Event]] = [(INITIAL_STATE, Answered("human")), (S(Step.OFFER, 1), GatherResult("2"))]
    for state, event in cases:
        root, outcome = run(state, event, TWO, campaign)
        assert len(str(outcome.twiml).encode()) < 64 * 1024
        assert all(len(s.text or "") <= MAX_SAY_CHARS for s in root.iter("Say"))


@pytest.mark.parametrize(
    ("text", "limit", "chunks"),
    [
        ("", 20, []),
        ("One. Two.", 20, ["One. Two."]),
        ("First one. Second one. Third.", 12, ["First one.", "Second one.", "Third."]),
        ("Line one\n\nLine two", 20, ["Line one Line two"]),
        ("a very long sentence without any stop", 12, ["a very long", "sentence", "without any", "stop"]),
        ("x" * 25, 10, ["x" * 10, "x" * 10, "x" * 5]),
    ],
)
def test_split_for_say(text: str, limit: int, chunks: list[str]) -> None:
    assert split_for_say(text, limit) == chunks


# --- Inputs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"ring_timeout": 4},
        {"ring_timeout": 601},
        {"talking_points": "x" * (MAX_TALKING_POINTS_CHARS + 1)},
        {"greeting": "x" * (MAX_SHORT_TEXT_CHARS + 1)},
    ],
)
def test_campaign_refuses_values_twilio_would_reject(changes: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"ring_timeout must be|is over"):
        replace(CAMPAIGN, **changes)


@pytest.mark.parametrize(
    ("name", "form", "event"),
    [
        ("answered", {"AnsweredBy": "machine_end_beep"}, Answered("machine_end_beep")),
        ("answered", {"AnsweredBy": ""}, Answered(None)),
        ("answered", {}, Answered(None)),
        ("gather", {"Digits": "2"}, GatherResult("2")),
        ("gather", {}, GatherResult("")),
        ("silence", {"Digits": "9"}, Silence()),
        ("voicemail", {"AnsweredBy": "machine_start"}, Voicemail()),
        (
            "dial",
            {"DialCallStatus": "completed", "DialCallDuration": "42", "DialCallSid": "CA9", "DialBridged": "true"},
            DialFinished("completed", 42, "CA9", True),
        ),
        (
            "dial",
            {"DialCallStatus": "busy", "DialBridged": "false"},
            DialFinished("busy", None, None, False),
        ),
        ("dial", {"DialCallStatus": "failed", "DialCallDuration": "n/a"}, DialFinished("failed", None, None, None)),
        # The office line rides in the Dial action's query string; nonsense is the first line.
        ("dial", {"DialCallStatus": "busy", "line": "1"}, DialFinished("busy", line=1)),
        ("dial", {"DialCallStatus": "busy", "line": "-1"}, DialFinished("busy")),
        ("dial", {"DialCallStatus": "busy", "line": "x"}, DialFinished("busy")),
    ],
)
def test_parse_event_reads_twilio_parameters(name: str, form: dict[str, str], event: Event) -> None:
    assert parse_event(name, form) == event


@pytest.mark.parametrize("step", [Step.START, Step.SCRIPT])
@pytest.mark.parametrize("answered_by", ["machine_start", "machine_end_beep", "fax"])
def test_a_machine_verdict_during_the_greeting_moves_the_call_to_the_short_message(step: str, answered_by: str) -> None:
    assert machine_verdict(S(step, 0, 1), answered_by) == S(Step.MACHINE)


@pytest.mark.parametrize("answered_by", ["human", "unknown"])
def test_a_person_or_an_unknown_verdict_changes_nothing(answered_by: str) -> None:
    assert machine_verdict(S(Step.SCRIPT), answered_by) is None


@pytest.mark.parametrize(
    "state", [S(Step.DIALING, 0), S(Step.FEEDBACK, 0), S(Step.OFFER, 1), S(Step.MACHINE), DONE_AFTER_TWO]
)
def test_a_late_machine_verdict_never_touches_a_call_that_has_moved_on(state: FlowState) -> None:
    assert machine_verdict(state, "machine_start") is None


def test_parse_event_refuses_unknown_names() -> None:
    with pytest.raises(ValueError, match="unknown flow event"):
        parse_event("status", {})


def test_every_step_fits_the_step_column() -> None:
    assert all(len(step) <= 32 for step in STEPS)
    assert FlowState(Step.START, 0, 0) == INITIAL_STATE


def test_prompts_table_only_holds_templates_the_flow_can_fill() -> None:
    # A translator edits PROMPTS; every key the flow uses must exist there.
    used = {
        "greeting_default",
        "not_requested_offer",
        "not_requested_goodbye",
        "script_instructions",
        "script_instructions_call_in",
        "target",
        "target_with_district",
        "target_unnamed",
        "connecting",
        "offer_instructions",
        "feedback_instructions",
        "feedback_thanks",
        "vacant",
        "vacant_no_district",
        "no_phone",
        "skipped",
        "silence",
        "invalid",
        "dial_completed",
        "dial_busy",
        "dial_no_answer",
        "dial_failed",
        "dial_canceled",
        "thanks_default",
        "share",
        "goodbye",
        "machine",
        "office_closed",  # before a leg whose offices are all closed (tests/test_flow_closed_office.py)
        "inbound_no_campaign",  # the call-in line's refusals (callflow/responses.py)
        "callin_closed",
        "callin_refused",
        # the call-in line (callflow/callin.py; tests/test_callin.py)
        "callin_campaigns",
        "callin_campaign_choice",
        "callin_welcome",
        "callin_returning",
        "callin_zip",
        "callin_zip_short",
        "callin_zip_unusable",
        "callin_address",
        "callin_address_again",
        "callin_address_unheard",
        "callin_geocoder_down",
        "callin_confirm_heard",
        "callin_confirm",
        "callin_pick_intro",
        "callin_pick_choice",
        "callin_pick_vacant",
        "callin_pick_dont_know",
        "callin_text_offer",
        "callin_language_offer",
        "callin_text_sent",
        "callin_skipped",
        "line_busy",
        "line_no_answer",
        "line_failed",
        "trying_next_line",
        "line_capitol",
        "line_district",
        "line_other",
        "office_capitol",
        "office_district",
        "office_other",
        "lines_full_later",  # office lines in use (tests/test_flow_lines.py)
        "back_to",
        "lines_free_again",
        "wait_offer",
        "wait_still",
        "wait_gave_up",
        "callin_nobody",
        "callin_give_up",
        "callin_found",
        "apology",
        "unknown_call",  # what Twilio hears instead of an error (callflow/responses.py)
    }
    assert set(PROMPTS) == used


# --- Whole calls ------------------------------------------------------------------------------


def fold(
    events: Iterable[Event], legs: Sequence[Leg] = TWO, campaign: Campaign = CAMPAIGN
) -> tuple[FlowState, list[Any], list[str]]:
    """Run a call through the flow: final state, all effects, everything said."""
    state = INITIAL_STATE
    effects: list[Any] = []
    spoken: list[str] = []
    for event in events:
        outcome = respond(state, event, campaign, legs, url)
        state = outcome.state
        effects += outcome.effects
        spoken += [s.text or "" for s in ET.fromstring(str(outcome.twiml)).iter("Say")]
    return state, effects, spoken


def test_two_legislators_reached() -> None:
    state, effects, spoken = fold(
        [
            Answered("human"),
            GatherResult("1"),
            dialed("completed", 120),
            GatherResult("1"),
            dialed("completed", 200),
        ]
    )
    assert state == DONE_AFTER_TWO
    assert effects == [
        LegDialing(0),
        finished(0, "completed", 120),
        LegDialing(1),
        finished(1, "completed", 200),
        CallFinished(),
    ]
    assert spoken[-3:] == [CAMPAIGN.thanks, message("share"), message("goodbye")]


def test_busy_senator_then_unanswered_representative() -> None:
    state, effects, spoken = fold(
        [
            Answered("human"),
            GatherResult("1"),
            dialed("busy", 0, False),
            GatherResult("1"),
            dialed("no-answer", 0, False),
        ]
    )
    assert state == DONE_AFTER_TWO
    assert [e for e in effects if isinstance(e, LegFinished)] == [
        finished(0, "busy", 0, False),
        finished(1, "no-answer", 0, False),
    ]
    assert message("dial_busy") in spoken and message("dial_no_answer") in spoken


def test_star_mid_conversation_moves_on_to_the_representative() -> None:
    # hangupOnStar ends the bridged call: Twilio reports "completed" with a short duration.
    state, effects, _ = fold(
        [Answered("human"), GatherResult("1"), dialed("completed", 7), GatherResult("1")],
        campaign=FEEDBACK_CAMPAIGN,
    )
    assert state == S(Step.OFFER, 1)
    assert effects == [LegDialing(0), finished(0, "completed", 7), LegFeedback(0, "spoke")]


def test_complete_silence_still_reaches_everyone_and_ends() -> None:
    legs = (SENATOR, VACANT, REP, GOVERNOR)
    state, steps = INITIAL_STATE, 0
    effects: list[Any] = []
    event: Event = Answered(None)
    while state.step != Step.DONE:
        outcome = respond(state, event, FEEDBACK_CAMPAIGN, legs, url)
        state, steps = outcome.state, steps + 1
        effects += outcome.effects
        event = dialed("completed", 30) if state.step == Step.DIALING else Silence()
        assert steps <= 1 + (MAX_REPROMPTS + 1) * (1 + 2 * len(legs)) + len(legs), "must end"
    # answer + 3 at the script + per dialable leg (dial + 3 feedback + 3 offer), minus one offer
    assert steps == 1 + 3 + 3 * (1 + 3) + 2 * 3
    assert [e for e in effects if isinstance(e, LegDialing)] == [LegDialing(0), LegDialing(2), LegDialing(3)]
    assert not [e for e in effects if isinstance(e, LegFeedback)]
    assert effects[-1] == CallFinished()


def test_supporters_voicemail_gets_a_message_and_nothing_more() -> None:
    state, effects, spoken = fold([Answered("machine_end_beep"), GatherResult("1"), Silence()])
    assert state == S(Step.DONE)
    assert effects == [AnsweredByMachine("machine_end_beep"), CallFinished()]
    assert spoken == [message("machine", title=CAMPAIGN.title)]


def test_office_voicemail_is_recorded_from_feedback() -> None:
    _, effects, _ = fold(
        [Answered("human"), GatherResult("1"), dialed("completed", 40), GatherResult("2")],
        campaign=FEEDBACK_CAMPAIGN,
    )
    assert LegFeedback(0, "voicemail") in effects


def test_vacant_seat_in_the_middle_is_skipped_aloud() -> None:
    state, effects, spoken = fold(
        [Answered("human"), GatherResult("1"), dialed("completed"), GatherResult("1"), dialed("completed")],
        legs=(SENATOR, VACANT, REP),
    )
    assert state == S(Step.DONE, 3)
    assert LegSkipped(1, "vacant") in effects
    assert [e.position for e in effects if isinstance(e, LegDialing)] == [0, 2]
    assert message("vacant", district="the 17th Middlesex district") in spoken


def test_all_seats_vacant_still_greets_explains_and_thanks() -> None:
    state, effects, spoken = fold(
        [Answered("human"), GatherResult("1")],
        legs=(VACANT, replace(VACANT, district="Third Essex")),
    )
    assert state == DONE_AFTER_TWO
    assert effects == [LegSkipped(0, "vacant"), LegSkipped(1, "vacant"), CallFinished()]
    assert spoken[:3] == [CAMPAIGN.greeting, message("not_requested_offer"), CAMPAIGN.talking_points]
    assert spoken[-3:] == [CAMPAIGN.thanks, message("share"), message("goodbye")]


def test_duplicate_dial_result_is_recorded_once() -> None:
    _, effects, _ = fold(
        [
            Answered("human"),
            GatherResult("1"),
            dialed("completed"),
            dialed("completed"),
        ]
    )
    assert [e for e in effects if isinstance(e, LegFinished)] == [finished(0, "completed")]


def test_duplicate_key_press_does_not_skip_a_target() -> None:
    # The "1" that started the senator's dial arrives again: the same dial is reissued,
    # leg 0 stays current and nothing new is recorded.
    state, effects, _ = fold([Answered("human"), GatherResult("1"), GatherResult("1")])
    assert state == S(Step.DIALING, 0)
    assert effects == [LegDialing(0)]
