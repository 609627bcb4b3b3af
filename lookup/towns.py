"""The town a supporter lives in, for the script they read: from the matched address, else the ZIP's own city.

USPS city names come from the `zipcodes` package (its bundled data, no network). A supporter's
own "Town or city" always wins; this only fills the blank they left.
"""

from __future__ import annotations

import zipcodes

from lookup.values import Resolution


def town_for(resolution: Resolution, state: str) -> str | None:
    """The town of the address the geocoder matched, or of the ZIP in `state`; None when neither is known."""
    # The Census writes "12 MAIN ST, SPRINGFIELD, MA, 01001": the town is the second part from the state.
    parts = [p.strip() for p in (resolution.matched_address or "").split(",")]
    if len(parts) >= 4 and parts[-3]:
        return parts[-3].title()
    if resolution.zip:
        for place in zipcodes.matching(resolution.zip):
            if place.get("state") == state and place.get("city"):
                return str(place["city"])
    return None
