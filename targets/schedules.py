"""Each office's hours as stored: its own, else its legislature's default, with the campaign's holidays.

The arithmetic of opening and closing is in :mod:`targets.hours`; this module only finds which hours
apply, from the tables (a legislature's `office_hours`, an office's override, a campaign's
`office_holidays`), so the campaign page, the call page, the planner and the call flow agree.
"""

from __future__ import annotations

import logging
from datetime import date

from models import Call, Campaign, DbSession, Office, Target, fixed_targets_of
from targets.hours import DEFAULT_HOURS, OfficeHours, parse_office_hours

log = logging.getLogger(__name__)


def holidays_of(campaign: Campaign) -> frozenset[date]:
    """The campaign's office holidays as dates (each was checked when the campaign was stored)."""
    found = set()
    for text in campaign.office_holidays or ():
        try:
            found.add(date.fromisoformat(str(text)))
        except ValueError:
            log.warning("campaign %s: ignoring an office holiday that is not a date", campaign.slug)
    return frozenset(found)


def _hours(text: str | None, zone: str | None, fallback: OfficeHours) -> OfficeHours:
    """Hours from stored text, keeping the fallback's zone or hours where one is missing."""
    if not text and not zone:
        return fallback
    try:
        return parse_office_hours(text or str(fallback), zone or fallback.zone).with_holidays(fallback.holidays)
    except ValueError:
        log.warning("stored office hours %r (%s) are unreadable; using the default", text, zone)
        return fallback


def legislature_hours(campaign: Campaign) -> OfficeHours:
    """The usual office hours of the campaign's state legislature (its data settings), with the campaign's
    holidays; the built-in default in the campaign's zone where the state's data has none."""
    fallback = parse_office_hours(DEFAULT_HOURS, campaign.timezone).with_holidays(holidays_of(campaign))
    for chamber in campaign.legislature:  # "upper" first: one answer for the whole legislature
        return _hours(chamber.office_hours, chamber.office_timezone, fallback)
    return fallback


def office_hours(office: Office | None, default: OfficeHours) -> OfficeHours:
    """One office's hours: its own override, else the default."""
    return default if office is None else _hours(office.hours, office.timezone, default)


def target_hours(target: Target, default: OfficeHours) -> tuple[OfficeHours, ...]:
    """The hours of each of the target's office lines, in calling order (its first line's when it lists none)."""
    return tuple(office_hours(o, default) for o in target.offices) or (default,)


def campaign_offices_hours(session: DbSession, campaign: Campaign) -> list[OfficeHours]:
    """What a supporter of this campaign will reach, before we know whom: the legislature's usual hours (when it
    calls legislators) and each fixed target's first office."""
    default = legislature_hours(campaign)
    schedules = [default] if campaign.target_chambers else []
    for target in fixed_targets_of(session, campaign):
        schedules.append(target_hours(target, default)[0])
    return schedules


def call_offices_hours(call: Call) -> list[OfficeHours]:
    """The first office of each target the call will dial (vacant seats have none)."""
    default = legislature_hours(call.campaign)
    return [target_hours(leg.target, default)[0] for leg in call.legs if leg.target is not None]
