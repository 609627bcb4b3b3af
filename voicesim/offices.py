"""Office numbers whose lines fill up: several simulated calls side by side on one simulated clock.

One call alone never meets a full office. In a surge, many supporters dial the same few numbers at
once, and an office number has only so many lines: a caller who dials it while they are all in use
hears busy. :class:`Offices` runs many calls together, each at its own start time; a ``<Dial>`` to a
number that already has ``lines_per_number`` live conversations ends busy at once, any other is
answered and talks for ``talk_seconds``, holding one of the number's lines until it ends. Key
presses come from each call's script (silence once it runs out). Time is simulated: the engine's
own clock per call (pauses, Gather timeouts, rings, conversations), so a surge of minutes runs in
seconds.
"""

from __future__ import annotations

import heapq
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from voicesim.engine import CallSimulator
from voicesim.events import Event
from voicesim.script import CallerInput, DialOutcome
from voicesim.state import CallRecord, SimCallState


@dataclass
class OfficeCall:
    """One supporter's call in the surge: when it is answered, what the simulator needs to start it, its keys."""

    start_at: float
    url: str
    start: Mapping[str, Any]  # CallSimulator.start keyword arguments: to, from_, account_sid, call_sid…
    keys: list[CallerInput] = field(default_factory=list)


@dataclass
class _Running:
    call: OfficeCall
    state: SimCallState
    events: list[Event]


class Offices:
    """Office numbers with ``lines_per_number`` lines each, answered by calls that talk ``talk_seconds``."""

    def __init__(self, simulator: CallSimulator, lines_per_number: int, talk_seconds: int, ring_seconds: int = 5):
        if lines_per_number < 1:
            raise ValueError("an office number has at least one line")
        self.simulator = simulator
        self.lines_per_number = lines_per_number
        self.talk_seconds = talk_seconds
        self.ring_seconds = ring_seconds
        self.live: Counter[str] = Counter()  # conversations on each number right now
        self.most_live: Counter[str] = Counter()  # the most any number had at once

    def run(self, calls: Sequence[OfficeCall]) -> list[CallRecord]:
        """Run every call to its end, in simulated time order; their records in the order given."""
        running: list[_Running] = []
        queue: list[tuple[float, int, int, str | None]] = []  # (when, tie-break, call, line to give back)
        for n, call in enumerate(calls):
            step = self.simulator.start(call.url, **call.start)
            running.append(_Running(call, step.state, list(step.events)))
            heapq.heappush(queue, (self._now(running[n]), n, n, None))
        order = len(calls)
        while queue:
            _, _, n, releasing = heapq.heappop(queue)
            run = running[n]
            if releasing is not None:
                self.live[releasing] -= 1  # the conversation is over: its line is free again
                self._resume(run, DialOutcome.answered(self.talk_seconds, ring_seconds=self.ring_seconds))
            elif run.state.finished:
                continue
            elif run.state.waiting_for == "gather":
                self._resume(run, run.call.keys.pop(0) if run.call.keys else None)
            else:
                number = _dialing(run.state)
                if self.live[number] >= self.lines_per_number:
                    self._resume(run, DialOutcome.busy())
                else:
                    self.live[number] += 1
                    self.most_live[number] = max(self.most_live[number], self.live[number])
                    ends = self._now(run) + self.ring_seconds + self.talk_seconds
                    order += 1
                    heapq.heappush(queue, (ends, order, n, number))
                    continue
            if not run.state.finished:
                order += 1
                heapq.heappush(queue, (self._now(run), order, n, None))
        return [CallRecord(state=r.state, events=r.events) for r in running]

    def _now(self, run: _Running) -> float:
        return run.call.start_at + run.state.elapsed

    def _resume(self, run: _Running, given: CallerInput) -> None:
        step = self.simulator.resume(run.state, given)
        run.state = step.state
        run.events.extend(step.events)


def _dialing(state: SimCallState) -> str:
    """The number the call's current <Dial> rings (its first <Number>, or the Dial's own text)."""
    verb = list(ET.fromstring(state.document))[state.index]
    number = verb.find("Number")
    return ((number.text if number is not None else verb.text) or "").strip()
