"""Every office line of a target (State House and district offices), in the order a call tries them

Revision ID: 0010_target_offices
Revises: 0009_supporter_hours
Create Date: 2026-12-01 11:15:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0010_target_offices"
down_revision = "0009_supporter_hours"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "target_offices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("extension", sa.String(length=10), nullable=True),
        sa.CheckConstraint("phone LIKE '+%'", name=op.f("ck_target_offices_phone_e164")),
        sa.ForeignKeyConstraint(
            ["target_id"], ["targets.id"], name=op.f("fk_target_offices_target_id_targets"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_offices")),
        sa.UniqueConstraint("target_id", "position", name="uq_target_offices_position"),
    )
    with op.batch_alter_table("target_offices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_offices_target_id"), ["target_id"], unique=False)


def downgrade():
    with op.batch_alter_table("target_offices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_offices_target_id"))
    op.drop_table("target_offices")
