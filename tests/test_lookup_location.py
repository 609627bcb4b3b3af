"""Reading what the supporter typed, and which state a ZIP belongs to."""

from __future__ import annotations

import pytest

from lookup import MESSAGES, Location, MemoryDirectory, parse_location, state_for_zip
from lookup.messages import STATE_NAMES


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("02215", Location("zip", "02215", zip="02215")),
        ("  02215\n", Location("zip", "02215", zip="02215")),
        ("02215-1234", Location("zip", "02215-1234", zip="02215")),
        ("022151234", Location("zip", "022151234", zip="02215")),
        ("０２２１５", Location("zip", "02215", zip="02215")),  # full-width phone keyboard
        ("", Location("invalid", "", problem="empty_location")),
        ("\u200b\t ", Location("invalid", "", problem="empty_location")),
        ("2215", Location("invalid", "2215", problem="zip_malformed")),
        ("022 15", Location("invalid", "022 15", problem="zip_malformed")),
        ("---", Location("invalid", "---", problem="zip_malformed")),
        ("!!", Location("invalid", "!!", problem="location_unreadable")),
        (
            "77 Massachusetts Ave, Cambridge, MA 02139-4307",
            Location("address", "77 Massachusetts Ave, Cambridge, MA 02139-4307", zip="02139"),
        ),
        ("1 Main St Boston", Location("address", "1 Main St Boston", zip=None)),
        # a five-digit house number is not a ZIP (10001 would say New York)
        ("10001 Main St, Boston", Location("address", "10001 Main St, Boston", zip=None)),
        ("10001 Main St, Boston 02215", Location("address", "10001 Main St, Boston 02215", zip="02215")),
        ("٠٢٢١٥ Main St", Location("address", "٠٢٢١٥ Main St", zip=None)),  # not ASCII digits
    ],
)
def test_parse_location(typed: str, expected: Location) -> None:
    assert parse_location(typed) == expected


@pytest.mark.parametrize(
    "zip_code, state",
    [
        ("02215", "MA"),
        ("01001", "MA"),
        ("05501", "MA"),
        ("05401", "VT"),
        ("03301", "NH"),
        ("02903", "RI"),
        ("06103", "CT"),
        ("10001", "NY"),
        ("00501", "NY"),
        ("20500", "DC"),
        ("20166", "VA"),
        ("73301", "TX"),
        ("73101", "OK"),
        ("88510", "TX"),
        ("96799", "AS"),
        ("96813", "HI"),
        ("96910", "GU"),
        ("99501", "AK"),
        ("00901", "PR"),
        ("09001", "AE"),
        ("00099", None),
        ("21301", None),
        ("9999", None),
        ("abcde", None),
    ],
)
def test_state_for_zip(zip_code: str, state: str | None) -> None:
    assert state_for_zip(zip_code) == state


def test_every_prefix_state_has_a_name_for_sentences() -> None:
    states = {state for n in range(100000) if (state := state_for_zip(f"{n:05d}")) is not None}
    assert sorted(states - STATE_NAMES.keys()) == []
    assert len(states) == 59  # 50 states, DC, PR, VI, GU, AS, MP and the three military codes


def test_chamber_names_come_from_the_states_data_with_senate_and_house_where_it_says_none() -> None:
    directory = MemoryDirectory([], [], [], chamber_names={("CA", "lower"): "Assembly"})
    assert [directory.chamber_name("CA", "lower"), directory.chamber_name("CA", "upper")] == ["Assembly", "Senate"]
    assert directory.chamber_name("MA", "lower") == "House"


def test_every_message_formats_with_its_own_placeholders_only() -> None:
    # A typo in a placeholder would only surface when a supporter hits that sentence.
    import string

    allowed = {"zip", "place_state", "campaign_state", "chamber_name", "count", "district", "title", "name", "states"}
    used = {
        field for text in MESSAGES.values() for _, field, _, _ in string.Formatter().parse(text) if field is not None
    }
    assert sorted(used - allowed) == []
