"""Benchmark: a surge on a few office numbers — how many legs reach a free line, with and without OFFICE_LINE_LIMIT.

Every supporter calls the same state senator (one number) and one of three state representatives who
share one State House number (as 34 MA State House numbers are shared by two to six legislators).
The offices are the voice stand-in's (`voicesim.Offices`): each number has LINES lines, and a Dial to
a number whose lines are all in use answers busy; an answered conversation lasts TALK seconds.
Supporters are answered spread evenly over the window, press 1 after the talking points and then
stay silent (silence at an offer connects; silence while waiting keeps waiting). Time is simulated,
the webhooks are real (the app in-process on a fresh SQLite file, or --database-url).

Reports for each run: the Dials placed, how many reached a free line (answered) and how many heard
busy, legs connected and legs left unconnected, and the supporters' time on the phone.

    .venv/bin/python bench/lines.py [--supporters 60] [--window 120] [--lines 2] [--talk 120]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import update

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from extensions import db  # noqa: E402
from models import Call, CallLeg, CallStatus, LegStatus  # noqa: E402
from tests.support.factories import make_call, make_campaign, make_district, make_target  # noqa: E402
from tests.support.settings import PUBLIC_BASE_URL, TEST_CONFIG, TWILIO_SID, TWILIO_TOKEN  # noqa: E402
from voicesim import CallSimulator, OfficeCall, Offices, WSGITransport  # noqa: E402
from voicesim.events import Dialed  # noqa: E402

SENATOR, STATE_HOUSE = "+16177220001", "+16177220100"


def run(database_url: str, limit: int, supporters: int, window: float, lines: int, talk: int) -> dict[str, float]:
    """One surge with OFFICE_LINE_LIMIT=limit (0: no limit); its figures."""
    app = create_app(
        {
            **TEST_CONFIG,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "TWILIO_ACCOUNT_SID": TWILIO_SID,
            "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
            "OFFICE_LINE_LIMIT": limit,
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        campaign = make_campaign()
        senator = make_target("Jane Doe", "State Senator", SENATOR, make_district("upper", "First Middlesex"))
        reps = [
            make_target(name, "State Representative", STATE_HOUSE, make_district("lower", f"{n + 1}st Suffolk"))
            for n, name in enumerate(("John Roe", "Ann Poe", "Lee Moe"))
        ]
        calls = [make_call(app, campaign, [senator, reps[n % 3]], phone=f"+1617555{n:04d}") for n in range(supporters)]
        db.session.execute(update(Call).values(status=CallStatus.in_progress))
        db.session.commit()
        surge = [
            OfficeCall(
                start_at=window * n / supporters,
                url=f"{PUBLIC_BASE_URL}/twilio/calls/{c.public_id}/answered",
                start={"to": f"+1617555{n:04d}", "from_": "+16175397340", "account_sid": TWILIO_SID},
                keys=["1"],
            )
            for n, c in enumerate(calls)
        ]
        offices = Offices(CallSimulator(WSGITransport(app), TWILIO_TOKEN), lines_per_number=lines, talk_seconds=talk)
        started = time.perf_counter()
        records = offices.run(surge)
        seconds = time.perf_counter() - started
        dials = Counter(d.status for r in records for d in r.events if isinstance(d, Dialed))
        legs = Counter(leg.status for leg in db.session.scalars(db.select(CallLeg)))
        skipped = Counter(leg.skip_reason for leg in db.session.scalars(db.select(CallLeg)) if leg.skip_reason)
        db.session.remove()
        db.engine.dispose()
    on_phone = [r.state.elapsed for r in records]
    return {
        "dials": sum(dials.values()),
        "free_line": dials["completed"],
        "busy": dials["busy"],
        "legs": supporters * 2,
        "connected": legs[LegStatus.completed],
        "unconnected": supporters * 2 - legs[LegStatus.completed],
        "skipped_lines_full": skipped["lines_full"],
        "minutes_p50": statistics.median(on_phone) / 60,
        "minutes_max": max(on_phone) / 60,
        "wall_seconds": seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--supporters", type=int, default=60)
    parser.add_argument("--window", type=float, default=120.0, help="seconds over which supporters are answered")
    parser.add_argument("--lines", type=int, default=2, help="lines per office number at the office")
    parser.add_argument("--talk", type=int, default=120, help="seconds each conversation lasts")
    parser.add_argument("--limit", type=int, default=2, help="OFFICE_LINE_LIMIT for the run with the limit")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/lines.sqlite3"
        print(
            f"{args.supporters} supporters over {args.window:.0f} s; each office number has {args.lines} lines, "
            f"conversations last {args.talk} s"
        )
        print(
            "OFFICE_LINE_LIMIT | dials | reached a free line | heard busy | legs connected | not connected "
            "(waited out) | minutes on the phone p50 / max | wall s"
        )
        for limit in (0, args.limit):
            f = run(url, limit, args.supporters, args.window, args.lines, args.talk)
            print(
                f"{limit or 'off'} | {f['dials']} | {f['free_line']} ({f['free_line'] / f['dials']:.0%}) | "
                f"{f['busy']} | {f['connected']} of {f['legs']} | {f['unconnected']} ({f['skipped_lines_full']}) | "
                f"{f['minutes_p50']:.1f} / {f['minutes_max']:.1f} | {f['wall_seconds']:.1f}"
            )


if __name__ == "__main__":
    main()
