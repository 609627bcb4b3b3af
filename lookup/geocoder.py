"""What the resolver needs from an address geocoder, whoever provides it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Protocol


@dataclass(frozen=True)
class AddressMatch:
    """Where a geocoder placed an address.

    `districts` maps a chamber to the district GEOIDs the point falls in: normally one,
    an empty tuple when the geocoder knows the layer but the point is in no district
    (water, undefined), and the chamber is absent when the layer was not returned.
    """

    matched_address: str
    zip: str | None
    state: str | None  # USPS code, e.g. "MA"
    districts: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))


class GeocoderError(Exception):
    """The geocoder could not answer (timeout, HTTP error, malformed reply)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


class Geocoder(Protocol):
    """Places a one-line address; returns None when nothing matched."""

    def geocode(self, address: str) -> AddressMatch | None:
        """Place `address`, or None; raise GeocoderError when the service cannot answer."""
        ...
