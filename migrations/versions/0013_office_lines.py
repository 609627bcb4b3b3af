"""Office lines: the leases that cap conversations per office number, and organisers' decisions about numbers

Revision ID: 0013_office_lines
Revises: 0014_embed_origins
Create Date: 2026-12-01 13:40:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0013_office_lines"
down_revision = "0014_embed_origins"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "line_leases",
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("slot >= 0", name=op.f("ck_line_leases_slot_not_negative")),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_line_leases_call_id_calls"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("phone", "slot", name=op.f("pk_line_leases")),
    )
    with op.batch_alter_table("line_leases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_line_leases_call_id"), ["call_id"], unique=False)
    op.create_table(
        "office_numbers",
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("out_of_rotation", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("replaced_by", sa.String(length=20), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("phone LIKE '+%'", name=op.f("ck_office_numbers_phone_e164")),
        sa.PrimaryKeyConstraint("phone", name=op.f("pk_office_numbers")),
    )
    with op.batch_alter_table("office_numbers", schema=None) as batch_op:
        batch_op.create_index("ix_office_numbers_out_of_rotation", ["out_of_rotation"], unique=False)


def downgrade():
    with op.batch_alter_table("office_numbers", schema=None) as batch_op:
        batch_op.drop_index("ix_office_numbers_out_of_rotation")
    op.drop_table("office_numbers")
    with op.batch_alter_table("line_leases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_line_leases_call_id"))
    op.drop_table("line_leases")
