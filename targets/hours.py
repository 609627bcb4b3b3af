"""When an office is open: the one home of "is this office open at instant t" and "when does it next open".

An office's hours are a few weekly clauses in its own time zone ("mon-fri 09:00-17:00", or
"mon-thu 09:00-17:00; fri 09:00-12:00"), minus the holidays a campaign adds. A state legislature's
default comes from its data settings; an office may override it. Plain values only: no Flask, no
database. Times are walked as local wall-clock times with the zone's own rules, so a daylight-saving
change moves the opening in UTC, never in the office's day.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from languages import N_

DEFAULT_HOURS = "mon-fri 09:00-17:00"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# How far ahead an opening is looked for: past a long holiday weekend, short of a year of closure.
SEARCH_DAYS = 21
_CLAUSE = re.compile(r"^\s*([a-z,\- ]+?)\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class Clause:
    """Open on these weekdays (0 = Monday) from ``start`` to ``end``, local time."""

    days: frozenset[int]
    start: time
    end: time


@dataclass(frozen=True)
class OfficeHours:
    """An office's weekly hours in its time zone, and the dates it is closed all day."""

    clauses: tuple[Clause, ...]
    zone: str
    holidays: frozenset[date] = field(default_factory=frozenset)

    def with_holidays(self, holidays: Iterable[date]) -> OfficeHours:
        """The same hours, also closed on ``holidays``."""
        return replace(self, holidays=self.holidays | frozenset(holidays))

    def __str__(self) -> str:
        return "; ".join(_clause_text(c) for c in self.clauses)


def _clause_text(clause: Clause) -> str:
    days = sorted(clause.days)
    if days == list(range(days[0], days[-1] + 1)) and len(days) > 1:
        named = f"{DAYS[days[0]]}-{DAYS[days[-1]]}"
    else:
        named = ",".join(DAYS[d] for d in days)
    return f"{named} {clause.start:%H:%M}-{clause.end:%H:%M}"


def _days(text: str) -> frozenset[int]:
    found: set[int] = set()
    for part in text.replace(" ", "").split(","):
        first, _, last = part.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise ValueError(part)
        a, b = DAYS.index(first), DAYS.index(last or first)
        if b < a:
            raise ValueError(part)
        found.update(range(a, b + 1))
    return frozenset(found)


def parse_office_hours(text: str, zone: str) -> OfficeHours:
    """'mon-fri 09:00-17:00' (clauses separated by ';') in ``zone``; ValueError with a sentence otherwise."""
    problem = N_(
        "office hours %(value)s must be days and a daytime range such as 'mon-fri 09:00-17:00' "
        "(several separated by ';'), in a known time zone",
        value=repr(text),
    )
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(problem) from None
    clauses = []
    for part in str(text).lower().split(";"):
        match = _CLAUSE.match(part)
        if not match:
            raise ValueError(problem)
        h1, m1, h2, m2 = (int(g) for g in match.groups()[1:])
        if not (h1 < 24 and h2 < 24 and m1 < 60 and m2 < 60 and (h1, m1) < (h2, m2)):
            raise ValueError(problem)
        try:
            days = _days(match.group(1))
        except ValueError:
            raise ValueError(problem) from None
        clauses.append(Clause(days, time(h1, m1), time(h2, m2)))
    return OfficeHours(tuple(clauses), zone)


def _windows(hours: OfficeHours, day: date) -> list[tuple[datetime, datetime]]:
    """The open windows of a local day, as UTC instants."""
    if day in hours.holidays:
        return []
    zone = ZoneInfo(hours.zone)
    return [
        (
            datetime.combine(day, c.start, tzinfo=zone).astimezone(UTC),
            datetime.combine(day, c.end, tzinfo=zone).astimezone(UTC),
        )
        for c in hours.clauses
        if day.weekday() in c.days
    ]


def is_open(hours: OfficeHours, moment: datetime) -> bool:
    """Whether the office is open at ``moment`` (aware): inside a clause of its local day, and not a holiday."""
    day = moment.astimezone(ZoneInfo(hours.zone)).date()
    return any(start <= moment < end for start, end in _windows(hours, day))


def next_opening(hours: OfficeHours, moment: datetime) -> datetime | None:
    """When the office next opens after ``moment`` (UTC); None when it stays closed for ``SEARCH_DAYS``."""
    day = moment.astimezone(ZoneInfo(hours.zone)).date()
    for offset in range(SEARCH_DAYS + 1):
        for start, _ in sorted(_windows(hours, day + timedelta(days=offset))):
            if start > moment:
                return start
    return None


def all_open(schedules: Sequence[OfficeHours], moment: datetime) -> bool:
    """Whether every office in ``schedules`` is open at ``moment``."""
    return all(is_open(h, moment) for h in schedules)


def any_open(schedules: Sequence[OfficeHours], moment: datetime) -> bool:
    """Whether at least one office in ``schedules`` is open at ``moment`` (none given: nothing is closed)."""
    return not schedules or any(is_open(h, moment) for h in schedules)


def opening_slots(
    schedules: Sequence[OfficeHours],
    moment: datetime,
    count: int = 4,
    per_day: int = 3,
    step: timedelta = timedelta(hours=3),
) -> list[datetime]:
    """A few times (UTC) after ``moment`` when every office is open: the next shared opening and every ``step``
    after it while they stay open (``per_day`` at most), then the following open days' openings."""
    if not schedules:
        return []
    slots: list[datetime] = []
    cursor = moment
    for _ in range(SEARCH_DAYS):
        opening = _next_shared_opening(schedules, cursor)
        if opening is None:
            break
        slot = opening
        day_slots = 0
        while all_open(schedules, slot) and day_slots < per_day and len(slots) < count:
            slots.append(slot)
            day_slots += 1
            slot += step
        if len(slots) >= count:
            break
        # The next day's opening, not later the same afternoon: supporters choose a day as much as an hour.
        cursor = max(slot, opening + timedelta(hours=12))
    return slots


def _next_shared_opening(schedules: Sequence[OfficeHours], moment: datetime) -> datetime | None:
    """The first instant after ``moment`` at which every office is open (each opening is a candidate)."""
    cursor = moment
    for _ in range(SEARCH_DAYS * 4):
        candidates = [n for h in schedules if (n := next_opening(h, cursor)) is not None]
        if not candidates:
            return None
        candidates.sort()
        for candidate in candidates:
            if all_open(schedules, candidate):
                return candidate
        cursor = candidates[0]
    return None
