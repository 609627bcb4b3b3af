"""An organiser's test call: the whole call for a sample ZIP, played in the browser by the existing preview. No Flask.

It is planned exactly like a supporter's call (same lookup, same legs), whatever the campaign's
status, and marked as a preview: the dialer never dials it and the results never count it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lookup
from calls.planning import fixed_targets, plan_call, planned_legs
from languages import N_, Message
from lookup.values import Note
from models import Call, Campaign, DbSession
from models.directory import SqlDirectory
from privacy import PhoneVault

# A number from the range kept for fiction (555-0100 to 555-0199): never anyone's phone.
TEST_CALLER = "+16175550100"
ZIP = re.compile(r"^\d{5}$")


@dataclass(frozen=True)
class TestCall:
    """The planned preview call, or why there is none."""

    call: Call | None = None
    problem: Message | Note | None = None  # translated where it is shown


def plan_test_call(session: DbSession, vault: PhoneVault, campaign: Campaign, zip_code: str) -> TestCall:
    """Plan a preview call to the offices a supporter at this ZIP would reach; the caller commits."""
    zip_code = zip_code.strip()
    if not ZIP.match(zip_code):
        return TestCall(problem=N_("Give a five-digit ZIP code."))
    resolution = lookup.resolve(
        lookup.LookupRequest(
            state=campaign.state,
            location=zip_code,
            chambers=tuple(campaign.target_chambers),
            fixed_targets=fixed_targets(session, campaign),
        ),
        SqlDirectory(session),
        None,
    )
    if resolution.status is lookup.Status.ASK_DISTRICT:
        return TestCall(
            problem=N_("ZIP %(zip)s is split between districts: try a ZIP inside one district.", zip=zip_code)
        )
    if resolution.status is not lookup.Status.DONE:
        return TestCall(problem=resolution.reason or N_(lookup.MESSAGES["location_unreadable"]))
    call = plan_call(session, vault, campaign, TEST_CALLER, planned_legs(resolution), preview=True)
    return TestCall(call=call)
