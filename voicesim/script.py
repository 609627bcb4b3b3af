"""The caller's script: what the simulated caller presses and what the dialed parties do."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from voicesim.vocabulary import DIAL_STATUSES, DialStatus


class _Hangup:
    """Sentinel input: the caller hangs up while a <Gather> is waiting."""

    _instance: _Hangup | None = None

    def __new__(cls) -> _Hangup:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "HANGUP"


HANGUP = _Hangup()


@dataclass(frozen=True)
class DialOutcome:
    """What happens when Twilio dials one party (a legislator's office)."""

    status: DialStatus
    talk_seconds: int = 0  # seconds bridged when answered
    ring_seconds: int = 5  # seconds ringing before answer/busy
    star_after: int | None = None  # caller presses * after N bridged seconds
    caller_hangs_up: bool = False  # caller hangs up the whole call while bridged

    def __post_init__(self) -> None:
        if self.status not in DIAL_STATUSES:
            raise ValueError(f"unknown dial status {self.status!r}")
        if self.talk_seconds < 0 or self.ring_seconds < 0:
            raise ValueError("durations must be >= 0")
        if self.status != "completed" and (self.talk_seconds or self.caller_hangs_up or self.star_after):
            raise ValueError("only an answered call can have talk time, * or a caller hang-up")

    @classmethod
    def answered(cls, talk_seconds: int, *, ring_seconds: int = 5) -> DialOutcome:
        """The party answers and talks for ``talk_seconds``, then hangs up."""
        return cls("completed", talk_seconds=talk_seconds, ring_seconds=ring_seconds)

    @classmethod
    def busy(cls) -> DialOutcome:
        """The line is busy."""
        return cls("busy", ring_seconds=0)

    @classmethod
    def no_answer(cls) -> DialOutcome:
        """Nobody picks up before the Dial timeout."""
        return cls("no-answer")

    @classmethod
    def failed(cls) -> DialOutcome:
        """The number cannot be reached (invalid, carrier error)."""
        return cls("failed", ring_seconds=0)

    @classmethod
    def pressed_star(cls, after: int, *, talk_seconds: int = 600) -> DialOutcome:
        """Answered; the caller presses * after ``after`` seconds (ends it if hangupOnStar)."""
        return cls("completed", talk_seconds=talk_seconds, star_after=after)

    @classmethod
    def caller_hangup(cls, after: int) -> DialOutcome:
        """Answered; the caller hangs up the whole call after ``after`` seconds."""
        return cls("completed", talk_seconds=after, caller_hangs_up=True)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DialOutcome:
        """Inverse of ``to_dict``."""
        return cls(**dict(data))


@dataclass(frozen=True)
class Speech:
    """The caller speaks at a <Gather> that listens for speech: Twilio's transcript and its confidence (0.0-1.0)."""

    text: str
    confidence: float = 0.9
    seconds: int = 3  # how long the caller talks

    def __post_init__(self) -> None:
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError("confidence must be between 0.0 and 1.0")


DialScenario = Mapping[str, DialOutcome] | Callable[[str], DialOutcome | None]
CallerInput = str | None | _Hangup | Speech | DialOutcome | Mapping[str, DialOutcome]
