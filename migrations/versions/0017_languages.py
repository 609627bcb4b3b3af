"""Languages: the language each call speaks, and each campaign's texts in other languages

Revision ID: 0017_languages
Revises: 0011_leg_attempts
Create Date: 2026-12-01 13:45:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0017_languages"
down_revision = "0011_leg_attempts"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("locale", sa.String(length=8), server_default="en", nullable=False))
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.add_column(sa.Column("translations", sa.JSON(), server_default="{}", nullable=False))


def downgrade():
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_column("translations")
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_column("locale")
