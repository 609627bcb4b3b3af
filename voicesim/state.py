"""Where a simulated call is: its bounds, its JSON-able state, one step of it and the whole record."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

from voicesim.events import Dialed, Event, Requested, Said

STATE_VERSION = 1


@dataclass(frozen=True)
class Limits:
    """Bounds that turn a looping call flow into an error instead of a hang."""

    max_requests: int = 50
    max_verbs: int = 500
    max_http_redirects: int = 5


DEFAULT_LIMITS = Limits()


@dataclass
class SimCallState:
    """Where a simulated call is; ``to_dict``/``from_dict`` round-trip through JSON."""

    call_params: dict[str, str]
    document_url: str
    document: str  # current TwiML (validated, re-serialised)
    index: int = 0  # next top-level verb to run
    waiting_for: Literal["gather", "dial"] | None = None
    status: Literal["in-progress", "completed"] = "in-progress"
    end_reason: str | None = None
    requests: int = 0
    verbs: int = 0
    elapsed: int = 0  # simulated seconds (pauses, gather timeouts, dials)
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def finished(self) -> bool:
        """True once the call has ended."""
        return self.status == "completed"

    @property
    def call_sid(self) -> str:
        """The CallSid sent with every request."""
        return self.call_params["CallSid"]

    def to_dict(self) -> dict[str, Any]:
        """A small JSON-able dict (no transcript) to keep between browser requests."""
        data = asdict(self)
        data["v"] = STATE_VERSION
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SimCallState:
        """Rebuild a state saved with ``to_dict``; raises ValueError on a foreign dict."""
        payload = dict(data)
        if payload.pop("v", None) != STATE_VERSION:
            raise ValueError("not a SimCallState dict (or from another version)")
        names = {f.name for f in fields(cls)}
        if set(payload) != names:
            raise ValueError(f"SimCallState keys differ: {sorted(set(payload) ^ names)}")
        if payload["waiting_for"] not in (None, "gather", "dial"):
            raise ValueError("bad waiting_for")
        return cls(**payload)


@dataclass
class ExecutionStep:
    """Result of advancing a call: the new state and the events since the last step."""

    state: SimCallState
    events: list[Event]

    @property
    def waiting_for(self) -> str | None:
        """Either "gather" or "dial" when the call needs input; None otherwise."""
        return self.state.waiting_for

    @property
    def finished(self) -> bool:
        """True once the call has ended."""
        return self.state.finished


@dataclass
class CallRecord:
    """A whole simulated call: final state and full transcript."""

    state: SimCallState
    events: list[Event]

    def of(self, kind: type) -> list[Any]:
        """Events of one type, in order."""
        return [e for e in self.events if isinstance(e, kind)]

    @property
    def said(self) -> list[str]:
        """Every <Say> text, in order."""
        return [e.text for e in self.events if isinstance(e, Said)]

    @property
    def dials(self) -> list[Dialed]:
        """Every <Dial> outcome, in order."""
        return self.of(Dialed)

    @property
    def requests(self) -> list[Requested]:
        """Every webhook request made, in order."""
        return self.of(Requested)

    @property
    def end_reason(self) -> str | None:
        """Why the call ended."""
        return self.state.end_reason
