"""Campaign files: the demo loads, reloads without change, and malformed files change nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from campaigns.files import CAMPAIGN_DIR
from extensions import db
from models import Campaign, CampaignStatus, Target

DEMO = CAMPAIGN_DIR / "protect-immigrant-families.yml"


def test_the_demo_campaign_loads_and_a_second_load_changes_nothing(runner):
    first = runner.invoke(args=["campaign", "load", str(DEMO)])
    assert first.exit_code == 0, first.output
    assert "campaign protect-immigrant-families: created" in first.output
    campaign = db.session.scalars(select(Campaign)).one()
    assert campaign.status == CampaignStatus.live
    assert campaign.state == "MA"
    assert campaign.caller_id == "+16175397340"
    assert campaign.target_chambers == ["upper", "lower"]
    # Midnight at the end of Tuesday, July 31, Boston time.
    assert campaign.ends_at == dt.datetime(2029, 8, 1, 4, 0, tzinfo=dt.UTC)
    assert campaign.ends_at.astimezone(dt.timezone(dt.timedelta(hours=-4))).strftime("%A") == "Wednesday"
    assert "{name}" in campaign.script_template and "{town}" in campaign.script_template
    # Who runs it and pays for it, for the page's footer.
    assert campaign.organisation == "The Patchthrough project"
    assert (campaign.paid_for_by or "").startswith("Paid for by the Patchthrough project")
    assert campaign.contact is None
    assert campaign.privacy_url is None  # the service's own privacy page

    second = runner.invoke(args=["campaign", "load", str(DEMO)])
    assert "campaign protect-immigrant-families: unchanged" in second.output


def test_a_changed_file_updates_the_campaign_in_place(runner, tmp_path):
    runner.invoke(args=["campaign", "load", str(DEMO)])
    campaign_id = db.session.scalar(select(Campaign.id))
    edited = tmp_path / "demo.yml"
    edited.write_text(DEMO.read_text().replace("status: live", "status: paused"))
    result = runner.invoke(args=["campaign", "load", str(edited)])
    assert "updated" in result.output
    db.session.expire_all()
    assert db.session.get_one(Campaign, campaign_id).status == CampaignStatus.paused


def test_inline_fixed_targets_are_created_in_order(runner, tmp_path):
    path = tmp_path / "c.yml"
    path.write_text(
        DEMO.read_text()
        + (
            "fixed_targets:\n"
            "  - {key: speaker, name: Office of the Speaker, title: Speaker's Office, phone: '617-722-2500'}\n"
            "  - {key: governor, name: Governor's Office, title: Governor, phone: '(617) 725-4005', extension: '2'}\n"
        )
    )
    result = runner.invoke(args=["campaign", "load", str(path)])
    assert result.exit_code == 0, result.output
    campaign = db.session.scalars(select(Campaign)).one()
    assert [(ct.position, ct.target.name, ct.target.phone, ct.target.extension) for ct in campaign.fixed_targets] == [
        (0, "Office of the Speaker", "+16177222500", None),
        (1, "Governor's Office", "+16177254005", "2"),
    ]
    assert (
        db.session.scalar(select(Target.source_id).where(Target.name == "Governor's Office"))
        == "campaign:protect-immigrant-families:governor"
    )


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda t: t.replace("state: MA", "state: Massachusetts"), "state must be a two-letter code"),
        (lambda t: t.replace("status: live", "status: running"), "status must be one of"),
        (lambda t: t.replace('caller_id: "+16175397340"', 'caller_id: "12"'), "caller_id is not a valid phone number"),
        (lambda t: t.replace("target_chambers: [upper, lower]", "target_chambers: [upper, senate]"), "target_chambers"),
        (lambda t: t.replace("timezone: America/New_York", "timezone: Mars/Olympus"), "unknown timezone"),
        (
            lambda t: t.replace("state: MA", "state: NE"),
            "target_chambers asks for lower, but Nebraska's legislature has no such chamber: "
            "it has only upper (Nebraska Legislature)",
        ),
        (lambda t: t.replace("state: MA", "state: ZZ"), "state: Open States' metadata knows no state 'ZZ'"),
        (lambda t: t + "colour: red\n", "unknown field(s): colour"),
        (lambda t: t + "contact: call us\n", "contact must be an e-mail address or an http(s) address"),
        (lambda t: t + "privacy_url: privacy.html\n", "privacy_url must start with http:// or https://"),
        (lambda t: t.replace("slug: protect-immigrant-families", "slug: Not A Slug"), "slug must be"),
        (lambda t: t + "fixed_targets:\n  - {source_id: ocd-person/unknown}\n", "is not in the loaded data"),
        (
            lambda t: t.replace("state: MA", "state: MA: MA"),
            f":{DEMO.read_text().splitlines().index('state: MA') + 1}: not valid YAML",
        ),
    ],
)
def test_a_malformed_campaign_file_changes_nothing(runner, tmp_path, edit, message):
    runner.invoke(args=["campaign", "load", str(DEMO)])
    broken = tmp_path / "broken.yml"
    broken.write_text(edit(DEMO.read_text()))
    paused = tmp_path / "paused.yml"
    paused.write_text(
        DEMO.read_text()
        .replace("slug: protect-immigrant-families", "slug: another")
        .replace("status: live", "status: paused")
    )
    result = runner.invoke(args=["campaign", "load", str(paused), str(broken)])
    assert result.exit_code == 1
    assert message in result.output and str(broken) in result.output
    assert "Nothing was changed." in result.output
    assert db.session.scalars(select(Campaign.slug)).all() == ["protect-immigrant-families"]


def test_every_committed_campaign_file_is_valid():
    from campaigns.files import campaign_files, read_campaign

    specs = [read_campaign(path) for path in campaign_files()]
    assert [spec.slug for spec in specs] == [Path(p).stem for p in campaign_files()]
