"""Add the dialer's shared pace (one row per schedule) and an index for the line of queued calls

Revision ID: 0003_dialer_pacing
Revises: 0007_state_legislatures
Create Date: 2026-12-01 07:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0003_dialer_pacing"
down_revision = "0007_state_legislatures"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "dialer_pace",
        sa.Column("name", sa.String(length=32), nullable=False),
        # Seconds since the epoch (UTC) of the next free slot for handing a call to Twilio.
        sa.Column("next_slot", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_dialer_pace")),
    )
    # A supporter's place in line counts the queued calls created before theirs.
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.create_index("ix_calls_status_created", ["status", "created_at"], unique=False)


def downgrade():
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_index("ix_calls_status_created")
    op.drop_table("dialer_pace")
