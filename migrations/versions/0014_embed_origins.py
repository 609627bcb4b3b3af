"""The origins allowed to embed a campaign's call form

Revision ID: 0014_embed_origins
Revises: 0012_office_hours
Create Date: 2026-12-01 13:30:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0014_embed_origins"
down_revision = "0012_office_hours"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.add_column(sa.Column("embed_origins", sa.JSON(), server_default="[]", nullable=False))


def downgrade():
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_column("embed_origins")
