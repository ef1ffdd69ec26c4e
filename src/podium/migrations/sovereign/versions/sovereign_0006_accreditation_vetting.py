"""accreditation vetting

Revision ID: sovereign_0006
Revises: sovereign_0005
Create Date: 2026-11-29 16:40:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from podium.core.types import UtcDateTime

# revision identifiers, used by Alembic.
revision: str = 'sovereign_0006'
down_revision: Union[str, Sequence[str], None] = 'sovereign_0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('vetting_case',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('subject_id', sa.String(length=32), nullable=False),
    sa.Column('accreditation_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', UtcDateTime(timezone=True), nullable=False),
    sa.Column('due_at', UtcDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', UtcDateTime(timezone=True), nullable=True),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('opinion', sa.LargeBinary(), nullable=True),
    sa.Column('decided_by', sa.String(length=16), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vetting_case'))
    )
    op.create_index(op.f('ix_vetting_case_accreditation_id'), 'vetting_case', ['accreditation_id'], unique=False)
    op.create_index(op.f('ix_vetting_case_due_at'), 'vetting_case', ['due_at'], unique=False)
    op.create_index(op.f('ix_vetting_case_state'), 'vetting_case', ['state'], unique=False)
    op.create_index(op.f('ix_vetting_case_subject_id'), 'vetting_case', ['subject_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_vetting_case_subject_id'), table_name='vetting_case')
    op.drop_index(op.f('ix_vetting_case_state'), table_name='vetting_case')
    op.drop_index(op.f('ix_vetting_case_due_at'), table_name='vetting_case')
    op.drop_index(op.f('ix_vetting_case_accreditation_id'), table_name='vetting_case')
    op.drop_table('vetting_case')
