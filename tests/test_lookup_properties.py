"""Whatever a supporter types, the lookup answers with a Resolution and never raises."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lookup import AddressMatch, GeocoderError, LookupRequest, Resolution, Status, resolve
from lookup.messages import MESSAGES
from tests.test_lookup_resolver import DIRECTORY

ANSWERS_WITH_A_REASON = {
    Status.ASK_DISTRICT,
    Status.ASK_ZIP,
    Status.INVALID,
    Status.OUT_OF_STATE,
    Status.UNKNOWN_ZIP,
    Status.NO_TARGETS,
}


class OneAnswerGeocoder:
    """Always gives the same answer, whatever the address."""

    def __init__(self, answer: AddressMatch | GeocoderError | None) -> None:
        self.answer = answer

    def geocode(self, address: str) -> AddressMatch | None:
        if isinstance(self.answer, GeocoderError):
            raise self.answer
        return self.answer


GEOCODERS = st.sampled_from(
    [
        None,
        OneAnswerGeocoder(None),
        OneAnswerGeocoder(GeocoderError("timeout")),
        OneAnswerGeocoder(AddressMatch("M", "01003", "MA", {"upper": ("25D02",), "lower": ("25002",)})),
        OneAnswerGeocoder(AddressMatch("M", None, None, {"lower": ("25001", "25002")})),
        OneAnswerGeocoder(AddressMatch("M", "03301", "NH", {})),
    ]
)
LOCATIONS = st.one_of(
    st.text(),
    st.from_regex(r"[0-9]{5}(-[0-9]{4})?", fullmatch=True),
    st.from_regex(r"[0-9]{1,6} [A-Za-z ]{0,20},? [0-9]{5}", fullmatch=True),
)
PICKS = st.dictionaries(st.sampled_from(["upper", "lower"]), st.text(max_size=8) | st.sampled_from(["25001", "25D01"]))


@settings(max_examples=300, deadline=None)
@given(location=LOCATIONS, geocoder=GEOCODERS, picks=PICKS)
def test_any_text_yields_a_resolution_with_a_known_status(
    location: str, geocoder: OneAnswerGeocoder | None, picks: dict[str, str]
) -> None:
    result = resolve(LookupRequest("MA", location, picks=picks), DIRECTORY, geocoder)

    assert isinstance(result, Resolution)
    assert result.status in set(Status)
    # Every status short of DONE says why, from the messages table; DONE never needs to.
    assert (result.reason is not None) == (result.status in ANSWERS_WITH_A_REASON)
    for shown in ([result.reason] if result.reason else []) + list(result.notes):
        assert shown.code in MESSAGES
    # Only a finished lookup hands over anyone to call.
    if result.status not in (Status.DONE, Status.NO_TARGETS):
        assert result.targets == ()
    # Asking means at least one chamber lists two or more candidates.
    assert (result.status is Status.ASK_DISTRICT) == any(len(q.candidates) >= 2 for q in result.questions)
