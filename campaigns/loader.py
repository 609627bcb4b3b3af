"""Create or update campaigns from checked campaign files."""

from __future__ import annotations

from sqlalchemy import select

from campaigns.files import CampaignFileError, CampaignSpec
from languages import N_
from models import Campaign, CampaignTarget, DbSession, Office, Target


def apply_campaign(session: DbSession, spec: CampaignSpec) -> str:
    """Store one campaign; returns 'created', 'updated' or 'unchanged'. The caller commits."""
    campaign = session.scalar(select(Campaign).where(Campaign.slug == spec.slug))
    outcome = "unchanged"
    if campaign is None:
        campaign = Campaign(slug=spec.slug)
        session.add(campaign)
        outcome = "created"
    for key, value in spec.values.items():
        if getattr(campaign, key) != value:
            setattr(campaign, key, value)
            outcome = "updated" if outcome == "unchanged" else outcome
    wanted = [_fixed_target(session, spec, item) for item in spec.fixed_targets]
    current = [ct.target for ct in campaign.fixed_targets]
    if [t.id for t in current] != [t.id for t in wanted] or any(t.id is None for t in wanted):
        campaign.fixed_targets.clear()
        session.flush()
        campaign.fixed_targets.extend(CampaignTarget(target=t, position=i) for i, t in enumerate(wanted))
        outcome = "updated" if outcome == "unchanged" else outcome
    return outcome


def _fixed_target(session: DbSession, spec: CampaignSpec, item) -> Target:
    if item.source_id:
        target = session.scalar(select(Target).where(Target.source_id == item.source_id))
        if target is None:
            problem = N_(
                "fixed target %(target)s is not in the loaded data (run flask data load first)", target=item.source_id
            )
            raise CampaignFileError(spec.path, [problem])
        return target
    source_id = f"campaign:{spec.slug}:{item.key}"
    target = session.scalar(select(Target).where(Target.source_id == source_id))
    values = {
        "name": item.name,
        "title": item.title,
        "phone": item.phone,
        "extension": item.extension,
        "state": spec.values["state"],
        "active": True,
    }
    if target is None:
        target = Target(source_id=source_id, **values)
        session.add(target)
        session.flush()
    else:
        for key, value in values.items():
            if getattr(target, key) != value:
                setattr(target, key, value)
    _sync_offices(target, item.offices)
    return target


def _sync_offices(target: Target, offices) -> None:
    """The inline target's office lines, in order, changing rows in place (failover tries them in this order)."""
    for position, office in enumerate(offices):
        values = {
            "kind": office.kind,
            "phone": office.phone,
            "extension": office.extension,
            "hours": office.hours,
            "timezone": office.timezone,
        }
        if position < len(target.offices):
            for key, value in values.items():
                if getattr(target.offices[position], key) != value:
                    setattr(target.offices[position], key, value)
        else:
            target.offices.append(Office(position=position, **values))
    while len(target.offices) > len(offices):
        target.offices.pop()
