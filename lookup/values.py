"""The plain values that go into and come out of the lookup: no Flask, no database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

UPPER = "upper"
LOWER = "lower"
CHAMBERS = (UPPER, LOWER)
# The key in LookupRequest.picks for the supporter's answer to "which state do you live in?".
STATE_PICK = "state"


@dataclass(frozen=True)
class District:
    """A legislative district; `census_geoid` is the join key, never the name."""

    state: str
    chamber: str
    census_geoid: str
    name: str


@dataclass(frozen=True)
class DistrictArea:
    """A district that covers part of a ZIP; rank 1 has the largest share of its land."""

    district: District
    rank: int


@dataclass(frozen=True)
class TargetInfo:
    """Someone we can ask the supporter to call."""

    id: int
    name: str
    title: str
    party: str | None = None
    district_geoid: str | None = None
    phone: str | None = None
    extension: str | None = None
    # The district's chamber: a GEOID alone is ambiguous where both chambers number districts alike.
    district_chamber: str | None = None


@dataclass(frozen=True)
class Note:
    """A sentence for the supporter, with the code and values it was made from."""

    code: str
    text: str
    params: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


class Status(StrEnum):
    """What the page should do next."""

    DONE = "done"  # targets are ready to call
    ASK_DISTRICT = "ask_district"  # a ZIP is split: show the candidates, resolve again with picks
    ASK_STATE = "ask_state"  # a ZIP crosses a state line: show `states`, resolve again with picks["state"]
    ASK_ZIP = "ask_zip"  # the address could not be used and held no ZIP
    INVALID = "invalid"  # empty or unreadable input
    OUT_OF_STATE = "out_of_state"
    UNKNOWN_ZIP = "unknown_zip"
    NO_TARGETS = "no_targets"  # everything resolved, but nobody has a seat and a phone


@dataclass(frozen=True)
class LookupRequest:
    """Where the supporter says they live, and what the campaign wants called."""

    state: str
    location: str
    chambers: tuple[str, ...] = CHAMBERS
    picks: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    fixed_targets: tuple[TargetInfo, ...] = ()

    def __post_init__(self) -> None:
        # Bad chambers or state are campaign configuration errors, not supporter errors:
        # fail loudly so they are fixed once, instead of telling supporters something odd.
        state = self.state.strip().upper()
        if len(state) != 2 or not state.isascii() or not state.isalpha():
            raise ValueError(f"state must be a two-letter code, got {self.state!r}")
        chambers = tuple(self.chambers)
        if not chambers or len(set(chambers)) != len(chambers):
            raise ValueError(f"chambers must be non-empty and distinct, got {chambers!r}")
        unknown = [c for c in chambers if c not in CHAMBERS]
        if unknown:
            raise ValueError(f"unknown chambers {unknown!r}; use {CHAMBERS!r}")
        picks = {str(k): str(v).strip() for k, v in dict(self.picks).items()}
        object.__setattr__(self, "state", state)
        object.__setattr__(self, "chambers", chambers)
        object.__setattr__(self, "picks", MappingProxyType(picks))
        object.__setattr__(self, "fixed_targets", tuple(self.fixed_targets))


@dataclass(frozen=True)
class Candidate:
    """One answer to "which of these districts is yours?"."""

    district: District
    rank: int  # 1 = most of the ZIP's land (or the geocoder's first match), then 2, 3, …
    target_names: tuple[str, ...]  # empty when the seat is vacant


@dataclass(frozen=True)
class ChamberOutcome:
    """What we know about one chamber: a settled district, or candidates to pick from."""

    chamber: str
    district: District | None = None
    targets: tuple[TargetInfo, ...] = ()
    candidates: tuple[Candidate, ...] = ()  # non-empty only while asking
    prompt: Note | None = None  # the question to show with the candidates
    source: str | None = None  # "address", "zip" or "pick"


@dataclass(frozen=True)
class ResolvedTarget:
    """A target in call order; `skip` says why the call flow should pass over it."""

    target: TargetInfo
    chamber: str | None  # None for the campaign's fixed targets
    skip: Note | None = None


@dataclass(frozen=True)
class Resolution:
    """The lookup's answer: a status, what to call, and what to tell the supporter."""

    status: Status
    reason: Note | None = None  # why we stopped short of DONE
    targets: tuple[ResolvedTarget, ...] = ()  # call order; filled only for DONE and NO_TARGETS
    chambers: tuple[ChamberOutcome, ...] = ()  # in the campaign's chamber order
    notes: tuple[Note, ...] = ()  # things to say while going on (vacant seat, fallback, …)
    zip: str | None = None
    matched_address: str | None = None
    states: tuple[str, ...] = ()  # for ASK_STATE: the states the ZIP touches, the campaign's first

    @property
    def questions(self) -> tuple[ChamberOutcome, ...]:
        """The chambers the supporter must pick a district for."""
        return tuple(c for c in self.chambers if c.candidates)

    @property
    def note_codes(self) -> tuple[str, ...]:
        """The codes of `notes`, in order (handy for logs and tests)."""
        return tuple(n.code for n in self.notes)
