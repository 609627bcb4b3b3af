"""Every results figure against hand-built calls: no app, no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from languages import formats
from results.figures import (
    answered,
    completed,
    daily,
    funnel,
    headline,
    heard_talking_points,
    hourly,
    per_district,
    per_target,
    voicemail,
)
from results.records import CallRecord, DistrictRecord, LegRecord

NOW = datetime(2026, 12, 1, 15, 30, tzinfo=UTC)
BOSTON = ZoneInfo("America/New_York")
SENATOR = (1, "State Senator Jane Doe", 10, "First Middlesex (upper)")
REP = (2, "State Representative John Roe", 20, "2nd Suffolk (lower)")


def leg(who, status="planned", position=0, feedback=None, duration=None) -> LegRecord:
    target_id, name, district_id, district = who
    return LegRecord(position, target_id, name, district_id, district, status, feedback, duration, None, None)


def call(caller=1, step="done", answered_by="human", legs=(), created=NOW, answered_at=NOW, status="completed", **more):
    return CallRecord(caller, created, status, step, answered_by, answered_at, tuple(legs), **more)


# The calls every test below reads:
VOICEMAIL = call(caller=1, answered_by="machine_end_beep", legs=[leg(SENATOR), leg(REP, position=1)])
# Both offices reached, the whole call through to goodbye.
WHOLE = call(caller=2, legs=[leg(SENATOR, "completed", 0, "spoke", 120), leg(REP, "completed", 1, "voicemail", 30)])
# Reached the senator, then hung up while still talking to the representative (Twilio: answered).
HUNG_UP = call(
    caller=2, step="dialing", answered_at=None, legs=[leg(SENATOR, "completed", 0, None, 60), leg(REP, "answered", 1)]
)
# Senator busy (the supporter still says they couldn't get through), the representative reached.
BUSY_THEN_DONE = call(caller=3, legs=[leg(SENATOR, "busy", 0, "not_reached"), leg(REP, "completed", 1, None, 90)])
# Answered, but hung up during the talking points.
LEFT_EARLY = call(caller=4, step="script", legs=[leg(SENATOR), leg(REP, position=1)], status="completed")
# Never answered: the phone rang out.
NO_ANSWER = call(caller=5, step="start", answered_by=None, answered_at=None, status="no-answer", legs=[leg(SENATOR)])
CALLS = [VOICEMAIL, WHOLE, HUNG_UP, BUSY_THEN_DONE, LEFT_EARLY, NO_ANSWER]


def test_who_answered():
    assert [answered(c) for c in CALLS] == [False, True, True, True, True, False]
    assert [voicemail(c) for c in CALLS] == [True, False, False, False, False, False]
    assert [heard_talking_points(c) for c in CALLS] == [False, True, True, True, False, False]
    assert [completed(c) for c in CALLS] == [False, True, False, True, False, False]


def test_headline_figures():
    top = headline([*CALLS, call(caller=6, legs=[leg(SENATOR, "completed")], not_requested=True)])
    assert (top.requested, top.answered, top.voicemail, top.connected, top.completed, top.supporters) == (
        7,
        5,
        1,
        4,
        3,
        6,
    )
    assert top.not_requested == 1


def test_funnel_narrows_step_by_step():
    assert [(s.label, s.count) for s in funnel(CALLS)] == [
        ("Requested", 6),
        ("Answered", 4),
        ("Heard the talking points", 3),
        ("Connected to the first office", 2),
        ("Connected to every office", 2),
    ]


def test_per_target_counts_attempts_conversations_and_reported_answers_as_reported():
    senator, rep = per_target(CALLS)
    assert senator.name == "State Representative John Roe"  # three conversations come first
    assert (senator.attempts, senator.conversations, senator.busy, senator.no_answer, senator.skipped) == (
        3,
        3,
        0,
        0,
        0,
    )
    assert senator.median_seconds == 60  # 30 and 90 (the hung-up conversation has no length)
    assert senator.reported == {"spoke": 0, "voicemail": 1, "not_reached": 0}
    assert rep.name == "State Senator Jane Doe"
    assert (rep.attempts, rep.conversations, rep.busy) == (3, 2, 1)
    # A busy line the supporter reported as "couldn't get through" is counted as reported, not as reached.
    assert rep.reported == {"spoke": 1, "voicemail": 0, "not_reached": 1}
    assert rep.median_seconds == 90


def test_skipped_and_no_answer_legs_are_counted_apart():
    skipped = call(legs=[leg(SENATOR, "skipped"), leg(REP, "no-answer", 1)])
    by_name = {t.name: t for t in per_target([skipped])}
    assert (by_name[SENATOR[1]].skipped, by_name[SENATOR[1]].attempts) == (1, 0)
    assert (by_name[REP[1]].no_answer, by_name[REP[1]].attempts, by_name[REP[1]].median_seconds) == (1, 1, None)


def test_a_leg_that_failed_over_counts_each_line_dialed_once_and_one_conversation_at_most():
    # Busy at the State House, then no answer at the district office; another call: busy, then reached.
    silent = replace(leg(SENATOR, "no-answer"), failovers=("busy",))
    reached = replace(leg(SENATOR, "completed", duration=50), failovers=("busy",))
    never_dialed = replace(leg(SENATOR, "skipped"))
    [senator] = per_target([call(legs=[silent]), call(legs=[reached]), call(legs=[never_dialed])])
    assert (senator.attempts, senator.conversations, senator.busy, senator.no_answer, senator.failovers) == (
        4,
        1,
        2,
        1,
        2,
    )
    assert (senator.skipped, senator.median_seconds) == (1, 50)
    assert headline([call(legs=[reached])]).connected == 1


def test_per_district_lists_the_districts_without_calls_yet():
    districts = [DistrictRecord(10, "First Middlesex", "upper"), DistrictRecord(11, "Second Middlesex", "upper")]
    districts += [DistrictRecord(20, "2nd Suffolk", "lower")]
    reached, none_yet = per_district(CALLS, districts)
    assert [(d.name, d.reached) for d in reached] == [("2nd Suffolk", 3), ("First Middlesex", 2)]
    assert [d.name for d in none_yet] == ["Second Middlesex"]


def test_calls_by_hour_cover_the_last_48_hours_in_local_time():
    calls = [
        call(created=NOW - timedelta(minutes=10)),
        call(created=NOW - timedelta(hours=47)),
        call(created=NOW - timedelta(hours=49)),
    ]
    buckets = hourly(calls, NOW, BOSTON)
    assert len(buckets) == 48
    assert buckets[-1].label == "Tue 10:00" and buckets[-1].count == 1
    assert sum(b.count for b in buckets) == 2


def test_calls_by_day_run_from_the_campaigns_first_day_to_today():
    calls = [call(created=NOW), call(created=NOW - timedelta(days=2))]
    buckets = daily(calls, NOW, BOSTON, first_day=NOW - timedelta(days=3))
    assert [(b.label, b.count) for b in buckets] == [("Nov 28", 0), ("Nov 29", 1), ("Nov 30", 0), ("Dec 01", 1)]


@pytest.mark.parametrize(
    "locale, words",
    [
        ("en", ("—", "42 sec", "1 min 5 sec", "2 min", "1 hr 1 min 1 sec")),
        ("es", ("—", "42 s", "1 min 5 s", "2 min", "1 h 1 min 1 s")),
        ("pt_BR", ("—", "42 s", "1 min 5 s", "2 min", "1 h 1 min 1 s")),
    ],
)
def test_durations_read_as_each_language_writes_minutes_and_seconds(locale, words):
    assert tuple(formats.duration(seconds, locale) for seconds in (None, 42, 65, 120, 3661)) == words
