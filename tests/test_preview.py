"""The in-browser preview walks a whole call through the real webhooks when Twilio is not configured."""

from __future__ import annotations

from sqlalchemy import select

from extensions import db
from models import Call, CallLeg, CallSource, CallStatus, CampaignStatus, LegStatus, ZipDistrict
from tests.support.factories import make_call, make_campaign, make_district, make_target
from tests.support.settings import TWILIO_TOKEN


def _setup(app):
    campaign = make_campaign(greeting="Thanks for standing up for families.")
    senator = make_target("Jane Doe", "State Senator", "+16177220001", make_district("upper", "First Middlesex"))
    rep = make_target("John Roe", "State Representative", "+16177220002", make_district("lower", "2nd Suffolk"))
    return make_call(app, campaign, [senator, rep])


def act(client, call, action, value=None):
    data = {"action": action, **({"value": value} if value else {})}
    response = client.post(f"/calls/{call.public_id}/preview", data=data)
    assert response.status_code == 303, response.data
    return client.get(f"/calls/{call.public_id}/preview").get_data(as_text=True)


def test_a_whole_call_can_be_walked_in_the_browser(app, client):
    call = _setup(app)
    page = client.get(f"/calls/{call.public_id}/preview").get_data(as_text=True)
    assert "Preview — no phone will ring" in page and "Start the preview" in page

    page = act(client, call, "start")
    assert "Thanks for standing up for families." in page
    assert 'aria-label="Phone keypad"' in page
    db.session.expire_all()
    assert db.session.get_one(Call, call.id).status == CallStatus.in_progress

    page = act(client, call, "key", "1")
    assert "Jane Doe" in page and "What happens at the other end?" in page
    page = act(client, call, "dial", "busy")
    assert "the line was busy" in page
    page = act(client, call, "key", "1")
    page = act(client, call, "dial", "answered")
    assert "connected for 60 seconds" in page
    assert "The call is over." in page

    db.session.expire_all()
    call = db.session.get_one(Call, call.id)
    assert call.status == CallStatus.completed and call.step == "done"
    legs = db.session.scalars(select(CallLeg).where(CallLeg.call_id == call.id).order_by(CallLeg.position)).all()
    assert [leg.status for leg in legs] == [LegStatus.busy, LegStatus.completed]


def test_inputs_that_do_not_fit_the_moment_change_nothing(app, client):
    call = _setup(app)
    act(client, call, "start")
    before = client.get(f"/calls/{call.public_id}/preview").get_data(as_text=True)
    after = act(client, call, "dial", "busy")  # not dialing yet
    assert after == before
    assert act(client, call, "key", "<script>") == before


def test_there_is_no_preview_when_twilio_places_real_calls(make_app):
    app = make_app(TWILIO_ACCOUNT_SID="AC" + "1" * 32, TWILIO_AUTH_TOKEN=TWILIO_TOKEN)
    with app.app_context():
        call = _setup(app)
        assert app.test_client().get(f"/calls/{call.public_id}/preview").status_code == 404


def test_an_unknown_call_has_no_preview(client):
    assert client.get("/calls/not-a-call/preview").status_code == 404


def test_the_office_can_answer_with_its_voicemail(app, client):
    call = _setup(app)
    act(client, call, "start")
    page = act(client, call, "key", "1")
    assert "Their voicemail answers" in page
    page = act(client, call, "dial", "voicemail")
    # To Twilio a voicemail is a call that connected; the call page then counts the message as reached.
    assert "connected for 25 seconds" in page
    db.session.expire_all()
    legs = db.session.scalars(select(CallLeg).where(CallLeg.call_id == call.id).order_by(CallLeg.position)).all()
    assert legs[0].status == LegStatus.completed


def _call_in_setup(app):
    """A campaign on its own number, with ZIP 01001 in one district per chamber."""
    app.config["CENSUS_GEOCODER_URL"] = ""  # never the real Census from a test
    call = _setup(app)
    for leg in call.legs:
        db.session.add(ZipDistrict(zcta="01001", district_id=leg.target.district_id, rank=1))
    db.session.commit()
    return call.campaign


def test_the_campaign_page_offers_a_preview_of_calling_its_number(app, client):
    campaign = _call_in_setup(app)
    page = client.get(f"/c/{campaign.slug}").get_data(as_text=True)
    assert f'<a href="/c/{campaign.slug}/call-in-preview">preview calling (617) 539-7340</a>' in page
    start = client.get(f"/c/{campaign.slug}/call-in-preview").get_data(as_text=True)
    assert "What calling (617) 539-7340 sounds like" in start and "Start the preview" in start


def test_a_call_in_can_be_walked_in_the_browser(app, client):
    campaign = _call_in_setup(app)
    response = client.post(f"/c/{campaign.slug}/call-in-preview", data={"action": "start"})
    assert response.status_code == 303
    call = db.session.scalars(select(Call).where(Call.source == CallSource.call_in)).one()
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "What calling (617) 539-7340 sounds like" in page
    assert "Please enter your five-digit ZIP code." in page

    assert 'maxlength="5"' in page  # the ZIP can be typed at once
    page = act(client, call, "key", "01001")
    assert "Thanks for standing up for families." in page  # the call's own flow, as on a call-back
    page = act(client, call, "key", "1")
    page = act(client, call, "dial", "answered")
    page = act(client, call, "key", "1")
    page = act(client, call, "dial", "busy")
    assert "The call is over." in page and "Back to the campaign" in page
    db.session.expire_all()
    call = db.session.get_one(Call, call.id)
    assert call.status == CallStatus.completed and [leg.status for leg in call.legs] == [
        LegStatus.completed,
        LegStatus.busy,
    ]


def test_a_paused_campaigns_line_is_previewed_as_it_answers(app, client):
    campaign = _call_in_setup(app)
    campaign.status = CampaignStatus.paused
    db.session.commit()
    page = client.post(f"/c/{campaign.slug}/call-in-preview").get_data(as_text=True)
    assert "It isn&#39;t taking calls right now." in page and "The call is over." in page
    assert db.session.scalars(select(Call).where(Call.source == CallSource.call_in)).first() is None
