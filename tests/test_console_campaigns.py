"""Creating, editing, duplicating and running campaigns from the console, checked by the one campaign schema."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from console.campaign_form import form_values
from extensions import db
from models import AuditEntry, Campaign, CampaignStatus, Role
from tests.support.console import signed_in_client
from tests.support.factories import make_district, make_target

GOOD = {
    "title": "Fund the libraries",
    "slug": "libraries",
    "state": "MA",
    "target_chambers": "lower,upper",
    "headline": "Call about the libraries",
    "greeting": "Thanks for calling about libraries.",
    "talking_points": "Ask them to fund the libraries.",
    "timezone": "America/New_York",
    "ends_at": "2029-07-31T23:59",
    "ask_feedback": "1",
    "language": "en-US",
}


def _campaign(slug: str = "libraries") -> Campaign | None:
    db.session.expire_all()
    return db.session.scalars(select(Campaign).where(Campaign.slug == slug)).one_or_none()


def test_an_organiser_creates_a_draft_campaign_with_every_field_checked(app):
    client = signed_in_client(app, Role.organiser)
    response = client.post("/console/campaigns/new", data=GOOD)
    assert response.status_code == 303
    campaign = _campaign()
    assert campaign is not None
    assert campaign.status is CampaignStatus.draft
    assert campaign.target_chambers == ["lower", "upper"]
    assert campaign.ends_at is not None and campaign.ends_at.isoformat() == "2029-08-01T03:59:00+00:00"
    assert campaign.ask_feedback is True
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "campaign.create")).one()
    assert entry.changes["title"] == [None, "Fund the libraries"]


def test_invalid_fields_are_named_next_to_each_field_and_nothing_is_stored(app):
    client = signed_in_client(app, Role.organiser)
    bad = {**GOOD, "state": "ZZ", "caller_id": "12", "learn_more_url": "javascript:alert(1)", "slug": "Bad Slug"}
    response = client.post("/console/campaigns/new", data=bad)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field, words in {
        "state": "knows no state",
        "caller_id": "not a valid phone number",
        "learn_more_url": "must start with http",
        "slug": "slug must be",
    }.items():
        assert f'id="{field}-error"' in html and words in html.split(f'id="{field}-error"')[1].split("</p>")[0]
        assert f'aria-describedby="{field}-hint {field}-error" aria-invalid="true"' in html
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == 0


def test_call_hours_are_checked_and_kept(app):
    client = signed_in_client(app, Role.organiser)
    bad = client.post("/console/campaigns/new", data={**GOOD, "supporter_call_hours": "21:00-08:00"})
    assert bad.status_code == 422 and "start before end" in bad.get_data(as_text=True)
    good = client.post("/console/campaigns/new", data={**GOOD, "supporter_call_hours": "09:00-20:00"})
    assert good.status_code == 303
    campaign = _campaign()
    assert campaign is not None and campaign.supporter_call_hours == "09:00-20:00"


def test_a_nebraska_campaign_cannot_ask_for_a_house_it_does_not_have(app):
    client = signed_in_client(app, Role.organiser)
    response = client.post("/console/campaigns/new", data={**GOOD, "state": "NE"})
    assert response.status_code == 422
    assert "Nebraska&#39;s legislature has no such chamber" in response.get_data(as_text=True)


def test_editing_records_old_and_new_values_in_the_audit_log(app):
    client = signed_in_client(app, Role.organiser)
    client.post("/console/campaigns/new", data=GOOD)
    form = client.get("/console/campaigns/libraries/edit").get_data(as_text=True)
    assert 'value="2029-07-31T23:59"' in form
    response = client.post("/console/campaigns/libraries/edit", data={**GOOD, "headline": "Libraries need you"})
    assert response.status_code == 303
    assert _campaign().headline == "Libraries need you"  # type: ignore[union-attr]
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "campaign.update")).one()
    assert entry.changes == {"headline": ["Call about the libraries", "Libraries need you"]}


def test_every_setting_a_campaign_file_has_survives_an_edit_in_the_console(app):
    client = signed_in_client(app, Role.organiser)
    extra = {"organisation": "Library Friends", "paid_for_by": "Paid for by Library Friends", "contact": "a@b.org"}
    client.post(
        "/console/campaigns/new", data={**GOOD, **extra, "text_link": "1", "supporter_call_hours": "09:00-20:00"}
    )
    client.post("/console/campaigns/libraries/edit", data={**GOOD, **form_values(_campaign())})  # type: ignore[arg-type]
    campaign = _campaign()
    assert campaign is not None and campaign.text_link and campaign.supporter_call_hours == "09:00-20:00"
    assert campaign.ask_feedback and (campaign.organisation, campaign.paid_for_by, campaign.contact) == (
        "Library Friends",
        "Paid for by Library Friends",
        "a@b.org",
    )


def test_duplicating_makes_a_draft_copy_under_a_new_address(app):
    client = signed_in_client(app, Role.organiser)
    client.post("/console/campaigns/new", data=GOOD)
    client.post("/console/campaigns/libraries/duplicate")
    copy = _campaign("libraries-copy")
    assert copy is not None and copy.status is CampaignStatus.draft and copy.title == "Fund the libraries (copy)"


def test_status_changes_are_confirmed_and_follow_draft_live_paused_ended(app):
    client = signed_in_client(app, Role.organiser)
    client.post("/console/campaigns/new", data=GOOD)
    ask = client.get("/console/campaigns/libraries/status?status=live").get_data(as_text=True)
    assert "Go live: Fund the libraries?" in ask and "Yes, go live" in ask
    assert _campaign().status is CampaignStatus.draft  # type: ignore[union-attr]
    assert client.post("/console/campaigns/libraries/status", data={"status": "paused"}).status_code == 409
    for status in ("live", "paused", "live", "ended"):
        assert client.post("/console/campaigns/libraries/status", data={"status": status}).status_code == 303
        assert _campaign().status.value == status  # type: ignore[union-attr]
    assert client.post("/console/campaigns/libraries/status", data={"status": "live"}).status_code == 409
    steps = db.session.scalars(select(AuditEntry.changes).where(AuditEntry.action == "campaign.status")).all()
    assert [c["status"] for c in steps] == [
        ["draft", "live"],
        ["live", "paused"],
        ["paused", "live"],
        ["live", "ended"],
    ]


def test_a_paused_campaign_page_says_so_and_takes_no_calls(app):
    client = signed_in_client(app, Role.organiser)
    client.post("/console/campaigns/new", data=GOOD)
    client.post("/console/campaigns/libraries/status", data={"status": "live"})
    client.post("/console/campaigns/libraries/status", data={"status": "paused"})
    response = client.post("/c/libraries", data={"phone": "(617) 555-0123", "location": "01003"})
    assert response.status_code == 409
    assert "Calls are paused" in client.get("/c/libraries").get_data(as_text=True)


def test_a_viewer_cannot_create_or_edit(app):
    client = signed_in_client(app, Role.viewer)
    assert client.post("/console/campaigns/new", data=GOOD).status_code == 403
    assert _campaign() is None


_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)


@pytest.fixture
def organiser(app):
    """One organiser's signed-in client, shared by every example Hypothesis tries."""
    return signed_in_client(app, Role.organiser, "hypothesis@example.org")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.fixed_dictionaries(
        {},
        optional={
            name: st.one_of(_text, st.just("<script>alert(1)</script>"), st.just(GOOD.get(name, "")))
            for name in (*GOOD, "caller_id", "learn_more_url", "voice", "body", "summary")
        },
    )
)
@example({"state": "\x00"})
@example({**GOOD, "fixed_1": "\x00"})
def test_no_form_input_makes_a_5xx_stores_invalid_values_or_reaches_the_page_unescaped(organiser, data):
    before = db.session.scalar(select(func.count()).select_from(Campaign)) or 0
    response = organiser.post("/console/campaigns/new", data=data)
    assert response.status_code in (303, 422)
    html = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    after = db.session.scalar(select(func.count()).select_from(Campaign))
    assert after == before + (1 if response.status_code == 303 else 0)
    if response.status_code == 303:
        stored = db.session.scalars(select(Campaign).order_by(Campaign.id.desc())).first()
        assert stored is not None and stored.state == "MA" and stored.status is CampaignStatus.draft
        db.session.delete(stored)
        db.session.commit()


