"""The supporter's phone number: parsed with phonenumbers, checked, normalised to E.164. No Flask.

Which numbers we call is decided by :mod:`phones` — the same rules the dialer applies again before
dialing — so the form and the dialer can never disagree:
- only numbers from the allowed countries (ALLOWED_COUNTRIES, default "US"): a call abroad costs
  more and is not what a state campaign is for;
- never toll-free, premium-rate or shared-cost numbers: they are services, not the phone in the
  supporter's hand, and a premium number would bill the campaign;
- never pagers, voicemail-only access numbers, "universal access" service lines or "personal"
  (follow-me) numbers, which in several countries are priced like premium lines;
- VoIP numbers are accepted: Google Voice and similar ring a real phone, and many supporters use them.

This module adds what the form needs on top: reading what people type, and saying what is wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

from languages.web import current_locale
from pages.messages import COUNTRY_NAMES, message
from phones import Allowed, classify, parse_allowed_countries

__all__ = ["PhoneCheck", "check_phone", "country_name", "display_phone", "parse_allowed_countries", "tel_uri"]

# Long enough for any real number with spaces and punctuation; stops pathological input early.
MAX_INPUT_LENGTH = 40

# The number rules' reasons, as the form's message codes.
_REASON_MESSAGES = {
    "invalid": "phone_invalid",
    "toll_free": "phone_toll_free",
    "premium_rate": "phone_premium_rate",
    "shared_cost": "phone_shared_cost",
    "pager": "phone_not_personal",
    "voicemail": "phone_not_personal",
    "uan": "phone_not_personal",
    "personal_number": "phone_not_personal",
}
_PARSE_ERRORS = {
    NumberParseException.NOT_A_NUMBER: "phone_unreadable",
    NumberParseException.INVALID_COUNTRY_CODE: "phone_invalid",
    NumberParseException.TOO_SHORT_AFTER_IDD: "phone_too_short",
    NumberParseException.TOO_SHORT_NSN: "phone_too_short",
    NumberParseException.TOO_LONG: "phone_too_long",
}
_POSSIBILITY_ERRORS = {
    ValidationResult.TOO_SHORT: "phone_too_short",
    # Seven digits dial locally in some places, but we need the area code to call back.
    ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "phone_too_short",
    ValidationResult.TOO_LONG: "phone_too_long",
    ValidationResult.INVALID_COUNTRY_CODE: "phone_invalid",
    ValidationResult.INVALID_LENGTH: "phone_invalid",
}


@dataclass(frozen=True)
class PhoneCheck:
    """The outcome: an E.164 number, or the code and sentence saying what is wrong."""

    e164: str | None
    error: str | None = None
    text: str | None = None

    @property
    def ok(self) -> bool:
        """True when the number can be called."""
        return self.e164 is not None


def country_name(region: str, lang: str = "en") -> str:
    """A country's name for a sentence: ours when the plain English name needs an article, else libphonenumber's."""
    if lang == "en" and region in COUNTRY_NAMES:
        return COUNTRY_NAMES[region]
    example = phonenumbers.example_number(region)
    name = _country_name_for_number(example, lang) if example else ""
    return name or region


def _country_name_for_number(number: phonenumbers.PhoneNumber, lang: str) -> str:
    """libphonenumber's name for the number's country, or "" when it could be from several."""
    # The geocoder module carries every prefix's place names (about 100 MB once imported): it is
    # loaded the first time a country must be named, not in every web worker at boot.
    from phonenumbers import geocoder

    return geocoder.country_name_for_number(number, lang)


def _refuse(code: str, **params: object) -> PhoneCheck:
    return PhoneCheck(None, code, message(code, **params))


def check_phone(raw: str, allowed: Sequence[str] = ("US",), lang: str | None = None) -> PhoneCheck:
    """Read what the supporter typed as a callable number in `allowed` countries, or say why not (in `lang`,
    by default the page's language)."""
    lang = lang or current_locale().split("_")[0]
    text = " ".join(raw.split())
    if not text:
        return _refuse("phone_empty")
    if len(text) > MAX_INPUT_LENGTH:
        return _refuse("phone_too_long")
    try:
        number = phonenumbers.parse(text, allowed[0])
    except NumberParseException as exc:
        return _refuse(_PARSE_ERRORS.get(exc.error_type, "phone_unreadable"))
    possible = phonenumbers.is_possible_number_with_reason(number)
    if possible in _POSSIBILITY_ERRORS:
        return _refuse(_POSSIBILITY_ERRORS[possible])
    if not phonenumbers.is_valid_number(number):
        return _refuse("phone_invalid")
    verdict = classify(phonenumbers.format_number(number, PhoneNumberFormat.E164), allowed)
    if isinstance(verdict, Allowed):
        return PhoneCheck(verdict.e164)
    if verdict.reason == "foreign":
        allowed_names = message("list_or").join(country_name(r, lang) for r in allowed)
        country = _country_name_for_number(number, lang)
        if country:
            return _refuse("phone_foreign", allowed=allowed_names, country=country)
        return _refuse("phone_foreign_unknown", allowed=allowed_names)
    return _refuse(_REASON_MESSAGES.get(verdict.reason, "phone_invalid"))


def display_phone(e164: str, home_region: str = "US") -> str:
    """+16175397340 → "(617) 539-7340" at home, the international form for anywhere else."""
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == home_region:
        return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def tel_uri(e164: str, extension: str | None = None) -> str:
    """A tap-to-call URI (RFC 3966): tel:+16177221280, with ";ext=" when the office has one."""
    return f"tel:{e164};ext={extension}" if extension else f"tel:{e164}"
