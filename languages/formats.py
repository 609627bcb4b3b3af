"""Dates, times and numbers as each language writes them (Babel's CLDR data), for pages and the call."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_datetime, format_time, get_datetime_format
from babel.lists import format_list
from babel.numbers import format_decimal
from babel.units import format_unit


def _plain(text: str) -> str:
    # CLDR puts narrow no-break spaces in times ("5:00 PM"): plain ones read and search the same.
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def clock(moment: datetime, locale: str, *, seconds: bool = False) -> str:
    """The time of day: "5:00 PM" in English, "17:00" in Spanish and Portuguese (in ``moment``'s own zone);
    with ``seconds``, "5:00:09 PM", "17:00:09"."""
    return _plain(format_time(moment, "medium" if seconds else "short", locale=locale))


def calendar_date(when: date | datetime, locale: str) -> str:
    """A date with its year, for records: "Jul 31, 2025", "31 jul 2025", "31 de jul. de 2025"."""
    return _plain(format_date(date(when.year, when.month, when.day), "medium", locale=locale))


def moment(when: datetime, locale: str, *, seconds: bool = False) -> str:
    """A date with its year and a time of day, for records (in ``when``'s own zone): "Jul 31, 2025, 5:00 PM",
    "31 jul 2025, 17:00", "31 de jul. de 2025 17:00"."""
    # CLDR's medium date with the short time (the medium time has seconds), joined as the language joins them.
    joined = str(get_datetime_format("medium", locale=locale)).replace("'", "")
    return joined.replace("{1}", calendar_date(when, locale)).replace("{0}", clock(when, locale, seconds=seconds))


def day(when: date | datetime, locale: str) -> str:
    """A weekday and date: "Tuesday, July 31", "martes, 31 de julio", "terça-feira, 31 de julho"."""
    plain = date(when.year, when.month, when.day)
    pattern = _DAY_PATTERNS.get(locale.split("_")[0], "full")
    return _plain(format_date(plain, pattern, locale=locale))


# CLDR's "full" date without the year (a deadline or a call is weeks away at most); a new language adds its own.
_DAY_PATTERNS = {"en": "EEEE, MMMM d", "es": "EEEE, d 'de' MMMM", "pt": "EEEE, d 'de' MMMM"}


def hour(moment: datetime, locale: str) -> str:
    """A short weekday and the hour, for a chart's label: "Tue 17:00", "mar 17:00", "ter. 17:00"."""
    return _plain(format_datetime(moment, "EEE HH:mm", tzinfo=moment.tzinfo, locale=locale))


def month_day(when: date, locale: str) -> str:
    """A day of the month, for a chart's label: "Jul 31", "31 jul", "31 de jul."."""
    return _plain(format_date(when, _MONTH_DAY_PATTERNS.get(locale.split("_")[0], "MMM d"), locale=locale))


_MONTH_DAY_PATTERNS = {"en": "MMM dd", "es": "d MMM", "pt": "d 'de' MMM"}


def zone(moment: datetime) -> str:
    """The time zone's abbreviation at ``moment`` ("EDT"), the same in every language."""
    return moment.strftime("%Z")


def number(value: int | float, locale: str) -> str:
    """A count with the language's grouping: 12,345 / 12.345."""
    return _plain(format_decimal(value, locale=locale))


def duration(seconds: float | None, locale: str) -> str:
    """A length of time, to the second, in the language's short units: "1 min 5 sec", "1 min 5 s"; "—" for none."""
    if seconds is None:
        return "—"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    amounts = [(hours, "duration-hour"), (minutes, "duration-minute"), (secs, "duration-second")]
    parts = [format_unit(n, unit, length="short", locale=locale) for n, unit in amounts if n] or [
        format_unit(0, "duration-second", length="short", locale=locale)
    ]
    # Joined as CLDR's narrow unit lists join them ("{0} {1}" in all three): Babel's data for the short style
    # lacks Spanish and Portuguese's two-item pattern.
    return _plain(format_list(parts, style="unit-narrow", locale=locale))
