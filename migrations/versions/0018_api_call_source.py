"""Calls asked for through the API: a third call source, `api`, so results can tell them from the page's

Revision ID: 0018_api_call_source
Revises: 0015_outbound_webhooks
Create Date: 2026-12-01 15:05:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0018_api_call_source"
down_revision = "0015_outbound_webhooks"
branch_labels = None
depends_on = None

CONSTRAINT = "ck_calls_call_source"


def _check(values):
    return "source IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def upgrade():
    # Calls asked for through the API before this revision were stored as web: nothing tells them apart.
    # On SQLite the batch recreates the table, with the new check in place of the old.
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(CONSTRAINT), type_="check")
        batch_op.create_check_constraint(op.f(CONSTRAINT), sa.text(_check(("web", "call-in", "api"))))


def downgrade():
    # Without the api source, an API call reads as the page's: what every call was stored as before.
    op.execute(sa.text("UPDATE calls SET source = 'web' WHERE source = 'api'"))
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(CONSTRAINT), type_="check")
        batch_op.create_check_constraint(op.f(CONSTRAINT), sa.text(_check(("web", "call-in"))))
