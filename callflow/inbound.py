"""What a call to the campaign's number does to the database: find the campaign, start the Call, run the
call-in line (:mod:`callflow.callin`) from the stored state, and record what it decided.

The caller's number is only ever hashed (to recognise a returning caller and to apply the blocklist and
the limits); it is neither stored nor logged. What they type is kept only until the call is planned.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from sqlalchemy import select
from sqlalchemy.orm import selectinload

import lookup
from callflow import callin, vocabulary
from callflow.parameters import parse_event
from callflow.plans import flow_campaign
from callflow.responses import apology, line_closed
from callflow.webhooks import owns_sid
from calls.planning import PlannedLeg, accepts_calls, add_legs, fixed_targets, planned_legs, start_call_in
from campaigns.translations import call_locale, campaign_locale, text
from languages import LOCALES, N_, translated
from languages.voices import DEFAULT_VOICES, Voice
from lookup.messages import data_word
from models import (
    Call,
    CallLeg,
    Campaign,
    CampaignStatus,
    DbSession,
    EventType,
    Target,
    TextMessage,
    find_call,
    utcnow,
)
from models.directory import SqlDirectory, chamber_members
from phones import Allowed, Refused, classify
from privacy import PhoneVault
from voicesim.vocabulary import CALL_SID
from webhooks.outbox import record_event

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Inbound:
    """What the inbound webhooks need from the app: its number, the vault, the limits and its URLs."""

    vault: PhoneVault
    default_number: str  # TWILIO_CALLER_ID: the number of a campaign without its own
    # The keyed hash of a caller's number -> None, or a refusal (the blocklist and the limits).
    admit: Callable[[Campaign, str], object | None]
    # A call's public id -> (the call-in line's URL for an event, the call's own flow's URL for an event).
    urls: Callable[[str], tuple[vocabulary.UrlFor, vocabulary.UrlFor]]
    # For a spoken address (the page's geocoder); None: a split ZIP goes straight to the names.
    geocoder: lookup.Geocoder | None = None
    # For a text with a link: the countries whose numbers the form accepts, and a campaign's public page.
    allowed_countries: Sequence[str] = ("US",)
    campaign_url: Callable[[Campaign, str], str] = lambda campaign, locale: ""
    # The <Say> language and voice of each language (SAY_VOICES).
    voices: Mapping[str, Voice] = field(default_factory=lambda: dict(DEFAULT_VOICES))


def handle_inbound(session: DbSession, inbound: Inbound, form: Mapping[str, str], now: datetime) -> str:
    """Answer a call to a campaign's number (its Voice URL): start the call-in line, or say why not."""
    sid = _sid(form.get("CallSid"))
    if sid is not None and (existing := session.scalar(select(Call.public_id).where(Call.twilio_sid == sid))):
        # Twilio asked again for the same call: go on from where it is, never a second Call.
        return handle_callin(session, inbound, existing, vocabulary.EVENT_ANSWERED, form)
    campaigns = _campaigns_on(session, form.get("To") or "", inbound.default_number)
    if not campaigns:
        return line_closed(None)
    open_now = [c for c in campaigns if accepts_calls(c, now)]
    if not open_now:
        return line_closed(campaigns[0].title)
    campaign = open_now[0]
    caller_number = form.get("From") or ""
    phone_hash = _recognised(inbound.vault, caller_number)
    if phone_hash is not None and inbound.admit(campaign, phone_hash) is not None:
        return line_closed(None, refused=True)
    call = start_call_in(session, campaign, phone_hash, sid)
    textable = isinstance(classify(caller_number, inbound.allowed_countries), Allowed)
    if phone_hash is not None and textable and any(c.text_link for c in open_now):
        # Kept encrypted only for a text the caller may ask for; erased with the call's final status.
        call.phone_encrypted = inbound.vault.encrypt(caller_number)
    choices = open_now if len(open_now) > 1 else []
    previous = _previous_call(session, call) if call.caller_id is not None and not choices else None
    outcome = callin.welcome(_line(session, call, inbound, previous, choices))
    _store(session, inbound, call, outcome, choices)
    return str(outcome.twiml)


def handle_callin(
    session: DbSession, inbound: Inbound, public_id: str, event_name: str, form: Mapping[str, str]
) -> str:
    """Answer one of the call-in line's webhooks (a ZIP, a pick, silence)."""
    call = find_call(session, public_id)
    if call is None or not owns_sid(call, form):
        log.warning("call-in webhook for an unknown call")
        return apology("unknown_call")
    event = parse_event(event_name, form)
    state = vocabulary.FlowState(call.step, call.position, call.attempts)
    previous = None
    if state.step in (vocabulary.Step.RETURNING, vocabulary.Step.WELCOME) and call.caller_id is not None:
        previous = _previous_call(session, call)
    choices: list[Campaign] = []
    if state.step == vocabulary.Step.CAMPAIGN:
        # Twilio signs the number the caller dialed (To) on every webhook: the same menu as at the start.
        choices = [
            c
            for c in _campaigns_on(session, form.get("To") or "", inbound.default_number)
            if accepts_calls(c, utcnow())
        ]
    outcome = callin.respond(state, event, _line(session, call, inbound, previous, choices))
    _store(session, inbound, call, outcome, choices)
    return str(outcome.twiml)


