"""Calls to the campaign's number: where a call came from (web or call-in), the call-in answers
still being asked, a caller that may be unknown (a withheld caller ID), and the texts with a link
to the campaign page the call-in line may offer

Revision ID: 0006_call_source
Revises: 0010_target_offices
Create Date: 2026-12-01 10:45:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0006_call_source"
down_revision = "0010_target_offices"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "text_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("phone_encrypted", sa.LargeBinary(), nullable=True),
        sa.Column("from_number", sa.String(length=20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("message_sid", sa.String(length=34), nullable=True),
        sa.Column("failure", sa.String(length=300), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_text_messages_call_id_calls"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_messages")),
    )
    with op.batch_alter_table("text_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_text_messages_call_id"), ["call_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_text_messages_claimed_at"), ["claimed_at"], unique=False)
    # No campaign offered texts before.
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.add_column(sa.Column("text_link", sa.Boolean(), server_default=sa.false(), nullable=False))
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
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_column("text_link")
    op.drop_table("text_messages")
