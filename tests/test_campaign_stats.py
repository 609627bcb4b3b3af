"""`flask campaign stats`: the console's figures, as text — counts only, no supporter's details, no previews."""

from calls.planning import start_call_in
from extensions import db
from models import CallLegAttempt, CallStatus, LegStatus
from tests.support.factories import make_call, make_campaign, make_district, make_target, vault


def test_stats_print_the_consoles_figures_and_leave_previews_out(app, runner):
    campaign = make_campaign(slug="families", title="Families")
    senator = make_target("Jane Doe", "State Senator", district=make_district("upper"))
    rep = make_target("John Roe", "State Representative", "+16177220002", make_district("lower"))
    first = make_call(app, campaign, [senator, rep], phone="+16175550101", supporter_name="Ana")
    second = make_call(app, campaign, [senator, rep], phone="+16175550101")
    third = make_call(app, campaign, [senator], phone="+16175550102")
    preview = make_call(app, campaign, [senator], phone="+16175550103")
    preview.preview = True
    third.not_requested = True
    first.status, second.status, third.status = CallStatus.completed, CallStatus.completed, CallStatus.failed
    for call in (first, second):
        call.step, call.answered_by = "done", "human"
    first.legs[0].status, first.legs[1].status = LegStatus.completed, LegStatus.busy
    first.legs[0].feedback, first.legs[0].duration = "not_reached", 40
    second.legs[0].status, second.legs[1].status = LegStatus.completed, LegStatus.completed
    second.legs[0].duration, second.legs[1].duration = 80, 65
    # The representative's State House line was busy on the second call; their district office answered.
    second.legs[1].failovers = [CallLegAttempt(line=0, kind="capitol", status=LegStatus.busy)]
    second.legs[1].line, second.legs[1].line_kind = 1, "district"
    db.session.commit()

    result = runner.invoke(args=["campaign", "stats", "families"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Families: 3 call(s) requested by 2 supporter(s)",
        "  answered by the supporter: 2",
        "  voicemail detected: 0",
        "  connected to at least one office: 2",
        "  whole call completed: 2",
        "  not asked for (pressed 9, number blocklisted): 1",
        "  by source: web 3, call-in 0, api 0",
        "Funnel: Requested 3 → Answered 2 → Heard the talking points 2 → Connected to the first office 2 → "
        "Connected to every office 1",
        "  State Senator Jane Doe: 2 attempt(s), 2 conversation(s); reported: spoke 0, left a message 0, "
        "couldn't get through 1; busy 0, no answer 0, skipped 0, failed over to another office line 0; "
        "median conversation 1 min",
        # Three office lines dialed for two legs: one conversation, two busy lines, one failover.
        "  State Representative John Roe: 3 attempt(s), 1 conversation(s); reported: spoke 0, left a message 0, "
        "couldn't get through 0; busy 2, no answer 0, skipped 0, failed over to another office line 1; "
        "median conversation 1 min 5 sec",
        "Districts reached: 2 of 2",
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
    lines = result.output.splitlines()
    assert lines[0] == "Families: 3 call(s) requested by 1 supporter(s)"
    assert "  by source: web 1, call-in 2, api 0" in lines
