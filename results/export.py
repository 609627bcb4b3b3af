"""The calls CSV: one row per leg, never a phone number, a name or a town."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from results.records import CallRecord

COLUMNS = (
    "requested_at",
    "call_status",
    "answered_by",
    "leg",
    "district",
    "target",
    "twilio_status",
    "supporter_answer",
    "skip_reason",
    "leg_started_at",
    "duration_seconds",
    # The Twilio statuses of the office lines the leg failed over from before its own, e.g. "busy".
    "failed_over_from",
    # Where the call was asked for: web (the campaign page), call-in, or api. Last, so earlier columns keep their place.
    "source",
)


def _iso(moment) -> str:
    return moment.isoformat() if moment is not None else ""


def csv_lines(calls: Iterable[CallRecord]) -> Iterator[str]:
    """The header, then one line per leg (a call without legs gets one line), produced as the calls are read."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(row) -> str:
        buffer.seek(0)
        buffer.truncate()
        # A cell starting with = + - @ would be a formula to a spreadsheet: quote it as text.
        writer.writerow(
            ["'" + cell if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@") else cell for cell in row]
        )
        return buffer.getvalue()

    yield line(COLUMNS)
    for call in calls:
        base = [_iso(call.created_at), call.status, call.answered_by or ""]
        if not call.legs:
            yield line([*base, "", "", "", "", "", "", "", "", "", call.source])
        for leg in call.legs:
            yield line(
                [
                    *base,
                    leg.position + 1,
                    leg.district,
                    leg.target,
                    leg.status,
                    leg.feedback or "",
                    leg.skip_reason or "",
                    _iso(leg.started_at),
                    "" if leg.duration is None else leg.duration,
                    ";".join(leg.failovers),
                    call.source,
                ]
            )
