"""Signing in to the console: hashed passwords, limits, fresh and expiring sessions, sign-out everywhere, CSRF."""

from __future__ import annotations

import time

from sqlalchemy import select

from extensions import db
from models import AuditEntry, Role, User
from tests.support.console import PASSWORD, make_user, sign_in


def test_passwords_are_stored_only_as_scrypt_hashes(app):
    user = make_user(Role.viewer)
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith("scrypt:")


def test_right_password_signs_in_and_goes_where_the_visitor_was_going(app):
    make_user(Role.viewer, "v@example.org")
    client = app.test_client()
    response = sign_in(client, "V@Example.org ", next="/console/")
    assert response.status_code == 303
    assert response.headers["Location"] == "/console/"
    assert client.get("/console/").status_code == 200


def test_a_next_pointing_at_another_site_goes_to_the_console_instead(app):
    make_user(Role.viewer, "v@example.org")
    response = sign_in(app.test_client(), "v@example.org", next="//evil.example/console")
    assert response.headers["Location"] == "/console/"


def test_wrong_password_unknown_address_and_disabled_account_get_the_same_refusal(app):
    make_user(Role.viewer, "v@example.org")
    off = make_user(Role.admin, "off@example.org")
    off.active = False
    db.session.commit()
    client = app.test_client()
    answers = [
        sign_in(client, "v@example.org", "wrong password!!"),
        sign_in(client, "nobody@example.org"),
        sign_in(client, "off@example.org"),
    ]
    assert [a.status_code for a in answers] == [401, 401, 401]
    texts = {a.get_data(as_text=True).split("<main")[1] for a in answers[1:]}
    assert len(texts) <= 2  # only the echoed address differs
    assert client.get("/console/").status_code == 302


def test_successful_sign_ins_never_count_against_the_limit(make_app):
    app = make_app(CONSOLE_SIGN_IN_LIMIT_PER_ACCOUNT="2 per hour", CONSOLE_SIGN_IN_LIMIT_PER_IP="2 per hour")
    with app.app_context():
        make_user(Role.viewer, "v@example.org")
        for _ in range(5):
            assert sign_in(app.test_client(), "v@example.org").status_code == 303


def test_sign_in_attempts_are_limited_per_account(make_app):
    app = make_app(CONSOLE_SIGN_IN_LIMIT_PER_ACCOUNT="3 per hour", CONSOLE_SIGN_IN_LIMIT_PER_IP="100 per hour")
    with app.app_context():
        make_user(Role.viewer, "v@example.org")
        client = app.test_client()
        for _ in range(3):
            assert sign_in(client, "v@example.org", "wrong password!!").status_code == 401
        # Even the right password is refused now, for this account only.
        assert sign_in(client, "v@example.org").status_code == 429
        make_user(Role.viewer, "w@example.org")
        assert sign_in(client, "w@example.org").status_code == 303


def test_sign_in_attempts_are_limited_per_address(make_app):
    app = make_app(CONSOLE_SIGN_IN_LIMIT_PER_ACCOUNT="100 per hour", CONSOLE_SIGN_IN_LIMIT_PER_IP="3 per hour")
    with app.app_context():
        make_user(Role.viewer, "v@example.org")
        client = app.test_client()
        for n in range(3):
            assert sign_in(client, f"guess{n}@example.org").status_code == 401
        assert sign_in(client, "v@example.org").status_code == 429
        other = app.test_client()
        assert sign_in(other, "v@example.org", environ_base={}).status_code == 429  # same address
        elsewhere = sign_in_from(app, "203.0.113.9", "v@example.org")
        assert elsewhere.status_code == 303


def sign_in_from(app, address: str, email: str):
    client = app.test_client()
    return client.post(
        "/console/sign-in",
        data={"email": email, "password": PASSWORD},
        headers={"X-Forwarded-For": address},
    )


def test_signing_in_starts_a_new_session_cookie(app):
    make_user(Role.viewer, "v@example.org")
    client = app.test_client()
    client.get("/console/sign-in")
    with client.session_transaction() as session:
        session["left over"] = "from before"
    sign_in(client, "v@example.org")
    with client.session_transaction() as session:
        assert "left over" not in session
        assert session.permanent


def test_sign_out_voids_a_copy_of_the_session_cookie(app):
    make_user(Role.viewer, "v@example.org")
    client = app.test_client()
    sign_in(client, "v@example.org")
    stolen = client.get_cookie("session").value
    assert client.post("/console/sign-out").status_code == 303
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/console/").status_code == 302


def test_sessions_expire_after_their_lifetime(make_app):
    from datetime import timedelta

    app = make_app(PERMANENT_SESSION_LIFETIME=timedelta(seconds=1))
    with app.app_context():
        make_user(Role.viewer, "v@example.org")
        client = app.test_client()
        sign_in(client, "v@example.org")
        assert client.get("/console/").status_code == 200
        time.sleep(2.1)
        assert client.get("/console/").status_code == 302


def test_disabling_or_changing_the_role_of_an_account_ends_its_sessions(app):
    make_user(Role.organiser, "o@example.org")
    client = app.test_client()
    sign_in(client, "o@example.org")
    user = db.session.scalars(select(User).where(User.email == "o@example.org")).one()
    user.role = Role.viewer
    user.session_version += 1
    db.session.commit()
    assert client.get("/console/").status_code == 302


def test_console_forms_need_the_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        make_user(Role.viewer, "v@example.org")
        client = app.test_client()
        assert sign_in(client, "v@example.org").status_code == 400
        page = client.get("/console/sign-in").get_data(as_text=True)
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        assert sign_in(client, "v@example.org", csrf_token=token).status_code == 303


def test_an_admin_creates_an_account_in_the_console_and_it_is_audited(app):
    make_user(Role.admin, "a@example.org")
    client = app.test_client()
    sign_in(client, "a@example.org")
    bad = client.post("/console/users", data={"email": "new@example.org", "password": "short", "role": "viewer"})
    assert bad.status_code == 422
    assert "at least 12 characters" in bad.get_data(as_text=True)
    assert db.session.scalars(select(User).where(User.email == "new@example.org")).first() is None
    good = client.post("/console/users", data={"email": "new@example.org", "password": PASSWORD, "role": "organiser"})
    assert good.status_code == 303
    assert db.session.scalars(select(User).where(User.email == "new@example.org")).one().role is Role.organiser
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.create")).one()
    assert entry.user is not None and entry.user.email == "a@example.org"
    assert entry.changes == {"role": [None, "organiser"]}
    assert "new@example.org" in client.get("/console/audit").get_data(as_text=True)


def test_an_admin_cannot_demote_or_disable_themselves(app):
    admin = make_user(Role.admin, "a@example.org")
    client = app.test_client()
    sign_in(client, "a@example.org")
    client.post(f"/console/users/{admin.id}/role", data={"role": "viewer"})
    client.post(f"/console/users/{admin.id}/active", data={"active": "0"})
    db.session.refresh(admin)
    assert admin.role is Role.admin and admin.active


def test_an_address_with_a_nul_is_refused_like_any_wrong_one(app):
    make_user(Role.admin, "a@example.org")
    client = app.test_client()
    assert sign_in(client, "a\x00@example.org").status_code == 401
    sign_in(client, "a@example.org")
    created = client.post("/console/users", data={"email": "n\x00@example.org", "password": PASSWORD, "role": "viewer"})
    assert created.status_code == 422
