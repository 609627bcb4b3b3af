"""Calls to the campaign's number: where a call came from (web or call-in), the call-in answers
still being asked, and a caller that may be unknown (a withheld caller ID)

Revision ID: 0006_call_source
Revises: 0003_dialer_pacing
Create Date: 2026-12-01 10:45:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0006_call_source"
down_revision = "0003_dialer_pacing"
branch_labels = None
depends_on = None


def upgrade():
    # Every existing call was asked for on the web page, which is what the server default says.
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "source",
                sa.Enum("web", "call-in", name="call_source", native_enum=False, create_constraint=True, length=16),
                server_default="web",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("callin_answers", sa.JSON(), nullable=True))
        batch_op.alter_column("caller_id", existing_type=sa.Integer(), nullable=True)


def downgrade():
    # Fails (as it should) while a call from a withheld number has no caller.
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.alter_column("caller_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("callin_answers")
        batch_op.drop_constraint(op.f("ck_calls_call_source"), type_="check")
        batch_op.drop_column("source")
