"""What a call says and whom it dials, as the flow sees it: read once per process, then cached.

A call's planned legs (and their targets' numbers) never change during the call, and its
campaign's texts change only when an organiser edits them. So once a process has seen a call, a
voice webhook reads only the call's own row (its state) and its campaign's ``updated_at``; the
flow's inputs come from two bounded caches: the plan keyed by the call's public id (random, so
unique across databases), the campaign by (id, updated_at), so an edit is never served stale. The
first webhook of a call in a process reads everything in one joined SELECT (``find_call``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Generic, TypeVar

from sqlalchemy import bindparam, select

from callflow import vocabulary
from campaigns.translations import campaign_locale, text
from languages import DEFAULT_LOCALE, LOCALES
from languages.voices import DEFAULT_VOICES, Voice
from lookup.messages import data_word
from models import Call, CallLeg, CallSource, Campaign, DbSession, OfficeNumber, find_call
from phones import Allowed, classify_target
from targets.hours import OfficeHours, is_open
from targets.schedules import legislature_hours, target_hours

# Enough for every call a process serves at once; a call pushed out is read whole again.
PLANS_CACHED = 2048
CAMPAIGNS_CACHED = 64

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class _Cache(Generic[K, V]):
    """A small thread-safe LRU map (gunicorn's threads share it)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> V:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True)
class PlannedLeg:
    """One planned leg as the flow sees it, with what the webhook records about it."""

    leg: vocabulary.Leg
    target_id: int | None
    refused: str | None  # why the number rules refused the target's number, when they did
    hours: tuple[OfficeHours, ...] = ()  # each of the target's offices' hours (with the campaign's holidays)

    def at(self, now: datetime | None) -> vocabulary.Leg:
        """The leg as the flow sees it at ``now``: closed when none of the target's offices is open (never
        closed when ``now`` is None: office hours are not applied)."""
        closed = now is not None and bool(self.hours) and not any(is_open(h, now) for h in self.hours)
        return replace(self.leg, closed=True) if closed else self.leg


@dataclass(frozen=True)
class LoadedCall:
    """A call's state and the flow's inputs for one webhook."""

    id: int
    public_id: str
    twilio_sid: str | None
    state: vocabulary.FlowState
    campaign: vocabulary.Campaign
    plan: tuple[PlannedLeg, ...]
    # The leg already holding the webhook's DialCallSid, if any (a late duplicate of its result).
    dial_sid_position: int | None = None
    preview: bool = False  # played in the browser: it dials nobody, so it holds no office line

    def legs_at(self, now: datetime | None) -> tuple[vocabulary.Leg, ...]:
        """The planned legs for the flow, each marked closed when its offices are all outside their hours."""
        return tuple(p.at(now) for p in self.plan)


_plans: _Cache[str, tuple[PlannedLeg, ...]] = _Cache(PLANS_CACHED)
_campaigns: _Cache[tuple[int, datetime, bool, str, Voice], vocabulary.Campaign] = _Cache(CAMPAIGNS_CACHED)


# The read every voice webhook makes once its call's plan is cached: the call's state, and its
# campaign's version to pick the cached texts. Built once; each webhook only binds its values. The
# leg holding the webhook's DialCallSid comes in the same row (NULL for any other webhook).
_STATE_QUERY = (
    select(
        Call.id,
        Call.twilio_sid,
        Call.step,
        Call.position,
        Call.attempts,
        Call.campaign_id,
        Call.source,
        Call.preview,
        Call.locale,
        Campaign.updated_at,
        select(CallLeg.position)
        .where(CallLeg.call_id == Call.id, CallLeg.dial_call_sid == bindparam("dial_sid"))
        .limit(1)
        .scalar_subquery(),
    )
    .join(Campaign, Campaign.id == Call.campaign_id)
    .where(Call.public_id == bindparam("public_id"))
)


def load_call(
    session: DbSession, public_id: str, dial_sid: str | None = None, voices: Mapping[str, Voice] = DEFAULT_VOICES
) -> LoadedCall | None:
    """The call known by this public id with the flow's inputs, in one SELECT; None when unknown. ``voices``: the
    <Say> language and voice of each language (SAY_VOICES)."""
    plan = _plans.get(public_id)
    if plan is None:
        return _load_whole(session, public_id, dial_sid, voices)
    # On the session's connection (its transaction), as Core: the ORM has no objects to track here.
    row = session.connection().execute(_STATE_QUERY, {"public_id": public_id, "dial_sid": dial_sid}).one_or_none()
    if row is None:
        return None
    call_id, twilio_sid, step, position, attempts, campaign_id, source, preview, locale, updated_at, held_by = row
    placed = source != CallSource.call_in
    voice = _voice(voices, locale)
    campaign = _campaigns.get((campaign_id, updated_at, placed, locale, voice))
    if campaign is None:  # edited since this process last saw it: one more read, once
        campaign = _remember_campaign(session.get_one(Campaign, campaign_id), placed, locale, voice)
    return LoadedCall(
        call_id,
        public_id,
        twilio_sid,
        vocabulary.FlowState(step, position, attempts),
        campaign,
        plan,
        held_by,
        preview,
    )


def _load_whole(
    session: DbSession, public_id: str, dial_sid: str | None, voices: Mapping[str, Voice]
) -> LoadedCall | None:
    call = find_call(session, public_id, with_plan=True)
    if call is None:
        return None
    default = legislature_hours(call.campaign)
    plan = tuple(_planned(leg, call.locale, default) for leg in call.legs)
    if plan:  # a call-in is planned while it runs: only a planned call's legs are kept
        _plans.put(public_id, plan)
    holder = next((leg.position for leg in call.legs if dial_sid and leg.dial_call_sid == dial_sid), None)
    return LoadedCall(
        call.id,
        public_id,
        call.twilio_sid,
        vocabulary.FlowState(call.step, call.position, call.attempts),
        flow_campaign(call, voices),
        plan,
        holder,
        call.preview,
    )


def flow_campaign(call: Call, voices: Mapping[str, Voice] = DEFAULT_VOICES) -> vocabulary.Campaign:
    """The campaign as the flow sees it for this call: we rang the supporter, or they rang us; in its language."""
    return _remember_campaign(
        call.campaign, call.source != CallSource.call_in, call.locale, _voice(voices, call.locale)
    )


def _voice(voices: Mapping[str, Voice], locale: str) -> Voice:
    return voices.get(locale) or DEFAULT_VOICES.get(locale) or DEFAULT_VOICES[DEFAULT_LOCALE]


def _remember_campaign(c: Campaign, placed: bool, locale: str, voice: Voice) -> vocabulary.Campaign:
    key = (c.id, c.updated_at, placed, locale, voice)
    own = locale == campaign_locale(c)
    return _campaigns.get(key) or _campaigns.put(
        key,
        vocabulary.Campaign(
            title=text(c, "title", locale),
            greeting=text(c, "greeting", locale),
            talking_points=text(c, "talking_points", locale),
            thanks=text(c, "goodbye", locale),
            ask_feedback=c.ask_feedback,
            # The campaign's own voice speaks its own language; every other language has the voice set for it.
            voice=(c.voice or voice.voice) if own else voice.voice,
            language=c.language if own else voice.language,
            locale=locale if locale in LOCALES else DEFAULT_LOCALE,
            placed=placed,
        ),
    )


def _planned(leg: CallLeg, locale: str, default: OfficeHours) -> PlannedLeg:
    """A planned leg for the flow; a leg whose target left office counts as a vacant seat."""
    target = leg.target
    district = leg.district.name if leg.district else (target.district.name if target and target.district else None)
    if target is None:
        return PlannedLeg(vocabulary.Leg(name="", district=district, vacant=True), None, None)
    allowed, refused = _allowed(target.phone)
    offices = list(target.offices)
    # Office 0 is the line in target.phone; the others are tried in order when it is busy or silent.
    first_kind = offices[0].kind if offices and offices[0].phone == target.phone else None
    first = vocabulary.Line(target.phone, target.extension, first_kind) if target.phone and allowed else None
    lines = [
        *([first] if first is not None and not _out_of_rotation(target.number_status) else []),
        *(
            vocabulary.Line(o.phone, o.extension, o.kind)
            for o in offices
            if o.phone != target.phone and _allowed(o.phone)[0] and not _out_of_rotation(o.number_status)
        ),
    ]
    # A first line an organiser took out of rotation is not dialed: the next office line comes first.
    lead = lines[0] if first is not None and lines else None
    return PlannedLeg(
        vocabulary.Leg(
            name=f"{data_word(target.title, locale)} {target.name}",
            district=district,
            phone=lead.phone if lead else None,
            extension=lead.extension if lead else None,
            kind=lead.kind if lead else None,
            more_lines=tuple(lines[1 : vocabulary.MAX_LINES]),
        ),
        target.id,
        refused,
        target_hours(target, default),
    )


def _out_of_rotation(number: OfficeNumber | None) -> bool:
    return number is not None and number.out_of_rotation


def _allowed(phone: str | None) -> tuple[bool, str | None]:
    """Whether an office number may be dialed, and why not when the number rules refuse it."""
    verdict = classify_target(phone) if phone else None
    # Targets come from our own data, so any country and an office's toll-free line are fine; a
    # premium-rate or other special number is not, whoever typed it into a campaign file.
    allowed = isinstance(verdict, Allowed)
    return allowed, None if verdict is None or allowed else str(getattr(verdict, "reason", "refused"))
