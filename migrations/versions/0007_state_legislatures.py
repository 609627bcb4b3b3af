"""Fit every state's legislature: chambers with their members' titles, districts with several seats,
and a district's GEOID unique within its chamber only

Revision ID: 0007_state_legislatures
Revises: 0002_blocklist
Create Date: 2026-12-01 07:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0007_state_legislatures"
down_revision = "0002_blocklist"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "legislative_chambers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("chamber", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("member_title", sa.String(length=100), nullable=False),
        sa.CheckConstraint("chamber IN ('upper', 'lower')", name=op.f("ck_legislative_chambers_chamber_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legislative_chambers")),
        sa.UniqueConstraint("state", "chamber", name="uq_legislative_chambers_state_chamber"),
    )
    # Existing districts each have one seat, which is what the server default gives them.
    with op.batch_alter_table("districts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seats", sa.Integer(), server_default="1", nullable=False))
        batch_op.create_check_constraint(op.f("ck_districts_seats_positive"), "seats >= 1")
        batch_op.drop_constraint("uq_districts_census_geoid", type_="unique")
        batch_op.create_unique_constraint("uq_districts_chamber_census_geoid", ["chamber", "census_geoid"])
        batch_op.create_index("ix_districts_census_geoid", ["census_geoid"], unique=False)


def downgrade():
    # Fails (as it should) when two chambers' districts share a GEOID: that data cannot go back.
    with op.batch_alter_table("districts", schema=None) as batch_op:
        batch_op.drop_index("ix_districts_census_geoid")
        batch_op.drop_constraint("uq_districts_chamber_census_geoid", type_="unique")
        batch_op.create_unique_constraint("uq_districts_census_geoid", ["census_geoid"])
        batch_op.drop_constraint(op.f("ck_districts_seats_positive"), type_="check")
        batch_op.drop_column("seats")
    op.drop_table("legislative_chambers")
