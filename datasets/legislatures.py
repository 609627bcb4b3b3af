"""What Open States' metadata (the `openstates-metadata` package) says about a state's legislature.

One home for the facts a state folder does not carry: the state's FIPS code, which chambers it
has, what their members are called, how many sit for each district, and every district's name
and OCD division id. Our chambers are `upper` and `lower`; a one-chamber legislature (Nebraska)
is `upper`, as the Census (SLDU) and the OCD division ids (`sldu:`) file it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import openstates_metadata  # type: ignore[import-untyped]  # no type hints shipped

# Open States' role types (people files) and chamber types (metadata) → our chamber.
CHAMBER_OF_ROLE = MappingProxyType({"upper": "upper", "lower": "lower", "legislature": "upper"})


class UnknownState(LookupError):
    """Open States' metadata has no state (or territory) with this code."""


@dataclass(frozen=True)
class Division:
    """One district as Open States' metadata lists it."""

    name: str  # as people files write it in roles[].district: "2nd Suffolk", "1", "Addison-1"
    division_id: str
    seats: int


@dataclass(frozen=True)
class Chamber:
    """One chamber: what it is called, what its members are called, and its districts."""

    chamber: str  # upper | lower
    name: str  # "Senate", "House", "Assembly", "Nebraska Legislature"
    title: str  # "State Senator", "State Representative", "Delegate", "Assembly Member", …
    divisions: tuple[Division, ...]

    def seats_by_division(self) -> Mapping[str, int]:
        """How many members sit for each district, by OCD division id."""
        return {d.division_id: d.seats for d in self.divisions}


@dataclass(frozen=True)
class Legislature:
    """A state's legislature: one or two chambers."""

    state: str  # "MA"
    name: str  # "Massachusetts"
    fips: str  # "25"
    chambers: Mapping[str, Chamber]
    timezone: str = "America/New_York"  # the capital's, where the legislature's offices are

    @property
    def unicameral(self) -> bool:
        """True for a one-chamber legislature (Nebraska)."""
        return len(self.chambers) == 1


# Titles Congress shares: "State" goes before them so supporters know whom they are calling.
SHARED_WITH_CONGRESS = frozenset({"senator", "representative"})


def member_title(title: str) -> str:
    """'Senator' → 'State Senator'; a title only states use ('Delegate', 'Assembly Member') is kept as it is."""
    title = " ".join(title.split())
    return f"State {title}" if title.lower() in SHARED_WITH_CONGRESS else title


def legislature(state: str) -> Legislature:
    """The legislature of a two-letter state code, from Open States' metadata; UnknownState when it has none."""
    try:
        meta = openstates_metadata.lookup(abbr=state.strip())
    except KeyError:
        raise UnknownState(f"Open States' metadata knows no state {state.strip().upper()!r}") from None
    chambers: dict[str, Chamber] = {}
    for source in meta.chambers:
        chamber = "upper" if meta.unicameral else source.chamber_type
        divisions = tuple(
            Division(str(d.name), str(d.division_id), int(d.num_seats)) for d in source.districts if d.division_id
        )
        chambers[chamber] = Chamber(chamber, str(source.name), member_title(str(source.title)), divisions)
    ordered: dict[str, Chamber] = {c: chambers[c] for c in ("upper", "lower") if c in chambers}
    return Legislature(
        str(meta.abbr).upper(),
        str(meta.name),
        str(meta.fips),
        MappingProxyType(ordered),
        str(getattr(meta, "capital_tz", None) or "America/New_York"),
    )
