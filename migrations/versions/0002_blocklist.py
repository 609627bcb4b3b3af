"""Add the blocklist: blocked supporter numbers (keyed hash only) and client IP networks

Revision ID: 0002_blocklist
Revises: 0001_initial_schema
Create Date: 2026-11-25 09:13:02.166304

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_blocklist'
down_revision = '0001_initial_schema'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('blocks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('phone', 'ip', name='block_kind', native_enum=False, create_constraint=True, length=16), nullable=False),
    # A phone number's HMAC-SHA256 (64 hex digits) or a CIDR network; never a raw number.
    sa.Column('value', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blocks')),
    sa.UniqueConstraint('kind', 'value', name='uq_blocks_kind_value')
    )


def downgrade():
    op.drop_table('blocks')
