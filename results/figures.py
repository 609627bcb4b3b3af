"""Every figure of a campaign's results, from plain call records: no Flask, no database.

Words, as the console and `flask campaign stats` use them:
- answered: the supporter's phone was answered by a person (the call reached our greeting, or
  Twilio said in-progress) and not by a machine; voicemail: Twilio's AnsweredBy said a machine;
- heard the talking points: the call went on past them to the first office (1, or silence);
- a conversation: Twilio's DialCallStatus `completed`, or `answered` (the supporter hung up while
  still connected), at most one per leg; an attempt: any office line we dialed, so a leg that failed
  over from a busy State House line to the district office is two attempts (busy and no answer
  count attempts too) and one conversation at most; a failover: an attempt that moved on to the
  target's next office line;
- completed: the call reached the thank-you and goodbye;
- not asked for: whoever answered pressed 9, "I did not ask for this call" (the number is then blocklisted).
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from languages import DEFAULT_LOCALE, N_, formats
from models.calls import CallSource
from results.records import CallRecord, DistrictRecord, LegRecord
from voicesim.vocabulary import MACHINE_ANSWERED_BY

CONVERSATION = frozenset({"completed", "answered"})
DIALED = frozenset({"completed", "answered", "busy", "no-answer", "failed", "canceled"})
# A call at these steps has left the talking points behind for an office.
PAST_TALKING_POINTS = frozenset({"dialing", "feedback", "offer"})
FEEDBACK = ("spoke", "voicemail", "not_reached")
FEEDBACK_LABELS = {"spoke": "spoke", "voicemail": "left a message", "not_reached": "couldn't get through"}
# The daily chart covers at most a year.
MAX_DAYS = 366


def voicemail(call: CallRecord) -> bool:
    """A machine answered the supporter's phone."""
    return call.answered_by in MACHINE_ANSWERED_BY


def answered(call: CallRecord) -> bool:
    """A person answered the supporter's phone."""
    return not voicemail(call) and (call.answered_at is not None or call.step != "start")


def heard_talking_points(call: CallRecord) -> bool:
    """The supporter heard the talking points through and went on towards an office."""
    if not answered(call):
        return False
    return call.step in PAST_TALKING_POINTS or any(leg.status != "planned" for leg in call.legs)


def conversation(leg: LegRecord) -> bool:
    """The office picked up and the supporter was connected."""
    return leg.status in CONVERSATION


def _target_legs(call: CallRecord) -> list[LegRecord]:
    return [leg for leg in call.legs if leg.target_id is not None]


def connected_first(call: CallRecord) -> bool:
    """The first office of the call was reached."""
    legs = _target_legs(call)
    return bool(legs) and conversation(legs[0])


def connected_all(call: CallRecord) -> bool:
    """Every office of the call was reached."""
    legs = _target_legs(call)
    return bool(legs) and all(conversation(leg) for leg in legs)


def completed(call: CallRecord) -> bool:
    """The call went all the way to the thank-you."""
    return call.step == "done" and answered(call)


@dataclass(frozen=True)
class Headline:
    """The figures at the top of the results."""

    requested: int = 0
    answered: int = 0
    voicemail: int = 0
    connected: int = 0
    completed: int = 0
    supporters: int = 0
    not_requested: int = 0
    by_source: dict[str, int] = field(default_factory=dict)  # every source, zero included: web, call-in, api


@dataclass(frozen=True)
class FunnelStep:
    """One step of the funnel and how many calls got there."""

    label: str
    count: int


@dataclass(frozen=True)
class TargetFigures:
    """How supporters fared with one office."""

    name: str
    attempts: int = 0
    conversations: int = 0
    reported: dict[str, int] = field(default_factory=dict)  # spoke / voicemail / not_reached, as reported
    busy: int = 0
    no_answer: int = 0
    skipped: int = 0
    median_seconds: float | None = None
    failovers: int = 0  # attempts after which the target's next office line was tried


@dataclass(frozen=True)
class DistrictFigures:
    """How many calls reached an office of one district."""

    name: str
    chamber: str
    reached: int


@dataclass(frozen=True)
class Bucket:
    """Calls requested in one hour or one day."""

    start: datetime
    label: str
    count: int


@dataclass(frozen=True)
class Results:
    """Everything the results page, the JSON and the CLI show."""

    headline: Headline
    funnel: list[FunnelStep]
    targets: list[TargetFigures]
    districts: list[DistrictFigures]
    districts_without_calls: list[DistrictFigures]
    hourly: list[Bucket]
    daily: list[Bucket]


def headline(calls: Sequence[CallRecord]) -> Headline:
    """The headline figures."""
    return Headline(
        requested=len(calls),
        answered=sum(answered(c) for c in calls),
        voicemail=sum(voicemail(c) for c in calls),
        connected=sum(any(conversation(leg) for leg in c.legs) for c in calls),
        completed=sum(completed(c) for c in calls),
        supporters=len({c.caller for c in calls if c.caller is not None}),
        not_requested=sum(c.not_requested for c in calls),
        by_source={source.value: sum(c.source == source.value for c in calls) for source in CallSource},
    )


