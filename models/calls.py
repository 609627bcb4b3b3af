"""Calls: supporters, their call sessions, and each leg to one target."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Select,
    String,
    UniqueConstraint,
    bindparam,
    false,
    select,
)
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from models.base import Base, DbSession, UTCDateTime, dialect_insert, insert_ignoring_conflicts, str_enum, utcnow
from models.campaign import Campaign
from models.geography import District, Office, Target


def new_public_id() -> str:
    """An opaque, unguessable id for URLs; it says nothing about the caller."""
    return secrets.token_urlsafe(18)


class CallStatus(str, enum.Enum):
    """Twilio's call statuses, plus our own 'queued' before the dialer has asked Twilio."""

    queued = "queued"
    initiated = "initiated"
    ringing = "ringing"
    in_progress = "in-progress"
    completed = "completed"
    busy = "busy"
    no_answer = "no-answer"
    failed = "failed"
    canceled = "canceled"

    @property
    def final(self) -> bool:
        """True once Twilio will report nothing more for this call."""
        return self in FINAL_CALL_STATUSES


FINAL_CALL_STATUSES = frozenset(
    {CallStatus.completed, CallStatus.busy, CallStatus.no_answer, CallStatus.failed, CallStatus.canceled}
)


class CallSource(str, enum.Enum):
    """Where a call was asked for: the campaign page, a supporter dialing the campaign's number, or a partner's
    form through the API (`POST /api/v1/campaigns/{slug}/calls`)."""

    web = "web"
    call_in = "call-in"
    api = "api"


class LegStatus(str, enum.Enum):
    """What happened to one planned connection; Twilio's DialCallStatus values plus ours."""

    planned = "planned"
    dialing = "dialing"
    completed = "completed"
    answered = "answered"
    busy = "busy"
    no_answer = "no-answer"
    failed = "failed"
    canceled = "canceled"
    skipped = "skipped"


class Caller(Base):
    """One supporter, known by a keyed hash of their phone number; the number itself is only kept encrypted."""

    __tablename__ = "callers"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    calls: Mapped[list[Call]] = relationship(back_populates="caller")


