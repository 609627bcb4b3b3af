"""`flask campaign stats`: what an organiser sees — counts only, no supporter's details."""

from calls.planning import start_call_in
from extensions import db
from models import CallStatus, LegStatus
from tests.support.factories import make_call, make_campaign, make_district, make_target, vault


def test_stats_count_calls_supporters_and_each_targets_outcomes(app, runner):
    campaign = make_campaign(slug="families", title="Families")
    senator = make_target("Jane Doe", "State Senator", district=make_district("upper"))
    rep = make_target("John Roe", "State Representative", "+16177220002", make_district("lower"))
    first = make_call(app, campaign, [senator, rep], phone="+16175550101", supporter_name="Ana")
    second = make_call(app, campaign, [senator, rep], phone="+16175550101")
    third = make_call(app, campaign, [senator], phone="+16175550102")
    first.status, second.status, third.status = CallStatus.completed, CallStatus.completed, CallStatus.failed
    third.not_requested = True
    first.legs[0].status, first.legs[1].status = LegStatus.completed, LegStatus.busy
    second.legs[0].status, second.legs[1].status = LegStatus.completed, LegStatus.completed
    db.session.commit()

    result = runner.invoke(args=["campaign", "stats", "families"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Families: 3 call(s) from 2 supporter(s)",
        "  completed: 2",
        "  failed: 1",
        "  by source: web 3, call-in 0",
        "  not asked for (pressed 9, number blocklisted): 1",
        "  State Senator Jane Doe: 2 reached, 0 missed, of 3 planned",
        "  State Representative John Roe: 1 reached, 1 missed, of 2 planned",
    ]
    assert "Ana" not in result.output and "555" not in result.output


def test_stats_for_an_unknown_campaign_say_so(runner):
    result = runner.invoke(args=["campaign", "stats", "nope"])
    assert result.exit_code == 1 and "no campaign 'nope'" in result.output


def test_stats_count_call_ins_by_source_and_a_withheld_caller_as_no_supporter(app, runner):
    campaign = make_campaign(slug="families", title="Families")
    make_call(app, campaign, [make_target("Jane Doe", district=make_district("upper"))], phone="+16175550101")
    start_call_in(db.session, campaign, vault(app).hash("+16175550101"), None)
    start_call_in(db.session, campaign, None, None)
    db.session.commit()

    result = runner.invoke(args=["campaign", "stats", "families"])
    assert result.output.splitlines()[:4] == [
        "Families: 3 call(s) from 1 supporter(s)",
        "  in-progress: 2",
        "  queued: 1",
        "  by source: web 1, call-in 2",
    ]
