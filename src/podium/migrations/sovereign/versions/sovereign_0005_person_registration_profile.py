"""person registration profile

Revision ID: sovereign_0005
Revises: sovereign_0004
Create Date: 2026-11-29 16:40:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from podium.core.types import UtcDateTime

# revision identifiers, used by Alembic.
revision: str = 'sovereign_0005'
down_revision: Union[str, Sequence[str], None] = 'sovereign_0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('person_registration',
    sa.Column('subject_id', sa.String(length=32), nullable=False),
    sa.Column('family_name', sa.LargeBinary(), nullable=True),
    sa.Column('given_names', sa.LargeBinary(), nullable=True),
    sa.Column('name_index', sa.String(length=32), nullable=False),
    sa.Column('gender', sa.String(length=1), nullable=False),
    sa.Column('nationality', sa.String(length=3), nullable=False),
    sa.Column('document_type', sa.LargeBinary(), nullable=True),
    sa.Column('document_number', sa.LargeBinary(), nullable=True),
    sa.Column('document_expiry', sa.LargeBinary(), nullable=True),
    sa.Column('email', sa.LargeBinary(), nullable=True),
    sa.Column('photo', sa.LargeBinary(), nullable=True),
    sa.Column('photo_media_type', sa.String(length=16), nullable=True),
    sa.Column('organisation', sa.String(length=12), nullable=False),
    sa.Column('function', sa.String(length=60), nullable=True),
    sa.Column('category', sa.String(length=8), nullable=False),
    sa.Column('registered_at', UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['subject_id'], ['person.subject_id'], name=op.f('fk_person_registration_subject_id_person')),
    sa.PrimaryKeyConstraint('subject_id', name=op.f('pk_person_registration'))
    )
    op.create_index(op.f('ix_person_registration_name_index'), 'person_registration', ['name_index'], unique=False)
    op.create_index(op.f('ix_person_registration_organisation'), 'person_registration', ['organisation'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_person_registration_organisation'), table_name='person_registration')
    op.drop_index(op.f('ix_person_registration_name_index'), table_name='person_registration')
    op.drop_table('person_registration')

