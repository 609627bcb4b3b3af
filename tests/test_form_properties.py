"""Property-based: whatever the form receives, no 5xx, no call from a malformed submission, nothing unescaped."""

from __future__ import annotations

from typing import Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from extensions import db
from models import Call, Caller
from pages.phone_numbers import check_phone
from tests.support.pages import DEMO, load_demo_campaign, seed_geography

# Lone surrogates cannot be sent as UTF-8 form data; Hypothesis names the Unicode category as a literal.
SURROGATES: tuple[Literal["Cs"]] = ("Cs",)
PAYLOAD = "<script>alert(1)</script>"
NASTY = [
    PAYLOAD,
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1 --",
    "'; DROP TABLE calls; --",
    "\x00",
    "\u202e",
    "💥" * 30,
    "x" * 5000,
    "01003",
    "(617) 555-0123",
    "+1 900 555 1212",
    "+44 20 7946 0958",
    "25D01",
    "lower",
    "",
]
FIELD = st.one_of(
    st.sampled_from(NASTY), st.text(alphabet=st.characters(blacklist_categories=SURROGATES), max_size=120)
)
FORM = st.fixed_dictionaries(
    {"phone": FIELD, "location": FIELD},
    optional={
        "name": FIELD,
        "town": FIELD,
        "pick_lower": FIELD,
        "pick_upper": FIELD,
        "asked": FIELD,
    },
)
# Eighty Hypothesis examples, each a form post through the app and its database: seconds.
pytestmark = pytest.mark.slow


@pytest.fixture
def form_app(make_app):
    # Generous limits: this test is about input, not rate; no geocoder: nothing leaves the machine.
    app = make_app(
        RATE_LIMIT_PER_IP="100000/hour",
        RATE_LIMIT_FORMS_PER_IP="100000/hour",
        RATE_LIMIT_PER_NUMBER="100000/day",
        CENSUS_GEOCODER_URL="",
    )
    with app.app_context():
        load_demo_campaign(app.test_cli_runner())
        seed_geography()
        yield app


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(form=FORM)
def test_the_form_never_fails_never_calls_on_bad_input_and_escapes_everything(form_app, form):
    calls_before = db.session.scalars(select(func.count()).select_from(Call)).one()
    response = form_app.test_client().post(f"/c/{DEMO}", data=form)
    assert response.status_code in {200, 303, 409, 422}, response.status_code
    body = response.get_data(as_text=True)
    # Escaped, the payloads are text (&lt;script&gt;, &quot;&gt;&lt;img …); raw, they would be markup.
    assert PAYLOAD not in body and "<img src=x" not in body and '"><img' not in body
    db.session.expire_all()
    calls_after = db.session.scalars(select(func.count()).select_from(Call)).one()
    if response.status_code == 303:
        assert calls_after == calls_before + 1
        assert check_phone(form["phone"], ("US",)).ok and not form.get("contact_me_by_fax_only", "").strip()
    else:
        assert calls_after == calls_before
    assert db.session.scalars(select(func.count()).select_from(Caller)).one() <= calls_after
