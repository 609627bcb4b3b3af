"""The resolver on a small in-memory directory: decide, or ask — never guess."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from lookup import (
    AddressMatch,
    District,
    GeocoderError,
    LookupRequest,
    MemoryDirectory,
    Status,
    TargetInfo,
    resolve,
)
from lookup.messages import district_label

SEN_1 = District("MA", "upper", "25D01", "First Testing")
SEN_2 = District("MA", "upper", "25D02", "Second Testing")
REP_1 = District("MA", "lower", "25001", "1st Alpha")
REP_2 = District("MA", "lower", "25002", "2nd Alpha")
REP_3 = District("MA", "lower", "25003", "3rd Alpha")  # vacant
REP_4 = District("MA", "lower", "25004", "4th Alpha")  # its member has no phone
NH_SEN = District("NH", "upper", "33D15", "District 15")

ADA = TargetInfo(1, "Ada Adams", "Senator", "Democratic", "25D01", "617-555-0101")
BO = TargetInfo(2, "Bo Baker", "Senator", "Republican", "25D02", "617-555-0102", "12")
CY = TargetInfo(11, "Cy Cole", "Representative", "Democratic", "25001", "617-555-0111")
DI = TargetInfo(12, "Di Dunn", "Representative", "Democratic", "25002", "617-555-0112")
ED = TargetInfo(14, "Ed Eno", "Representative", "Unenrolled", "25004", None)
GOV = TargetInfo(100, "Gia Gray", "Governor", "Democratic", None, "617-555-0100")
SPEAKER = TargetInfo(101, "Hal Hart", "Speaker", "Democratic", None, "617-555-0199")

DIRECTORY = MemoryDirectory(
    [SEN_1, SEN_2, REP_1, REP_2, REP_3, REP_4, NH_SEN],
    [
        ("01001", "25D01", 1),
        ("01001", "25001", 1),
        # House split, the 2nd Alpha holds most of the land
        ("01002", "25D01", 1),
        ("01002", "25001", 2),
        ("01002", "25002", 1),
        # both chambers split
        ("01003", "25D02", 1),
        ("01003", "25D01", 2),
        ("01003", "25001", 1),
        ("01003", "25002", 2),
        ("01003", "25003", 3),
        ("01004", "25D02", 1),
        ("01004", "25003", 1),
        ("01005", "25D02", 1),
        ("01005", "25004", 1),
        # another state's data in the same tables must never leak into an MA campaign
        ("03301", "33D15", 1),
    ],
    [ADA, BO, CY, DI, ED],
)


@dataclass(frozen=True)
class Case:
    location: str
    status: Status
    targets: tuple[int, ...] = ()
    reason: str | None = None
    notes: tuple[str, ...] = ()
    candidates: dict[str, tuple[str, ...]] = field(default_factory=dict)
    settled: dict[str, str] = field(default_factory=dict)
    chambers: tuple[str, ...] = ("upper", "lower")
    picks: dict[str, str] = field(default_factory=dict)
    fixed: tuple[TargetInfo, ...] = ()


CASES = {
    "single_district_zip_calls_senator_then_representative": Case(
        "01001", Status.DONE, targets=(1, 11), settled={"upper": "25D01", "lower": "25001"}
    ),
    "zip_plus_four_is_a_zip": Case("01001-2345", Status.DONE, targets=(1, 11)),
    "chamber_order_is_the_campaigns": Case("01001", Status.DONE, targets=(11, 1), chambers=("lower", "upper")),
    "only_the_house_when_the_campaign_says_so": Case(
        "01002",
        Status.ASK_DISTRICT,
        reason="split_zip",
        chambers=("lower",),
        candidates={"lower": ("25002", "25001")},
    ),
    "house_split_settles_the_senator_and_offers_reps_in_rank_order": Case(
        "01002",
        Status.ASK_DISTRICT,
        reason="split_zip",
        candidates={"lower": ("25002", "25001")},
        settled={"upper": "25D01"},
    ),
    "both_chambers_split_asks_about_both": Case(
        "01003",
        Status.ASK_DISTRICT,
        reason="split_zip",
        candidates={"upper": ("25D02", "25D01"), "lower": ("25001", "25002", "25003")},
    ),
    "a_valid_pick_completes_the_split_house": Case(
        "01002",
        Status.DONE,
        targets=(1, 11),
        picks={"lower": "25001"},
        settled={"upper": "25D01", "lower": "25001"},
    ),
    "picks_for_both_split_chambers_complete_it": Case(
        "01003",
        Status.DONE,
        targets=(1, 12),
        picks={"upper": "25D01", "lower": "25002"},
    ),
    "one_pick_of_two_keeps_asking_about_the_other": Case(
        "01003",
        Status.ASK_DISTRICT,
        reason="split_zip",
        picks={"upper": "25D01"},
        candidates={"lower": ("25001", "25002", "25003")},
        settled={"upper": "25D01"},
    ),
    "a_pick_outside_the_candidates_is_refused": Case(
        "01002",
        Status.ASK_DISTRICT,
        reason="split_zip",
        picks={"lower": "25004"},
        notes=("invalid_pick",),
        candidates={"lower": ("25002", "25001")},
    ),
    "a_pick_for_an_unsplit_chamber_is_ignored_and_said": Case(
        "01001",
        Status.DONE,
        targets=(1, 11),
        picks={"lower": "25002"},
        notes=("pick_ignored",),
    ),
    "a_vacant_seat_is_skipped_with_a_note": Case(
        "01004",
        Status.DONE,
        targets=(2,),
        notes=("vacant_seat",),
        settled={"upper": "25D02", "lower": "25003"},
    ),
    "a_picked_vacant_seat_is_skipped_too": Case(
        "01003",
        Status.DONE,
        targets=(2,),
        picks={"upper": "25D02", "lower": "25003"},
        notes=("vacant_seat",),
    ),
    "a_target_without_phone_is_kept_and_flagged": Case("01005", Status.DONE, targets=(2, 14)),
    "fixed_targets_follow_in_the_campaigns_order": Case(
        "01001", Status.DONE, targets=(1, 11, 101, 100), fixed=(SPEAKER, GOV)
    ),
    "a_fixed_target_who_is_also_the_senator_is_called_once": Case(
        "01001", Status.DONE, targets=(1, 11, 100), fixed=(ADA, GOV)
    ),
    "a_vacant_seat_and_no_one_else_means_no_targets": Case(
        "01004",
        Status.NO_TARGETS,
        reason="nothing_to_call",
        chambers=("lower",),
        notes=("vacant_seat",),
    ),
    "unknown_zip_in_state": Case("02133", Status.UNKNOWN_ZIP, reason="unknown_zip"),
    "out_of_state_zip": Case("03301", Status.OUT_OF_STATE, reason="out_of_state_zip"),
    "unassigned_zip_prefix": Case("00099", Status.UNKNOWN_ZIP, reason="zip_not_in_use"),
    "empty_input": Case("   ", Status.INVALID, reason="empty_location"),
    "four_digits_is_not_a_zip": Case("2215", Status.INVALID, reason="zip_malformed"),
    "punctuation_only": Case("?!,.", Status.INVALID, reason="location_unreadable"),
    "far_too_long": Case("9 Elm St " * 40, Status.INVALID, reason="location_too_long"),
    "address_without_geocoder_falls_back_to_its_zip": Case(
        "12 Main St, Springfield MA 01001",
        Status.DONE,
        targets=(1, 11),
        notes=("geocoder_unavailable",),
    ),
    "address_without_geocoder_or_zip_asks_for_a_zip": Case(
        "12 Main St, Springfield", Status.ASK_ZIP, reason="geocoder_unavailable_no_zip"
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_resolver(case: Case) -> None:
    request = LookupRequest("MA", case.location, chambers=case.chambers, picks=case.picks, fixed_targets=case.fixed)
    result = resolve(request, DIRECTORY)

    assert result.status is case.status
    assert (result.reason.code if result.reason else None) == case.reason
    assert tuple(t.target.id for t in result.targets) == case.targets
    assert result.note_codes == case.notes
    assert {
        q.chamber: tuple(c.district.census_geoid for c in q.candidates) for q in result.questions
    } == case.candidates
    settled = {o.chamber: o.district.census_geoid for o in result.chambers if o.district}
    assert {c: settled[c] for c in case.settled} == case.settled


def test_house_split_lists_district_names_and_their_members_in_rank_order() -> None:
    result = resolve(LookupRequest("MA", "01002"), DIRECTORY)

    (question,) = result.questions
    assert [(c.rank, c.district.name, c.target_names) for c in question.candidates] == [
        (1, "2nd Alpha", ("Di Dunn",)),
        (2, "1st Alpha", ("Cy Cole",)),
    ]
    assert question.prompt is not None
    assert question.prompt.text == "ZIP 01002 is split between 2 House districts. Which one is yours?"
    senate = result.chambers[0]
    assert (senate.chamber, senate.district, senate.targets, senate.source) == ("upper", SEN_1, (ADA,), "zip")
    assert result.targets == ()


def test_a_vacant_candidate_is_offered_with_no_names() -> None:
    result = resolve(LookupRequest("MA", "01003", chambers=("lower",)), DIRECTORY)

    (question,) = result.questions
    assert [(c.district.name, c.target_names) for c in question.candidates] == [
        ("1st Alpha", ("Cy Cole",)),
        ("2nd Alpha", ("Di Dunn",)),
        ("3rd Alpha", ()),
    ]
    assert result.notes == ()  # the vacancy is said only if they pick it


def test_a_picked_district_says_where_it_came_from() -> None:
    result = resolve(LookupRequest("MA", "01002", picks={"lower": "25001"}), DIRECTORY)

    assert [(o.chamber, o.source) for o in result.chambers] == [("upper", "zip"), ("lower", "pick")]


def test_vacant_seat_sentence_names_the_district_and_chamber() -> None:
    result = resolve(LookupRequest("MA", "01004"), DIRECTORY)

    assert [n.text for n in result.notes] == [
        "The House seat for the 3rd Alpha district is vacant right now, so we'll skip it."
    ]
    assert dict(result.notes[0].params) == {"district": "the 3rd Alpha district", "chamber_name": "House"}


def test_target_without_phone_carries_the_sentence_to_skip_it() -> None:
    result = resolve(LookupRequest("MA", "01005"), DIRECTORY)

    senator, rep = result.targets
    assert (senator.target, senator.chamber, senator.skip) == (BO, "upper", None)
    assert (rep.target, rep.chamber) == (ED, "lower")
    assert rep.skip is not None
    assert rep.skip.text == "Representative Ed Eno has no public phone number, so we'll skip them."


def test_fixed_targets_have_no_chamber() -> None:
    result = resolve(LookupRequest("MA", "01001", fixed_targets=(GOV,)), DIRECTORY)

    assert [(t.target.id, t.chamber) for t in result.targets] == [(1, "upper"), (11, "lower"), (100, None)]


def test_fixed_targets_wait_until_the_split_is_settled() -> None:
    result = resolve(LookupRequest("MA", "01002", fixed_targets=(GOV,)), DIRECTORY)

    assert result.status is Status.ASK_DISTRICT
    assert result.targets == ()


def test_out_of_state_sentence() -> None:
    result = resolve(LookupRequest("MA", "03301"), DIRECTORY)

    assert result.reason is not None
    assert result.reason.text == "03301 is in New Hampshire; this campaign is for Massachusetts legislators."
    assert result.chambers == ()


def test_unknown_zip_sentence_suggests_the_street_address() -> None:
    result = resolve(LookupRequest("MA", "02133"), DIRECTORY)

    assert result.reason is not None
    assert result.reason.text == (
        "We could not find ZIP 02133 on our Massachusetts district map. Please type your street address instead."
    )


def test_another_states_campaign_reads_only_its_own_districts() -> None:
    result = resolve(LookupRequest("NH", "03301", chambers=("upper",)), DIRECTORY)

    assert result.status is Status.NO_TARGETS  # NH_SEN exists but nobody holds it here
    assert [o.district for o in result.chambers] == [NH_SEN]


class StubGeocoder:
    """Answers with a fixed AddressMatch, None, or a GeocoderError."""

    def __init__(self, answer: AddressMatch | GeocoderError | None) -> None:
        self.answer = answer
        self.asked: list[str] = []

    def geocode(self, address: str) -> AddressMatch | None:
        self.asked.append(address)
        if isinstance(self.answer, GeocoderError):
            raise self.answer
        return self.answer


def _match(
    upper: tuple[str, ...] | None, lower: tuple[str, ...] | None, zip_code: str | None = "01003", state: str = "MA"
) -> AddressMatch:
    districts = {c: g for c, g in (("upper", upper), ("lower", lower)) if g is not None}
    return AddressMatch("12 MAIN ST, SPRINGFIELD, MA, 01003", zip_code, state, districts)


GEOCODED = {
    "exact_match_settles_a_split_zip": (_match(("25D02",), ("25002",)), Status.DONE, (2, 12), None, ()),
    "no_match_falls_back_to_the_typed_zip": (None, Status.DONE, (1, 11), None, ("address_not_found",)),
    "service_failure_falls_back_to_the_typed_zip": (
        GeocoderError("timeout"),
        Status.DONE,
        (1, 11),
        None,
        ("geocoder_unavailable",),
    ),
    "match_in_another_state_is_out_of_state": (
        _match(("33D15",), (), "03301", "NH"),
        Status.OUT_OF_STATE,
        (),
        "out_of_state_address",
        (),
    ),
    "water_for_the_house_uses_the_zip_for_the_house_only": (
        _match(("25D02",), ()),
        Status.ASK_DISTRICT,
        (),
        "split_zip",
        ("address_without_district",),
    ),
    "a_district_we_do_not_know_uses_the_zip": (
        _match(("25D99",), ("25002",), "01001"),
        Status.DONE,
        (1, 12),
        None,
        ("address_without_district",),
    ),
    "two_matches_in_different_districts_ask": (
        _match(("25D02",), ("25001", "25002")),
        Status.ASK_DISTRICT,
        (),
        "ambiguous_address",
        (),
    ),
    "a_match_without_districts_or_zip_uses_the_typed_zip": (
        _match(None, None, None),
        Status.DONE,
        (1, 11),
        None,
        ("address_without_district", "address_without_district"),
    ),
}


@pytest.mark.parametrize("answer, status, targets, reason, notes", GEOCODED.values(), ids=GEOCODED.keys())
def test_resolver_with_a_geocoder(
    answer: AddressMatch | GeocoderError | None,
    status: Status,
    targets: tuple[int, ...],
    reason: str | None,
    notes: tuple[str, ...],
) -> None:
    # The typed ZIP (01001) differs from the matched one (01003) so each fallback shows which it used.
    geocoder = StubGeocoder(answer)
    result = resolve(LookupRequest("MA", "12 Main St, Springfield MA 01001"), DIRECTORY, geocoder)

    assert geocoder.asked == ["12 Main St, Springfield MA 01001"]
    assert result.status is status
    assert (result.reason.code if result.reason else None) == reason
    assert tuple(t.target.id for t in result.targets) == targets
    assert result.note_codes == notes


def test_a_match_without_districts_and_no_zip_anywhere_asks_for_a_zip() -> None:
    result = resolve(
        LookupRequest("MA", "12 Main St, Springfield"),
        DIRECTORY,
        StubGeocoder(_match(("25D01",), None, None)),
    )

    assert result.status is Status.ASK_ZIP
    assert result.reason is not None
    assert result.reason.text == ("We could not place that address in a House district. Please type your ZIP code.")


def test_a_bare_zip_never_calls_the_geocoder() -> None:
    geocoder = StubGeocoder(GeocoderError("should not be asked"))

    result = resolve(LookupRequest("MA", "01001"), DIRECTORY, geocoder)

    assert (result.status, geocoder.asked) == (Status.DONE, [])


def test_fallback_note_names_the_zip_it_used() -> None:
    result = resolve(LookupRequest("MA", "12 Main St, Springfield MA 01001"), DIRECTORY, StubGeocoder(None))

    assert [n.text for n in result.notes] == ["We could not find that address, so we used ZIP 01001 instead."]
    assert (result.zip, result.matched_address) == ("01001", None)


def test_exact_match_reports_the_matched_address_and_its_zip() -> None:
    result = resolve(
        LookupRequest("MA", "12 Main St, Springfield MA 01001"),
        DIRECTORY,
        StubGeocoder(_match(("25D02",), ("25002",))),
    )

    assert (result.zip, result.matched_address) == ("01003", "12 MAIN ST, SPRINGFIELD, MA, 01003")
    assert [(o.chamber, o.source) for o in result.chambers] == [("upper", "address"), ("lower", "address")]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"state": "Massachusetts"}, "two-letter"),
        ({"chambers": ()}, "non-empty"),
        ({"chambers": ("upper", "upper")}, "distinct"),
        ({"chambers": ("senate",)}, "unknown chambers"),
    ],
)
def test_a_misconfigured_campaign_fails_loudly(kwargs: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {"state": "MA", "location": "01001", **kwargs}
    with pytest.raises(ValueError, match=message):
        LookupRequest(**arguments)  # type: ignore[arg-type]


def test_request_normalises_state_and_picks() -> None:
    request = LookupRequest(" ma ", "01002", picks={"lower": " 25001 "})

    assert (request.state, dict(request.picks)) == ("MA", {"lower": "25001"})


@pytest.mark.parametrize(
    "name, plain, in_a_sentence",
    [
        ("2nd Suffolk", "2nd Suffolk district", "the 2nd Suffolk district"),
        ("Addison-1", "Addison-1 district", "the Addison-1 district"),
        ("2", "District 2", "District 2"),
        ("12A", "District 12A", "District 12A"),
        ("B", "District B", "District B"),
        ("Ward 3", "Ward 3", "Ward 3"),
        ("At-Large", "At-Large", "At-Large"),
        ("Second Essex District", "Second Essex District", "the Second Essex District"),
    ],
)
def test_a_district_is_named_as_its_state_names_it(name, plain, in_a_sentence) -> None:
    assert district_label(name) == plain
    assert district_label(name, article=True) == in_a_sentence
