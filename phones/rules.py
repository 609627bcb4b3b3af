"""Number rules, pure (no Flask, no database): is this E.164 number one we may dial, and if not, why not.

The form uses them to tell a supporter what is wrong; the dialer applies them again just before
asking Twilio (so nothing upstream can slip a number through); the webhooks apply them to targets
before a <Dial>. Special numbers are refused for supporters: premium-rate and shared-cost lines bill
the campaign per minute (the classic toll-fraud route), toll-free, UAN, voicemail-access and pager
numbers are services rather than a person, and "personal numbers" (UK 070 and the like) are follow-me
services priced like premium lines. A target's toll-free or UAN line (an office's own free number) is
fine to connect to; the costly types are refused there too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

# Reasons are short stable codes: stored in failure reasons, logged, and mapped to sentences by the form.
REFUSED_TYPES: dict[int, str] = {
    PhoneNumberType.PREMIUM_RATE: "premium_rate",
    PhoneNumberType.TOLL_FREE: "toll_free",
    PhoneNumberType.SHARED_COST: "shared_cost",
    PhoneNumberType.UAN: "uan",
    PhoneNumberType.VOICEMAIL: "voicemail",
    PhoneNumberType.PAGER: "pager",
    PhoneNumberType.PERSONAL_NUMBER: "personal_number",
}


@dataclass(frozen=True)
class Allowed:
    """The number may be dialed; ``region`` is its country (ISO 3166 code)."""

    e164: str
    region: str
    ok: bool = True


@dataclass(frozen=True)
class Refused:
    """The number must not be dialed; ``reason`` is one of the codes above, or invalid / foreign."""

    reason: str
    ok: bool = False


def parse_allowed_countries(setting: str | Iterable[str]) -> tuple[str, ...]:
    """ "US, ca" → ("US", "CA"); raises ValueError on an empty list or an unknown region code."""
    parts = setting.split(",") if isinstance(setting, str) else list(setting)
    regions = tuple(dict.fromkeys(p.strip().upper() for p in parts if p.strip()))
    unknown = [r for r in regions if r not in phonenumbers.SUPPORTED_REGIONS]
    if not regions or unknown:
        raise ValueError(f"ALLOWED_COUNTRIES must list region codes such as US; got {setting!r}")
    return regions


# An office's own free line is a fine number to connect a constituent to: free to call and staffed.
TARGET_TYPES_ALLOWED: frozenset[str] = frozenset({"toll_free", "uan"})


def classify_target(e164: str) -> Allowed | Refused:
    """The rules for a target's number: any country (our own data decides whom we call), toll-free allowed."""
    return classify(e164, None, also_allow=TARGET_TYPES_ALLOWED)


def classify(
    e164: str, allowed_countries: Iterable[str] | None = ("US",), also_allow: frozenset[str] = frozenset()
) -> Allowed | Refused:
    """Allowed(e164, region), or Refused(reason) for an invalid, foreign or special-type number.

    ``allowed_countries=None`` skips the country rule; ``also_allow`` names special types to accept.
    """
    if not isinstance(e164, str) or not e164.startswith("+") or len(e164) > 16:
        return Refused("invalid")
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return Refused("invalid")
    if not phonenumbers.is_valid_number(number):
        return Refused("invalid")
    canonical = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if canonical != e164:
        # Only the canonical form is hashed and dialed; anything else is a bug upstream.
        return Refused("invalid")
    region = phonenumbers.region_code_for_number(number) or ""
    if allowed_countries is not None and region not in set(allowed_countries):
        return Refused("foreign")
    refused = REFUSED_TYPES.get(phonenumbers.number_type(number))
    if refused and refused not in also_allow:
        return Refused(refused)
    return Allowed(canonical, region)


def to_e164(raw: str, default_region: str = "US") -> str | None:
    """What someone typed ("(617) 555-0123", "+44 20 7946 0123") as E.164, or None when it is not a possible number."""
    try:
        number = phonenumbers.parse(" ".join(str(raw).split())[:40], default_region)
    except NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
