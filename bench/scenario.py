"""The call both benchmarks play: a fresh schema, one campaign, a senator who answers, a representative who is busy."""

from __future__ import annotations

import os

from extensions import db
from models import LegislativeChamber, ZipDistrict
from tests.support.factories import make_call, make_campaign, make_district, make_target
from tests.support.settings import PHONE_ENCRYPTION_KEY, PHONE_HASH_KEY, TEST_CONFIG, TWILIO_TOKEN
from voicesim import DialOutcome

SENATOR_PHONE = "+16177220001"
REP_PHONE = "+16177220002"
# Keys the supporter presses: go on, feedback "spoke", connect the representative; silence after that.
INPUTS = ["1", "1", "1"]


def dial_scenario() -> dict[str, DialOutcome]:
    """What each office does when dialed."""
    return {SENATOR_PHONE: DialOutcome.answered(60), REP_PHONE: DialOutcome.busy()}


def seed_calls(app, count: int) -> list[str]:
    """Recreate the schema and queue `count` calls; returns their public ids. Needs an app context."""
    db.drop_all()
    db.create_all()
    campaign = make_campaign(ask_feedback=True)
    senator = make_target("Jane Doe", "State Senator", SENATOR_PHONE, make_district("upper"))
    rep = make_target("John Roe", "State Representative", REP_PHONE, make_district("lower"))
    return [make_call(app, campaign, [senator, rep], phone=f"+1617555{n:04d}").public_id for n in range(count)]


# The supporters' form: a ZIP inside one district of each chamber, so every submission is a planned call.
FORM_ZIP = "02108"


def seed_form(app) -> str:
    """A live campaign whose form resolves FORM_ZIP to a senator and a representative; returns its slug.
    Needs an app context; call after `seed_calls` (which recreates the schema)."""
    db.session.add_all(
        [
            LegislativeChamber(state="MA", chamber="upper", name="Senate", member_title="State Senator"),
            LegislativeChamber(state="MA", chamber="lower", name="House", member_title="State Representative"),
        ]
    )
    campaign = make_campaign(slug="bench-form")
    for chamber, name, phone in (("upper", "Ann Senator", SENATOR_PHONE), ("lower", "Bob Representative", REP_PHONE)):
        district = make_district(chamber)
        make_target(name, f"State {'Senator' if chamber == 'upper' else 'Representative'}", phone, district)
        db.session.add(ZipDistrict(zcta=FORM_ZIP, district_id=district.id, rank=1))
    db.session.commit()
    return campaign.slug


def app_settings(database_url: str, base: str) -> dict:
    """The benchmark's own app (seeding, in-process counts): the test settings on this database and origin."""
    return {
        **TEST_CONFIG,
        "TESTING": False,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "PUBLIC_BASE_URL": base,
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
    }


def served_env(database_url: str, base: str) -> dict[str, str]:
    """The environment gunicorn serves the app with: the same database, origin and keys, no dialer."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "PUBLIC_BASE_URL": base,
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TWILIO_ACCOUNT_SID": "",
        "SECRET_KEY": "bench",
        "PHONE_HASH_KEY": PHONE_HASH_KEY,
        "PHONE_ENCRYPTION_KEY": PHONE_ENCRYPTION_KEY,
        "PROXY_HOPS": "0",
        "SUPPORTER_CALL_HOURS": "always",  # runs at any hour
        "REDIS_URL": "",
    }
