"""gate devices and scans

Revision ID: games_0009
Revises: games_0008
Create Date: 2026-11-29 17:40:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from podium.core.types import UtcDateTime

# revision identifiers, used by Alembic.
revision: str = 'games_0009'
down_revision: Union[str, Sequence[str], None] = 'games_0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('gate_device',
    sa.Column('id', sa.String(length=20), nullable=False),
    sa.Column('venue_code', sa.String(length=16), nullable=False),
    sa.Column('gates', sa.String(length=400), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('registered_at', UtcDateTime(timezone=True), nullable=False),
    sa.Column('disabled_at', UtcDateTime(timezone=True), nullable=True),
    sa.Column('last_upload_at', UtcDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gate_device'))
    )
    op.create_index(op.f('ix_gate_device_venue_code'), 'gate_device', ['venue_code'], unique=False)
    op.create_table('gate_presence',
    sa.Column('credential_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('inside', sa.Boolean(), nullable=False),
    sa.Column('changed_at', UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('credential_id', name=op.f('pk_gate_presence'))
    )
    op.create_table('gate_scan',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=20), nullable=False),
    sa.Column('online', sa.Boolean(), nullable=False),
    sa.Column('kind', sa.SmallInteger(), nullable=True),
    sa.Column('credential_id', sa.BigInteger(), nullable=True),
    sa.Column('card_serial', sa.Integer(), nullable=True),
    sa.Column('gate', sa.String(length=16), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('at', UtcDateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('admitted', sa.Boolean(), nullable=False),
    sa.Column('received_at', UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['device_id'], ['gate_device.id'], name=op.f('fk_gate_scan_device_id_gate_device')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gate_scan')),
    sa.UniqueConstraint('nonce', name=op.f('uq_gate_scan_nonce'))
    )
    op.create_index('ix_gate_scan_credential', 'gate_scan', ['kind', 'credential_id', 'at'], unique=False)
    op.create_index(op.f('ix_gate_scan_device_id'), 'gate_scan', ['device_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_gate_scan_device_id'), table_name='gate_scan')
    op.drop_index('ix_gate_scan_credential', table_name='gate_scan')
    op.drop_table('gate_scan')
    op.drop_table('gate_presence')
    op.drop_index(op.f('ix_gate_device_venue_code'), table_name='gate_device')
    op.drop_table('gate_device')
