"""The call flow's closed-office branch, as a table: a leg whose offices are all outside their hours is
announced as closed (a message still counts) and dialed all the same, for the office's voicemail."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from callflow.vocabulary import (
    INITIAL_STATE,
    Answered,
    GatherResult,
    LegDialing,
    LegFinished,
    LegSkipped,
    Silence,
    Step,
)
from tests.test_flow import (
    CAMPAIGN,
    DISTRICT_OFFICE,
    GREETED,
    REP,
    SENATOR,
    SILENCE_REDIRECT,
    VACANT,
    S,
    dial,
    dialed,
    gather,
    offer,
    run,
    says,
    shape,
)

CLOSED_SENATOR = replace(SENATOR, closed=True)
CLOSED_REP = replace(REP, closed=True)
CLOSED_WITH_OFFICES = replace(SENATOR, kind="capitol", more_lines=(DISTRICT_OFFICE,), closed=True)
CLOSED = says("office_closed")


def closed_dial(leg) -> list[tuple[Any, ...]]:
    """The connecting sentence, the closed sentence, then the Dial to the office's first line."""
    connecting, number = dial(leg)
    return [connecting, CLOSED, number]


C = pytest.param
CASES = [
    C(
        S(Step.SCRIPT),
        GatherResult("1"),
        (CLOSED_SENATOR, REP),
        closed_dial(SENATOR),
        S(Step.DIALING, 0, 0),
        (LegDialing(0, 0),),
        id="a_closed_first_office_is_announced_and_still_dialed",
    ),
    C(
        S(Step.SCRIPT),
        GatherResult("1"),
        (SENATOR, CLOSED_REP),
        dial(SENATOR),
        S(Step.DIALING, 0, 0),
        (LegDialing(0, 0),),
        id="an_open_office_is_dialed_without_the_closed_sentence",
    ),
    C(
        S(Step.OFFER, 1),
        GatherResult("1"),
        (SENATOR, CLOSED_REP),
        closed_dial(REP),
        S(Step.DIALING, 1, 0),
        (LegDialing(1, 0),),
        id="the_next_target_closed_is_announced_when_connected",
    ),
    C(
        S(Step.OFFER, 1, 2),
        Silence(),
        (SENATOR, CLOSED_REP),
        [says("silence"), *closed_dial(REP)],
        S(Step.DIALING, 1, 0),
        (LegDialing(1, 0),),
        id="a_silent_supporter_still_reaches_a_closed_offices_voicemail",
    ),
    C(
        S(Step.SCRIPT),
        GatherResult("1"),
        (VACANT, CLOSED_REP),
        [says("vacant", district="the 17th Middlesex district"), *closed_dial(REP)],
        S(Step.DIALING, 1, 0),
        (LegSkipped(0, "vacant"), LegDialing(1, 0)),
        id="a_vacant_seat_then_a_closed_office",
    ),
    C(
        S(Step.DIALING, 0, 0),
        dialed("busy", 0, False),
        (CLOSED_WITH_OFFICES, REP),
        [
            says("line_busy", line="State House line"),
            says("trying_next_line", office="district office"),
            ("Dial", DISTRICT_OFFICE.phone, "wwww12"),
        ],
        S(Step.DIALING, 0, 1),
        (LegFinished(0, "busy", 0, "CA0123", False, 0, "capitol", failing_over=True), LegDialing(0, 1)),
        id="a_busy_line_of_a_closed_office_still_fails_over_without_repeating_closed",
    ),
    C(
        S(Step.DIALING, 0, 0),
        dialed("completed", 40),
        (CLOSED_SENATOR, REP),
        [says("dial_completed"), gather(offer(REP)), SILENCE_REDIRECT],
        S(Step.OFFER, 1),
        (LegFinished(0, "completed", 40, "CA0123", True, 0, None),),
        id="a_message_left_at_a_closed_office_is_thanked_like_a_call",
    ),
    C(
        S(Step.DIALING, 0, 0),
        Answered("human"),
        (CLOSED_SENATOR, REP),
        closed_dial(SENATOR),
        S(Step.DIALING, 0, 0),
        (),
        id="a_repeated_webhook_while_dialing_a_closed_office_says_it_again_and_records_nothing",
    ),
    C(
        INITIAL_STATE,
        Answered("human"),
        (CLOSED_SENATOR, CLOSED_REP),
        GREETED,
        S(Step.SCRIPT),
        (),
        id="the_greeting_is_the_same_when_every_office_is_closed",
    ),
]


@pytest.mark.parametrize(("state", "event", "legs", "verbs", "next_state", "effects"), CASES)
def test_closed_office_transition(state, event, legs, verbs, next_state, effects) -> None:
    root, outcome = run(state, event, legs, CAMPAIGN)
    assert shape(root) == verbs
    assert outcome.state == next_state
    assert outcome.effects == effects


def test_the_closed_sentence_says_a_message_still_counts() -> None:
    text = says("office_closed")[1]
    assert "closed" in text and "A message still counts." in text
