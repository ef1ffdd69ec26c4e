"""ticketing fans and holders

Revision ID: sovereign_0007
Revises: sovereign_0006
Create Date: 2026-11-29 17:20:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from podium.core.types import UtcDateTime

# revision identifiers, used by Alembic.
revision: str = 'sovereign_0007'
down_revision: Union[str, Sequence[str], None] = 'sovereign_0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('fan_personal',
    sa.Column('account_id', sa.String(length=20), nullable=False),
    sa.Column('full_name', sa.LargeBinary(), nullable=True),
    sa.Column('email', sa.LargeBinary(), nullable=True),
    sa.Column('email_index', sa.String(length=32), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('created_at', UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_fan_personal')),
    sa.UniqueConstraint('email_index', name=op.f('uq_fan_personal_email_index'))
    )
    op.create_table('ticket_holder',
    sa.Column('ticket_id', sa.String(length=20), nullable=False),
    sa.Column('account_id', sa.String(length=20), nullable=False),
    sa.Column('holder_name', sa.LargeBinary(), nullable=True),
    sa.Column('updated_at', UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('ticket_id', name=op.f('pk_ticket_holder'))
    )
    op.create_index(op.f('ix_ticket_holder_account_id'), 'ticket_holder', ['account_id'], unique=False)
    op.create_table('ticket_payment_reference',
    sa.Column('payment_id', sa.String(length=20), nullable=False),
    sa.Column('account_id', sa.String(length=20), nullable=False),
    sa.Column('provider', sa.String(length=24), nullable=False),
    sa.Column('reference', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('payment_id', name=op.f('pk_ticket_payment_reference'))
    )
    op.create_index(op.f('ix_ticket_payment_reference_account_id'), 'ticket_payment_reference', ['account_id'], unique=False)
    op.create_table('fan_web_session',
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.String(length=20), nullable=False),
    sa.Column('csrf_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', UtcDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['fan_personal.account_id'], name=op.f('fk_fan_web_session_account_id_fan_personal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id_hash', name=op.f('pk_fan_web_session'))
    )
    op.create_index(op.f('ix_fan_web_session_account_id'), 'fan_web_session', ['account_id'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_fan_web_session_account_id'), table_name='fan_web_session')
    op.drop_table('fan_web_session')
    op.drop_index(op.f('ix_ticket_payment_reference_account_id'), table_name='ticket_payment_reference')
    op.drop_table('ticket_payment_reference')
    op.drop_index(op.f('ix_ticket_holder_account_id'), table_name='ticket_holder')
    op.drop_table('ticket_holder')
    op.drop_table('fan_personal')

