"""A target's office lines as the call flow sees them: which one is free to dial, why one failed, their names aloud.

Pure: the route says which numbers are full (:class:`callflow.vocabulary.Lines`); nothing here reads a database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from .prompts import message
from .vocabulary import Leg, Line

_OFFICE_KINDS: Final = frozenset({"capitol", "district"})
# Why a line failed over, in words: by DialCallStatus ("completed" here was never bridged).
LINE_FAILURES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "busy": "line_busy",
        "no-answer": "line_no_answer",
        "failed": "line_failed",
        "completed": "line_no_answer",
        "answered": "line_no_answer",
    }
)
# What the supporter hears when a leg's last line ends without a conversation.
FAILURE_PROMPTS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "busy": "dial_busy",
        "no-answer": "dial_no_answer",
        "failed": "dial_failed",
        "canceled": "dial_canceled",
    }
)


def fails_over(status: str) -> bool:
    """A Dial result after which the target's next office line is tried: busy, silent, failed, or never bridged.

    Not "canceled": that is the supporter moving on (or hanging up), not the office's line.
    """
    return status in LINE_FAILURES


def free_line(lines: Sequence[Line], full: frozenset[str], start: int = 0) -> int | None:
    """The first of a leg's office lines from ``start`` whose number has a line free, or None."""
    return next((i for i in range(start, len(lines)) if lines[i].phone not in full), None)


@dataclass(frozen=True)
class Choice:
    """The leg to call next (None: none has a free line), the legs passed over, and those that cannot be dialed."""

    found: int | None
    passed: tuple[int, ...]  # dialable, but every line full: said, and come back to
    undialable: tuple[int, ...]  # vacant seats and targets without a number met on the way: skipped


def next_leg(
    legs: Sequence[Leg], pending: Set[int], full: frozenset[str], first: int | None = None, done: int | None = None
) -> Choice:
    """``first`` if a line of it is free, else the lowest pending leg (but ``done``) with a free line."""
    order = sorted(set(pending) - {first, done})
    passed: list[int] = []
    undialable: list[int] = []
    for position in [first, *order] if first is not None and first < len(legs) else order:
        leg = legs[position]
        if not leg.dialable:
            undialable.append(position)
        elif free_line(leg.lines, full) is None:
            passed.append(position)
        else:
            return Choice(position, tuple(passed), tuple(undialable))
    return Choice(None, tuple(passed), tuple(undialable))


def passed_over(position: int, pending: Set[int], legs: int) -> bool:
    """Whether this pending leg was passed over earlier (its lines were full): a leg after it has been called."""
    return any(later not in pending for later in range(position + 1, legs))


def line_name(kind: str | None) -> str:
    """ "State House line", "district office line", or "office line"."""
    return message(f"line_{kind}") if kind in _OFFICE_KINDS else message("line_other")


def office_name(kind: str | None) -> str:
    """ "State House office", "district office", or "other office"."""
    return message(f"office_{kind}") if kind in _OFFICE_KINDS else message("office_other")
