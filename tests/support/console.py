"""Helpers for the console tests: accounts and signed-in clients."""

from __future__ import annotations

from console.accounts import create_user
from extensions import db
from models import Role, User

PASSWORD = "correct horse battery staple"


def make_user(role: Role = Role.organiser, email: str | None = None) -> User:
    """A committed account with the shared test password."""
    user = create_user(db.session, email or f"{role.value}@example.org", PASSWORD, role)
    db.session.commit()
    return user


def sign_in(client, email: str, password: str = PASSWORD, **extra):
    """Post the sign-in form; returns the response."""
    return client.post("/console/sign-in", data={"email": email, "password": password, **extra})


def signed_in_client(app, role: Role, email: str | None = None):
    """A new test client signed in with a new account of this role."""
    user = make_user(role, email)
    client = app.test_client()
    response = sign_in(client, user.email)
    assert response.status_code == 303, response.get_data(as_text=True)
    return client
