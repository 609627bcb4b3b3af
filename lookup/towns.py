"""The town a supporter lives in, for the script they read: from the matched address, else the ZIP's own city.

USPS city names come from the `zipcodes` package (its bundled data, no network). A supporter's
own "Town or city" always wins; this only fills the blank they left.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import zipcodes

from lookup.values import Resolution


def town_for(resolution: Resolution, state: str) -> str | None:
    """The town of the address the geocoder matched, or of the ZIP in `state`; None when neither is known."""
    # The Census writes "12 MAIN ST, SPRINGFIELD, MA, 01001": the town is the second part from the state.
    parts = [p.strip() for p in (resolution.matched_address or "").split(",")]
    if len(parts) >= 4 and parts[-3]:
        return parts[-3].title()
    return zip_city(resolution.zip, state) if resolution.zip else None


@lru_cache(maxsize=8192)
def zip_city(zcta: str, state: str) -> str | None:
    """The USPS city of a ZIP code in `state`, or None."""
    for place in zipcodes.matching(zcta):
        if place.get("state") == state and place.get("city"):
            return str(place["city"])
    return None


def places_covered(zctas: Iterable[str], state: str, limit: int = 5) -> tuple[tuple[str, ...], int]:
    """The towns a district's ZIP codes name, most ZIP codes first (then alphabetically): up to `limit`,
    and how many more there are."""
    counts = Counter(city for zcta in zctas if (city := zip_city(zcta, state)))
    ordered = sorted(counts, key=lambda city: (-counts[city], city))
    return tuple(ordered[:limit]), max(0, len(ordered) - limit)
