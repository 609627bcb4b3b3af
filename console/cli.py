"""`flask users …`: console accounts from the command line (the first admin starts here)."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from console import audit
from console.accounts import AccountError, all_users, create_user, find_user, parse_role, set_active, set_role
from extensions import db
from models import Role, User

ROLES = click.Choice([r.value for r in Role])


@click.group("users", help="Console accounts: create, list, disable, change a role.")
def users_cli() -> None:
    """Group for the account commands."""


def _user_or_fail(email: str) -> User:
    user = find_user(db.session, email)
    if user is None:
        raise click.ClickException(f"no account for {email.strip().lower()}")
    return user


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=ROLES, required=True, help="viewer reads results, organiser edits, admin manages users")
@click.option("--password-stdin", is_flag=True, help="read the password from standard input instead of a prompt")
@with_appcontext
def create_command(email: str, role: str, password_stdin: bool) -> None:
    """Create an account; the password is prompted for (twice), or read from standard input."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(db.session, email, password, parse_role(role))
    except AccountError as exc:
        db.session.rollback()
        raise click.ClickException(f"{exc}. Nothing was changed.") from exc
    audit.record(db.session, None, "user.create", user.email, {"role": (None, user.role.value)})
    db.session.commit()
    click.echo(f"created {user.email} ({user.role.value})")


@users_cli.command("list")
@with_appcontext
def list_command() -> None:
    """Print every account: address, role, and whether it is disabled."""
    for user in all_users(db.session):
        state = "" if user.active else " (disabled)"
        click.echo(f"{user.email}\t{user.role.value}{state}")


@users_cli.command("disable")
@click.argument("email")
@with_appcontext
def disable_command(email: str) -> None:
    """Disable an account; its sessions end at once."""
    user = _user_or_fail(email)
    set_active(user, False)
    audit.record(db.session, None, "user.disable", user.email, {"active": (True, False)})
    db.session.commit()
    click.echo(f"disabled {user.email}")


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=ROLES)
@with_appcontext
def set_role_command(email: str, role: str) -> None:
    """Give an account another role; its sessions end, so it applies at once."""
    user = _user_or_fail(email)
    old = user.role.value
    set_role(user, parse_role(role))
    audit.record(db.session, None, "user.set_role", user.email, {"role": (old, role)})
    db.session.commit()
    click.echo(f"{user.email} is now {role}")
