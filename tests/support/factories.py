"""Small factories for rows, so tests say only what matters to them."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from calls.planning import PlannedLeg, plan_call
from extensions import db
from models import Campaign, CampaignStatus, District, Target
from privacy import PhoneVault

_seq = itertools.count(1)


def make_campaign(**values) -> Campaign:
    """A live campaign with short spoken texts."""
    n = next(_seq)
    defaults = {
        "slug": f"campaign-{n}",
        "title": "Protect families",
        "state": "MA",
        "status": CampaignStatus.live,
        "headline": "Call your legislators",
        "greeting": "Thanks for calling about families.",
        "talking_points": "Ask them to pass the protections.",
        "goodbye": "Thank you. Goodbye.",
        "target_chambers": ["upper", "lower"],
        "caller_id": "+16175397340",
        "ask_feedback": False,
    }
    campaign = Campaign(**{**defaults, **values})
    db.session.add(campaign)
    db.session.flush()
    return campaign


def make_district(chamber: str = "upper", name: str | None = None, geoid: str | None = None) -> District:
    """A district of MA."""
    n = next(_seq)
    district = District(
        state="MA",
        chamber=chamber,
        census_geoid=geoid or f"25T{n:02d}",
        name=name or f"District {n}",
        ocd_division_id=f"ocd-division/country:us/state:ma/test:{n}",
    )
    db.session.add(district)
    db.session.flush()
    return district


def make_target(
    name: str,
    title: str = "State Senator",
    phone: str | None = "+16177220001",
    district: District | None = None,
    extension: str | None = None,
) -> Target:
    """An active target."""
    n = next(_seq)
    target = Target(
        source_id=f"ocd-person/test-{n}",
        name=name,
        title=title,
        party="Democratic",
        state="MA",
        district=district,
        phone=phone,
        extension=extension,
        active=True,
    )
    db.session.add(target)
    db.session.flush()
    return target


def vault(app) -> PhoneVault:
    """The app's phone vault."""
    return PhoneVault(app.config["PHONE_HASH_KEY"], app.config["PHONE_ENCRYPTION_KEY"])


def make_call(app, campaign: Campaign, targets: Sequence[Target | District], phone: str = "+16175550123", **supporter):
    """A queued call planned to these targets in order (a District alone = its vacant seat)."""
    legs = [
        PlannedLeg(None, t.census_geoid)
        if isinstance(t, District)
        else PlannedLeg(t.id, t.district.census_geoid if t.district else None)
        for t in targets
    ]
    call = plan_call(db.session, vault(app), campaign, phone, legs, **supporter)
    db.session.commit()
    return call
