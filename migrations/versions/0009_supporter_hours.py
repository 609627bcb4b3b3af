"""Supporters are rung only in their daytime: a call's scheduled time, the campaign's own hours, and press 9

Revision ID: 0009_supporter_hours
Revises: 0003_dialer_pacing
Create Date: 2026-12-01 11:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0009_supporter_hours"
down_revision = "0003_dialer_pacing"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("calls", schema=None) as batch_op:
        # Not before this moment (UTC): the next morning in the supporter's time zone, or a slot they chose.
        batch_op.add_column(sa.Column("scheduled_for", sa.DateTime(timezone=True), nullable=True))
        # Whoever answered pressed 9: "I did not ask for this call" (the number is now blocklisted).
        batch_op.add_column(
            sa.Column("not_requested", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        # "08:00-21:00", "always", or empty for the deployment's SUPPORTER_CALL_HOURS.
        batch_op.add_column(sa.Column("supporter_call_hours", sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_column("supporter_call_hours")
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_column("not_requested")
        batch_op.drop_column("scheduled_for")
