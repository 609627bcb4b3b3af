"""The number rules every part of the service shares: which numbers may ever be dialed."""

from __future__ import annotations

import pytest

from phones import Allowed, Refused, classify, classify_target, parse_allowed_countries


@pytest.mark.parametrize(
    "number, expected",
    [
        ("+16175550123", Allowed("+16175550123", "US")),
        ("+12025550123", Allowed("+12025550123", "US")),
        ("+18005551234", Refused("toll_free")),
        ("+18885550000", Refused("toll_free")),
        ("+19005551234", Refused("premium_rate")),
        ("+15005550006", Refused("personal_number")),
        ("+14165550123", Refused("foreign")),
        ("+1617555012", Refused("invalid")),  # one digit short
        ("16175550123", Refused("invalid")),  # no +
        ("+1 617 555 0123", Refused("invalid")),  # not canonical E.164
        ("", Refused("invalid")),
        ("+" + "9" * 40, Refused("invalid")),
    ],
)
def test_us_only_by_default(number, expected):
    assert classify(number) == expected


@pytest.mark.parametrize(
    "number, expected",
    [
        ("+448712345678", Refused("premium_rate")),  # UK 0871
        ("+447012345678", Refused("personal_number")),  # UK 070 "personal numbers"
        ("+445511234567", Refused("uan")),
        ("+447640123456", Refused("pager")),
        ("+442079460123", Allowed("+442079460123", "GB")),
    ],
)
def test_special_numbers_are_refused_in_allowed_countries_too(number, expected):
    assert classify(number, ("US", "GB")) == expected


def test_targets_skip_the_country_rule_but_not_the_costly_special_types():
    assert classify_target("+14165550123") == Allowed("+14165550123", "CA")
    assert classify_target("+19005551234") == Refused("premium_rate")
    assert classify_target("+448712345678") == Refused("premium_rate")


def test_an_offices_toll_free_line_is_a_fine_target_but_never_a_supporter():
    assert classify_target("+18005551234") == Allowed("+18005551234", "US")
    assert classify("+18005551234", ("US",)) == Refused("toll_free")


def test_allowed_countries_setting_is_read_strictly():
    assert parse_allowed_countries("us, ca,US") == ("US", "CA")
    for bad in ("", " , ", "USA", "XX"):
        with pytest.raises(ValueError, match="ALLOWED_COUNTRIES must list region codes"):
            parse_allowed_countries(bad)