def _store(
    session: DbSession, inbound: Inbound, call: Call, outcome: callin.Outcome, choices: Sequence[Campaign] = ()
) -> None:
    call.step, call.position, call.attempts = outcome.state.step, outcome.state.position, outcome.state.attempts
    for effect in outcome.effects:
        match effect:
            case vocabulary.AnswersGiven(answers=answers):
                # The ZIP and districts only: what the caller said is never stored.
                call.callin_answers = {"zip": answers.zip, "picks": dict(answers.picks), "heard": dict(answers.heard)}
            case vocabulary.CampaignChosen(index=index) if 0 <= index < len(choices):
                call.campaign = choices[index]
                call.locale = campaign_locale(choices[index])
            case vocabulary.LanguageChosen(locale=locale) if locale in LOCALES:
                call.locale = locale
            case vocabulary.TextRequested() if call.phone_encrypted is not None:
                # The dialer's sweep sends it (webhooks make no network calls), then erases the number.
                campaign = call.campaign
                session.add(
                    TextMessage(
                        call_id=call.id,
                        phone_encrypted=call.phone_encrypted,
                        from_number=campaign.caller_id or inbound.default_number,
                        # In the caller's language: the campaign's title in it, and a link that opens the page in it.
                        body=f"{text(campaign, 'title', call.locale)}: {inbound.campaign_url(campaign, call.locale)}",
                    )
                )
            case vocabulary.CallPlanned(legs=legs):
                add_legs(session, call, [leg for leg in legs if isinstance(leg, PlannedLeg)])
                call.callin_answers = None  # only the resolved districts (the legs) remain
                record_event(session, EventType.call_requested, call, utcnow())
    session.commit()


def _language_offers(call: Call, voices: Mapping[str, Voice]) -> tuple[vocabulary.LanguageOffer, ...]:
    """The other languages the campaign's call is written in, while the caller has chosen none: each offered
    on its own key (its place in LOCALES: 1 English, 2 español, 3 português), by its own voice."""
    if call.locale != campaign_locale(call.campaign):
        return ()
    return tuple(
        vocabulary.LanguageOffer(str(n), locale, voice.language, voice.voice)
        for n, locale in enumerate(LOCALES, start=1)
        if locale != call.locale
        and call_locale(call.campaign, locale) == locale
        and (voice := voices.get(locale) or DEFAULT_VOICES[locale])
    )


def _line(
    session: DbSession, call: Call, inbound: Inbound, previous: Call | None, choices: Sequence[Campaign] = ()
) -> callin.Line:
    line_url, flow_url = inbound.urls(call.public_id)
    stored = call.callin_answers or {}
    answers = vocabulary.Answers(
        zip=stored.get("zip") if isinstance(stored.get("zip"), str) else None,
        picks=_districts(stored.get("picks")),
        heard=_districts(stored.get("heard")),
    )
    names: tuple[str, ...] = ()
    legs: tuple[object, ...] = ()
    if previous is not None:
        names = tuple(
            f"{data_word(leg.target.title, call.locale)} {leg.target.name}"
            for leg in previous.legs
            if leg.target is not None
        )
        legs = tuple(_again(leg) for leg in previous.legs)
    return callin.Line(
        campaign=flow_campaign(call, inbound.voices),
        answers=answers,
        resolve=_resolver(session, call.campaign, call.locale, inbound.geocoder),
        url=line_url,
        flow_url=flow_url,
        previous_names=names,
        previous_legs=legs,
        listens=inbound.geocoder is not None,
        campaigns=tuple(c.title for c in choices),
        languages=_language_offers(call, inbound.voices),
        can_text=call.campaign.text_link and call.phone_encrypted is not None,
    )


def _districts(stored: object) -> Mapping[str, str]:
    return MappingProxyType({str(k): str(v) for k, v in stored.items()} if isinstance(stored, dict) else {})


def _again(leg: CallLeg) -> PlannedLeg:
    district = leg.district or (leg.target.district if leg.target else None)
    return PlannedLeg(
        leg.target_id,
        district.census_geoid if district else None,
        district.chamber if district else None,
    )


def _previous_call(session: DbSession, call: Call) -> Call | None:
    """The caller's latest other call for this campaign, when every target it called still serves."""
    previous = session.scalars(
        select(Call)
        .where(Call.caller_id == call.caller_id, Call.campaign_id == call.campaign_id, Call.id != call.id)
        .options(
            selectinload(Call.legs).selectinload(CallLeg.target).selectinload(Target.district),
            selectinload(Call.legs).selectinload(CallLeg.district),
        )
        .order_by(Call.created_at.desc(), Call.id.desc())
        .limit(1)
    ).first()
    if previous is None or not previous.legs or not any(leg.target is not None for leg in previous.legs):
        return None
    if any(leg.target is not None and not leg.target.active for leg in previous.legs):
        return None  # someone left office since: ask where they live again
    return previous