def test_extra_offices_are_chosen_from_the_directory_by_name_in_order(app):
    governor = make_target("Maura Healey", "Governor", "+16177254005")
    senator = make_target("Jane Doe", "State Senator", district=make_district("upper", "First Middlesex"))
    db.session.commit()
    client = signed_in_client(app, Role.organiser)
    form = client.get("/console/campaigns/new").get_data(as_text=True)
    assert f'<option value="{senator.source_id}">Jane Doe, State Senator (First Middlesex)</option>' in form
    chosen = {**GOOD, "fixed_1": governor.source_id, "fixed_2": senator.source_id}
    assert client.post("/console/campaigns/new", data=chosen).status_code == 303
    campaign = _campaign()
    assert campaign is not None
    assert [ct.target.name for ct in campaign.fixed_targets] == ["Maura Healey", "Jane Doe"]
    edit = client.get("/console/campaigns/libraries/edit").get_data(as_text=True)
    assert f'<option value="{governor.source_id}" selected>' in edit
    client.post("/console/campaigns/libraries/duplicate")
    copy = _campaign("libraries-copy")
    assert copy is not None and [ct.target.name for ct in copy.fixed_targets] == ["Maura Healey", "Jane Doe"]


def test_an_office_twice_or_one_not_in_the_directory_is_refused(app):
    governor = make_target("Maura Healey", "Governor", "+16177254005")
    db.session.commit()
    client = signed_in_client(app, Role.organiser)
    twice = client.post(
        "/console/campaigns/new", data={**GOOD, "fixed_1": governor.source_id, "fixed_2": governor.source_id}
    )
    assert twice.status_code == 422 and "the same target twice" in twice.get_data(as_text=True)
    forged = client.post("/console/campaigns/new", data={**GOOD, "fixed_1": "ocd-person/not-there"})
    assert forged.status_code == 422 and "choose the extra offices from the list" in forged.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == 0


