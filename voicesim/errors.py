"""What the Twilio stand-in raises: TwiML Twilio would reject, loops, unsimulated verbs, bad scripts."""

from __future__ import annotations

from voicesim.events import Event


class SimulatorError(Exception):
    """Base class for everything the Twilio stand-in raises."""

    events: list[Event]

    def __init__(self, message: str) -> None:
        super().__init__(message)
        # Filled in by the simulator so a failing test can show what was heard.
        self.events = []


class TwiMLError(SimulatorError):
    """The app's response would make Twilio say "An application error has occurred"."""

    def __init__(
        self,
        message: str,
        *,
        code: int | None = None,
        url: str | None = None,
        body: bytes | str | None = None,
    ) -> None:
        self.message = message
        self.code = code
        self.url = url
        self.body = body
        parts = [message]
        if code is not None:
            parts.append(f"(Twilio error {code})")
        if url:
            parts.append(f"at {url}")
        super().__init__(" ".join(parts))


class CallLimitExceeded(SimulatorError):
    """The call made more requests or ran more verbs than the configured limit (a loop)."""


class NotSimulatedError(SimulatorError):
    """Valid TwiML that this stand-in does not execute (e.g. <Record>, <Conference>)."""


class ScriptError(SimulatorError):
    """The scripted caller input does not fit what the call is waiting for."""