def funnel(calls: Sequence[CallRecord]) -> list[FunnelStep]:
    """Requested → answered → heard the talking points → connected to the first office → connected to all."""
    return [
        FunnelStep(N_("Requested"), len(calls)),
        FunnelStep(N_("Answered"), sum(answered(c) for c in calls)),
        FunnelStep(N_("Heard the talking points"), sum(heard_talking_points(c) for c in calls)),
        FunnelStep(N_("Connected to the first office"), sum(connected_first(c) for c in calls)),
        FunnelStep(N_("Connected to every office"), sum(connected_all(c) for c in calls)),
    ]


def attempts(leg: LegRecord) -> list[str]:
    """The statuses of every office line dialed for this leg, in order: those it failed over from, then its own."""
    return [*leg.failovers, leg.status] if leg.status in DIALED else list(leg.failovers)


def per_target(calls: Iterable[CallRecord]) -> list[TargetFigures]:
    """Each office's attempts, conversations, reported outcomes, busy, no answer, skipped, median conversation,
    failovers; the most conversations first."""
    legs: dict[int, list[LegRecord]] = {}
    for call in calls:
        for leg in call.legs:
            if leg.target_id is not None:
                legs.setdefault(leg.target_id, []).append(leg)
    figures = []
    for its in legs.values():
        lengths = [leg.duration for leg in its if conversation(leg) and leg.duration is not None]
        reported = Counter(leg.feedback for leg in its if leg.feedback in FEEDBACK)
        dialed = Counter(status for leg in its for status in attempts(leg))
        figures.append(
            TargetFigures(
                name=its[0].target,
                attempts=dialed.total(),
                conversations=sum(conversation(leg) for leg in its),
                reported={key: reported.get(key, 0) for key in FEEDBACK},
                busy=dialed["busy"],
                no_answer=dialed["no-answer"],
                skipped=sum(leg.status == "skipped" for leg in its),
                median_seconds=statistics.median(lengths) if lengths else None,
                failovers=sum(len(leg.failovers) for leg in its),
            )
        )
    return sorted(figures, key=lambda t: (-t.conversations, -t.attempts, t.name))


def per_district(
    calls: Iterable[CallRecord], districts: Sequence[DistrictRecord]
) -> tuple[list[DistrictFigures], list[DistrictFigures]]:
    """Calls that reached an office of each district (most first), and the districts no call has reached yet."""
    reached: Counter[int] = Counter()
    for call in calls:
        reached.update({leg.district_id for leg in call.legs if leg.district_id is not None and conversation(leg)})
    figures = [DistrictFigures(d.name, d.chamber, reached.get(d.id, 0)) for d in districts]
    with_calls = sorted((f for f in figures if f.reached), key=lambda f: (-f.reached, f.chamber, f.name))
    return with_calls, [f for f in figures if not f.reached]


def hourly(
    calls: Iterable[CallRecord], now: datetime, zone: ZoneInfo, hours: int = 48, locale: str = DEFAULT_LOCALE
) -> list[Bucket]:
    """Calls requested in each of the last `hours` hours, oldest first, labelled in the campaign's local time."""
    end = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    starts = [end - timedelta(hours=hours - n) for n in range(hours)]
    counts: Counter[datetime] = Counter()
    for call in calls:
        hour = call.created_at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        if starts[0] <= hour < end:
            counts[hour] += 1
    return [Bucket(s, formats.hour(s.astimezone(zone), locale), counts.get(s, 0)) for s in starts]


def daily(
    calls: Sequence[CallRecord],
    now: datetime,
    zone: ZoneInfo,
    first_day: datetime | None = None,
    locale: str = DEFAULT_LOCALE,
) -> list[Bucket]:
    """Calls requested on each day from the first call (or `first_day`) to today (the campaign's local dates)."""
    days = Counter(call.created_at.astimezone(zone).date() for call in calls)
    today = now.astimezone(zone).date()
    start = min([*days, first_day.astimezone(zone).date()] if first_day else [*days, today])
    start = max(start, today - timedelta(days=MAX_DAYS - 1))
    buckets = []
    day = start
    while day <= today:
        moment = datetime(day.year, day.month, day.day, tzinfo=zone)
        buckets.append(Bucket(moment, formats.month_day(day, locale), days.get(day, 0)))
        day += timedelta(days=1)
    return buckets


def results(
    calls: Sequence[CallRecord],
    districts: Sequence[DistrictRecord],
    now: datetime,
    zone: ZoneInfo,
    first_day: datetime | None = None,
    locale: str = DEFAULT_LOCALE,
) -> Results:
    """All of a campaign's figures at once (the charts' labels in `locale`; the funnel's are catalog messages)."""
    with_calls, without = per_district(calls, districts)
    return Results(
        headline=headline(calls),
        funnel=funnel(calls),
        targets=per_target(calls),
        districts=with_calls,
        districts_without_calls=without,
        hourly=hourly(calls, now, zone, locale=locale),
        daily=daily(calls, now, zone, first_day, locale),
    )
