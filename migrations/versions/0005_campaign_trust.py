"""Campaigns say who runs them, who pays, how to reach them, and where their privacy page is

Revision ID: 0005_campaign_trust
Revises: 0006_call_source
Create Date: 2026-12-01 11:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0005_campaign_trust"
down_revision = "0006_call_source"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organisation", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("paid_for_by", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("contact", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("privacy_url", sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_column("privacy_url")
        batch_op.drop_column("contact")
        batch_op.drop_column("paid_for_by")
        batch_op.drop_column("organisation")
