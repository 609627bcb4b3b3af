"""From a submitted form to a queued call: check, look up whom to call (or ask), plan. No Flask.

The route commits what this returns and then hands the call to the dialer (dialer's
dispatch_call); nothing is stored unless the lookup has settled every chamber.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from sqlalchemy import null, update

import lookup
from calls.planning import accepts_calls, fixed_targets, plan_call, planned_legs
from campaigns.translations import call_locale
from languages import DEFAULT_LOCALE
from lookup.messages import data_word, note, note_text
from models import Call, CallSource, Campaign, DbSession, EventType, register_caller
from models.directory import SqlDirectory
from pages.messages import message
from pages.office_times import chosen_time
from pages.supporter_form import FormCheck, SupporterForm, check_form, pick_field
from phones.hours import ALWAYS, ring_time
from privacy import PhoneVault
from security.blocklist import BlocklistRead, blocklist_columns
from targets.hours import OfficeHours
from webhooks.outbox import record_event

# Notes the call page tells from the planned legs themselves, so they are not said twice.
NOTES_SHOWN_BY_LEGS = frozenset({"vacant_seat", "no_phone"})


@dataclass(frozen=True)
class Submission:
    """What came of a submission: a planned call, or what the form must show again."""

    call: Call | None = None
    closed: bool = False
    errors: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # Set when the lookup asks which district (the picker shows its questions).
    resolution: lookup.Resolution | None = None
    # Sentences worth saying on the call page (fell back to the ZIP, a ZIP across a state line…).
    notes: tuple[str, ...] = ()
    # What `admit` answered when it refused this number (a security.submissions.Refusal): no call.
    refused: object | None = None
    # Outbox rows written with the call, one per endpoint of the campaign: none, nothing to deliver.
    webhook_events: int = 0

    @property
    def asking(self) -> bool:
        """True when the supporter must pick a district (or their state) before we can call."""
        return self.resolution is not None and self.resolution.status in (
            lookup.Status.ASK_DISTRICT,
            lookup.Status.ASK_STATE,
        )


def _picker_errors(
    form: SupporterForm, resolution: lookup.Resolution, state: str, directory: lookup.Directory, locale: str
) -> dict[str, str]:
    """A sentence for each question the supporter was already asked and left unanswered or answered with a forgery."""
    errors: dict[str, str] = {}
    for question in resolution.questions:
        pick = form.picks.get(question.chamber)
        chamber_name = data_word(directory.chamber_name(state, question.chamber), locale)
        offered = {c.district.census_geoid for c in question.candidates}
        if pick and pick not in offered:
            errors[pick_field(question.chamber)] = note_text(note("invalid_pick", chamber_name=chamber_name), locale)
        elif not pick and question.chamber in form.asked:
            errors[pick_field(question.chamber)] = message("pick_missing", chamber_name=chamber_name)
    return errors


@dataclass(frozen=True)
class CallSettings:
    """What `request_call` takes from the app's settings: the same wherever a call is asked for (the campaign page,
    the embedded form, the API)."""

    vault: PhoneVault
    allowed_countries: Sequence[str]
    geocoder: lookup.Geocoder | None
    call_hours: str = ALWAYS
    # No phone service set up: the call is only played in the browser.
    preview: bool = False


def request_call(
    session: DbSession,
    settings: CallSettings,
    campaign: Campaign,
    form: SupporterForm,
    *,
    now: datetime,
    admit: Callable[[str, BlocklistRead], object | None] | None = None,
    locale: str = DEFAULT_LOCALE,
    office_hours: Sequence[OfficeHours] = (),
    source: CallSource = CallSource.web,
) -> Submission:
    """Check the form, resolve whom to call, and add the queued call when everything is settled; the caller commits.

    ``settings.preview`` marks a call that will only be played in the browser (no Twilio account); ``locale`` is the
    supporter's language, for the sentences here and the call (when the campaign's call is written in it).
    ``admit`` gets the number's keyed hash and what the blocklist holds for it (read with the caller's upsert) just
    before the call would be planned (after any district question, so answering one costs nothing) and returns
    None, or a refusal that stops it (the caller then rolls back the upsert).
    ``office_hours`` are the hours of the offices the page offered times for: a time the supporter chose
    (``form.when``) must be one they are open, and the call then waits for it, quiet hours or not.
    ``source`` is where the call is recorded as asked for: the page, or a partner's form through the API.
    """
    if not accepts_calls(campaign, now):
        return Submission(closed=True)
    checked = check_form(form, settings.allowed_countries)
    try:
        chosen = chosen_time(form.when, office_hours, now)
    except ValueError:
        checked = FormCheck(checked.phone_e164, MappingProxyType({**checked.errors, "when": message("when_invalid")}))
    if checked.errors or checked.phone_e164 is None:
        return Submission(errors=checked.errors)
    directory = SqlDirectory(session)
    resolution = lookup.resolve(
        lookup.LookupRequest(
            state=campaign.state,
            location=form.location,
            chambers=tuple(campaign.target_chambers),
            picks=form.picks,
            fixed_targets=fixed_targets(session, campaign),
        ),
        directory,
        settings.geocoder,
    )
    if resolution.status is lookup.Status.ASK_DISTRICT:
        errors = _picker_errors(form, resolution, campaign.state, directory, locale)
        return Submission(resolution=resolution, errors=errors)
    if resolution.status is lookup.Status.ASK_STATE:
        return Submission(resolution=resolution)
    if resolution.status is not lookup.Status.DONE:
        reason = note_text(resolution.reason or note("location_unreadable"), locale)
        key = "form" if resolution.status is lookup.Status.NO_TARGETS else "location"
        return Submission(resolution=resolution, errors={key: reason})
    phone_hash = settings.vault.hash(checked.phone_e164)
    # One statement: the caller's id, and what the blocklist holds for the number (before any call is counted).
    registered = register_caller(session, phone_hash, *blocklist_columns(phone_hash))
    caller_id, listed = registered[0], BlocklistRead(registered[1], registered[2])
    if admit is not None and (refused := admit(phone_hash, listed)) is not None:
        return Submission(refused=refused, resolution=resolution)  # the refusal page lists whom to call
    # When the offices open, as the supporter asked: the time is theirs, so quiet hours do not move it. Else nobody
    # is rung at night: outside the hours where the supporter lives, the call waits for the morning.
    scheduled_for = chosen or ring_time(
        checked.phone_e164, now, campaign.supporter_call_hours or settings.call_hours, campaign.timezone
    )
    shown = [n for n in resolution.notes if n.code not in NOTES_SHOWN_BY_LEGS]
    call = plan_call(
        session,
        settings.vault,
        campaign,
        checked.phone_e164,
        planned_legs(resolution),
        supporter_name=form.name,
        # Left blank, the script still names a real place rather than "[your town]".
        supporter_town=form.town.strip() or lookup.town_for(resolution, campaign.state),
        scheduled_for=scheduled_for,
        preview=settings.preview,
        locale=call_locale(campaign, locale),
        source=source,
        caller_id=caller_id,
        chose_time=chosen is not None,
        # Kept for the call page, which says them in its own language (take_call_notes) and then erases them.
        notes=[[n.code, dict(n.params)] for n in shown] or None,
    )
    # In the same transaction as the call: the organiser's endpoints hear of it exactly when it exists (a campaign
    # read without endpoints that hear of its calls has no row to write: has_webhooks is False, not None).
    events = record_event(session, EventType.call_requested, call, now) if campaign.has_webhooks is not False else 0
    return Submission(call=call, notes=tuple(note_text(n, locale) for n in shown), webhook_events=events)


def take_call_notes(session: DbSession, call: Call, locale: str) -> tuple[str, ...]:
    """What the lookup noted when the call was asked for, in ``locale``, said once: erased from the call (the
    caller commits). A code no longer in the table (a note renamed since) is dropped rather than guessed at."""
    kept = call.notes
    if not kept:
        return ()
    # A NULL, not a JSON null: nothing is left for the purge to find.
    session.execute(update(Call).where(Call.id == call.id).values(notes=null()))
    return tuple(note_text(note(code, **values), locale) for code, values in kept if code in lookup.MESSAGES)
