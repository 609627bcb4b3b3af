"""No dead ends: a new number submitted twice at once, settings that would strand every call, malformed URLs."""

from __future__ import annotations

import logging
import threading
import time

import pytest
from sqlalchemy import func, select

from app import create_app
from calls.planning import PlannedLeg, plan_call
from config import ConfigError
from extensions import db
from models import Call, Caller
from security.logsafe import SafeFormatter
from tests.support.factories import make_campaign, make_district, make_target, vault
from tests.support.settings import TEST_CONFIG, TWILIO_SID, TWILIO_TOKEN

PHONE = "+16175550177"


def test_two_first_submissions_for_a_new_number_at_once_share_one_caller(app):
    campaign = make_campaign()
    district = make_district("upper")
    target = make_target("Jane Doe", district=district)
    legs = [PlannedLeg(target.id, district.census_geoid)]
    db.session.commit()
    campaign_id = campaign.id
    # The first submission has inserted the new caller but not committed yet…
    plan_call(db.session, vault(app), campaign, PHONE, legs)
    errors: list[BaseException] = []

    def second_submission() -> None:
        with app.app_context():
            try:
                other = db.session.get_one(type(campaign), campaign_id)
                plan_call(db.session, vault(app), other, PHONE, legs)
                db.session.commit()
            except BaseException as exc:
                errors.append(exc)
                db.session.rollback()

    # …when the second one, in another connection, plans its own call for the same number.
    racer = threading.Thread(target=second_submission)
    racer.start()
    time.sleep(0.5)
    db.session.commit()
    racer.join(30)
    assert errors == []
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Caller)) == 1
    assert db.session.scalar(select(func.count()).select_from(Call)) == 2


def test_twilio_configured_without_public_base_url_refuses_to_start():
    settings = {**TEST_CONFIG, "TWILIO_ACCOUNT_SID": TWILIO_SID, "TWILIO_AUTH_TOKEN": TWILIO_TOKEN}
    with pytest.raises(ConfigError, match="PUBLIC_BASE_URL"):
        create_app({**settings, "PUBLIC_BASE_URL": ""})


@pytest.mark.parametrize("preview_only, starts", [(False, False), (True, True)])
def test_production_without_twilio_starts_only_when_preview_only_says_so(preview_only, starts):
    settings = {**TEST_CONFIG, "APP_ENV": "production", "PREVIEW_ONLY": preview_only}
    if starts:
        assert create_app(settings).config["PREVIEW_ONLY"] is True
    else:
        with pytest.raises(ConfigError, match="PREVIEW_ONLY=1"):
            create_app(settings)


@pytest.mark.parametrize(
    "path",
    [
        "/calls/abc%00def",
        "/calls/abc%00def/status",
        "/c/families%0AINFO%20forged%20line",
        "/twilio/calls/abc%0D%0Aforged/status",
    ],
)
def test_a_url_with_a_control_character_is_a_404(client, path):
    response = client.get(path) if "twilio" not in path else client.post(path)
    assert response.status_code == 404


def test_log_lines_escape_what_a_visitor_could_use_to_forge_a_line():
    record = logging.LogRecord(
        "t", logging.WARNING, __file__, 1, "rejected %s %s", ("POST", "/x\nINFO forged\x00"), None
    )
    line = SafeFormatter("%(levelname)s %(message)s").format(record)
    assert line == "WARNING rejected POST /x\\nINFO forged\\x00"
    assert "\n" not in line
