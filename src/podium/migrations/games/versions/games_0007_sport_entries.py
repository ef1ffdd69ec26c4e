"""sport entries

Revision ID: games_0007
Revises: games_0006
Create Date: 2026-11-29 16:40:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from podium.core.types import UtcDateTime

# revision identifiers, used by Alembic.
revision: str = 'games_0007'
down_revision: Union[str, Sequence[str], None] = 'games_0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""

    op.create_table('sport_entry',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('event_rsc', sa.String(length=34), nullable=False),
    sa.Column('event_code', sa.String(length=22), nullable=False),
    sa.Column('noc', sa.String(length=3), nullable=False),
    sa.Column('participant_code', sa.String(length=20), nullable=True),
    sa.Column('team_code', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('entered_at', UtcDateTime(timezone=True), nullable=False),
    sa.Column('by', sa.String(length=32), nullable=False),
    sa.Column('changed_at', UtcDateTime(timezone=True), nullable=True),
    sa.Column('changed_by', sa.String(length=32), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('replaced_by', sa.Integer(), nullable=True),
    sa.Column('replaces', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['event_rsc'], ['event.rsc'], name=op.f('fk_sport_entry_event_rsc_event')),
    sa.ForeignKeyConstraint(['noc'], ['noc.code'], name=op.f('fk_sport_entry_noc_noc')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sport_entry'))
    )
    op.create_index(op.f('ix_sport_entry_event_code'), 'sport_entry', ['event_code'], unique=False)
    op.create_index('ix_sport_entry_event_noc', 'sport_entry', ['event_rsc', 'noc'], unique=False)
    op.create_index(op.f('ix_sport_entry_noc'), 'sport_entry', ['noc'], unique=False)
    op.create_index(op.f('ix_sport_entry_participant_code'), 'sport_entry', ['participant_code'], unique=False)
    op.create_index(op.f('ix_sport_entry_status'), 'sport_entry', ['status'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""

    op.drop_index(op.f('ix_sport_entry_status'), table_name='sport_entry')
    op.drop_index(op.f('ix_sport_entry_participant_code'), table_name='sport_entry')
    op.drop_index(op.f('ix_sport_entry_noc'), table_name='sport_entry')
    op.drop_index('ix_sport_entry_event_noc', table_name='sport_entry')
    op.drop_index(op.f('ix_sport_entry_event_code'), table_name='sport_entry')
    op.drop_table('sport_entry')
