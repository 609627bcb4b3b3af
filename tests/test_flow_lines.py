"""The call flow when office lines are full: the next target first and back, waiting, skipping. Pure, no app."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

import pytest

from callflow.flow import respond
from callflow.vocabulary import (
    WAIT_ROUNDS,
    CallFinished,
    DialFinished,
    Event,
    FlowState,
    GatherResult,
    Leg,
    LegDialing,
    LegFinished,
    LegSkipped,
    Lines,
    Silence,
    Step,
)
from tests.test_flow import (
    CAMPAIGN,
    DISTRICT_DIAL,
    DISTRICT_OFFICE,
    GOVERNOR,
    REP,
    SENATOR,
    SILENCE_REDIRECT,
    THANKS,
    THREE,
    VACANT,
    WITH_OFFICES,
    S,
    dial,
    dialed,
    gather,
    offer,
    says,
    shape,
    target,
    url,
)

C = pytest.param
SENATOR_FULL = frozenset({SENATOR.phone or ""})
EVERYONE_FULL = frozenset(leg.phone or "" for leg in THREE)


def later(leg: Leg) -> tuple[str, str]:
    return says("lines_full_later", target=target(leg))


def waiting(key: str, leg: Leg) -> list[tuple[Any, ...]]:
    return [gather(says(key, target=target(leg)), ("Pause", "15")), SILENCE_REDIRECT]


CASES = [
    C(
        S(Step.SCRIPT),
        GatherResult("1"),
        THREE,
        Lines(SENATOR_FULL),
        [later(SENATOR), *dial(REP)],
        S(Step.DIALING, 1),
        (LegDialing(1),),
        id="senator_lines_full_goes_to_the_representative_first_saying_so",
    ),
    C(
        S(Step.SCRIPT),
        GatherResult("1"),
        WITH_OFFICES,
        Lines(SENATOR_FULL),
        [says("connecting", target=target(SENATOR)), DISTRICT_DIAL],
        S(Step.DIALING, 0, 1),
        (LegDialing(0, 1),),
        id="state_house_line_full_dials_the_district_office_first",
    ),
    C(
        S(Step.DIALING, 1),
        dialed("completed"),
        THREE,
        Lines(frozenset(), frozenset({0, 2})),
        [
            says("dial_completed"),
            gather(says("lines_free_again", target=target(SENATOR)), offer(SENATOR)),
            SILENCE_REDIRECT,
        ],
        S(Step.OFFER, 0),
        (LegFinished(1, "completed", 95, "CA0123", True),),
        id="after_the_representative_comes_back_to_the_senator_once_a_line_is_free",
    ),
    C(
        S(Step.OFFER, 0),
        GatherResult("1"),
        THREE,
        Lines(frozenset(), frozenset({0, 2})),
        dial(SENATOR),
        S(Step.DIALING, 0),
        (LegDialing(0),),
        id="target_passed_over_then_offered_is_connected_as_any_other",
    ),
    C(
        S(Step.OFFER, 2),
        GatherResult("1"),
        THREE,
        Lines(frozenset({GOVERNOR.phone or ""}), frozenset({0, 2})),
        [later(GOVERNOR), says("back_to", target=target(SENATOR)), ("Dial", SENATOR.phone, None)],
        S(Step.DIALING, 0),
        (LegDialing(0),),
        id="offered_target_full_goes_back_to_one_passed_over_saying_so",
    ),
    C(
        S(Step.DIALING, 1),
        dialed("completed"),
        THREE,
        Lines(SENATOR_FULL, frozenset({0, 2})),
        [says("dial_completed"), later(SENATOR), gather(offer(GOVERNOR)), SILENCE_REDIRECT],
        S(Step.OFFER, 2),
        (LegFinished(1, "completed", 95, "CA0123", True),),
        id="senator_still_full_after_the_representative_offers_the_governor",
    ),
    C(
        S(Step.DIALING, 2),
        dialed("completed"),
        THREE,
        Lines(SENATOR_FULL, frozenset({0})),
        [says("dial_completed"), *waiting("wait_offer", SENATOR)],
        S(Step.WAITING, 0),
        (LegFinished(2, "completed", 95, "CA0123", True),),
        id="only_a_full_target_left_offers_to_wait",
    ),
    C(
        S(Step.SCRIPT),
        GatherResult("1"),
        THREE,
        Lines(EVERYONE_FULL),
        waiting("wait_offer", SENATOR),
        S(Step.WAITING, 0),
        (),
        id="every_line_full_from_the_start_offers_to_wait_for_the_first_target",
    ),
    C(
        S(Step.WAITING, 0, 3),
        Silence(),
        THREE,
        Lines(SENATOR_FULL, frozenset({0})),
        waiting("wait_still", SENATOR),
        S(Step.WAITING, 0, 4),
        (),
        id="still_full_while_waiting_says_a_short_sentence_and_waits_again",
    ),
    C(
        S(Step.WAITING, 0, WAIT_ROUNDS - 1),
        Silence(),
        THREE,
        Lines(SENATOR_FULL, frozenset({0})),
        [says("wait_gave_up", target=target(SENATOR)), *THANKS],
        S(Step.DONE, 3),
        (LegSkipped(0, "lines_full"), CallFinished()),
        id="waiting_too_long_skips_the_target",
    ),
    C(
        S(Step.WAITING, 0, 2),
        Silence(),
        THREE,
        Lines(SENATOR_FULL, frozenset({0, 2})),
        [later(SENATOR), *dial(GOVERNOR)],
        S(Step.DIALING, 2),
        (LegDialing(2),),
        id="another_target_freed_while_waiting_is_dialed_first",
    ),
    C(
        S(Step.WAITING, 0, 2),
        GatherResult("3"),
        THREE,
        Lines(SENATOR_FULL, frozenset({0})),
        [says("skipped", target=target(SENATOR)), *THANKS],
        S(Step.DONE, 3),
        (LegSkipped(0, "supporter"), CallFinished()),
        id="pressing_3_while_waiting_skips_even_with_lines_full",
    ),
    C(
        S(Step.OFFER, 1),
        GatherResult("1"),
        THREE,
        Lines(frozenset({REP.phone or ""}), frozenset({1, 2})),
        [later(REP), *dial(GOVERNOR)],
        S(Step.DIALING, 2),
        (LegDialing(2),),
        id="offered_target_full_when_the_key_comes_dials_the_next_one",
    ),
    C(
        S(Step.DIALING, 0, 0),
        DialFinished("busy", 0, "CA0123", False),
        WITH_OFFICES,
        Lines(frozenset({DISTRICT_OFFICE.phone})),
        [says("dial_busy"), gather(offer(REP)), SILENCE_REDIRECT],
        S(Step.OFFER, 1),
        (LegFinished(0, "busy", 0, "CA0123", False, 0, "capitol", False),),
        id="busy_state_house_line_does_not_ring_a_full_district_office",
    ),
    C(
        S(Step.SCRIPT),
        GatherResult("1"),
        (SENATOR, VACANT, REP),
        Lines(SENATOR_FULL),
        [says("vacant", district="the 17th Middlesex district"), later(SENATOR), *dial(REP)],
        S(Step.DIALING, 2),
        (LegSkipped(1, "vacant"), LegDialing(2)),
        id="vacant_seat_on_the_way_to_a_free_line_is_skipped_aloud",
    ),
]


@pytest.mark.parametrize(("state", "event", "legs", "lines", "verbs", "next_state", "effects"), CASES)
def test_full_lines(
    state: FlowState,
    event: Event,
    legs: Sequence[Leg],
    lines: Lines,
    verbs: list[tuple[Any, ...]],
    next_state: FlowState,
    effects: tuple[Any, ...],
) -> None:
    outcome = respond(state, event, CAMPAIGN, legs, url, lines)
    assert shape(ET.fromstring(str(outcome.twiml))) == verbs
    assert outcome.state == next_state
    assert outcome.effects == effects


def test_a_full_senator_is_called_after_the_representative_in_a_whole_call() -> None:
    """Legs in order 0, 1, 2; the senator's lines are full until the representative's call is over."""
    state, dialed_legs = FlowState(Step.SCRIPT), []
    script: list[tuple[Event, Lines]] = [
        (GatherResult("1"), Lines(SENATOR_FULL, frozenset({0, 1, 2}))),
        (dialed("completed"), Lines(frozenset(), frozenset({0, 2}))),
        (GatherResult("1"), Lines(frozenset(), frozenset({0, 2}))),
        (dialed("completed"), Lines(frozenset(), frozenset({2}))),
        (GatherResult("1"), Lines(frozenset(), frozenset({2}))),
        (dialed("completed"), Lines(frozenset(), frozenset())),
    ]
    for event, lines in script:
        outcome = respond(state, event, CAMPAIGN, THREE, url, lines)
        dialed_legs += [e.position for e in outcome.effects if isinstance(e, LegDialing)]
        state = outcome.state
    assert dialed_legs == [1, 0, 2]
    assert state.step == Step.DONE


def test_no_lines_input_is_the_flow_without_a_limit() -> None:
    """Lines() (nothing full, no leg passed over) answers exactly as before line limits existed."""
    cases: list[tuple[FlowState, Event]] = [
        (S(Step.SCRIPT), GatherResult("1")),
        (S(Step.DIALING, 0), dialed("completed")),
    ]
    for state, event in cases:
        plain = respond(state, event, CAMPAIGN, THREE, url)
        explicit = respond(state, event, CAMPAIGN, THREE, url, Lines(frozenset(), frozenset(range(state.position, 3))))
        assert str(plain.twiml) == str(explicit.twiml) and plain.state == explicit.state
