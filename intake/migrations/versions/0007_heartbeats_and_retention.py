"""worker heartbeats, for readiness; cases anonymised under retention; open-queue indexes

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 19:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('worker_heartbeats',
    sa.Column('worker', sa.String(length=120), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('beat_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('worker', name=op.f('pk_worker_heartbeats'))
    )
    with op.batch_alter_table('worker_heartbeats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_worker_heartbeats_beat_at'), ['beat_at'], unique=False)
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_on', sa.Date(), nullable=True))
    # The open queue read straight off an index (see intake/models/case.py).
    open_cases = sa.text("status IN ('new', 'open', 'on_hold')")
    op.create_index('ix_cases_open_next_deadline', 'cases', ['next_deadline', 'id'],
                    postgresql_where=open_cases, sqlite_where=open_cases)
    op.create_index('ix_cases_open_team_next_deadline', 'cases', ['team', 'next_deadline', 'id'],
                    postgresql_where=open_cases, sqlite_where=open_cases)


def downgrade():
    op.drop_index('ix_cases_open_team_next_deadline', table_name='cases')
    op.drop_index('ix_cases_open_next_deadline', table_name='cases')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('anonymised_on')
    with op.batch_alter_table('worker_heartbeats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_worker_heartbeats_beat_at'))
    op.drop_table('worker_heartbeats')
