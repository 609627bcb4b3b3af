"""Geography: districts, the ZIP areas that overlap them, and the people supporters can call."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lookup.messages import CHAMBER_NAMES
from models.base import Base, UTCDateTime, utcnow

CHAMBERS = ("upper", "lower")


class LegislativeChamber(Base):
    """One chamber of a state's legislature, as Open States' metadata names it; Nebraska has only `upper`."""

    __tablename__ = "legislative_chambers"
    __table_args__ = (
        CheckConstraint("chamber IN ('upper', 'lower')", name="chamber_known"),
        UniqueConstraint("state", "chamber", name="uq_legislative_chambers_state_chamber"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(2))
    chamber: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(100))  # "Senate", "House", "Assembly", "Nebraska Legislature"
    member_title: Mapped[str] = mapped_column(String(100))  # "State Senator", "Delegate", "Assembly Member", …
    # Its offices' usual hours and their time zone, from the state's data settings (targets/hours.py reads them).
    office_hours: Mapped[str | None] = mapped_column(String(200))  # "mon-fri 09:00-17:00"
    office_timezone: Mapped[str | None] = mapped_column(String(64))  # "America/New_York"

    def __repr__(self) -> str:
        return f"<LegislativeChamber {self.state} {self.chamber} {self.name}>"


class District(Base):
    """A legislative district with one or more seats; a seat without an active target is vacant.

    A GEOID is unique within a chamber only: where both chambers share district numbers (Arizona,
    New Jersey, Washington…), the Census gives the Senate's and the House's district 1 the same GEOID.
    """

    __tablename__ = "districts"
    __table_args__ = (
        CheckConstraint("chamber IN ('upper', 'lower')", name="chamber_known"),
        CheckConstraint("seats >= 1", name="seats_positive"),
        UniqueConstraint("chamber", "census_geoid", name="uq_districts_chamber_census_geoid"),
        Index("ix_districts_state_chamber", "state", "chamber"),
        Index("ix_districts_census_geoid", "census_geoid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(2))
    chamber: Mapped[str] = mapped_column(String(8))
    census_geoid: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    ocd_division_id: Mapped[str] = mapped_column(String(200), unique=True)
    # How many members sit for the district: 2 in Arizona's House, up to 11 in New Hampshire's.
    seats: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    targets: Mapped[list[Target]] = relationship(back_populates="district")
    legislative_chamber: Mapped[LegislativeChamber | None] = relationship(
        primaryjoin="and_(District.state == foreign(LegislativeChamber.state), "
        "District.chamber == foreign(LegislativeChamber.chamber))",
        viewonly=True,
        uselist=False,
    )

    @property
    def chamber_name(self) -> str:
        """What the district's state calls its chamber ("Assembly"); Senate or House where its data does not say."""
        known = self.legislative_chamber
        return known.name if known is not None else CHAMBER_NAMES[self.chamber]

    def __repr__(self) -> str:
        return f"<District {self.census_geoid} {self.name}>"


class Target(Base):
    """Someone a supporter can be connected to: a legislator, a statewide officer or a fixed office."""

    __tablename__ = "targets"
    __table_args__ = (
        CheckConstraint("phone IS NULL OR phone LIKE '+%'", name="phone_e164"),
        Index("ix_targets_district_active", "district_id", "active"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Where the record comes from: an Open States person id, or "campaign:<slug>:<key>".
    source_id: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(100))
    party: Mapped[str | None] = mapped_column(String(60))
    state: Mapped[str | None] = mapped_column(String(2))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"))
    phone: Mapped[str | None] = mapped_column(String(20))
    extension: Mapped[str | None] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    district: Mapped[District | None] = relationship(back_populates="targets")
    # Every office line, the one in `phone` first; loaded targets have theirs from Open States' offices.
    offices: Mapped[list[Office]] = relationship(
        back_populates="target", order_by="Office.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Target {self.title} {self.name}>"


class Office(Base):
    """One of a target's office lines: the State House (capitol) or a district office, with its own number."""

    __tablename__ = "target_offices"
    __table_args__ = (
        UniqueConstraint("target_id", "position", name="uq_target_offices_position"),
        CheckConstraint("phone LIKE '+%'", name="phone_e164"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # 0 is the line dialed first
    kind: Mapped[str] = mapped_column(String(32))  # "capitol", "district", … as Open States classifies it
    phone: Mapped[str] = mapped_column(String(20))
    extension: Mapped[str | None] = mapped_column(String(10))
    # This office's own hours and time zone, when they differ from its legislature's (None: the default).
    hours: Mapped[str | None] = mapped_column(String(200))
    timezone: Mapped[str | None] = mapped_column(String(64))

    target: Mapped[Target] = relationship(back_populates="offices")

    def __repr__(self) -> str:
        return f"<Office {self.kind} of target {self.target_id}>"


class ZipDistrict(Base):
    """A ZIP code area (ZCTA) overlapping a district; rank 1 holds the largest share of the ZIP's land."""

    __tablename__ = "zip_districts"
    __table_args__ = (CheckConstraint("rank >= 1", name="rank_positive"),)

    zcta: Mapped[str] = mapped_column(String(5), primary_key=True)
    district_id: Mapped[int] = mapped_column(
        ForeignKey("districts.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    rank: Mapped[int] = mapped_column(Integer)

    district: Mapped[District] = relationship()
