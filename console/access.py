"""Who is signed in to the console, and what they may open.

The session is Flask's signed cookie holding the account id and its `session_version`; it is
permanent with a lifetime of CONSOLE_SESSION_HOURS (Flask refuses an older signature), rotates
on sign-in, and is void as soon as the account's version changes (sign-out, new role, disable).
Failed sign-ins are limited per account and per client address (CONSOLE_SIGN_IN_LIMIT_*): over either
limit even the right password is refused until the window passes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, current_app, redirect, request, session, url_for
from limits import parse

from extensions import db, limiter
from models import Role, User, utcnow
from security.submissions import client_network

log = logging.getLogger(__name__)

_USER_KEY = "console_user"
_VERSION_KEY = "console_version"
# The account is looked up once per request; the cache lives on the request itself.
_CACHE = "patchthrough.console_user"


def current_user() -> User | None:
    """The signed-in, active account whose session is still valid, or None."""
    if _CACHE in request.environ:
        return request.environ[_CACHE]
    user = None
    user_id, version = session.get(_USER_KEY), session.get(_VERSION_KEY)
    if isinstance(user_id, int) and isinstance(version, int):
        found = db.session.get(User, user_id)
        if found is not None and found.active and found.session_version == version:
            user = found
    request.environ[_CACHE] = user
    return user


def sign_in(user: User) -> None:
    """Start a fresh session for this account: nothing from the anonymous session is kept (nor its CSRF token)."""
    session.clear()
    session.permanent = True
    session[_USER_KEY] = user.id
    session[_VERSION_KEY] = user.session_version
    user.last_sign_in_at = utcnow()
    request.environ[_CACHE] = user


def sign_out() -> None:
    """End the session here and every other session of the account."""
    user = current_user()
    if user is not None:
        user.session_version += 1
    session.clear()
    request.environ[_CACHE] = None


def requires(role: Role) -> Callable:
    """Guard a console view: anonymous → the sign-in page (then back), a lesser role → 403."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None:
                target = request.full_path if request.method == "GET" else None
                return redirect(url_for("console.sign_in", next=target.rstrip("?") if target else None))
            if not user.role.allows(role):
                abort(403)
            return view(*args, **kwargs)

        guarded.required_role = role  # type: ignore[attr-defined]
        return guarded

    return decorate


def _sign_in_limits(email: str):
    return (
        ("CONSOLE_SIGN_IN_LIMIT_PER_ACCOUNT", ("console-sign-in-account", email.strip().lower())),
        ("CONSOLE_SIGN_IN_LIMIT_PER_IP", ("console-sign-in-ip", client_network())),
    )


def sign_in_allowed(email: str) -> bool:
    """False when this address or this client has failed to sign in too often lately (successes never count)."""
    for setting, keys in _sign_in_limits(email):
        try:
            allowed = limiter.limiter.test(parse(current_app.config[setting]), *keys)
        except Exception:  # Redis down: no limit rather than locking everyone out
            log.warning("console sign-in limit unavailable", exc_info=True)
            return True
        if not allowed:
            log.info("console sign-in refused (%s)", setting)
            return False
    return True


def count_failed_sign_in(email: str) -> None:
    """Count one failed sign-in against the address and the client."""
    for setting, keys in _sign_in_limits(email):
        try:
            limiter.limiter.hit(parse(current_app.config[setting]), *keys)
        except Exception:
            log.warning("console sign-in limit unavailable", exc_info=True)
            return


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of the console itself, never another site."""
    if target and target.startswith("/console") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("console.index")
