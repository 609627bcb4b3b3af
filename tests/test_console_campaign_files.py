"""A campaign downloaded as a campaign file reads back unchanged, by the console's import and `flask campaign load`."""

from __future__ import annotations

import io

from sqlalchemy import select

from extensions import db
from models import AuditEntry, Campaign, CampaignStatus, Role
from tests.support.console import signed_in_client
from tests.support.pages import DEMO, load_demo_campaign


def _upload(client, text: str | bytes):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        "/console/campaigns/import",
        data={"campaign_file": (io.BytesIO(data), "campaign.yml")},
        content_type="multipart/form-data",
    )


def test_the_demo_campaign_round_trips_through_its_file(app, runner, tmp_path):
    demo = load_demo_campaign(runner)
    client = signed_in_client(app, Role.organiser)
    response = client.get(f"/console/campaigns/{DEMO}/campaign.yml")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="{DEMO}.yml"'
    text = response.get_data(as_text=True)
    exported = tmp_path / "exported.yml"
    exported.write_text(text)
    result = runner.invoke(args=["campaign", "load", str(exported)])
    assert result.exit_code == 0, result.output
    assert f"campaign {DEMO}: unchanged" in result.output
    assert demo.status is CampaignStatus.live


def test_importing_a_new_file_makes_a_draft_and_an_existing_one_keeps_its_status(app, runner):
    load_demo_campaign(runner)
    client = signed_in_client(app, Role.organiser)
    text = client.get(f"/console/campaigns/{DEMO}/campaign.yml").get_data(as_text=True)
    copy = text.replace(f"slug: {DEMO}", "slug: imported-copy")
    assert _upload(client, copy).status_code == 303
    imported = db.session.scalars(select(Campaign).where(Campaign.slug == "imported-copy")).one()
    assert imported.status is CampaignStatus.draft  # the file says live: going live stays a confirmed step
    changed = text.replace("headline: Call your state legislators today", "headline: Call them today")
    assert _upload(client, changed).status_code == 303
    db.session.expire_all()
    demo = db.session.scalars(select(Campaign).where(Campaign.slug == DEMO)).one()
    assert demo.status is CampaignStatus.live and demo.headline.startswith("Call them today")
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.subject == DEMO)).one()
    assert list(entry.changes) == ["headline"]


def test_a_bad_file_imports_nothing_and_says_why(app):
    client = signed_in_client(app, Role.organiser)
    for body, words in (
        ("slug: x\ncolour: red\n", "unknown field(s): colour"),
        ("slug: [unclosed", "not valid YAML"),
        (b"\xff\xfe", "not UTF-8 text"),
    ):
        response = _upload(client, body)
        assert response.status_code == 303
        assert words in client.get("/console/").get_data(as_text=True)
    assert db.session.scalars(select(Campaign)).all() == []
