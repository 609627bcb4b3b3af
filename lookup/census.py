"""A client for the U.S. Census Bureau geocoder: one-line address → legislative districts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import requests

from lookup.geocoder import AddressMatch, GeocoderError
from lookup.values import LOWER, UPPER

DEFAULT_BASE_URL = "https://geocoding.geo.census.gov/geocoder"
DEFAULT_TIMEOUT = 4.0  # seconds; a supporter is waiting, and the ZIP fallback is fine
BENCHMARK = "Public_AR_Current"
VINTAGE = "Current_Current"
# Layer ids move between vintages and names carry the vintage year, so ask for all
# layers and pick the legislative ones out by name.
LAYERS = "all"

# "2024 State Legislative Districts - Upper": the year changes with each vintage.
_LEGISLATIVE_LAYER = re.compile(
    r"(?:[0-9]{4}\s+)?State Legislative Districts\s*[-\u2013]\s*(Upper|Lower)", re.IGNORECASE
)
_CHAMBER_BY_WORD = {"upper": UPPER, "lower": LOWER}
_CODE_FIELD = {UPPER: "SLDU", LOWER: "SLDL"}
# The Census codes areas outside any district (mostly water) as ZZZ.
_NO_DISTRICT = "ZZZ"


class CensusGeocoder:
    """Geocodes one-line addresses with the Census geographies/onelineaddress endpoint."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
    ) -> None:
        self.url = base_url.rstrip("/") + "/geographies/onelineaddress"
        self.timeout = timeout
        self.session = session if session is not None else requests.Session()

    def params(self, address: str) -> dict[str, str]:
        """The query parameters sent for `address`."""
        return {
            "address": address,
            "benchmark": BENCHMARK,
            "vintage": VINTAGE,
            "layers": LAYERS,
            "format": "json",
        }

    def geocode(self, address: str) -> AddressMatch | None:
        """Place `address`; None when the Census found no match; GeocoderError when it failed."""
        # Error details name only the exception type: requests' messages quote the URL,
        # and the URL holds the supporter's home address, which must stay out of logs.
        try:
            response = self.session.get(self.url, params=self.params(address), timeout=self.timeout)
        except requests.Timeout as exc:
            raise GeocoderError("timeout", type(exc).__name__) from None
        except requests.RequestException as exc:
            raise GeocoderError("connection", type(exc).__name__) from None
        if response.status_code != 200:
            raise GeocoderError("http_status", str(response.status_code))
        try:
            body = response.json()
        except ValueError:  # requests' JSONDecodeError is a ValueError
            raise GeocoderError("malformed", "not JSON") from None
        return parse_response(body)


def parse_response(body: Any) -> AddressMatch | None:
    """Read a Census geographies reply; None for no match, GeocoderError if it is malformed."""
    result = body.get("result") if isinstance(body, dict) else None
    matches = result.get("addressMatches") if isinstance(result, dict) else None
    if not isinstance(matches, list) or not all(isinstance(m, dict) for m in matches):
        raise GeocoderError("malformed", "no result.addressMatches list")
    if not matches:
        return None
    first = matches[0]
    components = first.get("addressComponents")
    components = components if isinstance(components, dict) else {}
    state = _text(components.get("state")) or _state_from_layers(first)
    # Several matches mean the address was ambiguous (a street name in many towns):
    # keep every district the same-state matches fall in, so the resolver asks rather than guesses.
    districts: dict[str, list[str]] = {}
    for match in matches:
        match_components = match.get("addressComponents")
        match_state = (
            _text(match_components.get("state")) if isinstance(match_components, dict) else None
        ) or _state_from_layers(match)
        if match is not first and match_state != state:
            continue
        for chamber, geoids in _legislative_districts(match).items():
            known = districts.setdefault(chamber, [])
            known.extend(g for g in geoids if g not in known)
    return AddressMatch(
        matched_address=_text(first.get("matchedAddress")) or "",
        zip=_text(components.get("zip")),
        state=state.upper() if state else None,
        districts=MappingProxyType({c: tuple(g) for c, g in districts.items()}),
    )


def _legislative_districts(match: Mapping[str, Any]) -> dict[str, list[str]]:
    geographies = match.get("geographies")
    if not isinstance(geographies, dict):
        raise GeocoderError("malformed", "addressMatches[].geographies is not an object")
    found: dict[str, list[str]] = {}
    for layer, areas in geographies.items():
        named = _LEGISLATIVE_LAYER.fullmatch(str(layer).strip())
        if not named:
            continue
        if not isinstance(areas, list):
            raise GeocoderError("malformed", f"layer {layer!r} is not a list")
        chamber = _CHAMBER_BY_WORD[named.group(1).lower()]
        geoids = found.setdefault(chamber, [])
        for area in areas:
            geoid = _text(area.get("GEOID")) if isinstance(area, dict) else None
            code = _text(area.get(_CODE_FIELD[chamber])) if isinstance(area, dict) else None
            if not geoid or geoid.upper().endswith(_NO_DISTRICT) or code == _NO_DISTRICT:
                continue
            geoids.append(geoid)
    return found


def _state_from_layers(match: Mapping[str, Any]) -> str | None:
    geographies = match.get("geographies")
    states = geographies.get("States") if isinstance(geographies, dict) else None
    if isinstance(states, list) and states and isinstance(states[0], dict):
        return _text(states[0].get("STUSAB"))
    return None


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def census_geocoder(config: Mapping[str, Any]) -> CensusGeocoder | None:
    """The app's geocoder from its settings (CENSUS_GEOCODER_URL, CENSUS_GEOCODER_TIMEOUT); None when unset."""
    url = config.get("CENSUS_GEOCODER_URL") or ""
    return CensusGeocoder(url, config["CENSUS_GEOCODER_TIMEOUT"]) if url else None
