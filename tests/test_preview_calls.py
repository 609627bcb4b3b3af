"""Calls played in the browser are marked as previews: the dialer never dials them."""

from __future__ import annotations

from dialer.line import place_in_line
from dialer.placing import claim, due_call_ids
from extensions import db
from models import utcnow
from tests.support.factories import make_call, make_campaign, make_district, make_target
from tests.support.pages import DEMO, GOOD_PHONE, load_demo_campaign, only_call, seed_geography


def test_a_call_requested_without_twilio_is_a_preview(app, client, runner):
    load_demo_campaign(runner)
    seed_geography()
    response = client.post(f"/c/{DEMO}", data={"phone": GOOD_PHONE, "location": "01003", "name": "", "town": ""})
    assert response.status_code == 303
    assert only_call().preview is True


def test_the_dialer_never_takes_a_preview_call(app):
    campaign = make_campaign()
    senator = make_target("Jane Doe", district=make_district("upper"))
    real = make_call(app, campaign, [senator])
    preview = make_call(app, campaign, [senator], phone="+16175550124")
    preview.preview = True
    db.session.commit()
    now = utcnow()
    assert due_call_ids(now) == [real.id]
    assert claim(preview.id, now) == (False, False)
    assert claim(real.id, now) == (True, False)


def test_preview_calls_are_never_in_line_nor_ahead_of_a_supporter(app):
    campaign = make_campaign()
    senator = make_target("Jane Doe", district=make_district("upper"))
    preview = make_call(app, campaign, [senator], phone="+16175550124")
    preview.preview = True
    real = make_call(app, campaign, [senator])
    db.session.commit()
    assert place_in_line(db.session, preview, 1.0) is None
    line = place_in_line(db.session, real, 1.0)
    assert line is not None and line.place == 1