def _resolver(
    session: DbSession, campaign: Campaign, locale: str, geocoder: lookup.Geocoder | None
) -> vocabulary.Resolver:
    """The lookup as the call-in line sees it: answers in, places out (the geocoder only for a spoken address).
    Titles and chamber names are said in the call's ``locale``; names as they are."""
    chambers = tuple(campaign.target_chambers)
    fixed = fixed_targets(session, campaign)
    directory = SqlDirectory(session)
    titles = {chamber: title for chamber, (title, _seats) in chamber_members(session, campaign.state).items()}

    def member_title(chamber: str) -> str:
        if chamber in titles:
            return data_word(titles[chamber], locale)
        house = data_word(directory.chamber_name(campaign.state, chamber), locale)
        return translated(N_("member of the %(chamber)s", chamber=house), locale)  # "member of the Senate"

    def named(resolution: lookup.Resolution, wanted: Collection[str]) -> tuple[str, ...]:
        return tuple(
            f"{data_word(t.target.title, locale)} {t.target.name}" for t in resolution.targets if t.chamber in wanted
        )

    def resolve(answers: vocabulary.Answers) -> vocabulary.Places:
        unknown = tuple(c for c in chambers if answers.picks.get(c) == "")
        wanted = tuple(c for c in chambers if c not in unknown)
        skipped = tuple(member_title(c) for c in unknown)
        if not wanted:
            legs = tuple(PlannedLeg(t.id, t.district_geoid) for t in fixed)
            return vocabulary.Places("ready", legs=legs, skipped=skipped) if legs else vocabulary.Places("nobody")
        picks = {c: g for c, g in answers.picks.items() if g and c in wanted}
        zip_code = answers.zip or ""
        if answers.address is not None:
            return _heard(answers.address, zip_code, picks, wanted)
        if answers.heard:
            resolution = lookup.resolve(
                lookup.LookupRequest(campaign.state, zip_code, wanted, {**picks, **answers.heard}, fixed), directory
            )
            return vocabulary.Places("heard", picks=answers.heard, names=named(resolution, set(answers.heard)))
        resolution = lookup.resolve(lookup.LookupRequest(campaign.state, zip_code, wanted, picks, fixed), directory)
        if resolution.status is lookup.Status.DONE:
            legs = tuple(planned_legs(resolution))
            return vocabulary.Places("ready", legs=legs, skipped=skipped, names=named(resolution, wanted))
        if resolution.status is lookup.Status.ASK_DISTRICT:
            asked = resolution.questions[0]
            choices = tuple(
                vocabulary.Choice(c.district.census_geoid, c.district.name, " and ".join(c.target_names))
                for c in asked.candidates
            )
            return vocabulary.Places("ask", vocabulary.Question(asked.chamber, member_title(asked.chamber), choices))
        if resolution.status is lookup.Status.NO_TARGETS:
            return vocabulary.Places("nobody")
        return vocabulary.Places("unusable", reason=resolution.reason.text if resolution.reason else "")

    def _heard(address: str, zip_code: str, picks: Mapping[str, str], wanted: tuple[str, ...]) -> vocabulary.Places:
        """The districts a spoken address is in, when the geocoder places it inside the caller's ZIP."""
        # The ZIP goes with the address, as a supporter would type it on the page.
        request = lookup.LookupRequest(campaign.state, f"{address} {zip_code}", wanted, picks, fixed)
        resolution = lookup.resolve(request, directory, geocoder)
        placed = {
            c.chamber: c.district.census_geoid
            for c in resolution.chambers
            if c.source == "address" and c.district is not None and c.chamber not in picks
        }
        if not placed or resolution.zip != zip_code or resolution.status is not lookup.Status.DONE:
            return vocabulary.Places("ask", geocoder_down="geocoder_unavailable" in resolution.note_codes)
        return vocabulary.Places(
            "heard",
            picks=MappingProxyType(placed),
            matched_address=resolution.matched_address or "",
            names=named(resolution, set(placed)),
        )

    return resolve


def _campaigns_on(session: DbSession, number: str, default_number: str) -> list[Campaign]:
    """The campaigns (not drafts) whose calls come from ``number``, the one closing soonest first."""
    rows = session.scalars(
        select(Campaign)
        .where(Campaign.status != CampaignStatus.draft)
        .order_by(Campaign.ends_at.is_(None), Campaign.ends_at, Campaign.id)
    ).all()
    return [c for c in rows if number and (c.caller_id or default_number) == number]


def _recognised(vault: PhoneVault, number: str) -> str | None:
    """The keyed hash of the caller's number; None when the caller ID is withheld or not a real number."""
    # Twilio sends "anonymous", "+266696687" and the like for a withheld number: not a valid one. A premium-rate
    # or other special number is still someone's real caller ID.
    checked = classify(number, None)
    if isinstance(checked, Refused) and checked.reason == "invalid":
        return None
    return vault.hash(number)


def _sid(value: str | None) -> str | None:
    """A Twilio call SID, or None for anything that is not one."""
    return value if value and CALL_SID.fullmatch(value) else None