def test_the_time_zone_is_picked_from_a_list_and_a_files_own_zone_is_kept(app):
    client = signed_in_client(app, Role.organiser)
    form = client.get("/console/campaigns/new").get_data(as_text=True)
    assert '<select class="input" id="timezone" name="timezone"' in form
    assert '<option value="America/Chicago">Central (Chicago)</option>' in form

    assert client.post("/console/campaigns/new", data={**GOOD, "timezone": "America/Boise"}).status_code == 303
    edit = client.get("/console/campaigns/libraries/edit").get_data(as_text=True)
    assert '<option value="America/Boise" selected>America/Boise</option>' in edit  # an unlisted zone survives
    bad = client.post("/console/campaigns/new", data={**GOOD, "slug": "other", "timezone": "Mars/Olympus"})
    assert bad.status_code == 422 and "unknown timezone" in bad.get_data(as_text=True)


def test_the_console_gives_each_deadline_in_the_campaigns_own_time_zone(app):
    client = signed_in_client(app, Role.organiser)
    client.post("/console/campaigns/new", data={**GOOD, "timezone": "America/Los_Angeles"})
    shown = '<time datetime="2029-07-31T23:59:00-07:00">Jul 31, 2029, 11:59 PM PDT</time>'
    assert shown in client.get("/console/").get_data(as_text=True)
    # The campaign's own results page says it in the same zone.
    assert "Deadline Jul 31, 2029, 11:59 PM PDT." in client.get("/console/campaigns/libraries").get_data(as_text=True)
