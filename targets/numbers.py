"""What an organiser does about an office number number health flagged: checked, replaced, out of rotation.

No Flask: the console and `flask targets` both call these, then commit. Each change goes into the
audit log with the change itself (the caller's commit writes both). Office numbers are the
targets' public numbers, never a supporter's.
"""

from __future__ import annotations

from sqlalchemy import select, update

from console import audit
from languages import N_
from models import DbSession, Office, OfficeNumber, Target, User, rows_changed, utcnow
from phones import Allowed, classify_target, to_e164


class NumberError(ValueError):
    """The number or the action cannot be applied; the message says why, and nothing was changed."""


def _known(session: DbSession, phone: str) -> str:
    """The office number as stored, or NumberError when no target or office has it."""
    wanted = (phone or "").strip()
    found = session.scalar(select(Target.phone).where(Target.phone == wanted).limit(1)) or session.scalar(
        select(Office.phone).where(Office.phone == wanted).limit(1)
    )
    if not found:
        raise NumberError(f"No office has the number {wanted[:20]!r}.")
    return found


def _record(session: DbSession, phone: str) -> OfficeNumber:
    number = session.get(OfficeNumber, phone)
    if number is None:
        number = OfficeNumber(phone=phone, out_of_rotation=False)
        session.add(number)
    number.updated_at = utcnow()
    return number


def mark_checked(session: DbSession, phone: str, user: User | None) -> OfficeNumber:
    """The organiser checked the number: its flag is hidden until dials after now look wrong again."""
    phone = _known(session, phone)
    number = _record(session, phone)
    old = number.checked_at
    number.checked_at = utcnow()
    audit.record(
        session, user, "number.checked", phone, {"checked_at": (old and old.isoformat(), number.checked_at.isoformat())}
    )
    return number


def set_rotation(session: DbSession, phone: str, in_rotation: bool, user: User | None) -> OfficeNumber:
    """Take the number out of rotation (calls skip it; failover goes to the target's next line), or put it back."""
    phone = _known(session, phone)
    number = _record(session, phone)
    old = not number.out_of_rotation
    number.out_of_rotation = not in_rotation
    action = "number.back_in_rotation" if in_rotation else "number.out_of_rotation"
    audit.record(session, user, action, phone, {"in_rotation": (old, in_rotation)})
    return number


def replace_number(session: DbSession, phone: str, new: str, user: User | None) -> str:
    """Give every office that had this number the new one; returns the new number in E.164.

    A typed number is read as the deployment's country would ("617 722 2000"); one that could not be
    a target's number (premium rate, not a number at all) is refused.
    """
    phone = _known(session, phone)
    e164 = to_e164((new or "").strip()[:40])
    if e164 is None:
        raise NumberError(N_("That is not a phone number. Type it with its area code, e.g. +1 617 722 2000."))
    verdict = classify_target(e164)
    if not isinstance(verdict, Allowed):
        raise NumberError(N_("That number cannot be an office's line (%(reason)s).", reason=verdict.reason))
    if e164 == phone:
        raise NumberError(N_("That is the number it has already."))
    targets = rows_changed(session, update(Target).where(Target.phone == phone).values(phone=e164))
    offices = rows_changed(session, update(Office).where(Office.phone == phone).values(phone=e164))
    _record(session, phone).replaced_by = e164
    audit.record(
        session,
        user,
        "number.replace",
        phone,
        {"phone": (phone, e164), "targets": (None, targets), "offices": (None, offices)},
    )
    return e164


def numbers_out_of_rotation(session: DbSession) -> set[str]:
    """Every office number taken out of rotation."""
    return set(session.scalars(select(OfficeNumber.phone).where(OfficeNumber.out_of_rotation.is_(True))))
