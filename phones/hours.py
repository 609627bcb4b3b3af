"""When a supporter's phone may ring: the hours of the day, in the time zone(s) of their number.

Nobody is rung at night: outside `SUPPORTER_CALL_HOURS` (e.g. 08:00-21:00) in the supporter's own
time zone, read from the number (its area code), a call waits for the next morning. A number
whose area code spans zones must be inside the hours in every one of them; a number with no
known zone is judged in the campaign's time zone. ``always`` turns the rule off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from phonenumbers import timezone as number_zones

from languages import N_

ALWAYS = "always"
_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class CallHours:
    """A daily window [start, end) of local time; ``None`` for both means any hour."""

    start: time | None
    end: time | None

    @property
    def always(self) -> bool:
        return self.start is None

    def __str__(self) -> str:
        if self.start is None or self.end is None:
            return ALWAYS
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


def parse_call_hours(text: str) -> CallHours:
    """'08:00-21:00' or 'always'; ValueError with a sentence saying what is accepted otherwise."""
    if text.strip().lower() == ALWAYS:
        return CallHours(None, None)
    match = _RANGE.match(text)
    if match:
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 < 24 and h2 < 24 and m1 < 60 and m2 < 60 and (h1, m1) < (h2, m2):
            return CallHours(time(h1, m1), time(h2, m2))
    raise ValueError(
        N_(
            "call hours %(value)s must be 'always' or a daytime range such as '08:00-21:00' (start before end)",
            value=repr(text),
        )
    )


def zones_for_number(e164: str, fallback: str) -> tuple[ZoneInfo, ...]:
    """The time zones a number's area code lies in; the campaign's zone when the number says none."""
    try:
        names = number_zones.time_zones_for_number(phonenumbers.parse(e164))
    except phonenumbers.NumberParseException:
        names = ()
    zones = []
    for name in names:
        try:
            zones.append(ZoneInfo(name))
        except (ZoneInfoNotFoundError, ValueError):  # "Etc/Unknown"
            continue
    return tuple(zones) or (ZoneInfo(fallback),)


def _inside(moment: datetime, zone: ZoneInfo, hours: CallHours) -> bool:
    assert hours.start is not None and hours.end is not None
    local = moment.astimezone(zone).time()
    return hours.start <= local < hours.end


def next_ring_time(now: datetime, zones: tuple[ZoneInfo, ...], hours: CallHours) -> datetime | None:
    """None when the phone may ring now; otherwise the first moment (UTC) inside the hours in every zone.

    Candidates are each zone's next opening (today's or tomorrow's, so a DST change is walked with
    the zone's own rules); the earliest one inside the hours everywhere wins.
    """
    if hours.always or all(_inside(now, zone, hours) for zone in zones):
        return None
    assert hours.start is not None
    candidates = []
    for zone in zones:
        local_day = now.astimezone(zone).date()
        for days in range(3):
            opening = datetime.combine(local_day + timedelta(days=days), hours.start, tzinfo=zone).astimezone(UTC)
            if opening > now:
                candidates.append(opening)
    for candidate in sorted(candidates):
        if all(_inside(candidate, zone, hours) for zone in zones):
            return candidate
    return min(candidates)  # zones too far apart to share a window: the earliest morning


def ring_time(phone_e164: str, now: datetime, hours: str, campaign_zone: str) -> datetime | None:
    """None when this supporter may be rung now; otherwise when they may (the campaign's or deployment's hours)."""
    return next_ring_time(now, zones_for_number(phone_e164, campaign_zone), parse_call_hours(hours))
