"""Webhook endpoints' signing secrets encrypted at rest, with a hint for the console and a rolled secret's grace

Revision ID: 0019_webhook_secrets_encrypted
Revises: 0018_api_call_source
Create Date: 2026-12-02 10:20:00.000000

"""

from alembic import op
import sqlalchemy as sa
from flask import current_app

# The one home of the secrets' encryption (its key is derived from PHONE_ENCRYPTION_KEY): migrations run inside
# the app (`flask db upgrade`), so its config is at hand.
from webhooks.signing import SecretBox, hint


# revision identifiers, used by Alembic.
revision = "0019_webhook_secrets_encrypted"
down_revision = "0018_api_call_source"
branch_labels = None
depends_on = None

endpoints = sa.table(
    "webhook_endpoints",
    sa.column("id", sa.Integer()),
    sa.column("secret", sa.String()),
    sa.column("secret_encrypted", sa.LargeBinary()),
    sa.column("secret_hint", sa.String()),
)


def upgrade():
    with op.batch_alter_table("webhook_endpoints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("secret_encrypted", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("secret_hint", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("previous_secret_encrypted", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("previous_secret_expires_at", sa.DateTime(timezone=True), nullable=True))

    connection = op.get_bind()
    rows = connection.execute(sa.select(endpoints.c.id, endpoints.c.secret)).all()
    if rows:
        box = SecretBox.from_config(current_app.config)
        for endpoint_id, secret in rows:
            connection.execute(
                endpoints.update()
                .where(endpoints.c.id == endpoint_id)
                .values(secret_encrypted=box.seal(secret), secret_hint=hint(secret))
            )

    with op.batch_alter_table("webhook_endpoints", schema=None) as batch_op:
        batch_op.alter_column("secret_encrypted", existing_type=sa.LargeBinary(), nullable=False)
        batch_op.alter_column("secret_hint", existing_type=sa.String(length=16), nullable=False)
        batch_op.drop_column("secret")


def downgrade():
    # Back to the plain secret; a secret rolled less than a day ago loses its grace: only the new one signs.
    with op.batch_alter_table("webhook_endpoints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("secret", sa.String(length=64), nullable=True))

    connection = op.get_bind()
    rows = connection.execute(sa.select(endpoints.c.id, endpoints.c.secret_encrypted)).all()
    if rows:
        box = SecretBox.from_config(current_app.config)
        for endpoint_id, sealed in rows:
            secret = box.open(sealed)
            if secret is None:
                raise RuntimeError(
                    f"webhook endpoint {endpoint_id}: its secret does not open with this PHONE_ENCRYPTION_KEY; "
                    "run the downgrade with the key it was encrypted with"
                )
            connection.execute(endpoints.update().where(endpoints.c.id == endpoint_id).values(secret=secret))

    with op.batch_alter_table("webhook_endpoints", schema=None) as batch_op:
        batch_op.alter_column("secret", existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_column("previous_secret_expires_at")
        batch_op.drop_column("previous_secret_encrypted")
        batch_op.drop_column("secret_hint")
        batch_op.drop_column("secret_encrypted")
