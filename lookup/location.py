"""Tell a ZIP code from a street address in what the supporter typed."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_LENGTH = 200

# [0-9], not \d: \d also matches Arabic-Indic and other digits the Census cannot read.
_BARE_ZIP = re.compile(r"([0-9]{5})(?:[-\s]?[0-9]{4})?")
_ZIP_IN_ADDRESS = re.compile(r"(?<![0-9])([0-9]{5})(?:-[0-9]{4})?(?![0-9])")
_ONLY_DIGITS_AND_DASHES = re.compile(r"[0-9\s-]+")


@dataclass(frozen=True)
class Location:
    """What the supporter typed, cleaned: `kind` is "zip", "address" or "invalid"."""

    kind: str
    text: str
    zip: str | None = None  # the five-digit ZIP, when there is one
    problem: str | None = None  # a message code, for kind "invalid"


def parse_location(raw: str) -> Location:
    """Classify the supporter's text as a ZIP, a street address (maybe with a ZIP) or invalid."""
    # NFKC turns full-width digits from phone keyboards into ASCII ones.
    text = unicodedata.normalize("NFKC", raw)
    text = "".join(ch if unicodedata.category(ch)[0] not in "CZ" else " " for ch in text)
    text = " ".join(text.split())
    if not text:
        return Location("invalid", text, problem="empty_location")
    if len(text) > MAX_LENGTH:
        return Location("invalid", text[:MAX_LENGTH], problem="location_too_long")
    bare = _BARE_ZIP.fullmatch(text)
    if bare:
        return Location("zip", text, zip=bare.group(1))
    if _ONLY_DIGITS_AND_DASHES.fullmatch(text):
        return Location("invalid", text, problem="zip_malformed")
    if not any(ch.isalnum() for ch in text):
        return Location("invalid", text, problem="location_unreadable")
    return Location("address", text, zip=zip_in_address(text))


def zip_in_address(text: str) -> str | None:
    """The last five-digit group after the start of an address, or None.

    The first token is skipped because it is usually the house number, and a
    five-digit house number read as a ZIP would send a supporter to another state.
    """
    first_token_end = len(text.split(" ", 1)[0])
    found = [m.group(1) for m in _ZIP_IN_ADDRESS.finditer(text) if m.start() >= first_token_end]
    return found[-1] if found else None
