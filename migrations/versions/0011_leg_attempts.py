"""Failover within a leg: the office line that decided each leg, and the lines tried before it

Revision ID: 0011_leg_attempts
Revises: 0004_console
Create Date: 2026-12-01 12:10:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0011_leg_attempts"
down_revision = "0004_console"
branch_labels = None
depends_on = None

_LEG_STATUSES = ("planned", "dialing", "completed", "answered", "busy", "no-answer", "failed", "canceled", "skipped")


def upgrade():
    with op.batch_alter_table("call_legs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("line", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("line_kind", sa.String(length=32), nullable=True))
    op.create_table(
        "call_leg_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_leg_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=True),
        sa.Column(
            "status",
            sa.Enum(*_LEG_STATUSES, name="leg_status", native_enum=False, create_constraint=True, length=16),
            nullable=False,
        ),
        sa.Column("dial_call_sid", sa.String(length=34), nullable=True),
        sa.Column("duration", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("line >= 0", name=op.f("ck_call_leg_attempts_line_not_negative")),
        sa.ForeignKeyConstraint(
            ["call_leg_id"],
            ["call_legs.id"],
            name=op.f("fk_call_leg_attempts_call_leg_id_call_legs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_leg_attempts")),
    )
    with op.batch_alter_table("call_leg_attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_call_leg_attempts_call_leg_id"), ["call_leg_id"], unique=False)


def downgrade():
    with op.batch_alter_table("call_leg_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_leg_attempts_call_leg_id"))
    op.drop_table("call_leg_attempts")
    with op.batch_alter_table("call_legs", schema=None) as batch_op:
        batch_op.drop_column("line_kind")
        batch_op.drop_column("line")
