"""`flask users …`: the first admin and every later account from the command line."""

from __future__ import annotations

from sqlalchemy import select

from extensions import db
from models import AuditEntry, Role, User


def _user(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalars(select(User).where(User.email == email)).one_or_none()


def test_create_reads_the_password_from_stdin_and_stores_only_its_hash(runner):
    result = runner.invoke(
        args=["users", "create", "First@Example.org", "--role", "admin", "--password-stdin"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    user = _user("first@example.org")
    assert user is not None and user.role is Role.admin
    assert "a long enough password" not in user.password_hash
    assert db.session.scalars(select(AuditEntry)).one().action == "user.create"


def test_create_prompts_twice_without_stdin(runner):
    result = runner.invoke(
        args=["users", "create", "p@example.org", "--role", "viewer"],
        input="a long enough password\na long enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert _user("p@example.org") is not None


def test_create_refuses_a_short_password_a_taken_address_and_an_unknown_role(runner):
    args = ["users", "create", "x@example.org", "--role", "viewer", "--password-stdin"]
    short = runner.invoke(args=args, input="short\n")
    assert short.exit_code != 0 and "at least 12" in short.output and "Nothing was changed" in short.output
    assert _user("x@example.org") is None
    assert runner.invoke(args=args, input="a long enough password\n").exit_code == 0
    again = runner.invoke(args=args, input="a long enough password\n")
    assert again.exit_code != 0 and "already an account" in again.output
    role = runner.invoke(args=["users", "create", "y@example.org", "--role", "boss", "--password-stdin"], input="x\n")
    assert role.exit_code != 0 and _user("y@example.org") is None


def test_list_disable_and_set_role(runner):
    for email, role in (("a@example.org", "admin"), ("b@example.org", "viewer")):
        runner.invoke(
            args=["users", "create", email, "--role", role, "--password-stdin"], input="a long enough password\n"
        )
    assert runner.invoke(args=["users", "set-role", "b@example.org", "organiser"]).exit_code == 0
    assert runner.invoke(args=["users", "disable", "a@example.org"]).exit_code == 0
    listing = runner.invoke(args=["users", "list"]).output
    assert listing.splitlines() == ["a@example.org\tadmin (disabled)", "b@example.org\torganiser"]
    changed = _user("b@example.org")
    assert changed is not None and changed.role is Role.organiser
    missing = runner.invoke(args=["users", "disable", "nobody@example.org"])
    assert missing.exit_code != 0 and "no account" in missing.output
