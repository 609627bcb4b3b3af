"""Where does this person live → which districts → which targets (or: ask)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from lookup.directory import Directory
from lookup.geocoder import AddressMatch, Geocoder, GeocoderError
from lookup.location import parse_location
from lookup.messages import district_label, note, state_name
from lookup.values import (
    STATE_PICK,
    Candidate,
    ChamberOutcome,
    District,
    LookupRequest,
    Note,
    Resolution,
    ResolvedTarget,
    Status,
    TargetInfo,
)
from lookup.zipcodes import state_for_zip

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Choices:
    """The districts one chamber could be, best first, and where that list came from."""

    districts: tuple[District, ...]
    source: str  # "address" or "zip"


def resolve(request: LookupRequest, directory: Directory, geocoder: Geocoder | None = None) -> Resolution:
    """Decide whom the supporter should call, or what to ask them; never guesses a district."""
    location = parse_location(request.location)
    if location.kind == "invalid":
        return Resolution(Status.INVALID, reason=note(location.problem or "location_unreadable"))
    if location.kind == "zip":
        return _resolve_zip(request, directory, location.zip, exact={}, notes=[])

    match, failure = _geocode(geocoder, location.text)
    if match is None:
        if location.zip is None:
            return Resolution(Status.ASK_ZIP, reason=note(f"{failure}_no_zip"))
        return _resolve_zip(request, directory, location.zip, exact={}, notes=[note(failure, zip=location.zip)])

    place_state = match.state or (state_for_zip(match.zip) if match.zip else None)
    if place_state is not None and place_state != request.state:
        return Resolution(
            Status.OUT_OF_STATE,
            reason=note(
                "out_of_state_address",
                place_state=state_name(place_state),
                campaign_state=state_name(request.state),
            ),
            zip=match.zip,
            matched_address=match.matched_address,
        )
    exact = _exact_districts(request, directory, match)
    zip_code = match.zip or location.zip
    missing = [c for c in request.chambers if c not in exact]
    notes: list[Note] = []
    for chamber in missing:
        name = directory.chamber_name(request.state, chamber)
        if zip_code is None:
            return Resolution(
                Status.ASK_ZIP,
                reason=note("address_without_district_no_zip", chamber_name=name),
                matched_address=match.matched_address,
            )
        notes.append(note("address_without_district", chamber_name=name, zip=zip_code))
    return _resolve_zip(
        request,
        directory,
        zip_code,
        exact=exact,
        notes=notes,
        matched_address=match.matched_address,
    )


def _geocode(geocoder: Geocoder | None, address: str) -> tuple[AddressMatch | None, str]:
    """The match, or None and the message code that says why there is none."""
    if geocoder is None:
        return None, "geocoder_unavailable"
    try:
        match = geocoder.geocode(address)
    except GeocoderError as exc:
        # The supporter still gets a sensible answer; the log tells us the service is ailing.
        log.warning("geocoder failed (%s); falling back to the ZIP", exc.reason)  # never the address
        return None, "geocoder_unavailable"
    if match is None:
        return None, "address_not_found"
    return match, ""


def _exact_districts(request: LookupRequest, directory: Directory, match: AddressMatch) -> dict[str, _Choices]:
    """The chambers the geocoder placed the address in, as districts we know in this state."""
    exact: dict[str, _Choices] = {}
    for chamber in request.chambers:
        geoids = match.districts.get(chamber, ())
        known = [d for d in directory.districts_by_geoid(geoids) if d.state == request.state and d.chamber == chamber]
        if known:
            exact[chamber] = _Choices(tuple(known), "address")
    return exact


def _resolve_zip(
    request: LookupRequest,
    directory: Directory,
    zip_code: str | None,
    exact: Mapping[str, _Choices],
    notes: list[Note],
    matched_address: str | None = None,
) -> Resolution:
    """Fill the chambers the address did not settle from the ZIP crosswalk, then decide."""
    choices: dict[str, _Choices] = dict(exact)
    # zip_code is None only when the address settled every chamber.
    if zip_code is not None and any(c not in exact for c in request.chambers):
        areas = directory.districts_for_zip(request.state, zip_code)
        zip_state = state_for_zip(zip_code)
        if not exact and (crossing := _state_line(request, directory, zip_code, bool(areas), notes)) is not None:
            return crossing
        if not areas and not exact:
            return _zip_not_on_map(request, zip_code, zip_state, notes)
        if areas and zip_state is not None and zip_state != request.state and not request.picks.get(STATE_PICK):
            notes.append(
                note(
                    "zip_crosses_state_line",
                    zip=zip_code,
                    place_state=state_name(zip_state),
                    campaign_state=state_name(request.state),
                )
            )
        for chamber in request.chambers:
            if chamber in exact:
                continue
            ranked = sorted((a for a in areas if a.district.chamber == chamber), key=lambda a: a.rank)
            choices[chamber] = _Choices(tuple(a.district for a in ranked), "zip")
    return _decide(request, directory, zip_code, choices, notes, matched_address)


def _state_line(
    request: LookupRequest, directory: Directory, zip_code: str, in_state: bool, notes: list[Note]
) -> Resolution | None:
    """A ZIP whose districts lie in several loaded states: ask which one, or stop when it is another; None to go on."""
    touched = [s for s in directory.states_for_zip(zip_code) if s != request.state]
    if not touched:
        return None
    pick = request.picks.get(STATE_PICK, "").upper()
    if in_state and pick == request.state:
        return None
    if not in_state or pick in touched:
        place = pick if pick in touched else touched[0]
        reason = note(
            "out_of_state_zip", zip=zip_code, place_state=state_name(place), campaign_state=state_name(request.state)
        )
        return Resolution(Status.OUT_OF_STATE, reason=reason, notes=tuple(notes), zip=zip_code)
    states = (request.state, *touched)
    names = [state_name(s) for s in states]
    listed = " and ".join([", ".join(names[:-1]), names[-1]])
    return Resolution(
        Status.ASK_STATE, reason=note("zip_in_states", zip=zip_code, states=listed), zip=zip_code, states=states
    )


def _zip_not_on_map(request: LookupRequest, zip_code: str, zip_state: str | None, notes: list[Note]) -> Resolution:
    if zip_state is None:
        reason = note("zip_not_in_use", zip=zip_code)
        status = Status.UNKNOWN_ZIP
    elif zip_state != request.state:
        reason = note(
            "out_of_state_zip",
            zip=zip_code,
            place_state=state_name(zip_state),
            campaign_state=state_name(request.state),
        )
        status = Status.OUT_OF_STATE
    else:
        reason = note("unknown_zip", zip=zip_code, campaign_state=state_name(request.state))
        status = Status.UNKNOWN_ZIP
    return Resolution(status, reason=reason, notes=tuple(notes), zip=zip_code)


def _decide(
    request: LookupRequest,
    directory: Directory,
    zip_code: str | None,
    choices: Mapping[str, _Choices],
    notes: list[Note],
    matched_address: str | None,
) -> Resolution:
    """Settle each chamber or ask about it, then list the targets in call order."""
    nothing = _Choices((), "zip")
    geoids = [d.census_geoid for c in request.chambers for d in choices.get(c, nothing).districts]
    targets_by_geoid = directory.targets_for_districts(geoids) if geoids else {}

    def targets_of(district: District) -> tuple[TargetInfo, ...]:
        found = targets_by_geoid.get(district.census_geoid, ())
        return tuple(t for t in found if t.district_chamber in (None, district.chamber))

    outcomes: list[ChamberOutcome] = []
    for chamber in request.chambers:
        name = partial(directory.chamber_name, request.state, chamber)  # asked only when a sentence needs it
        districts = choices.get(chamber, nothing).districts
        source = choices.get(chamber, nothing).source
        pick = request.picks.get(chamber)
        settled: District | None = None
        if not districts:
            notes.append(note("no_district_for_chamber", chamber_name=name()))
        elif len(districts) == 1:
            settled = districts[0]
            if pick and pick != settled.census_geoid:
                notes.append(
                    note("pick_ignored", chamber_name=name(), district=district_label(settled.name, article=True))
                )
        else:
            settled = next((d for d in districts if d.census_geoid == pick), None)
            if settled is not None:
                source = "pick"
            elif pick:
                notes.append(note("invalid_pick", chamber_name=name()))
        if settled is None and len(districts) > 1:
            prompt = (
                note("split_zip", zip=zip_code, count=len(districts), chamber_name=name())
                if source == "zip"
                else note("ambiguous_address", count=len(districts), chamber_name=name())
            )
            candidates = tuple(
                Candidate(d, rank, tuple(t.name for t in targets_of(d))) for rank, d in enumerate(districts, start=1)
            )
            outcomes.append(ChamberOutcome(chamber, candidates=candidates, prompt=prompt, source=source))
            continue
        if settled is not None and not targets_of(settled):
            notes.append(note("vacant_seat", district=district_label(settled.name, article=True), chamber_name=name()))
        outcomes.append(
            ChamberOutcome(
                chamber,
                district=settled,
                targets=targets_of(settled) if settled else (),
                source=source if settled else None,
            )
        )

    asking = [o for o in outcomes if o.candidates]
    planned = () if asking else _call_order(outcomes, request.fixed_targets)
    if asking:
        status, reason = Status.ASK_DISTRICT, asking[0].prompt
    elif not any(p.skip is None for p in planned):
        status, reason = Status.NO_TARGETS, note("nothing_to_call")
    else:
        status, reason = Status.DONE, None
    return Resolution(
        status,
        reason=reason,
        targets=planned,
        chambers=tuple(outcomes),
        notes=tuple(notes),
        zip=zip_code,
        matched_address=matched_address,
    )


def _call_order(outcomes: Sequence[ChamberOutcome], fixed: Sequence[TargetInfo]) -> tuple[ResolvedTarget, ...]:
    """District targets in chamber order, then the campaign's fixed targets; each person once."""
    planned: list[ResolvedTarget] = []
    seen: set[int] = set()
    listed = [(t, o.chamber) for o in outcomes for t in o.targets] + [(t, None) for t in fixed]
    for target, chamber in listed:
        # A fixed target can also be the supporter's own legislator: one call is enough.
        if target.id in seen:
            continue
        seen.add(target.id)
        has_phone = bool(target.phone and target.phone.strip())
        skip = None if has_phone else note("no_phone", title=target.title, name=target.name)
        planned.append(ResolvedTarget(target, chamber, skip))
    return tuple(planned)