class Call(Base):
    """One supporter's call session: the source of truth from the form to the last status callback."""

    __tablename__ = "calls"
    __table_args__ = (
        CheckConstraint("position >= 0", name="position_not_negative"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        # The dialer's queue: oldest queued calls whose retry time has come.
        Index("ix_calls_status_next_attempt", "status", "next_attempt_at"),
        # The line: queued calls in the order supporters asked (due calls, a supporter's place).
        Index("ix_calls_status_created", "status", "created_at"),
        Index("ix_calls_campaign_created", "campaign_id", "created_at"),
        Index("ix_calls_caller_created", "caller_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    # None for a call-in from a withheld caller ID: served, but never recognised.
    caller_id: Mapped[int | None] = mapped_column(ForeignKey("callers.id"))
    source: Mapped[CallSource] = mapped_column(
        str_enum(CallSource, "call_source"), default=CallSource.web, server_default=CallSource.web.value
    )
    # The call-in line's answers while it still asks where the caller lives ({"zip", "picks"}); cleared
    # once the call is planned, so only the resolved districts (the legs) remain.
    callin_answers: Mapped[dict | None] = mapped_column(JSON)
    twilio_sid: Mapped[str | None] = mapped_column(String(34), unique=True)
    status: Mapped[CallStatus] = mapped_column(str_enum(CallStatus, "call_status"), default=CallStatus.queued)
    # Twilio's AnsweredBy: human, machine_start, fax, unknown…
    answered_by: Mapped[str | None] = mapped_column(String(32))
    # Encrypted supporter number, kept only until the call is over.
    phone_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Optional words for the script; purged with the number.
    supporter_name: Mapped[str | None] = mapped_column(String(80))
    supporter_town: Mapped[str | None] = mapped_column(String(80))
    # What the lookup noted for the supporter ("we used ZIP 01003 instead"), as [code, values] pairs in no
    # language: the call page says them once, in its own language, and erases them (a ZIP is personal).
    notes: Mapped[list | None] = mapped_column(JSON)

    # Where the call flow stands (see callflow/flow.py).
    step: Mapped[str] = mapped_column(String(32), default="start")
    position: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)

    # Dialer bookkeeping. dialing_since is set while one dialer owns the call, so no other dials it.
    dial_attempts: Mapped[int] = mapped_column(Integer, default=0)
    dialing_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Not before this moment: the next morning where the supporter lives (nobody is rung at night).
    scheduled_for: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The supporter chose ``scheduled_for`` themselves (when the offices open): their quiet hours do not apply.
    chose_time: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    failure_reason: Mapped[str | None] = mapped_column(String(300))
    # Whoever answered pressed 9, "I did not ask for this call"; the number is blocklisted.
    not_requested: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Highest status-callback SequenceNumber applied, so late duplicates change nothing.
    status_sequence: Mapped[int] = mapped_column(Integer, default=-1)
    # A call played in the browser (no Twilio account, or a test from the console): never dialed, never counted.
    preview: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The supporter's language (languages.LOCALES): the call speaks it from the first word to the last.
    locale: Mapped[str] = mapped_column(String(8), default="en", server_default="en")

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    dialed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    duration: Mapped[int | None] = mapped_column(Integer)

    campaign: Mapped[Campaign] = relationship()
    caller: Mapped[Caller | None] = relationship(back_populates="calls")
    legs: Mapped[list[CallLeg]] = relationship(
        back_populates="call", order_by="CallLeg.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Call {self.public_id} {self.status.value}>"


class CallLeg(Base):
    """One planned connection to one target within a call, and what came of it."""

    __tablename__ = "call_legs"
    __table_args__ = (
        UniqueConstraint("call_id", "position", name="uq_call_legs_position"),
        CheckConstraint("position >= 0", name="position_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    # The target planned; empty when the seat was vacant at planning time.
    target_id: Mapped[int | None] = mapped_column(ForeignKey("targets.id"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"))
    status: Mapped[LegStatus] = mapped_column(str_enum(LegStatus, "leg_status"), default=LegStatus.planned)
    # Why a leg was skipped: vacant, no_phone, supporter.
    skip_reason: Mapped[str | None] = mapped_column(String(32))
    dial_call_sid: Mapped[str | None] = mapped_column(String(34))
    duration: Mapped[int | None] = mapped_column(Integer)
    # What the supporter reported afterwards (spoke, voicemail, no_answer), when asked.
    feedback: Mapped[str | None] = mapped_column(String(32))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The office line whose Dial decided the leg (status, dial_call_sid and duration above are that
    # Dial's): 0 for the target's first line. The lines tried before it are the leg's `failovers`.
    line: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    line_kind: Mapped[str | None] = mapped_column(String(32))  # that line's office kind: capitol, district…

    call: Mapped[Call] = relationship(back_populates="legs")
    target: Mapped[Target | None] = relationship()
    district: Mapped[District | None] = relationship()
    failovers: Mapped[list[CallLegAttempt]] = relationship(
        back_populates="leg", order_by="CallLegAttempt.line", cascade="all, delete-orphan"
    )

    @property
    def attempts(self) -> int:
        """How many office lines were dialed for this leg: its failovers and the line that decided it."""
        dialed = self.status not in (LegStatus.planned, LegStatus.skipped)
        return len(self.failovers) + (1 if dialed else 0)


class CallLegAttempt(Base):
    """One office line of a leg that was dialed and failed over (busy, no answer, failed, never bridged)
    to the target's next line, as Twilio reported that Dial. The line that decided the leg is on the leg."""

    __tablename__ = "call_leg_attempts"
    __table_args__ = (CheckConstraint("line >= 0", name="line_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_leg_id: Mapped[int] = mapped_column(ForeignKey("call_legs.id", ondelete="CASCADE"), index=True)
    line: Mapped[int] = mapped_column(Integer)  # the target's office line, 0 first
    kind: Mapped[str | None] = mapped_column(String(32))  # its office kind: capitol, district…
    status: Mapped[LegStatus] = mapped_column(str_enum(LegStatus, "leg_status"))
    dial_call_sid: Mapped[str | None] = mapped_column(String(34))
    duration: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    leg: Mapped[CallLeg] = relationship(back_populates="failovers")


class CallPreview(Base):
    """An in-browser walk through a call when no Twilio account is configured: the simulator's state and transcript."""

    __tablename__ = "call_previews"

    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True)
    state: Mapped[dict] = mapped_column(JSON)
    transcript: Mapped[list] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


def upsert_caller(session: DbSession, phone_hash: str) -> Caller:
    """The supporter known by this hash, created if new; two first submissions at once both get the one row.

    INSERT … ON CONFLICT DO NOTHING waits for a concurrent insert of the same hash to commit (or
    roll back) instead of failing on the unique index, so neither submission sees an error.
    """
    insert_ignoring_conflicts(session, Caller, ["phone_hash"], phone_hash=phone_hash, created_at=utcnow())
    return session.scalars(select(Caller).where(Caller.phone_hash == phone_hash)).one()


def register_caller(session: DbSession, phone_hash: str, *also: ColumnElement[Any]) -> tuple[Any, ...]:
    """The supporter's caller id, created if new, followed by ``also`` read in the same statement: one
    INSERT … ON CONFLICT DO UPDATE … RETURNING (the no-op update is what makes RETURNING give an existing row);
    like upsert_caller, it waits for a concurrent insert of the same hash instead of failing."""
    values = dialect_insert(session, Caller).values(phone_hash=phone_hash, created_at=utcnow())
    upsert = values.on_conflict_do_update(
        index_elements=["phone_hash"], set_={"phone_hash": values.excluded.phone_hash}
    )
    return tuple(session.execute(upsert.returning(Caller.id, *also)).one())


def find_call(session: DbSession, public_id: str, *, with_plan: bool = False) -> Call | None:
    """The call known by this public id, or None; `with_plan` also loads its campaign and its legs'
    targets and districts in the same SELECT."""
    query = _call_with_plan() if with_plan else _call()
    return session.scalars(query, {"public_id": public_id}).unique().one_or_none()


@cache
def _call() -> Select[Call]:
    """find_call's read, built once and bound per call (on first use: loader options need every model mapped)."""
    return select(Call).where(Call.public_id == bindparam("public_id"))


@cache
def _call_with_plan() -> Select[Call]:
    """The read with the call's plan (the call flow's first webhook in a process), built once."""
    return _call().options(
        joinedload(Call.campaign).joinedload(Campaign.legislature),
        joinedload(Call.legs).joinedload(CallLeg.target).joinedload(Target.district),
        joinedload(Call.legs).joinedload(CallLeg.target).joinedload(Target.number_status),
        joinedload(Call.legs).joinedload(CallLeg.target).joinedload(Target.offices).joinedload(Office.number_status),
        joinedload(Call.legs).joinedload(CallLeg.district),
    )
