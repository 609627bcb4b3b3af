"""The supporter's phone number: what we accept, what we refuse and the exact words we use. No app."""

from __future__ import annotations

import pytest

from pages.phone_numbers import PhoneCheck, check_phone, country_name, display_phone, parse_allowed_countries, tel_uri

ASK_FOR_OWN = "Please type the number of the phone you have with you."


@pytest.mark.parametrize(
    "typed, e164",
    [
        ("617-555-0123", "+16175550123"),
        ("(617) 539-7340", "+16175397340"),
        ("617.539.7340", "+16175397340"),
        ("1 617 539 7340", "+16175397340"),
        ("+1 617 539 7340", "+16175397340"),
        ("  6175397340  ", "+16175397340"),
        ("６１７５３９７３４０", "+16175397340"),  # full-width digits from a phone keyboard
    ],
)
def test_us_numbers_are_normalised_to_e164(typed: str, e164: str) -> None:
    assert check_phone(typed, ("US",)) == PhoneCheck(e164)


@pytest.mark.parametrize(
    "typed, code, text",
    [
        ("", "phone_empty", "Please type your phone number, so we can call you."),
        ("   ", "phone_empty", "Please type your phone number, so we can call you."),
        (
            "call me",
            "phone_unreadable",
            "That doesn't look like a phone number. Please type it with the area code, like (617) 555-0123.",
        ),
        ("617-5555", "phone_too_short", "That number is too short. Please type all ten digits, with the area code."),
        (
            "617 555 0123 4567 8901",
            "phone_too_long",
            "That number is too long. Please type the ten digits of your phone number, with the area code.",
        ),
        (
            "1" * 41,
            "phone_too_long",
            "That number is too long. Please type the ten digits of your phone number, with the area code.",
        ),
        (
            "+1 700 555 1212",
            "phone_invalid",
            "That isn't a working phone number. Please check the area code and the number.",
        ),
        (
            "+44 20 7946 0958",
            "phone_foreign",
            "We can only call phone numbers from the United States. That is a United Kingdom number.",
        ),
        (
            "+1 416 496 7000",
            "phone_foreign",
            "We can only call phone numbers from the United States. That is a Canada number.",
        ),
        ("1-800-555-1212", "phone_toll_free", "That is a toll-free number, which we can't call back. " + ASK_FOR_OWN),
        ("(888) 555-1212", "phone_toll_free", "That is a toll-free number, which we can't call back. " + ASK_FOR_OWN),
        ("1-900-555-1212", "phone_premium_rate", "That is a premium-rate number, which we don't call. " + ASK_FOR_OWN),
        # "Personal" follow-me numbers: refused by the shared number rules (priced like premium lines in places).
        (
            "+1 500-234-5678",
            "phone_not_personal",
            "We can't call that kind of number (a pager, voicemail or service line). " + ASK_FOR_OWN,
        ),
    ],
)
def test_numbers_we_do_not_call_get_a_plain_reason(typed: str, code: str, text: str) -> None:
    assert check_phone(typed, ("US",)) == PhoneCheck(None, code, text)


@pytest.mark.parametrize(
    "typed, allowed, code",
    [
        ("+33 884 01 23 45", ("FR",), "phone_shared_cost"),
        ("+44 76 4012 3456", ("GB",), "phone_not_personal"),  # a pager
        ("+44 55 1234 5678", ("GB",), "phone_not_personal"),  # a universal access number
    ],
)
def test_service_numbers_elsewhere_are_refused_too(typed: str, allowed: tuple[str, ...], code: str) -> None:
    assert check_phone(typed, allowed).error == code


def test_another_allowed_country_is_accepted_and_home_numbers_still_read_without_plus() -> None:
    allowed = parse_allowed_countries("us, CA")

    assert allowed == ("US", "CA")
    assert check_phone("+1 416 496 7000", allowed).e164 == "+14164967000"
    assert check_phone("617 539 7340", allowed).e164 == "+16175397340"


def test_the_refusal_names_every_allowed_country() -> None:
    assert check_phone("+44 20 7946 0958", ("US", "CA")).text == (
        "We can only call phone numbers from the United States or Canada. That is a United Kingdom number."
    )


@pytest.mark.parametrize("setting", ["", " , ", "US,XX", "USA"])
def test_a_bad_allowed_countries_setting_is_refused(setting: str) -> None:
    with pytest.raises(ValueError, match="ALLOWED_COUNTRIES"):
        parse_allowed_countries(setting)


def test_display_and_dial_forms() -> None:
    assert display_phone("+16175397340") == "(617) 539-7340"
    assert display_phone("+442079460958") == "+44 20 7946 0958"
    assert (country_name("US"), country_name("CA")) == ("the United States", "Canada")
    assert tel_uri("+16177221280") == "tel:+16177221280"
    assert tel_uri("+16177221280", "123") == "tel:+16177221280;ext=123"
