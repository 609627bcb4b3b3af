"""Console accounts: create, check a password, change a role, disable. No Flask.

Passwords are kept only as scrypt hashes (memory-hard; Werkzeug's default method), and an
e-mail address is compared lower-cased.
"""

from __future__ import annotations

import re
from functools import cache

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from languages import N_
from models import DbSession, Role, User

MIN_PASSWORD_LENGTH = 12
# No control character either: PostgreSQL refuses a NUL, and an address never holds one.
EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$")


class AccountError(ValueError):
    """A request about an account that cannot be done; the message says why, for the person asking."""


def normal_email(email: str) -> str:
    """The address as stored: trimmed and lower-cased."""
    return email.strip().lower()


def parse_role(value: str) -> Role:
    """The role named `value`, or AccountError listing the roles."""
    try:
        return Role(value.strip().lower())
    except ValueError:
        raise AccountError(N_("role must be one of: %(roles)s", roles=", ".join(r.value for r in Role))) from None


def find_user(session: DbSession, email: str) -> User | None:
    """The account with this address, or None (without asking the database when it is no address at all)."""
    address = normal_email(email)
    if not EMAIL.match(address):
        return None
    return session.scalars(select(User).where(User.email == address)).one_or_none()


def create_user(session: DbSession, email: str, password: str, role: Role) -> User:
    """Add an account; AccountError for a malformed address, a short password or a taken address. Caller commits."""
    address = normal_email(email)
    if not EMAIL.match(address) or len(address) > 254:
        raise AccountError(N_("give an e-mail address such as name@example.org"))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(N_("the password needs at least %(count)s characters", count=MIN_PASSWORD_LENGTH))
    if find_user(session, address) is not None:
        raise AccountError(N_("there is already an account for %(email)s", email=address))
    user = User(email=address, password_hash=generate_password_hash(password, method="scrypt"), role=role)
    session.add(user)
    session.flush()
    return user


def authenticate(session: DbSession, email: str, password: str) -> User | None:
    """The active account these credentials open, or None (the same answer and about the same time for any miss)."""
    user = find_user(session, email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


@cache
def _dummy_hash() -> str:
    """Checked against when the address is unknown, so a wrong address costs as long as a wrong password.

    Made on first use, not at import: scrypt is deliberately slow, and every web worker would pay it at boot.
    """
    return generate_password_hash("an unused password", method="scrypt")


def set_role(user: User, role: Role) -> None:
    """Give the account another role; its sessions end, so the new role applies at once."""
    user.role = role
    user.session_version += 1


def set_active(user: User, active: bool) -> None:
    """Disable (or enable again) an account; disabling ends its sessions."""
    user.active = active
    user.session_version += 1


def end_sessions(user: User) -> None:
    """Void every session signed for this account (sign-out everywhere)."""
    user.session_version += 1


def all_users(session: DbSession) -> list[User]:
    """Every account, by address."""
    return list(session.scalars(select(User).order_by(User.email)))
