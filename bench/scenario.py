"""The call both benchmarks play: a fresh schema, one campaign, a senator who answers, a representative who is busy."""

from __future__ import annotations

from extensions import db
from tests.support.factories import make_call, make_campaign, make_district, make_target
from voicesim import DialOutcome

SENATOR_PHONE = "+16177220001"
REP_PHONE = "+16177220002"
# Keys the supporter presses: go on, feedback "spoke", connect the representative; silence after that.
INPUTS = ["1", "1", "1"]


def dial_scenario() -> dict[str, DialOutcome]:
    """What each office does when dialed."""
    return {SENATOR_PHONE: DialOutcome.answered(60), REP_PHONE: DialOutcome.busy()}


def seed_calls(app, count: int) -> list[str]:
    """Recreate the schema and queue `count` calls; returns their public ids. Needs an app context."""
    db.drop_all()
    db.create_all()
    campaign = make_campaign(ask_feedback=True)
    senator = make_target("Jane Doe", "State Senator", SENATOR_PHONE, make_district("upper"))
    rep = make_target("John Roe", "State Representative", REP_PHONE, make_district("lower"))
    return [make_call(app, campaign, [senator, rep], phone=f"+1617555{n:04d}").public_id for n in range(count)]
