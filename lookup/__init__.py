"""Where does this person live → which districts → which targets (or: ask).

Plain values in, plain values out: no Flask, no database session. The app hands
`resolve` a Directory (its tables) and, for street addresses, a geocoder.
"""

from lookup.census import CensusGeocoder, census_geocoder
from lookup.directory import Directory, MemoryDirectory
from lookup.geocoder import AddressMatch, Geocoder, GeocoderError
from lookup.location import Location, parse_location
from lookup.messages import MESSAGES
from lookup.resolver import resolve
from lookup.towns import places_covered, town_for
from lookup.values import (
    LOWER,
    STATE_PICK,
    UPPER,
    Candidate,
    ChamberOutcome,
    District,
    DistrictArea,
    LookupRequest,
    Note,
    Resolution,
    ResolvedTarget,
    Status,
    TargetInfo,
)
from lookup.zipcodes import state_for_zip

__all__ = [
    "LOWER",
    "MESSAGES",
    "STATE_PICK",
    "UPPER",
    "AddressMatch",
    "Candidate",
    "CensusGeocoder",
    "ChamberOutcome",
    "Directory",
    "District",
    "DistrictArea",
    "Geocoder",
    "GeocoderError",
    "Location",
    "LookupRequest",
    "MemoryDirectory",
    "Note",
    "Resolution",
    "ResolvedTarget",
    "Status",
    "TargetInfo",
    "census_geocoder",
    "parse_location",
    "places_covered",
    "resolve",
    "state_for_zip",
    "town_for",
]
