"""Create campaigns, geography and calls tables

Revision ID: 0001_initial_schema
Revises: 
Create Date: 2026-11-25 09:03:27.273683

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001_initial_schema'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('callers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phone_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_callers')),
    sa.UniqueConstraint('phone_hash', name=op.f('uq_callers_phone_hash'))
    )
    op.create_table('campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('status', sa.Enum('draft', 'live', 'paused', 'ended', name='campaign_status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('state', sa.String(length=2), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('headline', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('call_explainer', sa.Text(), nullable=False),
    sa.Column('script_template', sa.Text(), nullable=False),
    sa.Column('thank_you', sa.Text(), nullable=False),
    sa.Column('learn_more_url', sa.String(length=500), nullable=True),
    sa.Column('learn_more_label', sa.String(length=200), nullable=True),
    sa.Column('share_text', sa.Text(), nullable=False),
    sa.Column('greeting', sa.Text(), nullable=False),
    sa.Column('talking_points', sa.Text(), nullable=False),
    sa.Column('goodbye', sa.Text(), nullable=False),
    sa.Column('ask_feedback', sa.Boolean(), nullable=False),
    sa.Column('voice', sa.String(length=64), nullable=True),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('caller_id', sa.String(length=20), nullable=True),
    sa.Column('target_chambers', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(slug) > 0', name=op.f('ck_campaigns_slug_not_empty')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaigns')),
    sa.UniqueConstraint('slug', name=op.f('uq_campaigns_slug'))
    )
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaigns_status'), ['status'], unique=False)

    op.create_table('districts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=2), nullable=False),
    sa.Column('chamber', sa.String(length=8), nullable=False),
    sa.Column('census_geoid', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('ocd_division_id', sa.String(length=200), nullable=False),
    sa.CheckConstraint("chamber IN ('upper', 'lower')", name=op.f('ck_districts_chamber_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_districts')),
    sa.UniqueConstraint('census_geoid', name=op.f('uq_districts_census_geoid')),
    sa.UniqueConstraint('ocd_division_id', name=op.f('uq_districts_ocd_division_id'))
    )
    with op.batch_alter_table('districts', schema=None) as batch_op:
        batch_op.create_index('ix_districts_state_chamber', ['state', 'chamber'], unique=False)

    op.create_table('calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('caller_id', sa.Integer(), nullable=False),
    sa.Column('twilio_sid', sa.String(length=34), nullable=True),
    sa.Column('status', sa.Enum('queued', 'initiated', 'ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'failed', 'canceled', name='call_status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('answered_by', sa.String(length=32), nullable=True),
    sa.Column('phone_encrypted', sa.LargeBinary(), nullable=True),
    sa.Column('supporter_name', sa.String(length=80), nullable=True),
    sa.Column('supporter_town', sa.String(length=80), nullable=True),
    sa.Column('step', sa.String(length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('dial_attempts', sa.Integer(), nullable=False),
    sa.Column('dialing_since', sa.DateTime(timezone=True), nullable=True),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failure_reason', sa.String(length=300), nullable=True),
    sa.Column('status_sequence', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('dialed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('duration', sa.Integer(), nullable=True),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_calls_attempts_not_negative')),
    sa.CheckConstraint('position >= 0', name=op.f('ck_calls_position_not_negative')),
    sa.ForeignKeyConstraint(['caller_id'], ['callers.id'], name=op.f('fk_calls_caller_id_callers')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_calls_campaign_id_campaigns')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calls')),
    sa.UniqueConstraint('public_id', name=op.f('uq_calls_public_id')),
    sa.UniqueConstraint('twilio_sid', name=op.f('uq_calls_twilio_sid'))
    )
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.create_index('ix_calls_caller_created', ['caller_id', 'created_at'], unique=False)
        batch_op.create_index('ix_calls_campaign_created', ['campaign_id', 'created_at'], unique=False)
        batch_op.create_index('ix_calls_status_next_attempt', ['status', 'next_attempt_at'], unique=False)

    op.create_table('targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('party', sa.String(length=60), nullable=True),
    sa.Column('state', sa.String(length=2), nullable=True),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('extension', sa.String(length=10), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("phone IS NULL OR phone LIKE '+%'", name=op.f('ck_targets_phone_e164')),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_targets_district_id_districts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_targets')),
    sa.UniqueConstraint('source_id', name=op.f('uq_targets_source_id'))
    )
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.create_index('ix_targets_district_active', ['district_id', 'active'], unique=False)

    op.create_table('zip_districts',
    sa.Column('zcta', sa.String(length=5), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.CheckConstraint('rank >= 1', name=op.f('ck_zip_districts_rank_positive')),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_zip_districts_district_id_districts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('zcta', 'district_id', name=op.f('pk_zip_districts'))
    )
    with op.batch_alter_table('zip_districts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_zip_districts_district_id'), ['district_id'], unique=False)

    op.create_table('call_legs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('planned', 'dialing', 'completed', 'answered', 'busy', 'no-answer', 'failed', 'canceled', 'skipped', name='leg_status', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('skip_reason', sa.String(length=32), nullable=True),
    sa.Column('dial_call_sid', sa.String(length=34), nullable=True),
    sa.Column('duration', sa.Integer(), nullable=True),
    sa.Column('feedback', sa.String(length=32), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('position >= 0', name=op.f('ck_call_legs_position_not_negative')),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_call_legs_call_id_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_call_legs_district_id_districts')),
    sa.ForeignKeyConstraint(['target_id'], ['targets.id'], name=op.f('fk_call_legs_target_id_targets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_legs')),
    sa.UniqueConstraint('call_id', 'position', name='uq_call_legs_position')
    )
    with op.batch_alter_table('call_legs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_legs_target_id'), ['target_id'], unique=False)

    op.create_table('call_previews',
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.JSON(), nullable=False),
    sa.Column('transcript', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_call_previews_call_id_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('call_id', name=op.f('pk_call_previews'))
    )
    op.create_table('campaign_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint('position >= 0', name=op.f('ck_campaign_targets_position_not_negative')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_targets_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_id'], ['targets.id'], name=op.f('fk_campaign_targets_target_id_targets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_targets')),
    sa.UniqueConstraint('campaign_id', 'position', name='uq_campaign_targets_position'),
    sa.UniqueConstraint('campaign_id', 'target_id', name='uq_campaign_targets_target')
    )
    with op.batch_alter_table('campaign_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_targets_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_targets_target_id'), ['target_id'], unique=False)



def downgrade():
    with op.batch_alter_table('campaign_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_targets_target_id'))
        batch_op.drop_index(batch_op.f('ix_campaign_targets_campaign_id'))

    op.drop_table('campaign_targets')
    op.drop_table('call_previews')
    with op.batch_alter_table('call_legs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_legs_target_id'))

    op.drop_table('call_legs')
    with op.batch_alter_table('zip_districts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_zip_districts_district_id'))

    op.drop_table('zip_districts')
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_index('ix_targets_district_active')

    op.drop_table('targets')
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_index('ix_calls_status_next_attempt')
        batch_op.drop_index('ix_calls_campaign_created')
        batch_op.drop_index('ix_calls_caller_created')

    op.drop_table('calls')
    with op.batch_alter_table('districts', schema=None) as batch_op:
        batch_op.drop_index('ix_districts_state_chamber')

    op.drop_table('districts')
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaigns_status'))

    op.drop_table('campaigns')
    op.drop_table('callers')
