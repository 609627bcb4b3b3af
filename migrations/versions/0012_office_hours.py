"""Office hours: each legislature's usual hours and zone, an office's own, a campaign's holidays, and calls
whose time the supporter chose

Revision ID: 0012_office_hours
Revises: 0016_api_tokens
Create Date: 2026-12-01 13:30:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0012_office_hours"
down_revision = "0016_api_tokens"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("legislative_chambers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("office_hours", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("office_timezone", sa.String(length=64), nullable=True))
    with op.batch_alter_table("target_offices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hours", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("timezone", sa.String(length=64), nullable=True))
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.add_column(sa.Column("office_holidays", sa.JSON(), server_default=sa.text("'[]'"), nullable=False))
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chose_time", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_column("chose_time")
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_column("office_holidays")
    with op.batch_alter_table("target_offices", schema=None) as batch_op:
        batch_op.drop_column("timezone")
        batch_op.drop_column("hours")
    with op.batch_alter_table("legislative_chambers", schema=None) as batch_op:
        batch_op.drop_column("office_timezone")
        batch_op.drop_column("office_hours")
