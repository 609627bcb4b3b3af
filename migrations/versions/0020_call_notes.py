"""What the lookup noted for a supporter, kept on their call until its page has said it (the embedded form's
call page has no session to carry it)

Revision ID: 0020_call_notes
Revises: 0019_webhook_secrets_encrypted
Create Date: 2026-12-03 11:40:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0020_call_notes"
down_revision = "0019_webhook_secrets_encrypted"
branch_labels = None
depends_on = None


def upgrade():
    # A nullable column: existing calls have nothing left to say, and nothing is rewritten.
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notes", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_column("notes")
