"""What an organiser does about a flagged office number, in the console and the CLI: checked, out of rotation,
replaced; each audited, and a bad number changes nothing."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from sqlalchemy import select, update

from callflow.vocabulary import Step
from extensions import db
from models import AuditEntry, Call, LegStatus, Office, OfficeNumber, Role, Target
from tests.support.console import signed_in_client
from tests.support.factories import make_call, make_campaign, make_district, make_target
from tests.support.signing import signed_post
from tests.support.twiml import find

DEAD, GOOD, DISTRICT = "+16177220002", "+16177220001", "+15087570323"


def dead_number(app) -> Target:
    """A representative whose State House number failed six times out of six, with a district office."""
    campaign = make_campaign()
    rep = make_target("Dee Dead", "State Representative", DEAD, make_district("lower", "1st Alpha"))
    rep.offices = [Office(position=0, kind="capitol", phone=DEAD), Office(position=1, kind="district", phone=DISTRICT)]
    for _ in range(6):
        call = make_call(app, campaign, [rep])
        call.legs[0].status = LegStatus.failed
    db.session.commit()
    return rep


def test_the_console_shows_a_flagged_number_with_its_evidence_and_a_viewer_cannot_act(app):
    dead_number(app)
    viewer = signed_in_client(app, Role.viewer)
    page = viewer.get("/console/numbers/").get_data(as_text=True)
    assert DEAD in page and "State Representative Dee Dead" in page and "Looks wrong" in page
    assert "<td>6</td>" in page  # six dials, six failed
    assert "Mark checked" not in page and "Replace" not in page
    assert viewer.post("/console/numbers/act", data={"phone": DEAD, "action": "out"}).status_code == 403
    assert db.session.get(OfficeNumber, DEAD) is None


def test_marking_a_number_checked_hides_the_flag_until_new_evidence(app, runner):
    rep = dead_number(app)
    organiser = signed_in_client(app, Role.organiser)
    response = organiser.post("/console/numbers/act", data={"phone": DEAD, "action": "checked"})
    assert response.status_code == 303
    assert "1 look wrong" not in runner.invoke(args=["targets", "health"]).output
    assert "No office number looks wrong." in organiser.get("/console/numbers/").get_data(as_text=True)
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "number.checked"))
    assert entry.subject == DEAD and entry.user is not None
    # Five more failed dials after the check: flagged again.
    for _ in range(5):
        make_call(app, make_campaign(), [rep]).legs[0].status = LegStatus.failed
    db.session.commit()
    assert "1 look wrong" in runner.invoke(args=["targets", "health"]).output


def test_a_number_out_of_rotation_is_not_dialed_and_the_district_office_is(twilio_app, runner):
    rep = dead_number(twilio_app)
    result = runner.invoke(args=["targets", "out-of-rotation", DEAD])
    assert result.exit_code == 0, result.output
    call = make_call(twilio_app, make_campaign(), [rep], phone="+16175550199")
    db.session.execute(update(Call).where(Call.id == call.id).values(step=Step.SCRIPT))
    db.session.commit()
    response = signed_post(twilio_app.test_client(), f"/twilio/calls/{call.public_id}/gather", {"Digits": "1"})
    assert find(ET.fromstring(response.data), "./Dial/Number").text == DISTRICT
    health = runner.invoke(args=["targets", "health"]).output
    assert f"{DEAD}  LOOKS WRONG, OUT OF ROTATION" in health
    assert db.session.scalars(select(AuditEntry.action)).all() == ["number.out_of_rotation"]
    assert runner.invoke(args=["targets", "out-of-rotation", "--back", DEAD]).exit_code == 0
    assert db.session.get_one(OfficeNumber, DEAD).out_of_rotation is False


def test_replacing_a_number_gives_its_offices_the_new_one_and_is_audited(app):
    dead_number(app)
    organiser = signed_in_client(app, Role.organiser)
    response = organiser.post(
        "/console/numbers/act", data={"phone": DEAD, "action": "replace", "new_phone": "(617) 722-2999"}
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.scalars(select(Target.phone)).all() == ["+16177222999"]
    assert sorted(db.session.scalars(select(Office.phone))) == [DISTRICT, "+16177222999"]
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "number.replace"))
    assert entry.changes["phone"] == [DEAD, "+16177222999"]
    assert db.session.get_one(OfficeNumber, DEAD).replaced_by == "+16177222999"


def test_a_bad_replacement_says_why_and_changes_nothing(app, runner):
    dead_number(app)
    organiser = signed_in_client(app, Role.organiser)
    for new, why in [("not a number", "That is not a phone number"), ("+1 900 555 0199", "cannot be an office")]:
        response = organiser.post(
            "/console/numbers/act", data={"phone": DEAD, "action": "replace", "new_phone": new}, follow_redirects=True
        )
        assert why in response.get_data(as_text=True)
    result = runner.invoke(args=["targets", "replace", GOOD, "+16177222999"])
    assert result.exit_code != 0 and "No office has the number" in result.output
    db.session.expire_all()
    assert db.session.scalars(select(Target.phone)).all() == [DEAD]
    assert db.session.scalars(select(AuditEntry)).all() == []
    assert db.session.get(OfficeNumber, DEAD) is None
