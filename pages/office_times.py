"""The campaign page outside the offices' hours: they are closed, when they open, and the times a supporter
may choose instead of being rung now. No Flask; the hours themselves are :mod:`targets.hours`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from targets.hours import SEARCH_DAYS, OfficeHours, all_open, any_open, next_opening, opening_slots

NOW = "now"  # the form's value for "Call me now"
# A slot offered a moment ago is still good if the page sat open across it: it is dialed at once.
STALE_SLOT = timedelta(minutes=15)


@dataclass(frozen=True)
class Slot:
    """A time the supporter may choose: the instant (UTC), the form's value, and the instant in their zone."""

    at: datetime
    local: datetime

    @property
    def value(self) -> str:
        """What the form posts: the instant in UTC, to the minute."""
        return self.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


@dataclass(frozen=True)
class ClosedOffices:
    """The offices are all closed now: when the first opens (in the supporter's zone), and a few times to choose."""

    opens: datetime | None
    slots: tuple[Slot, ...]


def closed_offices(schedules: Sequence[OfficeHours], now: datetime, zone: str) -> ClosedOffices | None:
    """None while any office is open (or none keeps hours); else what the page offers, shown in ``zone``."""
    if any_open(schedules, now):
        return None
    tz = ZoneInfo(zone)
    openings = [o for h in schedules if (o := next_opening(h, now)) is not None]
    slots = tuple(Slot(at, at.astimezone(tz)) for at in opening_slots(schedules, now))
    return ClosedOffices(min(openings).astimezone(tz) if openings else None, slots)


def offices_zone(schedules: Sequence[OfficeHours], fallback: str) -> str:
    """The zone the offices keep their hours in (the first's): how times read before the supporter's is known."""
    return schedules[0].zone if schedules else fallback


def chosen_time(value: str, schedules: Sequence[OfficeHours], now: datetime) -> datetime | None:
    """The time the supporter chose (UTC), None for "now"; ValueError when it is not a time the offices are open.

    Any time every office is open counts, not only the slots just offered: the page may have been open a
    while. A slot that passed a moment ago means now.
    """
    value = (value or NOW).strip()
    if value == NOW or not schedules:  # no office keeps hours (OFFICE_HOURS=always): nothing was offered
        return None
    try:
        at = datetime.strptime(value, "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)
    except ValueError:
        raise ValueError(value) from None
    if not now - STALE_SLOT <= at <= now + timedelta(days=SEARCH_DAYS) or not all_open(schedules, at):
        raise ValueError(value)
    return at if at > now else None
