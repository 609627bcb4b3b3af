"""`flask targets health`: office numbers whose recent dials look like a wrong number, with the evidence."""

from __future__ import annotations

from datetime import timedelta

from extensions import db
from models import CallLeg, CallLegAttempt, LegStatus, utcnow
from tests.support.factories import make_call, make_campaign, make_district, make_target

GOOD, DEAD, FULL = "+16177220001", "+16177220002", "+16177220003"


def dial(app, campaign, target, status: LegStatus, duration: int | None = None, feedback: str | None = None, n=1):
    for _ in range(n):
        call = make_call(app, campaign, [target])
        leg = call.legs[0]
        leg.status, leg.duration, leg.feedback = status, duration, feedback
    db.session.commit()


def test_a_number_that_fails_or_cuts_off_is_flagged_with_its_evidence_and_a_busy_one_is_not(app, runner):
    campaign = make_campaign()
    good = make_target("Ann Good", "State Senator", GOOD, make_district("upper", "First Testing"))
    dead = make_target("Dee Dead", "State Representative", DEAD, make_district("lower", "1st Alpha"))
    full = make_target("Bo Busy", "State Representative", FULL, make_district("lower", "2nd Alpha"))
    dial(app, campaign, good, LegStatus.completed, 120, n=6)
    dial(app, campaign, dead, LegStatus.failed, n=2)
    dial(app, campaign, dead, LegStatus.completed, 4, n=2)  # "the number you have dialed is not in service"
    dial(app, campaign, dead, LegStatus.completed, 60, feedback="not_reached")
    dial(app, campaign, dead, LegStatus.completed, 90, feedback="spoke")
    dial(app, campaign, full, LegStatus.busy, n=5)
    dial(app, campaign, full, LegStatus.completed, 200)

    result = runner.invoke(args=["targets", "health"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "3 number(s) dialed in the last 7 day(s); 1 look wrong.",
        f"{DEAD}  LOOKS WRONG  (State Representative Dee Dead)",
        "    6 dials: 2 failed, 2 connected under 10 s, 1 'couldn't get through', 0 busy, 0 unanswered",
    ]

    every = runner.invoke(args=["targets", "health", "--all"]).output.splitlines()
    assert [line.split("  ")[:2] for line in every if line.startswith("+1")] == [
        [DEAD, "LOOKS WRONG"],
        [FULL, "ok"],
        [GOOD, "ok"],
    ]
    assert "    6 dials: 0 failed, 0 connected under 10 s, 0 'couldn't get through', 5 busy, 0 unanswered" in every


def test_a_few_bad_dials_are_not_enough_to_judge_and_old_ones_do_not_count(app, runner):
    campaign = make_campaign()
    dead = make_target("Dee Dead", "State Representative", DEAD, make_district("lower", "1st Alpha"))
    dial(app, campaign, dead, LegStatus.failed, n=4)
    assert "0 look wrong" in runner.invoke(args=["targets", "health"]).output

    dial(app, campaign, dead, LegStatus.failed, n=2)
    for call in {leg.call for leg in dead_legs(dead)}:
        call.created_at = utcnow() - timedelta(days=30)
    db.session.commit()
    output = runner.invoke(args=["targets", "health", "--days", "7"]).output
    assert output.startswith("0 number(s) dialed in the last 7 day(s); 0 look wrong.")
    assert "1 look wrong" in runner.invoke(args=["targets", "health", "--days", "60"]).output


def dead_legs(target):
    return db.session.scalars(db.select(CallLeg).where(CallLeg.target_id == target.id)).all()


def test_a_first_line_that_fails_over_is_judged_by_its_own_dials_not_by_the_district_office(app, runner):
    campaign = make_campaign()
    dead = make_target("Dee Dead", "State Representative", DEAD, make_district("lower", "1st Alpha"))
    for _ in range(5):
        # The State House number failed; the district office (another number) answered the leg.
        call = make_call(app, campaign, [dead])
        leg = call.legs[0]
        leg.status, leg.duration, leg.line, leg.line_kind = LegStatus.completed, 300, 1, "district"
        leg.failovers = [CallLegAttempt(line=0, kind="capitol", status=LegStatus.failed)]
    db.session.commit()

    output = runner.invoke(args=["targets", "health"]).output.splitlines()
    assert output == [
        "1 number(s) dialed in the last 7 day(s); 1 look wrong.",
        f"{DEAD}  LOOKS WRONG  (State Representative Dee Dead)",
        "    5 dials: 5 failed, 0 connected under 10 s, 0 'couldn't get through', 0 busy, 0 unanswered",
    ]
