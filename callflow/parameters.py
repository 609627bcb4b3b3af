"""Reading Twilio's request parameters into the call flow's events (:mod:`callflow.vocabulary`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final

from .vocabulary import (
    DIAL_LINE_PARAM,
    EVENT_ANSWERED,
    EVENT_DIAL,
    EVENT_GATHER,
    EVENT_SILENCE,
    EVENT_VOICEMAIL,
    MAX_LINES,
    MAX_SPEECH_CHARS,
    Answered,
    DialFinished,
    Event,
    GatherResult,
    Silence,
    Voicemail,
)


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _confidence(value: str | None) -> float | None:
    try:
        number = float(value) if value else None
    except ValueError:
        return None
    return number if number is not None and 0.0 <= number <= 1.0 else None  # NaN fails both comparisons


def _line(value: str | None) -> int:
    number = _int_or_none(value)
    return number if number is not None and 0 <= number < MAX_LINES else 0


def _bool_or_none(value: str | None) -> bool | None:
    return {"true": True, "false": False}.get((value or "").lower())


_PARSERS: Final[Mapping[str, Callable[[Mapping[str, str]], Event]]] = MappingProxyType(
    {
        EVENT_ANSWERED: lambda form: Answered(form.get("AnsweredBy") or None),
        EVENT_GATHER: lambda form: GatherResult(
            form.get("Digits", ""),
            speech=form.get("SpeechResult", "")[:MAX_SPEECH_CHARS],
            confidence=_confidence(form.get("Confidence")),
        ),
        EVENT_SILENCE: lambda form: Silence(),
        EVENT_VOICEMAIL: lambda form: Voicemail(),
        EVENT_DIAL: lambda form: DialFinished(
            status=form.get("DialCallStatus", ""),
            duration=_int_or_none(form.get("DialCallDuration")),
            sid=form.get("DialCallSid") or None,
            bridged=_bool_or_none(form.get("DialBridged")),
            line=_line(form.get(DIAL_LINE_PARAM)),
        ),
    }
)


def parse_event(name: str, form: Mapping[str, str]) -> Event:
    """Build the event for webhook ``name`` from Twilio's request parameters."""
    try:
        parser = _PARSERS[name]
    except KeyError:
        raise ValueError(f"unknown flow event {name!r}") from None
    return parser(form)
