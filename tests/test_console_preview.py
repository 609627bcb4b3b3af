"""Preview before going live: the supporters' page for a draft, and a test call played in the browser."""

from __future__ import annotations

from sqlalchemy import func, select

from dialer.placing import run_due
from extensions import db
from models import AuditEntry, Call, CampaignStatus, Role
from tests.support.console import signed_in_client
from tests.support.factories import make_campaign
from tests.support.pages import seed_geography


def _draft():
    campaign = make_campaign(slug="draft-one", status=CampaignStatus.draft, headline="Draft headline here")
    seed_geography()
    db.session.commit()
    return campaign


def test_an_organiser_sees_a_draft_page_as_supporters_will(app):
    _draft()
    assert app.test_client().get("/c/draft-one").status_code == 404  # not public yet
    page = signed_in_client(app, Role.organiser).get("/console/campaigns/draft-one/preview").get_data(as_text=True)
    assert "Draft headline here" in page and "<strong>Preview.</strong>" in page
    assert 'class="call-form"' in page


def test_a_test_call_plans_a_preview_call_and_opens_it_in_the_browser(app):
    _draft()
    client = signed_in_client(app, Role.organiser)
    response = client.post("/console/campaigns/draft-one/test-call", data={"zip": "01003"})
    assert response.status_code == 303
    call = db.session.scalars(select(Call)).one()
    assert call.preview is True and len(call.legs) == 2
    assert response.headers["Location"] == f"/calls/{call.public_id}/preview"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Start the preview" in page
    assert db.session.scalars(select(AuditEntry.action)).all()[-1] == "campaign.test_call"


def test_a_test_call_is_previewed_and_never_dialed_even_with_twilio(twilio_app, rest):
    _draft()
    client = signed_in_client(twilio_app, Role.organiser)
    response = client.post("/console/campaigns/draft-one/test-call", data={"zip": "01003"})
    location = response.headers["Location"]
    assert client.get(location).status_code == 200
    started = client.post(location, data={"action": "start"})
    assert started.status_code == 303
    assert "Thanks for calling about families." in client.get(location).get_data(as_text=True)
    run_due(twilio_app)
    assert rest.created() == []


def test_a_bad_or_split_zip_says_why_and_plans_nothing(app):
    _draft()
    client = signed_in_client(app, Role.organiser)
    for zip_code, words in (("12", "five-digit ZIP"), ("01001", "split between districts")):
        response = client.post("/console/campaigns/draft-one/test-call", data={"zip": zip_code})
        assert response.status_code == 303
        assert words in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Call)) == 0
